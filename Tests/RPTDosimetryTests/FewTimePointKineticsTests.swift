import Foundation
import RPTCore
@testable import RPTDosimetry
import RPTKinetics
import RPTPhantom
import XCTest

/// Kinetics of the synthetic patient's regions on short schedules, tested on the noise-free (and noisy) region
/// activity curves of the phantom's analytic kinetics — no images, no Monte Carlo — against the analytic Ã.
///
/// The phantom's kinetics (PhantomKineticsModel.lu177DOTATATE) are design values; the priors
/// (Lu177DotatatePriors) come from the literature and were not adjusted to them: kidney T_eff 50.1 h (prior
/// 50 h), liver and spleen 70.1 h (prior 67 h), tumours 89.7 h (prior 77 h, 0.8 prior σ away).
final class FewTimePointKineticsTests: XCTestCase {
    static let administeredBq = 7.4e9
    static let lambdaPhys = log(2.0) / (6.647 * 86_400)
    static let regions: [(name: String, parts: [PhantomRegion])] = [
        ("kidney_left", [.kidneyLeftCortex, .kidneyLeftMedulla]), ("liver", [.liver]), ("spleen", [.spleen]),
        ("pancreas", [.pancreas]), ("tumor_1", [.tumor1]), ("tumor_2", [.tumor2]), ("tumor_3", [.tumor3]),
    ]
    static let lesions: Set<String> = ["tumor_1", "tumor_2", "tumor_3"]

    static func truth(_ parts: [PhantomRegion], model: PhantomKineticsModel = .lu177DOTATATE)
        -> (activity: (Double) -> Double, tiaBqS: Double) {
        let kinetics = model.regionKinetics(redMarrowVolumeML: 1000).filter { parts.contains($0.region) }
        return ({ t in kinetics.reduce(0) { $0 + $1.activityBq(atHours: t, administeredBq: administeredBq) } },
                kinetics.reduce(0) { $0 + $1.timeIntegratedActivityBqS(administeredBq: administeredBq) })
    }

    static func cycle(_ number: Int) -> StudyCycle {
        StudyCycle(number: number, administeredActivityGBq: 7.4, administrationTime: Date(timeIntervalSince1970: 0),
                   timePoints: [], bloodSamples: [], reducedMethod: nil, referenceTimePoint: nil)
    }

    static func analysis(relativeUncertainty: Double, common: Double = 0) -> CycleKineticsAnalysis {
        CycleKineticsAnalysis(physicalDecayConstantPerSecond: lambdaPhys, activityRelativeUncertainty: relativeUncertainty,
                              activityCommonRelativeUncertainty: common,
                              priors: CycleKineticsAnalysis.lu177DotatatePriors(lesions: lesions))
    }

    /// The stated uncertainty model of the issue-15 tests: 10 % per region activity (the manifest default), of which
    /// 9.8 % common to every time point (calibration factor, recovery coefficient) and √(10² − 9.8²) ≈ 2 % independent
    /// per time point (counting, VOI placement). docs/methods/kinetics.md, "Measurement uncertainty in the fit".
    static let statedTotal = 0.10, statedCommon = 0.098

    /// Noise-free 4-point cycle 1 (4, 24, 48, 72 h) with `total` relative activity uncertainty of which `common` is common
    /// to every time point: for every region an uptake model, |error| ≤ `tolerance(region)` against the analytic truth,
    /// the error within the stated 1σ, σ(Ã)/Ã ≥ `common`, and the prior and its weight reported (not for the pancreas,
    /// which has no clearance prior).
    func assertFourPointNoiseFree(total: Double, common: Double, tolerance: (String) -> Double) throws {
        let times = [4.0, 24, 48, 72]
        let analysis = Self.analysis(relativeUncertainty: total, common: common)
        for (name, parts) in Self.regions {
            let truth = Self.truth(parts)
            let r = try analysis.analyse(region: name, timesHours: times, activitiesBq: times.map(truth.activity),
                                         cycle: Self.cycle(1), cycleOneFit: nil)
            let error = r.tiaBqS / truth.tiaBqS - 1
            print(String(format: "4-point (%.1f %%, common %.1f %%) %@: error %+.2f %%, σ %.2f %%, Δχ² at physical decay %.2f, %@",
                         100 * total, 100 * common, name, 100 * error, 100 * r.tiaRelativeUncertainty,
                         r.clearanceDeltaChiSquareAtPhysicalDecay, r.methodSummary))
            XCTAssertTrue(r.method.contains("biExponentialUptake"), "\(name): \(r.method)")
            XCTAssertEqual(error, 0, accuracy: tolerance(name), "\(name): \(r.methodSummary)")
            XCTAssertLessThan(abs(error), r.tiaRelativeUncertainty, "\(name): error beyond its stated 1σ")
            XCTAssertGreaterThanOrEqual(r.tiaRelativeUncertainty, common, "\(name): the common part must be in σ(Ã)")
            if name != "pancreas" {
                XCTAssertNotNil(r.priorName, name)
                XCTAssertTrue((0...1).contains(r.priorTIAFraction), "\(name): prior weight \(r.priorTIAFraction)")
            }
        }
    }

