import Foundation
import RPTCore
import RPTRegistration
import RPTVolume

/// A label map prepared for one dose grid: its table, the reporting regions, the label of every dose-grid
/// voxel (nearest neighbour) and, when asked for, the geometric transfer matrix.
public struct PreparedLabelMap: Sendable {
    public let path: String
    public let table: LabelTable
    public let regions: ReportingRegions
    /// The label map on its own grid.
    public let native: Volume<Double>
    /// Label per dose-grid voxel (nearest neighbour).
    public let labelsOnDoseGrid: [Int]
    /// Region index per dose-grid voxel (`ReportingRegions.unlabelled` = −1).
    public let regionOnDoseGrid: [Int32]
    /// Partial-volume correction, when the manifest gives the SPECT resolution.
    public let transferMatrix: GeometricTransferMatrix?
}

/// The SPECT images and label maps of one cycle on the dose grid: activity (Bq per voxel) and regions
/// per time point. The dose grid is the reference time point's SPECT grid (docs/methods/dosimetry.md).
public struct CycleImages: Sendable {
    public let cycle: StudyCycle
    public let doseGrid: Grid3D
    /// Activity in each dose-grid voxel (Bq) at each time point, not decay corrected.
    public let activityBq: [[Double]]
    /// Label map of each time point (index into `labelMaps`).
    public let labelMapOfTimePoint: [Int]
    public let labelMaps: [PreparedLabelMap]
    /// With `registration:` rigid or deformable: what the registration of each non-reference time point found.
    public var registrations: [TimePointRegistrationRecord] = []
    /// With `registration:` rigid or deformable: each registered time point's region activities measured in its own
    /// frame (reference labels propagated; keyed by time-point index). The region TIA uses these; the voxel TIA
    /// map uses `activityBq` (resampled onto the dose grid).
    public var ownFrameActivities: [Int: OwnFrameRegionActivity] = [:]

    /// The reporting regions (those of the reference time point's label map).
    public var regions: ReportingRegions { labelMaps[labelMapOfTimePoint[cycle.referenceIndex]].regions }
    /// Region index per dose-grid voxel at the reference time point.
    public var referenceRegionIndex: [Int32] { labelMaps[labelMapOfTimePoint[cycle.referenceIndex]].regionOnDoseGrid }

