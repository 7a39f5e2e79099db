import RPTCore
import RPTKinetics

/// The time-activity analysis of one region in one cycle: points, method, fitted curve and Ã.
public struct RegionKineticsResult: Sendable {
    public var region: String
    /// Points used (activities > 0 only).
    public var points: [TimeActivityPoint]
    /// Method in words, e.g. `AICc → biExponentialUptake` or `cycle-1 shape rescaled`.
    public var method: String
    /// The curve integrated for Ã (nil for the trapezoid rule or when there is no activity).
    public var curve: ExponentialCurve?
    /// Covariance of `curve.parameters` (row-major, empty when unavailable).
    public var parameterCovariance: [Double]
    /// The full fit, for cycles with ≥ 4 points (the cycle-1 shape used by later cycles).
    public var fit: TimeActivityFit?
    /// AICc of every candidate fitted (model selection only).
    public var aicc: [(model: ExponentialModel, value: Double)]
    public var timeIntegratedActivity: TimeIntegratedActivity
    /// Slowest (terminal) effective decay constant (1/s); NaN when the method does not measure the clearance
    /// (the trapezoid with its physical-decay tail, and Hänscheid's formula, whose λ = ln 2 / t is an
    /// assumption) — so that a placeholder never reaches the kidney BED.
    public var effectiveDecayPerSecond: Double
    /// Anything the user should know (points dropped, fallbacks).
    public var note: String
    /// The population prior of a maximum a-posteriori fit (nil: none used) and the fraction of Ã's information
    /// it supplied (docs/methods/kinetics.md, "Population priors").
    public var priorName: String? = nil
    public var priorTIAFraction: Double = .nan
    /// Short series with a clearance prior: χ²(no biological clearance) − χ²_min of the uptake model without priors
    /// (`ClearanceIdentifiability`); ≤ 3.84 means the points alone do not bound T_eff and it rests on the prior. NaN
    /// when not computed.
    public var clearanceDeltaChiSquareAtPhysicalDecay: Double = .nan
    /// Cycles 2–3 (`cycle1_clearance`): change of the terminal effective half-life against cycle 1,
    /// T_eff,N / T_eff,1 − 1, with its standard uncertainty; NaN otherwise.
    public var halfLifeChange: Double = .nan
    public var halfLifeChangeUncertainty: Double = .nan
    /// Set when the points are inconsistent with the cycle-1 curve beyond noise (the region is named in `note`).
    public var inconsistentWithCycleOne = false

    /// Method, points and prior in one line for reports: `MAP … ; points 4, 24, 48, 72 h; prior weight on Ã 12 %`.
    public var methodSummary: String {
        var s = method + "; points " + points.map { String(format: "%g", $0.timeHours) }.joined(separator: ", ") + " h"
        if let priorName { s += String(format: "; prior %@ supplies %.0f %% of Ã's information", priorName, 100 * priorTIAFraction) }
        if halfLifeChange.isFinite {
            s += String(format: "; T_eff change vs cycle 1 %+.0f %% ± %.0f %%", 100 * halfLifeChange, 100 * halfLifeChangeUncertainty)
        }
        return s
    }

    /// Ã (Bq·s).
    public var tiaBqS: Double { timeIntegratedActivity.valueBqS }
    /// σ(Ã)/Ã, 0 when Ã = 0.
    public var tiaRelativeUncertainty: Double {
        tiaBqS > 0 ? timeIntegratedActivity.standardUncertaintyBqS / tiaBqS : 0
    }
}