    /// Noise-free 4-point cycle 1 with the stated model above (issue 15's done-when): every region within 3 % of the
    /// truth, kidneys within 2 %. Measured (2026-12-08): kidney −0.03 %, liver and spleen −0.24 %, pancreas −0.01 %,
    /// tumours −1.98 % (tumor_1, tumor_2) and −2.68 % (tumor_3, uptake 8 h); the tumour prior (77 h against the
    /// phantom's 89.7 h) supplies 19–27 % of the tumour Ã's information when the clearance is measured to 2 % per point.
    func testFourPointCycleOneNoiseFree() throws {
        try assertFourPointNoiseFree(total: Self.statedTotal, common: Self.statedCommon) { $0.hasPrefix("kidney") ? 0.02 : 0.03 }
    }

    /// Noise-free 4-point cycle 1, the whole stated 10 % treated as independent per time point
    /// (`activity_common_relative_uncertainty` 0, the manifest default). Tolerances: kidneys 2 %, liver, spleen,
    /// pancreas 3 % (measured −0.25 %, −1.88 %, −1.88 %, −0.32 %); tumours 10 % (measured −8.05 %, −8.05 %, −8.37 %):
    /// issue 15's 3 % is NOT met for the tumours with this stated model — with four points each independently
    /// uncertain by 10 % the data do not determine a lesion's clearance and the literature tumour prior (T_eff 77 h;
    /// the phantom's tumours 89.7 h) supplies 82–87 % of the tumour Ã's information
    /// (`testFourPointTumourErrorIsTheClearancePriorsPull`). The error must then lie within the stated 1σ (13.2–13.5 %).
    func testFourPointCycleOneNoiseFreeAllIndependent() throws {
        try assertFourPointNoiseFree(total: 0.10, common: 0) {
            $0.hasPrefix("kidney") ? 0.02 : Self.lesions.contains($0) ? 0.10 : 0.03
        }
    }

    /// χ² of the uptake model A₀(e^{−λ₁t} − e^{−λ₂t}) with λ₁ held at `clearancePerHour`, minimised over A₀ (linear,
    /// closed form) and λ₂ (a scan of 4000 values, log-spaced from 1.001 λ₁ to 100 /h): one point of the profile
    /// likelihood of λ₁, computed here independently of RPTKinetics.
    static func profileChiSquare(clearancePerHour l1: Double, times: [Double], activities: [Double], relative: Double) -> Double {
        let w = activities.map { 1 / (relative * $0 * relative * $0) }
        let lo = log(l1 * 1.001), hi = log(100.0)
        var best = Double.infinity
        for i in 0..<4000 {
            let l2 = exp(lo + (hi - lo) * Double(i) / 3999)
            let f = times.map { exp(-l1 * $0) - exp(-l2 * $0) }
            var sff = 0.0, sfy = 0.0, syy = 0.0
            for k in times.indices { sff += w[k] * f[k] * f[k]; sfy += w[k] * f[k] * activities[k]; syy += w[k] * activities[k] * activities[k] }
            best = min(best, syy - sfy * sfy / sff)
        }
        return best
    }

