import Foundation
import RPTCore
import RPTVolume

/// Limits beyond which a registration is refused (docs/methods/registration.md).
public struct RegistrationLimits: Sendable, Equatable {
    /// Tissue mask of a CT: HU above this (soft tissue and bone; air and lung excluded).
    public var tissueThresholdHU = -400.0
    /// Reference slices this close (mm) to either axial end of the reference field of view are left out of the
    /// similarity measure (the fixed-image mask): the time point's field of view is shifted by the repositioning,
    /// so anatomy there may have no counterpart, and a B-spline can then lower the metric by mapping those points
    /// out of the moving image instead of matching them. 24 mm covers the usual repositioning (≤ 2 cm).
    public var fixedMaskAxialMarginMM = 24.0
    /// Smallest Dice of the registered time point's tissue mask with the reference's.
    public var minimumTissueDice = 0.90
    /// Largest displacement of any reference tissue point (mm): a patient repositioned on another day moves by
    /// centimetres, not by decimetres.
    public var maximumDisplacementMM = 150.0
    /// Largest displacement added by the deformable stage on top of the rigid one (mm): breathing and organ
    /// sliding move abdominal organs by up to about 2–3 cm.
    public var maximumNonRigidDisplacementMM = 30.0
    /// Largest relative change of the total SPECT activity caused by resampling (counted on the dose grid padded
    /// by `spectPaddingMM`).
    public var activityTolerance = 0.03
    /// Margin (mm) added around the dose grid when the SPECT is resampled, to count activity the motion carries
    /// past the reference field of view.
    public var spectPaddingMM = 60.0
    /// Fraction of the SPECT activity outside the reference field of view above which a warning is given.
    public var activityOutsideWarning = 0.02
    public init() {}
}

/// The outcome of registering one time point to the cycle's reference: the transform, the time point's
/// activity on the dose grid in the reference anatomy, and the QA numbers.
public struct TimePointRegistrationResult: Sendable {
    public var mode: RegistrationMode
    public var transform: ElastixTransform
    /// Activity (Bq per dose-grid voxel) in the reference frame (cubic B-spline resampling of the concentration,
    /// negative undershoots set to 0), renormalised to the time point's total.
    public var activityBq: [Double]
    /// Normalised cross-correlation of the time point's CT with the reference CT over the reference tissue mask,
    /// without and with the registration.
    public var nccBefore: Double
    public var nccAfter: Double
    /// Dice of the tissue masks (HU > `tissueThresholdHU`) without and with the registration.
    public var tissueDiceBefore: Double
    public var tissueDiceAfter: Double
    /// Mean and largest displacement of reference tissue points (mm).
    public var meanDisplacementMM: Double
    public var maximumDisplacementMM: Double
    /// Largest displacement added by the deformable stage (mm; 0 for rigid).
    public var maximumNonRigidDisplacementMM: Double
    /// Total activity after resampling (padded grid) ÷ before (before renormalisation).
    public var activityRatio: Double
    /// Fraction of the resampled activity that falls outside the dose grid (not counted).
    public var activityOutsideFraction: Double
    /// Non-fatal findings (e.g. similarity did not improve).
    public var warnings: [String]
}