/// Fits the time-activity curves of every region of a cycle (method: docs/methods/dosimetry.md).
public struct CycleKineticsAnalysis: Sendable {
    public var physicalDecayConstantPerSecond: Double
    /// Relative standard uncertainty of each region activity (all components).
    public var activityRelativeUncertainty: Double
    /// The part of `activityRelativeUncertainty` common to every time point of the cycle (SPECT calibration factor,
    /// recovery coefficient of a fixed VOI; EANM uncertainty guidance, Gear et al. 2018): it scales every point alike,
    /// so it cannot change the curve's shape. It is left out of the fit's weights and added to σ(Ã)/Ã in quadrature
    /// (docs/methods/kinetics.md, "Measurement uncertainty in the fit"). 0: every component treated as independent.
    public var activityCommonRelativeUncertainty: Double = 0
    /// The independent (per-time-point) part, √(σ² − σ_common²): the weights of every fit.
    public var activityIndependentRelativeUncertainty: Double {
        (max(0, activityRelativeUncertainty * activityRelativeUncertainty
            - activityCommonRelativeUncertainty * activityCommonRelativeUncertainty)).squareRoot()
    }
    /// Overrides the cycle's `reduced_method`.
    public var reducedMethodOverride: ReducedMethodChoice?
    /// The population priors by region (nil: none, e.g. for a nuclide other than Lu-177); used for
    /// series of 3–4 points (`TimeActivityFitter.uptakeAwareFit`).
    public var priors: (@Sendable (_ region: String) -> KineticPrior?)?

    public init(physicalDecayConstantPerSecond: Double, activityRelativeUncertainty: Double,
                activityCommonRelativeUncertainty: Double = 0,
                reducedMethodOverride: ReducedMethodChoice? = nil,
                priors: (@Sendable (_ region: String) -> KineticPrior?)? = nil) {
        precondition(activityCommonRelativeUncertainty >= 0 && activityCommonRelativeUncertainty < activityRelativeUncertainty,
                     "the common part must be below the total activity uncertainty")
        self.physicalDecayConstantPerSecond = physicalDecayConstantPerSecond
        self.activityRelativeUncertainty = activityRelativeUncertainty
        self.activityCommonRelativeUncertainty = activityCommonRelativeUncertainty
        self.reducedMethodOverride = reducedMethodOverride
        self.priors = priors
    }

    /// The [177Lu]Lu-DOTATATE priors (`Lu177DotatatePriors`) with `lesions` as the lesion regions.
    public static func lu177DotatatePriors(lesions: Set<String>) -> @Sendable (String) -> KineticPrior? {
        { name in Lu177DotatatePriors.prior(forRegion: name, isLesion: lesions.contains(name)) }
    }

    /// The lowest-AICc fit (ties: fewer parameters) among the converged ones with a covariance and finite Ã;
    /// nil when there is none.
    static func bestFitWithCovariance(_ fits: [TimeActivityFit]) -> TimeActivityFit? {
        fits.filter { $0.hasCovariance && $0.converged && $0.aicc.isFinite && $0.timeIntegratedActivity.valueBqS.isFinite }
            .min { $0.ranksBefore($1) }
    }

    /// - 4 points (or 3 without a cycle-1 fit and no explicit reduced method): `uptakeAwareFit` with the region's
    ///   prior (docs/methods/kinetics.md, "Few time points").
    /// - ≥ 5 points with activity: every model with k < n − 1 fitted, the lowest AICc chosen (or, when that fit
    ///   has no covariance, the best-ranked one that has; the trapezoid when none has).
    /// - fewer: the reduced method (`override` ?? the cycle's ?? cycle-1 shape when a cycle-1 fit exists,
    ///   else two-point mono-exponential, else Hänscheid for one point).
    /// - no activity: Ã = 0.
    ///
    /// The fits weigh the points with the independent part of the activity uncertainty; the common part
    /// (`activityCommonRelativeUncertainty`) is added to σ(Ã)/Ã in quadrature afterwards.
    public func analyse(region: String, timesHours: [Double], activitiesBq: [Double], cycle: StudyCycle,
                        cycleOneFit: TimeActivityFit?) throws -> RegionKineticsResult {
        var r = try analyseShape(region: region, timesHours: timesHours, activitiesBq: activitiesBq, cycle: cycle,
                                 cycleOneFit: cycleOneFit)
        let c = activityCommonRelativeUncertainty, tia = r.timeIntegratedActivity
        if c > 0 && tia.valueBqS > 0 {
            let s = tia.standardUncertaintyBqS, common = c * tia.valueBqS
            r.timeIntegratedActivity = TimeIntegratedActivity(valueBqS: tia.valueBqS,
                                                              standardUncertaintyBqS: (s * s + common * common).squareRoot())
        }
        return r
    }