    /// Why the noise-free 4-point tumour Ã is −8 % when all 10 % are independent per time point — not the model family,
    /// not the fitter, not the uptake regulariser, but the literature clearance prior, carrying information the four
    /// points do not hold:
    /// 1. The phantom's tumour curve is a single uptake-clearance component, i.e. exactly `biExponentialUptake`: the
    ///    data-only weighted LS fit reproduces the truth (|error| < 10⁻⁴).
    /// 2. Without the clearance prior (uptake regulariser only) the error is small (measured +2.1 %, +2.1 %, +4.5 %);
    ///    without the uptake regulariser (clearance prior only) it stays within 0.5 % of the full MAP's (−8.2 % against
    ///    −8.05 %).
    /// 3. The uptake is determined by the data (the mono-exponential, the λ₂ → ∞ end of the uptake model's profile,
    ///    is worse by Δχ² = 63–94 ≫ 3.84), the clearance is not: the profile χ² of λ₁ held at physical decay (no
    ///    biological clearance) exceeds the minimum by only 0.6–0.8 < 3.84 at 10 % per point, i.e. the 95 %
    ///    profile-likelihood interval of T_eff reaches the physical-decay bound (Raue et al. 2009: practically
    ///    non-identifiable); at 2 % per point it is 14–21 > 3.84 (the issue-15 stated model, within 3 %). The kidney's
    ///    clearance is determined even at 10 % (Δχ² 15 at the bound), so its prior weighs less (40 %) and it is within 2 %;
    ///    its uptake is not (mono-exponential Δχ² 1.0): there the uptake regulariser is needed.
    /// 4. With noise (10 %, 150 curves, seed 41) the prior is what makes the four points usable: the tumour Ã's RMS
    ///    error is at most 0.6 × that without the clearance prior (measured 10.8–12.2 % against 30.4–34.7 %).
    func testFourPointTumourErrorIsTheClearancePriorsPull() throws {
        let times = [4.0, 24, 48, 72], r = 0.10
        let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: Self.lambdaPhys,
                                        options: KineticsFitOptions(defaultRelativeUncertainty: r), source: "tumour diagnosis")
        let noUptakeRegulariser = KineticPrior(name: "tumour clearance only", clearance: Lu177DotatatePriors.tumour.clearance, uptake: nil)
        for (index, (name, parts)) in Self.regions.enumerated() where Self.lesions.contains(name) || name.hasPrefix("kidney") {
            let truth = Self.truth(parts)
            let a = times.map(truth.activity)
            let points = zip(times, a).map { TimeActivityPoint(timeHours: $0, activityBq: $1, relativeUncertainty: r) }
            func error(_ f: TimeActivityFit) -> Double { f.timeIntegratedActivity.valueBqS / truth.tiaBqS - 1 }
            let dataOnly = try fitter.fit(.biExponentialUptake, to: points)
            let lphysPerHour = Self.lambdaPhys * 3600
            let atBound = Self.profileChiSquare(clearancePerHour: lphysPerHour * 1.0001, times: times, activities: a, relative: r)
                - dataOnly.chiSquare
            let atBoundTwoPercent = Self.profileChiSquare(clearancePerHour: lphysPerHour * 1.0001, times: times, activities: a, relative: 0.02)
            let mono = try fitter.fit(.monoExponential, to: points).chiSquare - dataOnly.chiSquare
            print(String(format: "%@: data-only %+.4f %%; Δχ² at the physical-decay bound %.2f (10 %%), %.1f (2 %%); mono-exponential Δχ² %.1f",
                         name, 100 * error(dataOnly), atBound, atBoundTwoPercent, mono))
            XCTAssertEqual(error(dataOnly), 0, accuracy: 1e-4, "\(name): the truth is in the model family")
            // The same check in the method (`ClearanceIdentifiability`), reported per region and named in the note.
            let reported = try Self.analysis(relativeUncertainty: r).analyse(region: name, timesHours: times, activitiesBq: a,
                                                                          cycle: Self.cycle(1), cycleOneFit: nil)
            XCTAssertEqual(reported.clearanceDeltaChiSquareAtPhysicalDecay, atBound, accuracy: 0.01 * atBound + 1e-3, name)
            XCTAssertEqual(reported.note.contains("do not bound the clearance"), atBound <= 3.84, "\(name): \(reported.note)")
            if name.hasPrefix("kidney") {
                XCTAssertGreaterThan(atBound, 3.84, "\(name): the kidney clearance is determined at 10 %")
                continue
            }
            let full = try fitter.fitWithPrior(.biExponentialUptake, to: points, prior: Lu177DotatatePriors.tumour)
            let uptakeOnly = try fitter.fitWithPrior(.biExponentialUptake, to: points, prior: Lu177DotatatePriors.uptakeOnly)
            let clearanceOnly = try fitter.fitWithPrior(.biExponentialUptake, to: points, prior: noUptakeRegulariser)
            print(String(format: "%@: MAP %+.2f %%, uptake regulariser only %+.2f %%, clearance prior only %+.2f %%", name,
                         100 * error(full), 100 * error(uptakeOnly), 100 * error(clearanceOnly)))
            XCTAssertLessThan(error(full), -0.05, "\(name): the −8 % this test explains")
            XCTAssertLessThan(abs(error(uptakeOnly)), 0.05, name)
            XCTAssertEqual(error(clearanceOnly), error(full), accuracy: 0.005, name)
            XCTAssertGreaterThan(mono, 3.84, "\(name): the uptake is determined")
            XCTAssertLessThan(atBound, 3.84, "\(name): the clearance is not determined at 10 % per point")
            XCTAssertGreaterThan(atBoundTwoPercent, 3.84, "\(name): the clearance is determined at 2 % per point")

            var rng = RandomStream(seed: 41, stream: UInt64(index))
            var sumWith = 0.0, sumWithout = 0.0
            let count = 150
            for _ in 0..<count {
                let noisy = zip(times, a).map {
                    TimeActivityPoint(timeHours: $0, activityBq: $1 * max(0.05, 1 + r * Self.gaussian(&rng)), relativeUncertainty: r)
                }
                let e1 = error(try fitter.fitWithPrior(.biExponentialUptake, to: noisy, prior: Lu177DotatatePriors.tumour))
                let e2 = error(try fitter.fitWithPrior(.biExponentialUptake, to: noisy, prior: Lu177DotatatePriors.uptakeOnly))
                sumWith += e1 * e1; sumWithout += e2 * e2
            }
            let rmsWith = (sumWith / Double(count)).squareRoot(), rmsWithout = (sumWithout / Double(count)).squareRoot()
            print(String(format: "%@, noisy (10 %%): RMS error with the clearance prior %.1f %%, without %.1f %%", name,
                         100 * rmsWith, 100 * rmsWithout))
            XCTAssertLessThan(rmsWith, 0.6 * rmsWithout, name)
        }
    }

    /// Standard normal deviate (Box–Muller) from the project's Philox stream.
    static func gaussian(_ rng: inout RandomStream) -> Double {
        let u1 = rng.uniform(), u2 = rng.uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Noisy 4-point cycle 1: 10 % multiplicative Gaussian noise, stated 10 %, 300 curves per region (seed 15).
    /// The stated uncertainty must cover the error: within ±1σ in ≥ 60 % of the curves (0.683 − 3 binomial σ) and
    /// within ±2σ in ≥ 90 % (0.954 − 3 binomial σ ≈ 0.92, rounded down). Measured (2026-12-07): 1σ 0.67–0.86,
    /// 2σ 0.94–0.96. Mean error: kidneys −0.9 %, liver and spleen −3 %, pancreas +1 %, tumours −8 to −9.4 % (the
    /// tumour prior's pull, see above); asserted |mean| < 2 %, 5 %, 5 %, 12 %.
    func testFourPointCycleOneNoisyCoverage() throws {
        let times = [4.0, 24, 48, 72]
        let analysis = Self.analysis(relativeUncertainty: 0.10)
        for (index, (name, parts)) in Self.regions.enumerated() {
            let truth = Self.truth(parts)
            var rng = RandomStream(seed: 15, stream: UInt64(index))
            let count = 300
            var within1 = 0, within2 = 0, sum = 0.0, sumSq = 0.0
            for _ in 0..<count {
                let a = times.map { truth.activity($0) * max(0.05, 1 + 0.10 * Self.gaussian(&rng)) }
                let r = try analysis.analyse(region: name, timesHours: times, activitiesBq: a, cycle: Self.cycle(1), cycleOneFit: nil)
                let error = r.tiaBqS / truth.tiaBqS - 1
                sum += error; sumSq += error * error
                let sigma = r.tiaRelativeUncertainty * r.tiaBqS / truth.tiaBqS
                if abs(error) <= sigma { within1 += 1 }
                if abs(error) <= 2 * sigma { within2 += 1 }
            }
            let mean = sum / Double(count), rms = (sumSq / Double(count)).squareRoot()
            print(String(format: "noisy 4-point %@: mean error %+.2f %%, rms %.2f %%, within 1σ %.3f, 2σ %.3f", name, 100 * mean,
                         100 * rms, Double(within1) / Double(count), Double(within2) / Double(count)))
            XCTAssertGreaterThanOrEqual(Double(within1) / Double(count), 0.60, name)
            XCTAssertGreaterThanOrEqual(Double(within2) / Double(count), 0.90, name)
            let bias = name.hasPrefix("kidney") ? 0.02 : Self.lesions.contains(name) ? 0.12 : 0.05
            XCTAssertLessThan(abs(mean), bias, name)
        }
    }

    /// Noisy 4-point cycle 1 drawn from the stated model of `testFourPointCycleOneNoiseFree`: one common factor
    /// 1 + 0.098·g per curve (calibration, recovery) times 1 + 0.02·gᵢ per point (gᵢ standard normal), 5 seeds
    /// (21…25) × 100 curves per region. Coverage of the stated uncertainty: per seed, the error is within ±1σ in
    /// ≥ 55 % (0.683 − 2.8 binomial σ of 100) and within ±2σ in ≥ 88 % (0.954 − 3.5 binomial σ) of the curves —
    /// required in at least 4 of the 5 seeds for every region; pooled over the 500 curves, ±1σ ≥ 0.62 and ±2σ ≥ 0.91
    /// (3 and 4.6 binomial σ below 0.683 and 0.954). Mean error asserted below 3 % (kidneys 2 %). Measured with
    /// 200 curves per seed (2026-12-07): pooled ±1σ 0.68–0.72, ±2σ 0.93–0.97; mean errors −2.2 to +0.3 %.
    func testFourPointCycleOneNoisyCoverageSeveralSeeds() throws {
        let times = [4.0, 24, 48, 72]
        let analysis = Self.analysis(relativeUncertainty: Self.statedTotal, common: Self.statedCommon)
        let independent = (Self.statedTotal * Self.statedTotal - Self.statedCommon * Self.statedCommon).squareRoot()
        let seeds: [UInt64] = [21, 22, 23, 24, 25], perSeed = 100
        for (index, (name, parts)) in Self.regions.enumerated() {
            let truth = Self.truth(parts)
            var seedsCovering = 0, pooled1 = 0, pooled2 = 0, sum = 0.0
            var perSeedText: [String] = []
            for seed in seeds {
                var rng = RandomStream(seed: seed, stream: UInt64(index))
                var within1 = 0, within2 = 0
                for _ in 0..<perSeed {
                    let common = max(0.05, 1 + Self.statedCommon * Self.gaussian(&rng))
                    let a = times.map { truth.activity($0) * common * max(0.05, 1 + independent * Self.gaussian(&rng)) }
                    let r = try analysis.analyse(region: name, timesHours: times, activitiesBq: a, cycle: Self.cycle(1), cycleOneFit: nil)
                    let error = r.tiaBqS / truth.tiaBqS - 1
                    sum += error
                    let sigma = r.tiaRelativeUncertainty * r.tiaBqS / truth.tiaBqS
                    if abs(error) <= sigma { within1 += 1 }
                    if abs(error) <= 2 * sigma { within2 += 1 }
                }
                let f1 = Double(within1) / Double(perSeed), f2 = Double(within2) / Double(perSeed)
                if f1 >= 0.55 && f2 >= 0.88 { seedsCovering += 1 }
                pooled1 += within1; pooled2 += within2
                perSeedText.append(String(format: "%.2f/%.2f", f1, f2))
            }
            let total = Double(seeds.count * perSeed), mean = sum / total
            print(String(format: "noisy 4-point (common 9.8 %%, independent 2 %%) %@: mean error %+.2f %%, within 1σ/2σ per seed %@, pooled %.3f/%.3f",
                         name, 100 * mean, perSeedText.joined(separator: " "), Double(pooled1) / total, Double(pooled2) / total))
            XCTAssertGreaterThanOrEqual(seedsCovering, 4, "\(name): seeds covering \(perSeedText)")
            XCTAssertGreaterThanOrEqual(Double(pooled1) / total, 0.62, name)
            XCTAssertGreaterThanOrEqual(Double(pooled2) / total, 0.91, name)
            XCTAssertLessThan(abs(mean), name.hasPrefix("kidney") ? 0.02 : 0.03, name)
        }
    }
}

