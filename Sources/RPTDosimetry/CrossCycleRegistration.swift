import Foundation
import RPTCore
import RPTRegistration
import RPTVolume

/// Registration of a later cycle's reference CT to the first imaged cycle's reference CT (rigid, elastix;
/// docs/methods/registration.md, "Cross-cycle registration"), done when the manifest's `registration` is not `none`.
/// Its use: lesions are matched across cycles by their centroids carried into one frame, which checks the matching by
/// name (a lesion whose nearest counterpart in the first cycle has another name is flagged in the notes).
public struct CrossCycleRegistration: Sendable {
    /// One lesion of this cycle and its counterpart in the first cycle.
    public struct LesionMatch: Sendable, Equatable {
        /// The lesion's region name in this cycle.
        public var name: String
        /// The first cycle's lesion nearest to it once registered (nil when the first cycle has no lesion).
        public var nearest: String?
        /// Distance (mm) between this lesion's centroid and the same-named lesion's of the first cycle, without and with
        /// the registration (NaN when the first cycle has no lesion of that name).
        public var distanceBeforeMM: Double
        public var distanceAfterMM: Double
    }

    /// The first imaged cycle (the fixed image's cycle).
    public var referenceCycle: Int
    /// The fixed CT (first cycle's reference) and the moving CT (this cycle's reference).
    public var referenceCT: String
    public var ct: String
    public var transform: ElastixTransform
    /// NCC of the CTs over the fixed image's tissue (HU > −400), without and with the registration.
    public var nccBefore: Double
    public var nccAfter: Double
    public var lesions: [LesionMatch]

    /// Lesions whose nearest first-cycle lesion, once registered, has another name.
    public var mismatchedLesions: [LesionMatch] { lesions.filter { $0.nearest != nil && $0.nearest != $0.name } }

    /// The registration of `cycle`'s reference CT to the first imaged cycle's; nil for the first imaged cycle itself
    /// or when the manifest's `registration` is `none`.
    public static func run(manifest: StudyManifest, cycle: StudyCycle,
                           limits: RegistrationLimits = RegistrationLimits()) throws -> CrossCycleRegistration? {
        guard manifest.registration != .none,
              let first = manifest.cycles.first(where: { $0.imaged && !$0.timePoints.isEmpty }),
              first.number != cycle.number, !cycle.timePoints.isEmpty else { return nil }
        let fixedPath = first.timePoints[first.referenceIndex].ct, movingPath = cycle.timePoints[cycle.referenceIndex].ct
        let fixed = try StudyImages.read(fixedPath, role: .ct).asDouble
        let moving = try StudyImages.read(movingPath, role: .ct).asDouble
        try fixed.grid.validate(source: fixedPath)
        try moving.grid.validate(source: movingPath)
        // Rigid only: weeks apart, organs and lesions change, which a deformation would follow as if it were motion.
        let elastix = try ElastixRegistration(mode: .rigid)
        let what = movingPath + " (cycle \(cycle.number) to cycle \(first.number))"
        let transform = try elastix.register(fixed: fixed, moving: moving,
                                             fixedMask: TimePointRegistration.fixedMask(fixed, limits: limits), what: what)
        let air = -1000.0
        let tissue = fixed.voxels.map { $0 > limits.tissueThresholdHU }
        let unregistered = moving.grid.isSameGrid(as: fixed.grid) ? moving : moving.resampled(onto: fixed.grid, mode: .trilinear, fill: air)
        let registered = try elastix.resample(moving, with: transform, onto: fixed.grid, interpolation: .linear, fill: air)
        let nccBefore = RegistrationQA.normalisedCrossCorrelation(fixed.voxels, unregistered.voxels, mask: tissue)
        let nccAfter = RegistrationQA.normalisedCrossCorrelation(fixed.voxels, registered.voxels, mask: tissue)

        // Lesion centroids: the first cycle's (fixed frame) carried into this cycle's frame by the transform
        // (elastix transforms map fixed-image points to moving-image points).
        let firstLesions = try lesionCentroids(manifest: manifest, cycle: first)
        let theseLesions = try lesionCentroids(manifest: manifest, cycle: cycle)
        let names = firstLesions.keys.sorted()
        let carried = Dictionary(uniqueKeysWithValues: zip(names, try elastix.transformPoints(names.map { firstLesions[$0]! },
                                                                                            with: transform, fixedGrid: fixed.grid)))
        let matches = theseLesions.keys.sorted().map { name -> LesionMatch in
            let c = theseLesions[name]!
            let nearest = carried.min { distance($0.value, c) < distance($1.value, c) }?.key
            return LesionMatch(name: name, nearest: nearest,
                               distanceBeforeMM: firstLesions[name].map { distance($0, c) } ?? .nan,
                               distanceAfterMM: carried[name].map { distance($0, c) } ?? .nan)
        }
        return CrossCycleRegistration(referenceCycle: first.number, referenceCT: fixedPath, ct: movingPath, transform: transform,
                                      nccBefore: nccBefore, nccAfter: nccAfter, lesions: matches)
    }

    /// Euclidean distance (mm).
    static func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }

    /// Centroid (LPS mm) of every lesion region in the cycle's reference label map.
    static func lesionCentroids(manifest: StudyManifest, cycle: StudyCycle) throws -> [String: SIMD3<Double>] {
        let tp = cycle.timePoints[cycle.referenceIndex]
        guard let ref = tp.labels ?? manifest.sharedLabels else { return [:] }
        let (labels, table) = try StudyImages.readLabelMap(ref, ctPath: tp.ct)
        let regions = try ReportingRegions(table: table, groups: manifest.regionGroups, source: manifest.path)
        var out: [String: SIMD3<Double>] = [:]
        let regionOfVoxel = labels.voxels.map { regions.region(ofLabel: Int($0.rounded())) }
        for (r, name) in regions.names.enumerated() where manifest.isLesion(name) {
            if let c = RegistrationQA.centroid(regionOfVoxel.map { $0 == r }, grid: labels.grid) { out[name] = c }
        }
        return out
    }
}