    /// `analyse` with the independent part of the activity uncertainty only.
    private func analyseShape(region: String, timesHours: [Double], activitiesBq: [Double], cycle: StudyCycle,
                              cycleOneFit: TimeActivityFit?) throws -> RegionKineticsResult {
        let independent = activityIndependentRelativeUncertainty
        var points: [TimeActivityPoint] = []
        var dropped: [String] = []
        for (t, a) in zip(timesHours, activitiesBq) {
            if a > 0 && a.isFinite {
                points.append(TimeActivityPoint(timeHours: t, activityBq: a, relativeUncertainty: independent))
            } else { dropped.append(String(format: "%.1f h", t)) }
        }
        var note = dropped.isEmpty ? "" : "no activity at " + dropped.joined(separator: ", ") + " (point dropped)"
        let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: physicalDecayConstantPerSecond,
                                        options: KineticsFitOptions(defaultRelativeUncertainty: independent),
                                        source: "region '\(region)', cycle \(cycle.number)")
        func result(_ method: String, curve: ExponentialCurve?, covariance: [Double], fit: TimeActivityFit?,
                    aicc: [(ExponentialModel, Double)], tia: TimeIntegratedActivity,
                    clearanceMeasured: Bool = true) -> RegionKineticsResult {
            RegionKineticsResult(region: region, points: points, method: method, curve: curve, parameterCovariance: covariance,
                           fit: fit, aicc: aicc.map { (model: $0.0, value: $0.1) }, timeIntegratedActivity: tia,
                           effectiveDecayPerSecond: clearanceMeasured ? (curve?.slowestRatePerSecond ?? .nan) : .nan, note: note)
        }
        if points.isEmpty {
            return result("no activity", curve: nil, covariance: [], fit: nil, aicc: [],
                          tia: TimeIntegratedActivity(valueBqS: 0, standardUncertaintyBqS: 0))
        }
        // 3–4 points and no cycle-1 shape to lean on (a short cycle 1): the uptake-aware fit with priors.
        let explicitReduced = reducedMethodOverride ?? cycle.reducedMethod
        if points.count == 4 || (points.count == 3 && cycleOneFit == nil && explicitReduced == nil) {
            do {
                let u = try fitter.uptakeAwareFit(points, prior: priors?(region))
                var r = result(u.method, curve: u.fit.curve, covariance: u.fit.parameterCovariance, fit: u.fit, aicc: [],
                               tia: u.fit.timeIntegratedActivity)
                if let influence = u.fit.priorInfluence {
                    r.priorName = influence.prior.name
                    r.priorTIAFraction = influence.timeIntegratedActivityPriorFraction
                    r.note += (r.note.isEmpty ? "" : "; ") + Self.priorWeightText(influence)
                }
                if let c = u.clearanceIdentifiability {
                    r.clearanceDeltaChiSquareAtPhysicalDecay = c.deltaChiSquareAtPhysicalDecay
                    if !c.determinedByData && u.fit.priorInfluence?.prior.clearance != nil {
                        r.note += (r.note.isEmpty ? "" : "; ") + String(format: "the points alone do not bound the clearance "
                            + "(Δχ² %.1f ≤ 3.84 at physical decay): T_eff rests on the prior", c.deltaChiSquareAtPhysicalDecay)
                    }
                }
                if u.fit.hasCovariance && u.fit.timeIntegratedActivity.valueBqS.isFinite { return r }
                note += (note.isEmpty ? "" : "; ") + "uptake-aware fit (\(u.method)) has no covariance"
            } catch {
                note += (note.isEmpty ? "" : "; ") + "uptake-aware fit failed (\(error))"
            }
            if points.count == 4 {
                let trap = try fitter.trapezoid(points)
                note += "; trapezoid + physical-decay tail used"
                return result("trapezoid", curve: nil, covariance: [], fit: nil, aicc: [], tia: trap.timeIntegratedActivity)
            }
        }
        // Two points, no cycle-1 curve (e.g. a lesion new in a later cycle), a clearance prior: the MAP uptake fit,
        // which does not force a mono-exponential through the 4-h point (the prior then carries most of the shape).
        if points.count == 2 && cycleOneFit == nil && explicitReduced == nil, let prior = priors?(region), prior.clearance != nil {
            var withUptake = prior
            if withUptake.uptake == nil { withUptake.uptake = Lu177DotatatePriors.uptakeRegulariser }
            if let u = try? fitter.uptakeFitCheckingConflict(points, prior: withUptake), u.fit.hasCovariance,
               u.fit.timeIntegratedActivity.valueBqS.isFinite {
                let fit = u.fit
                if cycle.number > 1 {
                    note += (note.isEmpty ? "" : "; ") + "no cycle-1 fit for this region (e.g. a lesion new in this cycle): its own fit"
                }
                var r = result(u.method, curve: fit.curve, covariance: fit.parameterCovariance,
                               fit: nil, aicc: [], tia: fit.timeIntegratedActivity)
                r.priorName = fit.priorInfluence?.prior.name ?? prior.name
                r.priorTIAFraction = fit.priorInfluence?.timeIntegratedActivityPriorFraction ?? .nan
                if let influence = fit.priorInfluence {
                    r.note += (r.note.isEmpty ? "" : "; ") + Self.priorWeightText(influence)
                }
                return r
            }
        }
        if points.count >= 5 {
            do {
                let s = try fitter.selectModel(for: points)
                if s.selected.hasCovariance {
                    return result("AICc → " + s.selected.model.rawValue, curve: s.selected.curve,
                                  covariance: s.selected.parameterCovariance, fit: s.selected,
                                  aicc: s.fits.map { ($0.model, $0.aicc) }, tia: s.selected.timeIntegratedActivity)
                }
                // The AICc choice cannot give an uncertainty: take the best-ranked converged fit that can.
                if let next = Self.bestFitWithCovariance(s.fits) {
                    note += (note.isEmpty ? "" : "; ") + "AICc choice \(s.selected.model.rawValue) has no covariance; next-best \(next.model.rawValue) used"
                    return result("AICc → " + next.model.rawValue + " (next-best)", curve: next.curve,
                                  covariance: next.parameterCovariance, fit: next,
                                  aicc: s.fits.map { ($0.model, $0.aicc) }, tia: next.timeIntegratedActivity)
                }
                note += (note.isEmpty ? "" : "; ") + "selected fit has no covariance"
            } catch {
                note += (note.isEmpty ? "" : "; ") + "model selection failed (\(error))"
            }
            let trap = try fitter.trapezoid(points)
            note += "; trapezoid + physical-decay tail used"
            return result("trapezoid", curve: nil, covariance: [], fit: nil, aicc: [], tia: trap.timeIntegratedActivity)
        }
        var choice = reducedMethodOverride ?? cycle.reducedMethod
            ?? (cycleOneFit != nil ? (points.count >= 2 ? .cycleOneClearance : .cycleOneShape)
                : (points.count >= 2 ? .twoPoint : .hanscheid))
        if cycleOneFit == nil && cycle.number > 1 && reducedMethodOverride == nil && cycle.reducedMethod == nil {
            note += (note.isEmpty ? "" : "; ") + "no cycle-1 fit for this region (e.g. a lesion new in this cycle): "
                + "\(choice.rawValue) used, the region's own fit"
        }
        if choice == .cycleOneClearance && points.count < 2 {
            note += (note.isEmpty ? "" : "; ") + "one point only; cycle1_shape used"
            choice = .cycleOneShape
        }
        if (choice == .cycleOneShape || choice == .cycleOneClearance || choice == .madsen) && cycleOneFit == nil {
            let fallback: ReducedMethodChoice = points.count >= 2 ? .twoPoint : .hanscheid
            note += (note.isEmpty ? "" : "; ") + "no cycle-1 fit for \(choice.rawValue) (e.g. a lesion new in this cycle); "
                + "\(fallback.rawValue) used, the region's own fit"
            choice = fallback
        }
        if choice == .twoPoint && points.count < 2 {
            note += (note.isEmpty ? "" : "; ") + "one point only; hanscheid used"
            choice = .hanscheid
        }
        let method: ReducedTimePointMethod
        switch choice {
        case .cycleOneShape: method = .cycleOneShapeRescaled(cycleOneFit: cycleOneFit!)
        case .cycleOneClearance: method = .cycleOneShapeWithClearanceChange(cycleOneFit: cycleOneFit!)
        case .twoPoint: method = .twoPointMonoExponential
        case .hanscheid: method = .hanscheidSinglePoint
        case .madsen: method = .madsenSinglePoint(effectiveDecay: cycleOneFit!.slowestPhase)
        }
        let e = try fitter.reducedTimePointEstimate(points, method: method)
        if choice == .cycleOneClearance {
            return clearanceChangeResult(e, region: region, cycle: cycle, result: { n, t in
                note = n
                return result(method.name, curve: e.curve, covariance: [], fit: nil, aicc: [], tia: t)
            }, note: note)
        }
        return result(method.name, curve: e.curve, covariance: [], fit: nil, aicc: [], tia: e.timeIntegratedActivity,
                      clearanceMeasured: choice != .hanscheid)
    }

    /// `prior kidney (Lu-177 DOTATATE) supplies 51 % of Ã's information` — the prior's weight, for notes.
    static func priorWeightText(_ influence: PriorInfluence) -> String {
        String(format: "prior %@ supplies %.0f %% of Ã's information (T_eff %@)", influence.prior.name,
               100 * influence.timeIntegratedActivityPriorFraction,
               influence.prior.clearance.map { String(format: "%g h, σ(ln T) %g", $0.medianHours, $0.logStandardDeviation) } ?? "no prior")
    }

    /// |Δ|/σ_Δ above which the points of a later cycle are called inconsistent with the cycle-1 curve: 2.576,
    /// the two-sided 99 % normal quantile (1 % false alarms per region and cycle when nothing changed).
    public static let clearanceChangeWarningZ = 2.576

    /// Method (e): the half-life change and its uncertainty, and the warning naming the region when the change is
    /// beyond noise. The Ã uncertainty already contains σ_Δ.
    private func clearanceChangeResult(_ e: ReducedTimePointEstimate, region: String, cycle: StudyCycle,
                                       result: (String, TimeIntegratedActivity) -> RegionKineticsResult,
                                       note: String) -> RegionKineticsResult {
        let d = e.clearanceLogChange, sd = e.clearanceLogChangeUncertainty
        let change = _exp(-d) - 1, changeSigma = _exp(-d) * sd
        var n = note
        let inconsistent = d.isFinite && sd > 0 && abs(d) > Self.clearanceChangeWarningZ * sd
        if inconsistent {
            n += (n.isEmpty ? "" : "; ") + String(format: "WARNING region '%@', cycle %d: the points are inconsistent with the cycle-1 "
                + "curve beyond noise (effective half-life %+.0f %% ± %.0f %% against cycle 1, |Δ| > %.2f σ): kinetics changed; "
                + "the Ã uses the refitted clearance and its uncertainty", region, cycle.number, 100 * change, 100 * changeSigma,
                Self.clearanceChangeWarningZ)
        }
        if e.rateSetToPhysicalDecay {
            n += (n.isEmpty ? "" : "; ") + "refitted clearance at the physical-decay bound"
        }
        if !inconsistent && change.isFinite {
            n += (n.isEmpty ? "" : "; ") + String(format: "effective half-life %+.0f %% ± %.0f %% against cycle 1", 100 * change, 100 * changeSigma)
        }
        var r = result(n, e.timeIntegratedActivity)
        r.halfLifeChange = change
        r.halfLifeChangeUncertainty = changeSigma
        r.inconsistentWithCycleOne = inconsistent
        return r
    }
}