/// Cycles 2–3 imaged at 4 and 96 h when the kinetics changed since cycle 1 (issue 15): the default method
/// (`cycle1_clearance`) refits the terminal clearance of the cycle-1 curve, reports the half-life change and warns,
/// naming the region, when the points are inconsistent with the cycle-1 curve beyond noise.
final class ChangedKineticsTests: XCTestCase {
    typealias T = FewTimePointKineticsTests

    /// The phantom's model with the kidneys' biological clearance 30 % faster (rate × 1.3) and the tumours' uptake
    /// changed: `.fraction` halves the amount taken up, `.rate` halves the uptake rate (doubles its half-life).
    enum TumourChange { case none, fraction, rate }
    static func changed(kidneyClearanceFactor: Double, tumour: TumourChange) -> PhantomKineticsModel {
        var m = PhantomKineticsModel.lu177DOTATATE
        for r in [PhantomRegion.kidneyLeftCortex, .kidneyLeftMedulla, .kidneyRightCortex, .kidneyRightMedulla] {
            m.regionComponents[r] = m.regionComponents[r]!.map {
                KineticComponent(fraction: $0.fraction, uptakeHalfLifeHours: $0.uptakeHalfLifeHours,
                                 biologicalHalfLifeHours: $0.biologicalHalfLifeHours / kidneyClearanceFactor)
            }
        }
        for r in [PhantomRegion.tumor1, .tumor2, .tumor3] {
            m.regionComponents[r] = m.regionComponents[r]!.map {
                switch tumour {
                case .none: return $0
                case .fraction: return KineticComponent(fraction: $0.fraction / 2, uptakeHalfLifeHours: $0.uptakeHalfLifeHours,
                                                        biologicalHalfLifeHours: $0.biologicalHalfLifeHours)
                case .rate: return KineticComponent(fraction: $0.fraction, uptakeHalfLifeHours: 2 * $0.uptakeHalfLifeHours,
                                                    biologicalHalfLifeHours: $0.biologicalHalfLifeHours)
                }
            }
        }
        return m
    }

