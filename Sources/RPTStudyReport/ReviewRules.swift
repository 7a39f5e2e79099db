import Foundation
import RPTCore
import RPTVolume

/// Thresholds of the review warnings (docs/report.md "Warnings"). Defaults are conservative review
/// triggers, not acceptance criteria: a warning asks the physicist to look, it does not reject.
public struct ReviewThresholds: Equatable, Sendable {
    /// Poor fit: reduced χ² above this (weights σᵢ = the manifest's activity relative uncertainty × Aᵢ).
    public var maximumReducedChiSquare = 3.0
    /// Poor fit: Akaike weight of the chosen model below this (another model is about as plausible).
    public var minimumAkaikeWeight = 0.5
    /// High Monte Carlo uncertainty: region mean-dose relative standard uncertainty above this.
    public var maximumMCRelativeUncertainty = 0.05
    /// Activity outside the body: fraction of the SPECT signal outside the body mask above this.
    public var maximumOutsideBodyFraction = 0.05
    /// Mis-registration: kidney SPECT centroid farther than max(this, one SPECT voxel) from its label centroid (mm).
    public var registrationToleranceMM = 10.0
    /// Half-width (mm) of the neighbourhood around a kidney label searched for its SPECT activity.
    public var registrationSearchMarginMM = 20.0
    /// Voxels below this fraction of the kidney's highest SPECT value do not count for its SPECT centroid.
    public var registrationThresholdFraction = 0.5

    public init() {}
}

/// What a warning is about.
public enum ReviewRule: String, Sendable, CaseIterable {
    case poorFit = "poor_fit"
    case highMonteCarloUncertainty = "high_mc_uncertainty"
    case activityOutsideBody = "activity_outside_body"
    case misregistration = "misregistration"
    case incompleteRun = "incomplete_run"
    case checkNotPossible = "check_not_possible"
}

/// One warning of the report.
public struct ReviewFinding: Equatable, Sendable {
    public var rule: ReviewRule
    /// Cycle concerned (nil for study-wide findings).
    public var cycle: Int?
    /// Region or image concerned.
    public var subject: String
    public var message: String

    public init(rule: ReviewRule, cycle: Int?, subject: String, message: String) {
        self.rule = rule; self.cycle = cycle; self.subject = subject; self.message = message
    }

    /// The warning line printed in the report.
    public var text: String { (cycle.map { "Cycle \($0), " } ?? "") + subject + ": " + message }
}

/// The review rules that need only the dosimetry result (fits and Monte Carlo uncertainties).
public enum ResultReview {
    public static func findings(_ record: CycleDosimetryRecord, activityRelativeUncertainty: Double,
                                thresholds t: ReviewThresholds = ReviewThresholds()) -> [ReviewFinding] {
        var out: [ReviewFinding] = []
        let reported = Set(record.regions.map(\.region))
        for fit in record.fits where reported.contains(fit.region) {
            if let chi = fit.reducedChiSquare(relativeUncertainty: activityRelativeUncertainty), chi > t.maximumReducedChiSquare {
                out.append(ReviewFinding(rule: .poorFit, cycle: record.cycle, subject: fit.region, message: String(
                    format: "poor time-activity fit: reduced χ² = %.2f > %.3g (%@, σ = %.3g %% per point)",
                    chi, t.maximumReducedChiSquare, fit.method, activityRelativeUncertainty * 100)))
            }
            if let w = fit.akaikeWeightOfChosenModel, w < t.minimumAkaikeWeight {
                out.append(ReviewFinding(rule: .poorFit, cycle: record.cycle, subject: fit.region, message: String(
                    format: "model choice uncertain: Akaike weight of %@ = %.2f < %.2f",
                    fit.curve?.model.rawValue ?? "?", w, t.minimumAkaikeWeight)))
            }
        }
        for r in record.regions where r.mcRelativeUncertainty > t.maximumMCRelativeUncertainty {
            out.append(ReviewFinding(rule: .highMonteCarloUncertainty, cycle: record.cycle, subject: r.region, message: String(
                format: "Monte Carlo relative uncertainty of the mean dose %.1f %% > %.3g %% (run more decays)",
                r.mcRelativeUncertainty * 100, t.maximumMCRelativeUncertainty * 100)))
        }
        if record.partial {
            out.append(ReviewFinding(rule: .incompleteRun, cycle: record.cycle, subject: "Monte Carlo",
                                     message: "the run was stopped early (partial result, \(record.decays) decays)"))
        }
        return out
    }
}