/// Time-integrated whole-blood activity concentration from blood samples.
public struct BloodKinetics: Sendable {
    /// ∫ C(t) dt (Bq·s/mL) with its standard uncertainty.
    public var timeIntegratedConcentration: TimeIntegratedActivity
    /// Method in words.
    public var method: String
    public var curve: ExponentialCurve?
    /// The exponential fit, when the samples were fitted (≥ `minimumSamplesForFit`): a later cycle with fewer
    /// samples rescales its shape.
    public var fit: TimeActivityFit?
    public var sampleCount: Int
    /// Phases of the blood curve the samples miss (log-linear trapezoid only), also appended to `method`.
    public var caveats: [String] = []

    /// Samples needed to fit the blood curve itself: AICc can weigh a bi-exponential (4 parameters) only
    /// with n ≥ k + 2 = 6 points.
    public static let minimumSamplesForFit = 6
    /// The log-linear trapezoid needs a sample within the fast phase (≤ 1 h; the synthetic patient's fast
    /// phase has a 1.2 h half-life) and one at ≥ 24 h to be within ≈ ±20 % (docs/methods/dosimetry.md §6);
    /// otherwise the method text carries a caveat.
    public static let earlySampleLimitHours = 1.0
    public static let lateSampleLimitHours = 24.0