    func cycleOneFit(_ name: String, _ parts: [PhantomRegion], times: [Double]) throws -> TimeActivityFit {
        let truth = T.truth(parts)
        let r = try T.analysis(relativeUncertainty: 0.10).analyse(region: name, timesHours: times,
                                                                 activitiesBq: times.map(truth.activity),
                                                                 cycle: T.cycle(1), cycleOneFit: nil)
        return try XCTUnwrap(r.fit, name)
    }

    /// Noise-free, cycle 1 at 5 points (and at 4), cycle 2 at 4 and 96 h, stated 10 %.
    /// Asserted: unchanged kinetics → every region within 1 % (3 % after a 4-point cycle 1), no warning; kidney clearance 30 % faster → kidney Ã
    /// within 3 % of the truth (issue 15) with the half-life change reported (truth −17 %); tumour uptake fraction
    /// halved → within 1 % (only the amplitude changed); tumour uptake rate halved (a change the 2 points cannot
    /// tell from a clearance change) → the error must be within 2σ of the reported uncertainty or a warning must
    /// name the region.
    func testChangedKineticsCycleTwo() throws {
        let times2 = [4.0, 96]
        for cycleOneTimes in [[4.0, 24, 48, 72, 96], [4.0, 24, 48, 72]] {
            for (kidneyFactor, tumour) in [(1.0, TumourChange.none), (1.3, .fraction), (1.3, .rate)] {
                let model = Self.changed(kidneyClearanceFactor: kidneyFactor, tumour: tumour)
                for (name, parts) in T.regions {
                    let fit = try cycleOneFit(name, parts, times: cycleOneTimes)
                    let truth = T.truth(parts, model: model)
                    let r = try T.analysis(relativeUncertainty: 0.10).analyse(region: name, timesHours: times2,
                                                                             activitiesBq: times2.map(truth.activity),
                                                                             cycle: T.cycle(2), cycleOneFit: fit)
                    let error = r.tiaBqS / truth.tiaBqS - 1
                    print(String(format: "cycle 1 %d points, kidney ×%.1f, tumour %@ — %@: error %+.2f %%, σ %.1f %%, %@%@",
                                 cycleOneTimes.count, kidneyFactor, "\(tumour)", name, 100 * error, 100 * r.tiaRelativeUncertainty,
                                 r.methodSummary, r.inconsistentWithCycleOne ? " [WARNING]" : ""))
                    XCTAssertEqual(r.method, "cycle-1 shape, clearance refitted")
                    XCTAssertTrue(r.halfLifeChange.isFinite && r.halfLifeChangeUncertainty > 0, name)
                    let unchanged = kidneyFactor == 1 || (!name.hasPrefix("kidney") && !T.lesions.contains(name))
                        || (T.lesions.contains(name) && tumour == .fraction)
                    if unchanged {
                        // A 4-point cycle 1 passes its MAP fit's shape on (tumours: −2.4 to −2.8 %, see above).
                        XCTAssertEqual(error, 0, accuracy: cycleOneTimes.count == 5 ? 0.01 : 0.03, name)
                        XCTAssertFalse(r.inconsistentWithCycleOne, name)
                    } else if name.hasPrefix("kidney") {
                        XCTAssertEqual(error, 0, accuracy: 0.03, name)
                        XCTAssertEqual(r.halfLifeChange, 0.6931 / (0.6931 / 73 * 1.3 + 0.6931 / (6.647 * 24)) / 50.08 - 1,
                                       accuracy: 0.02, name)
                    } else {
                        XCTAssertTrue(abs(error) <= 2 * r.tiaRelativeUncertainty || r.note.contains(name),
                                      "\(name): error \(error) beyond 2σ without a warning")
                    }
                    if r.inconsistentWithCycleOne { XCTAssertTrue(r.note.contains("region '\(name)'"), r.note) }
                }
            }
        }
    }