/// Registers a time point's CT to the reference CT with elastix, carries its SPECT along (same transform),
/// measures the QA numbers and refuses implausible results.
public enum TimePointRegistration {
    /// - Parameters:
    ///   - referenceCT: the cycle's reference CT (HU), the fixed image.
    ///   - ct: this time point's CT (HU), the moving image.
    ///   - activityBq: this time point's SPECT as activity per voxel (Bq) on its own grid.
    ///   - doseGrid: the grid the activity is wanted on (the reference SPECT grid).
    ///   - what: names the time point in messages (e.g. the CT path).
    public static func run(referenceCT: Volume<Double>, ct: Volume<Double>, activityBq: Volume<Double>, doseGrid: Grid3D,
                           mode: RegistrationMode, registration: ElastixRegistration,
                           limits: RegistrationLimits = RegistrationLimits(), what: String) throws -> TimePointRegistrationResult {
        let refGrid = referenceCT.grid
        let transform = try registration.register(fixed: referenceCT, moving: ct,
                                                   fixedMask: fixedMask(referenceCT, limits: limits), what: what)
        let air = -1000.0
        // QA on the reference CT grid.
        let unregistered = ct.grid.isSameGrid(as: refGrid) ? ct : ct.resampled(onto: refGrid, mode: .trilinear, fill: air)
        let registered = try registration.resample(ct, with: transform, onto: refGrid, interpolation: .linear, fill: air)
        let refTissue = referenceCT.voxels.map { $0 > limits.tissueThresholdHU }
        let ncc0 = RegistrationQA.normalisedCrossCorrelation(referenceCT.voxels, unregistered.voxels, mask: refTissue)
        let ncc1 = RegistrationQA.normalisedCrossCorrelation(referenceCT.voxels, registered.voxels, mask: refTissue)
        let dice0 = RegistrationQA.dice(refTissue, unregistered.voxels.map { $0 > limits.tissueThresholdHU })
        let dice1 = RegistrationQA.dice(refTissue, registered.voxels.map { $0 > limits.tissueThresholdHU })

        // Displacements of reference tissue points on a lattice of at most ~4000 points.
        let tissueIndices = refTissue.indices.filter { refTissue[$0] }
        let stride = max(1, tissueIndices.count / 4000)
        let points = Swift.stride(from: 0, to: tissueIndices.count, by: stride).map { n -> SIMD3<Double> in
            let ijk = refGrid.voxelIndex(tissueIndices[n])
            return refGrid.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)))
        }
        let moved = try registration.transformPoints(points, with: transform, fixedGrid: refGrid)
        var meanD = 0.0, maxD = 0.0, maxNonRigid = 0.0
        for (p, q) in zip(points, moved) {
            let d = (q - p).length
            meanD += d / Double(max(1, points.count)); maxD = max(maxD, d)
        }
        if transform.parameterTexts.count > 1 {
            let rigidOnly = try registration.transformPoints(points, with: transform.prefix(1), fixedGrid: refGrid)
            for (a, b) in zip(moved, rigidOnly) { maxNonRigid = max(maxNonRigid, (a - b).length) }
        }

        // The SPECT: concentration resampled through the same transform onto the dose grid padded by
        // `spectPaddingMM` on every side (so that activity the motion carries past the reference field of view is
        // still counted), back to activity per voxel, then cropped to the dose grid.
        let inML = activityBq.grid.voxelVolumeML
        let concentration = Volume(grid: activityBq.grid, voxels: activityBq.voxels.map { $0 / inML }, unit: "Bq/mL")
        let pad = SIMD3<Int>(Int((limits.spectPaddingMM / doseGrid.spacing.x).rounded(.up)),
                             Int((limits.spectPaddingMM / doseGrid.spacing.y).rounded(.up)),
                             Int((limits.spectPaddingMM / doseGrid.spacing.z).rounded(.up)))
        let padD = SIMD3<Double>(Double(pad.x), Double(pad.y), Double(pad.z))
        let padded = Grid3D(shape: doseGrid.shape &+ pad &* 2, spacing: doseGrid.spacing,
                            origin: doseGrid.world(continuousIndex: -padD), direction: doseGrid.direction)
        // Cubic B-spline: trilinear interpolation would smooth the SPECT once more (measured on the moving phantom:
        // kidney activity in the reference mask 2–3 % lower than with cubic); the cubic's small undershoots at
        // edges are set to 0 below and the total is checked and renormalised.
        let onPadded = try registration.resample(concentration, with: transform, onto: padded, interpolation: .cubic, fill: 0)
        let outML = doseGrid.voxelVolumeML
        let paddedActivity = onPadded.voxels.map { max(0, $0) * outML }
        var activity = [Double](repeating: 0, count: doseGrid.voxelCount)
        for k in 0..<doseGrid.shape.z {
            for j in 0..<doseGrid.shape.y {
                for i in 0..<doseGrid.shape.x {
                    activity[doseGrid.linearIndex(i, j, k)] = paddedActivity[padded.linearIndex(i + pad.x, j + pad.y, k + pad.z)]
                }
            }
        }
        let before = activityBq.voxels.reduce(0, +), afterPadded = paddedActivity.reduce(0, +)
        let ratio = before > 0 ? afterPadded / before : 1
        let inside = activity.reduce(0, +)
        let outside = afterPadded > 0 ? 1 - inside / afterPadded : 0

        let fmt = { (x: Double) in String(format: "%.3f", x) }
        func refuse(_ field: String, _ value: String, _ reason: String) -> InputError {
            InputError(source: "registration of \(what)", field: field, value: value,
                       reason: reason + " (registration: \(mode.rawValue); set registration: none to skip, or check the images)")
        }
        guard dice1 >= limits.minimumTissueDice else {
            throw refuse("tissue-mask Dice", fmt(dice1), "the registered CT does not overlap the reference CT "
                         + "(needs ≥ \(limits.minimumTissueDice); before registration \(fmt(dice0)))")
        }
        guard maxD <= limits.maximumDisplacementMM else {
            throw refuse("largest displacement", String(format: "%.1f mm", maxD),
                         "implausible patient motion (limit \(limits.maximumDisplacementMM) mm)")
        }
        guard maxNonRigid <= limits.maximumNonRigidDisplacementMM else {
            throw refuse("largest deformable displacement", String(format: "%.1f mm", maxNonRigid),
                         "implausible organ motion (limit \(limits.maximumNonRigidDisplacementMM) mm)")
        }
        guard abs(ratio - 1) <= limits.activityTolerance else {
            throw refuse("SPECT activity after/before resampling", String(format: "%.4f", ratio),
                         "activity not conserved within ±\(limits.activityTolerance * 100) % (activity moved out of the field of view?)")
        }
        if afterPadded > 0 { activity = activity.map { $0 * before / afterPadded } }
        var warnings: [String] = []
        if outside > limits.activityOutsideWarning {
            warnings.append("registration of \(what): \(String(format: "%.1f", outside * 100)) % of the SPECT activity lies "
                            + "outside the reference field of view after registration (not counted)")
        }
        if ncc1 < ncc0 {
            warnings.append("registration of \(what): CT similarity did not improve (NCC \(fmt(ncc0)) → \(fmt(ncc1)))")
        }
        return TimePointRegistrationResult(mode: mode, transform: transform, activityBq: activity, nccBefore: ncc0,
                                           nccAfter: ncc1, tissueDiceBefore: dice0, tissueDiceAfter: dice1,
                                           meanDisplacementMM: meanD, maximumDisplacementMM: maxD,
                                           maximumNonRigidDisplacementMM: maxNonRigid, activityRatio: ratio,
                                           activityOutsideFraction: outside,
                                           warnings: warnings)
    }
}

extension TimePointRegistration {
    /// The fixed-image mask: reference tissue (HU > `tissueThresholdHU`) outside the axial margins
    /// (`fixedMaskAxialMarginMM`, counted in slices along the grid's third axis).
    public static func fixedMask(_ referenceCT: Volume<Double>, limits: RegistrationLimits) -> [Bool] {
        let g = referenceCT.grid
        let margin = Int((limits.fixedMaskAxialMarginMM / g.spacing.z).rounded(.up))
        let keepMargin = g.shape.z <= 2 * margin + 2  // too few slices to leave any out
        var mask = referenceCT.voxels.map { $0 > limits.tissueThresholdHU }
        if !keepMargin {
            let slice = g.shape.x * g.shape.y
            for k in 0..<g.shape.z where k < margin || k >= g.shape.z - margin {
                for n in k * slice..<(k + 1) * slice { mask[n] = false }
            }
        }
        return mask
    }
}

extension SIMD3 where Scalar == Double {
    var length: Double { (self * self).sum().squareRoot() }
}
