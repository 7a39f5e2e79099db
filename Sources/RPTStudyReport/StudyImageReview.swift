import Foundation
import RPTCore
import RPTDosimetry
import RPTVolume

/// The image-based warnings of one cycle, from the study's own images (docs/report.md "Warnings"):
/// activity outside the body and suspected SPECT/CT mis-registration of the kidneys, at every time point.
public enum StudyImageReview {
    /// CT numbers at or above this (HU) count as body when the label table has no `body` region:
    /// halfway between air (−1000 HU) and water (0 HU), the usual body-contour threshold.
    public static let bodyThresholdHU = -500.0

    public static func findings(manifest: StudyManifest, cycle: StudyCycle,
                                thresholds t: ReviewThresholds = ReviewThresholds()) -> [ReviewFinding] {
        var out: [ReviewFinding] = []
        for (n, tp) in cycle.timePoints.enumerated() {
            let when = String(format: "SPECT %d (%.1f h)", n + 1, tp.hoursAfterAdministration)
            do {
                out += try findings(timePoint: tp, name: when, manifest: manifest, cycle: cycle.number, thresholds: t)
            } catch {
                out.append(ReviewFinding(rule: .checkNotPossible, cycle: cycle.number, subject: when,
                                         message: "image checks not possible: \(error)"))
            }
        }
        return out
    }

    static func findings(timePoint tp: ImagingTimePoint, name: String, manifest: StudyManifest, cycle: Int,
                         thresholds t: ReviewThresholds) throws -> [ReviewFinding] {
        let spect = try StudyImages.read(tp.spect.image).asDouble
        guard let labelRef = tp.labels ?? manifest.sharedLabels else {
            throw InputError(source: manifest.path, field: "labels", reason: "no label map for this time point")
        }
        let table = try LabelTable.load(labelRef.names)
        let regions = try ReportingRegions(table: table, groups: manifest.regionGroups, source: manifest.path)
        let native = try StudyImages.read(labelRef.image).asDouble
        let labels = native.grid.isSameGrid(as: spect.grid) ? native : native.resampled(onto: spect.grid, mode: .nearest)
        let labelValues = labels.voxels.map { Int($0.rounded()) }
        var out: [ReviewFinding] = []

        // Activity outside the body.
        let bodyLabels = Set(table.names.filter { $0.value == "body" }.map(\.key))
        var body: [Bool]
        if bodyLabels.isEmpty {
            let ct = try StudyImages.read(tp.ct).asDouble
            let ctOnSpect = ct.grid.isSameGrid(as: spect.grid) ? ct : ct.resampled(onto: spect.grid, mode: .trilinear, fill: -1000)
            body = zip(labelValues, ctOnSpect.voxels).map { $0 > 0 || $1 >= bodyThresholdHU }
        } else {
            body = labelValues.map { bodyLabels.contains($0) }
        }
        let outside = ImageReview.outsideFraction(spect, body: body)
        if outside > t.maximumOutsideBodyFraction {
            out.append(ReviewFinding(rule: .activityOutsideBody, cycle: cycle, subject: name, message: String(
                format: "%.1f %% of the SPECT signal lies outside the body (> %.3g %%): contamination, wrong CT or wrong registration?",
                outside * 100, t.maximumOutsideBodyFraction * 100)))
        }

        // Kidney registration.
        let regionOfVoxel = labelValues.map { regions.region(ofLabel: $0) }
        var sums = [Double](repeating: 0, count: regions.names.count), counts = sums
        for (v, r) in zip(spect.voxels, regionOfVoxel) where r >= 0 { sums[r] += v; counts[r] += 1 }
        let regionMeans = zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
        let tolerance = max(t.registrationToleranceMM, spect.grid.spacing.max())
        for kidney in manifest.kidneyRegions {
            guard let r = regions.index(of: kidney) else { continue }
            let mask = labelValues.map { regions.region(ofLabel: $0) == r }
            // Hot neighbours (another region whose mean is above the centroid threshold, e.g. the spleen
            // or a lesion) are left out; large cool regions that receive spilled kidney activity are kept.
            let peak = zip(spect.voxels, mask).filter { $0.1 }.map(\.0).max() ?? 0
            let hot = Set(regionMeans.indices.filter { $0 != r && regionMeans[$0] >= t.registrationThresholdFraction * peak })
            let excluded = regionOfVoxel.map { hot.contains($0) }
            guard let c = ImageReview.centroidOffset(spect, mask: mask, excluded: excluded, marginMM: t.registrationSearchMarginMM,
                                                     thresholdFraction: t.registrationThresholdFraction) else { continue }
            if c.offsetMM > tolerance {
                let d = c.activity - c.label
                out.append(ReviewFinding(rule: .misregistration, cycle: cycle, subject: "\(kidney), \(name)", message: String(
                    format: "mis-registration suspected: SPECT centroid %.1f mm from the label centroid (> %.3g mm; offset x %.1f, y %.1f, z %.1f mm LPS)",
                    c.offsetMM, tolerance, d.x, d.y, d.z)))
            }
        }
        return out
    }
}