    /// Issue 15's done-when for changed kinetics: "with changed kinetics in cycles 2–3 the default method's kidney TIA is
    /// within 3 % of the truth, or a warning names the region and the reported uncertainty covers the error".
    /// Noise-free; cycle 1 at 4 or 5 points, cycles 2 and 3 at 4 and 96 h with the kidneys' biological clearance 30 %
    /// (cycle 2) and 60 % (cycle 3) faster than in cycle 1; no `reduced_method` (the default, `cycle1_clearance`); both
    /// stated uncertainty models (10 % all independent; 9.8 % common + 2 % independent). Asserted per kidney and cycle:
    /// the default method is used and |error| ≤ 3 %, or the note warns naming the region and |error| ≤ 1σ (reported).
    /// Measured: within 0.4 % in every case.
    func testDefaultMethodKidneyTIAChangedKineticsCyclesTwoAndThree() throws {
        let times = [4.0, 96]
        for (total, common) in [(0.10, 0.0), (T.statedTotal, T.statedCommon)] {
            let analysis = T.analysis(relativeUncertainty: total, common: common)
            for cycleOneTimes in [[4.0, 24, 48, 72, 96], [4.0, 24, 48, 72]] {
                for (name, parts) in T.regions where name.hasPrefix("kidney") {
                    let one = T.truth(parts)
                    let fit = try XCTUnwrap(try analysis.analyse(region: name, timesHours: cycleOneTimes,
                                                                 activitiesBq: cycleOneTimes.map(one.activity),
                                                                 cycle: T.cycle(1), cycleOneFit: nil).fit)
                    for (cycle, factor) in [(2, 1.3), (3, 1.6)] {
                        let truth = T.truth(parts, model: Self.changed(kidneyClearanceFactor: factor, tumour: .none))
                        let r = try analysis.analyse(region: name, timesHours: times, activitiesBq: times.map(truth.activity),
                                                     cycle: T.cycle(cycle), cycleOneFit: fit)
                        let error = r.tiaBqS / truth.tiaBqS - 1
                        print(String(format: "kidney cycle %d (clearance ×%.1f, cycle 1 %d points, common %.1f %%): error %+.2f %%, σ %.1f %%%@",
                                     cycle, factor, cycleOneTimes.count, 100 * common, 100 * error, 100 * r.tiaRelativeUncertainty,
                                     r.inconsistentWithCycleOne ? " [WARNING]" : ""))
                        XCTAssertEqual(r.method, "cycle-1 shape, clearance refitted", "cycle \(cycle)")
                        let warned = r.note.contains("WARNING region '\(name)', cycle \(cycle)")
                        XCTAssertTrue(abs(error) <= 0.03 || (warned && abs(error) <= r.tiaRelativeUncertainty),
                                      "\(name) cycle \(cycle): error \(error), σ \(r.tiaRelativeUncertainty), note \(r.note)")
                        XCTAssertTrue(r.halfLifeChange < 0, "\(name) cycle \(cycle): faster clearance must shorten T_eff")
                    }
                }
            }
        }
    }