    /// Loads and resamples every image of `cycle`.
    /// - Parameter progress: called with a short description of each step.
    public static func load(manifest: StudyManifest, cycle: StudyCycle,
                            progress: (String) -> Void = { _ in }) throws -> CycleImages {
        let ref = cycle.referenceIndex
        let refSpect = try StudyImages.readSpect(cycle.timePoints[ref].spect)
        let doseGrid = refSpect.grid
        try doseGrid.validate(source: cycle.timePoints[ref].spect.image)
        var activity: [[Double]] = []
        var mapIndex: [Int] = []
        var maps: [PreparedLabelMap] = []
        let registration = manifest.registration == .none ? nil : try CycleRegistration(manifest: manifest, cycle: cycle)
        var registrations: [TimePointRegistrationRecord] = []
        var nativeActivity: [Int: Volume<Double>] = [:]
        for (n, tp) in cycle.timePoints.enumerated() {
            progress("cycle \(cycle.number): SPECT \(n + 1)/\(cycle.timePoints.count) (\(fmtHours(tp.hoursAfterAdministration)))")
            let spect = n == ref ? refSpect.asDouble : try StudyImages.readSpect(tp.spect).asDouble
            try spect.requireFinite(source: tp.spect.image)
            let factor = tp.spect.unit.becquerelPerUnit(voxelVolumeML: spect.grid.voxelVolumeML)
            var content = Volume<Double>(grid: spect.grid, voxels: spect.voxels.map { $0 * factor }, unit: "Bq")
            if let (i, v) = content.voxels.enumerated().first(where: { $0.element < 0 }) {
                let ijk = spect.grid.voxelIndex(i)
                throw InputError(source: tp.spect.image, field: "voxel (\(ijk.x), \(ijk.y), \(ijk.z))", value: "\(v)",
                                 reason: "activity must be ≥ 0")
            }
            if let registration, n != ref {
                progress("cycle \(cycle.number): registering \(tp.ct) to the reference CT (\(manifest.registration.rawValue), elastix)")
                var record = try registration.register(timePoint: n, activity: content, doseGrid: doseGrid)
                activity.append(record.result.activityBq)
                record.result.activityBq = []
                registrations.append(record)
                nativeActivity[n] = content
            } else {
                if !content.grid.isSameGrid(as: doseGrid) {
                    content = content.resampledConservingContent(onto: doseGrid).volume
                }
                activity.append(content.voxels)
            }
            // Registered time points are in the reference anatomy: the reference time point's labels apply.
            let labelTimePoint = registration == nil ? tp : cycle.timePoints[ref]
            guard let labelRef = labelTimePoint.labels ?? manifest.sharedLabels else {
                throw InputError(source: manifest.path, field: "cycles[\(cycle.number)].time_points[\(n)].labels",
                                 reason: "no label map")
            }
            if let i = maps.firstIndex(where: { $0.path == labelRef.image }) {
                mapIndex.append(i)
            } else {
                progress("cycle \(cycle.number): label map \(labelRef.image)")
                // An RTSTRUCT is rasterised on the CT of the time point naming it (the reference CT for shared labels).
                let ctPath = labelTimePoint.labels != nil ? labelTimePoint.ct : cycle.timePoints[ref].ct
                maps.append(try prepareLabels(labelRef, manifest: manifest, doseGrid: doseGrid, ctPath: ctPath))
                mapIndex.append(maps.count - 1)
            }
        }
        for m in maps where m.regions.names != maps[0].regions.names {
            throw InputError(source: m.path, field: "regions", value: m.regions.names.joined(separator: ","),
                             reason: "every label map of a cycle must give the same regions (\(maps[0].path): "
                                + maps[0].regions.names.joined(separator: ",") + ")")
        }
        var images = CycleImages(cycle: cycle, doseGrid: doseGrid, activityBq: activity, labelMapOfTimePoint: mapIndex,
                                 labelMaps: maps, registrations: registrations)
        if let registration {
            // Region activities of the registered time points in their own frames (VOI propagation), when the label
            // map is finer than their SPECT.
            for record in registrations
            where OwnFrameRegionActivity.labelsAreFiner(maps[mapIndex[record.timePoint]].native.grid,
                                                        than: nativeActivity[record.timePoint]!.grid) {
                progress("cycle \(cycle.number): reference labels carried to \(cycle.timePoints[record.timePoint].ct)")
                images.ownFrameActivities[record.timePoint] = try OwnFrameRegionActivity.measure(
                    activity: nativeActivity[record.timePoint]!, transform: record.result.transform,
                    registration: registration.elastix, labels: maps[mapIndex[record.timePoint]], manifest: manifest)
            }
        }
        return images
    }

    static func prepareLabels(_ ref: LabelMapReference, manifest: StudyManifest, doseGrid: Grid3D,
                              ctPath: String?) throws -> PreparedLabelMap {
        let (native, table) = try StudyImages.readLabelMap(ref, ctPath: ctPath)
        let regions = try ReportingRegions(table: table, groups: manifest.regionGroups, source: manifest.path)
        try native.grid.validate(source: ref.image)
        let onDose = native.grid.isSameGrid(as: doseGrid) ? native : native.resampled(onto: doseGrid, mode: .nearest)
        let labels = onDose.voxels.map { Int($0.rounded()) }
        let regionIndex = labels.map { Int32(regions.region(ofLabel: $0)) }
        var gtm: GeometricTransferMatrix?
        if let fwhm = manifest.spectResolutionFWHMMM {
            gtm = GeometricTransferMatrix(labels: native, table: table, doseGrid: doseGrid, labelsOnDoseGrid: labels,
                                          fwhmMM: fwhm)
        }
        return PreparedLabelMap(path: ref.image, table: table, regions: regions, native: native, labelsOnDoseGrid: labels,
                                regionOnDoseGrid: regionIndex, transferMatrix: gtm)
    }
}

func fmtHours(_ h: Double) -> String { String(format: "%.1f h", h) }