/// The image-based review measures (pure functions on volumes sharing one grid).
public enum ImageReview {
    /// Fraction of the positive image signal that lies where `body` is false: Σ_{outside} max(v, 0) / Σ max(v, 0);
    /// 0 for an image without signal.
    public static func outsideFraction(_ image: Volume<Double>, body: [Bool]) -> Double {
        precondition(body.count == image.voxels.count, "mask and image differ in size")
        var total = 0.0, outside = 0.0
        for (v, inside) in zip(image.voxels, body) where v > 0 {
            total += v
            if !inside { outside += v }
        }
        return total > 0 ? outside / total : 0
    }

    /// Offset between an organ's activity centroid in `image` and the centroid of its mask (LPS mm).
    ///
    /// Label centroid: mean world position of the mask voxels. Activity centroid: within the mask grown
    /// by `marginMM` (a box of ±margin around every mask voxel), voxels are weighted by
    /// max(0, v − f·vₘₐₓ), vₘₐₓ the highest value inside the mask and f `thresholdFraction` — the
    /// threshold keeps background from pulling the centroid; voxels where `excluded` is true (hot
    /// neighbouring organs, see `StudyImageReview`) do not count.
    /// - Returns: nil when the mask is empty or has no signal.
    public static func centroidOffset(_ image: Volume<Double>, mask: [Bool], excluded: [Bool]? = nil, marginMM: Double,
                                      thresholdFraction: Double) -> (offsetMM: Double, activity: SIMD3<Double>, label: SIMD3<Double>)? {
        let g = image.grid, n = g.shape
        precondition(mask.count == g.voxelCount, "mask and image differ in size")
        var labelSum = SIMD3<Double>.zero, count = 0, peak = 0.0
        var lo = SIMD3<Int>(n.x, n.y, n.z), hi = SIMD3<Int>(-1, -1, -1)
        for idx in 0..<g.voxelCount where mask[idx] {
            let ijk = g.voxelIndex(idx)
            labelSum += g.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)))
            count += 1
            peak = max(peak, image.voxels[idx])
            lo = pointwiseMin(lo, ijk); hi = pointwiseMax(hi, ijk)
        }
        guard count > 0, peak > 0 else { return nil }
        let r = SIMD3<Int>(Int((marginMM / g.spacing.x).rounded(.up)), Int((marginMM / g.spacing.y).rounded(.up)),
                           Int((marginMM / g.spacing.z).rounded(.up)))
        // Grown mask: separable box dilation along x, y, z within the bounding box ± r.
        let b0 = pointwiseMax(lo &- r, .zero), b1 = pointwiseMin(hi &+ r, SIMD3(n.x - 1, n.y - 1, n.z - 1))
        var grown = mask
        for axis in 0..<3 {
            let before = grown
            for k in b0.z...b1.z { for j in b0.y...b1.y { for i in b0.x...b1.x {
                let idx = g.linearIndex(i, j, k)
                if before[idx] { continue }
                var c = SIMD3(i, j, k)
                let centre = c[axis]
                for d in max(b0[axis], centre - r[axis])...min(b1[axis], centre + r[axis]) {
                    c[axis] = d
                    if before[g.linearIndex(c.x, c.y, c.z)] { grown[idx] = true; break }
                }
            } } }
        }
        let threshold = thresholdFraction * peak
        var weighted = SIMD3<Double>.zero, weight = 0.0
        for k in b0.z...b1.z { for j in b0.y...b1.y { for i in b0.x...b1.x {
            let idx = g.linearIndex(i, j, k)
            let w = image.voxels[idx] - threshold
            guard grown[idx], w > 0, !(excluded?[idx] ?? false) else { continue }
            weighted += g.world(continuousIndex: SIMD3(Double(i), Double(j), Double(k))) * w
            weight += w
        } } }
        guard weight > 0 else { return nil }
        let a = weighted / weight, l = labelSum / Double(count)
        let d = a - l
        return ((d * d).sum().squareRoot(), a, l)
    }
}
