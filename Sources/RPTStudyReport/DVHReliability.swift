import Foundation
import RPTPlanner
import RPTReport

/// Whether a DVH metric Dx of a region can be trusted at the number of Monte Carlo decays run, or is dominated
/// by the noise of the voxel doses (docs/report.md "Unreliable DVH metrics").
///
/// Independent noise of relative standard uncertainty σ on every voxel dose broadens the DVH: for a region of
/// uniform true dose D, the noisy D2 is about D·(1 + z·σ) and D98 about D·(1 − z·σ), with z = Φ⁻¹(0.98) = 2.05,
/// whatever the number of voxels. Dx is therefore flagged when
///
/// 1. fewer than `minimumTailVoxels` voxels lie on the tail side of it (N · min(x, 100 − x)/100 voxels): it is then
///    the dose of one or two voxels, so of their noise; or
/// 2. the median voxel relative uncertainty σₓ of the voxels at that dose level (the ranks within ±`windowPercent`
///    % of the volume around Dx, at least ±`minimumWindowVoxels`) exceeds `maximumBroadening` / max(1, zₓ),
///    zₓ = Φ⁻¹(1 − min(x, 100 − x)/100): the noise may shift Dx by more than `maximumBroadening` (10 %), so the
///    number describes the noise more than the dose. For D2 and D98 the limit is 4.9 %, for D50 10 %.
///
/// Without voxel uncertainties (dose methods without Monte Carlo noise: kernels, organ S values) only rule 1
/// applies. A voxel with no dose scored (dose 0: its uncertainty is undefined, whatever the file stores) or a
/// non-finite uncertainty counts as infinitely uncertain.
public struct DVHReliability: Equatable, Sendable {
    /// Tail-side voxels below which Dx is flagged.
    public static let minimumTailVoxels = 5
    /// Accepted noise broadening of Dx (relative).
    public static let maximumBroadening = 0.10
    /// Half-width of the rank window around Dx (% of the region's volume) …
    public static let windowPercent = 2.0
    /// … and its least half-width in voxels.
    public static let minimumWindowVoxels = 2

    /// Dx's x (percent of the volume).
    public var percent: Double
    public var voxelCount: Int
    /// Median relative uncertainty of the voxels at Dx's dose level (nil without voxel uncertainties).
    public var voxelRelativeUncertainty: Double?
    /// The largest `voxelRelativeUncertainty` accepted for this x.
    public var limit: Double
    public var reliable: Bool { !tooFewVoxels && !tooNoisy }
    public var tooFewVoxels: Bool { Double(voxelCount) * min(percent, 100 - percent) / 100 < Double(Self.minimumTailVoxels) }
    public var tooNoisy: Bool { voxelRelativeUncertainty.map { !($0 <= limit) } ?? false }

    /// - Parameters:
    ///   - doses: the region's voxel doses (Gy).
    ///   - relativeUncertainties: the same voxels' relative standard uncertainties, or nil.
    public init(percent: Double, doses: [Double], relativeUncertainties: [Double]?) {
        precondition(percent > 0 && percent < 100)
        precondition(relativeUncertainties == nil || relativeUncertainties!.count == doses.count)
        self.percent = percent
        voxelCount = doses.count
        let z = StandardNormal.upperQuantile(min(percent, 100 - percent) / 100)
        limit = Self.maximumBroadening / max(1, z)
        guard let u = relativeUncertainties, !doses.isEmpty else { voxelRelativeUncertainty = nil; return }
        // Ranks in decreasing dose (the DVH's order); Dx sits at 0-based rank x·N/100 − ½.
        let order = doses.indices.sorted { doses[$0] > doses[$1] }
        let n = doses.count
        let centre = Int((percent / 100 * Double(n) - 0.5).rounded())
        let half = max(Self.minimumWindowVoxels, Int((Self.windowPercent / 100 * Double(n)).rounded()))
        let lo = max(0, min(n - 1, centre - half)), hi = max(0, min(n - 1, centre + half))
        let window = order[lo...hi].map { u[$0].isFinite && u[$0] >= 0 && doses[$0] > 0 ? u[$0] : .infinity }.sorted()
        let m = window.count
        voxelRelativeUncertainty = m % 2 == 1 ? window[m / 2] : (window[m / 2 - 1] + window[m / 2]) / 2
    }

    /// Short note for a table cell, e.g. "unreliable: voxel σ 14 %" (empty when reliable).
    public var cellNote: String {
        if tooFewVoxels { return "unreliable: \(voxelCount) voxels" }
        if tooNoisy, let s = voxelRelativeUncertainty { return "unreliable: voxel σ \(Self.percentText(s))" }
        return ""
    }

    /// The reason in words, for the DVH text (empty when reliable).
    public func explanation(decays: UInt64) -> String {
        var parts: [String] = []
        if tooFewVoxels {
            parts.append("only \(voxelCount) voxels, so fewer than \(Self.minimumTailVoxels) lie beyond it")
        }
        if tooNoisy, let s = voxelRelativeUncertainty {
            parts.append("σ \(Self.percentText(s)) per voxel at that dose level (limit \(Self.percentText(limit)))")
        }
        return parts.isEmpty ? "" : "unreliable at this number of decays (\(decays)): " + parts.joined(separator: "; ")
    }

    static func percentText(_ x: Double) -> String {
        x.isFinite ? NumberFormat.significant(2).string(x * 100) + " %" : "undefined (zero-dose voxels)"
    }
}