    /// Integrates the whole-blood samples (Bq/mL at hours after administration; each ±`relativeUncertainty`):
    /// * ≥ 6 samples: mono- or bi-exponential (no uptake) chosen by AICc;
    /// * fewer, with the first cycle's fitted blood curve (`cycleOneFit`): that curve's shape rescaled to these
    ///   samples (the blood clearance of one patient is taken to be the same in every cycle);
    /// * 2–5 samples without it: the log-linear trapezoid (`TimeActivityFitter.logTrapezoid`), model-free — a
    ///   mono-exponential fitted from t = 0 through a fast and a slow phase misses one of them, and Hänscheid's
    ///   single-point formula assumes a sample near the effective half-life, which blood samples are not;
    /// * 1 sample without it: refused (one sample cannot show the clearance).
    public static func fit(_ samples: [BloodSampleEntry], physicalDecayConstantPerSecond: Double,
                           relativeUncertainty: Double, cycleOneFit: TimeActivityFit? = nil,
                           source: String) throws -> BloodKinetics {
        let points = samples.filter { $0.concentrationBqPerML > 0 }.map {
            TimeActivityPoint(timeHours: $0.hoursAfterAdministration, activityBq: $0.concentrationBqPerML,
                              relativeUncertainty: relativeUncertainty)
        }
        guard !points.isEmpty else {
            throw InputError(source: source, field: "blood_samples", value: "\(samples.count) sample(s)",
                             reason: "no blood sample with activity: the marrow self-dose needs at least one")
        }
        let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: physicalDecayConstantPerSecond, source: source)
        if points.count >= minimumSamplesForFit {
            let s = try fitter.selectModel(for: points, candidates: [.monoExponential, .biExponential])
            return BloodKinetics(timeIntegratedConcentration: s.selected.timeIntegratedActivity,
                                 method: "AICc → " + s.selected.model.rawValue, curve: s.selected.curve,
                                 fit: s.selected, sampleCount: points.count)
        }
        if let cycleOne = cycleOneFit {
            let method = ReducedTimePointMethod.cycleOneShapeRescaled(cycleOneFit: cycleOne)
            let e = try fitter.reducedTimePointEstimate(points, method: method)
            return BloodKinetics(timeIntegratedConcentration: e.timeIntegratedActivity,
                                 method: "cycle-1 blood curve (\(cycleOne.model.rawValue)) rescaled to \(points.count) sample(s)",
                                 curve: e.curve, fit: nil, sampleCount: points.count)
        }
        guard points.count >= 2 else {
            throw InputError(source: source, field: "blood_samples", value: "1 sample",
                             reason: "one blood sample cannot show the blood clearance: give at least 2 samples "
                                + "(ideally ≥ 6 from the first hour to several days), or ≥ 6 samples in the first cycle")
        }
        // The rule is accurate only when the samples bracket both blood phases (docs/methods/dosimetry.md §6).
        var caveats: [String] = []
        if points[0].timeHours > earlySampleLimitHours {
            caveats.append(String(format: "first sample at %.1f h: the fast phase before it is extrapolated and Ã may be underestimated", points[0].timeHours))
        }
        if points[points.count - 1].timeHours < lateSampleLimitHours {
            caveats.append(String(format: "last sample at %.1f h: the slow phase after it is extrapolated", points[points.count - 1].timeHours))
        }
        return BloodKinetics(timeIntegratedConcentration: try fitter.logTrapezoid(points),
                             method: "log-linear trapezoid of \(points.count) samples" + (caveats.isEmpty ? "" : " (" + caveats.joined(separator: "; ") + ")"),
                             curve: nil, fit: nil, sampleCount: points.count, caveats: caveats)
    }
}