    /// The same with noise along the whole chain, in the stated model of the 4-point tests (9.8 % common per cycle,
    /// 2 % independent per point): a noisy 4-point cycle 1, then cycles 2 and 3 at 4 and 96 h with the kidneys'
    /// clearance 30 % and 60 % faster, 150 patients (seed 31). The reported kidney Ã uncertainty must cover the error:
    /// ±1σ in ≥ 60 %, ±2σ in ≥ 90 % of the patients, in each cycle (measured 0.72/0.95 and 0.65/0.95; the warning fired
    /// for every patient: with 2 % independent noise a 17–26 % shorter T_eff is far beyond noise).
    func testNoisyChainKidneyCoverageCyclesTwoAndThree() throws {
        let analysis = T.analysis(relativeUncertainty: T.statedTotal, common: T.statedCommon)
        let independent = (T.statedTotal * T.statedTotal - T.statedCommon * T.statedCommon).squareRoot()
        let parts: [PhantomRegion] = [.kidneyLeftCortex, .kidneyLeftMedulla]
        let one = T.truth(parts), timesOne = [4.0, 24, 48, 72], times = [4.0, 96]
        let later = [(2, T.truth(parts, model: Self.changed(kidneyClearanceFactor: 1.3, tumour: .none))),
                     (3, T.truth(parts, model: Self.changed(kidneyClearanceFactor: 1.6, tumour: .none)))]
        var rng = RandomStream(seed: 31, stream: 0)
        func noisy(_ a: [Double]) -> [Double] {
            let common = max(0.05, 1 + T.statedCommon * T.gaussian(&rng))
            return a.map { $0 * common * max(0.05, 1 + independent * T.gaussian(&rng)) }
        }
        let count = 150
        var within1 = [0, 0], within2 = [0, 0], warnings = [0, 0]
        for _ in 0..<count {
            let fit = try XCTUnwrap(try analysis.analyse(region: "kidney_left", timesHours: timesOne, activitiesBq: noisy(timesOne.map(one.activity)),
                                                         cycle: T.cycle(1), cycleOneFit: nil).fit)
            for (i, (cycle, truth)) in later.enumerated() {
                let r = try analysis.analyse(region: "kidney_left", timesHours: times, activitiesBq: noisy(times.map(truth.activity)),
                                             cycle: T.cycle(cycle), cycleOneFit: fit)
                let error = r.tiaBqS / truth.tiaBqS - 1, sigma = r.tiaRelativeUncertainty * r.tiaBqS / truth.tiaBqS
                if abs(error) <= sigma { within1[i] += 1 }
                if abs(error) <= 2 * sigma { within2[i] += 1 }
                if r.inconsistentWithCycleOne { warnings[i] += 1 }
                XCTAssertEqual(r.method, "cycle-1 shape, clearance refitted")
            }
        }
        for i in 0..<2 {
            let f1 = Double(within1[i]) / Double(count), f2 = Double(within2[i]) / Double(count)
            print(String(format: "noisy chain, kidney cycle %d: within 1σ %.3f, 2σ %.3f, warnings %.3f", i + 2, f1, f2,
                         Double(warnings[i]) / Double(count)))
            XCTAssertGreaterThanOrEqual(f1, 0.60, "cycle \(i + 2)")
            XCTAssertGreaterThanOrEqual(f2, 0.90, "cycle \(i + 2)")
        }
    }

    /// Noisy cycle 2 (10 % noise, stated 10 %, cycle 1 noise-free at 5 points, 200 curves, seed 16): the kidney Ã
    /// is covered by its stated uncertainty (±1σ in ≥ 60 %, ±2σ in ≥ 90 % of the curves) with unchanged and with
    /// 30 % faster clearance; with unchanged kinetics the warning fires in ≤ 3 % of the curves (nominal 1 %).
    func testNoisyCycleTwoKidneyCoverageAndFalseAlarms() throws {
        let times2 = [4.0, 96]
        let parts: [PhantomRegion] = [.kidneyLeftCortex, .kidneyLeftMedulla]
        let fit = try cycleOneFit("kidney_left", parts, times: [4, 24, 48, 72, 96])
        for factor in [1.0, 1.3] {
            let truth = T.truth(parts, model: Self.changed(kidneyClearanceFactor: factor, tumour: .none))
            var rng = RandomStream(seed: 16, stream: factor == 1 ? 0 : 1)
            let count = 200
            var within1 = 0, within2 = 0, warnings = 0
            for _ in 0..<count {
                let a = times2.map { truth.activity($0) * max(0.05, 1 + 0.10 * T.gaussian(&rng)) }
                let r = try T.analysis(relativeUncertainty: 0.10).analyse(region: "kidney_left", timesHours: times2, activitiesBq: a,
                                                                         cycle: T.cycle(2), cycleOneFit: fit)
                let error = abs(r.tiaBqS / truth.tiaBqS - 1), sigma = r.tiaRelativeUncertainty * r.tiaBqS / truth.tiaBqS
                if error <= sigma { within1 += 1 }
                if error <= 2 * sigma { within2 += 1 }
                if r.inconsistentWithCycleOne { warnings += 1 }
            }
            print(String(format: "noisy cycle 2, kidney clearance ×%.1f: within 1σ %.3f, 2σ %.3f, warnings %.3f", factor,
                         Double(within1) / Double(count), Double(within2) / Double(count), Double(warnings) / Double(count)))
            XCTAssertGreaterThanOrEqual(Double(within1) / Double(count), 0.60)
            XCTAssertGreaterThanOrEqual(Double(within2) / Double(count), 0.90)
            if factor == 1 { XCTAssertLessThanOrEqual(Double(warnings) / Double(count), 0.03) }
        }
    }
}
