import RPTCore
import RPTPhantom
import RPTRegistration
import RPTVolume

/// Partial-volume correction of region activities by the geometric transfer matrix (GTM) of Rousset,
/// Ma & Evans, "Correction for partial volume effects in PET: principle and validation", J Nucl Med
/// 1998;39:904–911.
///
/// Units are the label values of the table plus one "unlabelled" unit (label 0 and labels not in the
/// table). Assuming a uniform activity concentration inside each unit, the activity measured in the
/// volume of interest (VOI) of unit j is t_j = Σᵢ ωᵢⱼ aᵢ, where aᵢ is the true activity of unit i and
/// ωᵢⱼ the fraction of a unit activity spread uniformly over unit i (on the label map's own grid) that
/// the imaging chain puts into VOI j: content-conserving resampling onto the SPECT (dose) grid, then a
/// 3-D Gaussian point-spread function of the given FWHM (voxel-integrated, `GaussianBlur`), with the
/// VOIs being the label map resampled onto the dose grid by nearest neighbour. Solving Ωᵀa = t gives
/// activities corrected for spill-out and spill-in. Activity blurred outside the grid is lost.
public struct GeometricTransferMatrix: Sendable {
    /// Label value of each unit; `unlabelledUnit` stands for label 0 and labels not in the table.
    public let unitLabels: [Int]
    public static let unlabelledUnit = -1
    /// ω, row-major: `omega[i * n + j]` = fraction of unit i's activity measured in VOI j.
    public let omega: [Double]
    /// Unit index of each dose-grid voxel (−1: in no VOI).
    public let unitOfVoxel: [Int]
    public let fwhmMM: Double

    public init(labels: Volume<Double>, table: LabelTable, doseGrid: Grid3D, labelsOnDoseGrid: [Int], fwhmMM: Double) {
        let present = Set(labels.voxels.map { Int($0.rounded()) })
        var units = table.names.keys.sorted().filter { present.contains($0) }
        units.append(Self.unlabelledUnit)
        let index = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, $0) })
        func unit(_ l: Int) -> Int { index[l] ?? (units.count - 1) }
        let n = units.count
        let nativeUnit = labels.voxels.map { unit(Int($0.rounded())) }
        unitOfVoxel = labelsOnDoseGrid.map(unit)
        var omega = [Double](repeating: 0, count: n * n)
        let sameGrid = labels.grid.isSameGrid(as: doseGrid)
        // Bounding box of every unit on the label grid: a unit's indicator is resampled from its box only (the
        // resampling is linear and local, so the zeros outside add nothing; a fine CT label map has millions of voxels).
        let g = labels.grid
        var lo = [[Int]](repeating: [Int.max, Int.max, Int.max], count: n), hi = [[Int]](repeating: [-1, -1, -1], count: n)
        var v = 0
        var voxelsOfUnit = [Int](repeating: 0, count: n)
        for k in 0..<g.shape.z { for j in 0..<g.shape.y { for i in 0..<g.shape.x {
            let u = nativeUnit[v]; v += 1
            voxelsOfUnit[u] += 1
            if i < lo[u][0] { lo[u][0] = i }; if i > hi[u][0] { hi[u][0] = i }
            if j < lo[u][1] { lo[u][1] = j }; if j > hi[u][1] { hi[u][1] = j }
            if k < lo[u][2] { lo[u][2] = k }; if k > hi[u][2] { hi[u][2] = k }
        } } }
        for i in 0..<n {
            guard hi[i][0] >= 0 else { omega[i * n + i] = 1; continue }
            var indicator: Volume<Double>
            if sameGrid {
                indicator = Volume<Double>(grid: g, voxels: nativeUnit.map { $0 == i ? 1 : 0 }, unit: "")
            } else {
                let shape = SIMD3(hi[i][0] - lo[i][0] + 1, hi[i][1] - lo[i][1] + 1, hi[i][2] - lo[i][2] + 1)
                let box = Grid3D(shape: shape, spacing: g.spacing,
                                 origin: g.world(continuousIndex: SIMD3(Double(lo[i][0]), Double(lo[i][1]), Double(lo[i][2]))),
                                 direction: g.direction)
                var values = [Double](repeating: 0, count: box.voxelCount)
                var b = 0
                for k in lo[i][2]...hi[i][2] { for j in lo[i][1]...hi[i][1] {
                    let row = g.linearIndex(0, j, k)
                    for x in lo[i][0]...hi[i][0] { if nativeUnit[row + x] == i { values[b] = 1 }; b += 1 }
                } }
                indicator = Volume<Double>(grid: box, voxels: values, unit: "").resampledConservingContent(onto: doseGrid).volume
            }
            let total = Double(voxelsOfUnit[i])
            var spread = indicator.voxels
            GaussianBlur.apply(&spread, grid: doseGrid, fwhmMM: fwhmMM)
            for (v, u) in unitOfVoxel.enumerated() { omega[i * n + u] += spread[v] }
            for j in 0..<n { omega[i * n + j] /= total }
        }
        unitLabels = units
        self.omega = omega
        self.fwhmMM = fwhmMM
    }

    /// The transfer matrix of a time point measured in its own frame, with the reference label map carried there
    /// by the registration (`PropagatedLabels`, docs/methods/registration.md): unit i's activity is spread over the
    /// volumes its labels map into on the time point's SPECT grid (divided by the unit's whole reference volume,
    /// so activity mapped outside the grid is lost), blurred by the PSF of `fwhmMM` (0: none, e.g. a phantom
    /// without resolution loss); VOI j is the voxels whose largest mapped volume is unit j's (voxels of the time
    /// point outside the reference field of view are in no VOI).
    /// - Parameter tableLabels: the labels that are units of their own; others and 0 form the unlabelled unit.
    ///   nil: every label present except 0 is a unit.
    public init(propagated p: PropagatedLabels, tableLabels: Set<Int>?, fwhmMM: Double) {
        let own = p.labels.filter { $0 != 0 && (tableLabels?.contains($0) ?? true) }
        let units = own + [Self.unlabelledUnit]
        let n = units.count
        let index = Dictionary(uniqueKeysWithValues: own.enumerated().map { ($1, $0) })
        let unitOfLabel = p.labels.map { index[$0] ?? (n - 1) }
        let voxelUnit = p.majority.map { $0 < 0 ? -1 : unitOfLabel[Int($0)] }
        unitOfVoxel = voxelUnit
        var omega = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            let members = p.labels.indices.filter { unitOfLabel[$0] == i }
            let total = members.reduce(0.0) { $0 + p.referenceVolumeMM3[$1] }
            guard total > 0 else { omega[i * n + i] = 1; continue }
            var spread = [Double](repeating: 0, count: p.grid.voxelCount)
            spread.withUnsafeMutableBufferPointer { s in
                for m in members { p.volumeMM3[m].withUnsafeBufferPointer { f in for v in 0..<s.count { s[v] += Double(f[v]) } } }
            }
            GaussianBlur.apply(&spread, grid: p.grid, fwhmMM: fwhmMM)
            spread.withUnsafeBufferPointer { s in
                voxelUnit.withUnsafeBufferPointer { unit in
                    for v in 0..<s.count where unit[v] >= 0 && s[v] != 0 { omega[i * n + unit[v]] += s[v] }
                }
            }
            for j in 0..<n { omega[i * n + j] /= total }
        }
        unitLabels = units
        self.omega = omega
        self.fwhmMM = fwhmMM
    }

    /// Activity measured in each unit's VOI (Bq) from an activity map on the dose grid (voxels in no VOI,
    /// unit −1, are not counted).
    public func measured(_ activityBq: [Double]) -> [Double] {
        var t = [Double](repeating: 0, count: unitLabels.count)
        for (v, u) in unitOfVoxel.enumerated() where u >= 0 { t[u] += activityBq[v] }
        return t
    }

    /// True activity of each unit (Bq) from the VOI measurements: solves Ωᵀ a = t.
    /// - Throws: `InputError` when the matrix is singular (e.g. a unit with no voxel on the dose grid).
    public func corrected(measured t: [Double]) throws -> [Double] {
        let n = unitLabels.count
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { a[j * n + i] = omega[i * n + j] } }
        guard let x = LinearSolve.solve(a, t, n: n) else {
            throw InputError(source: "geometric transfer matrix", field: "labels",
                             value: unitLabels.map(String.init).joined(separator: ","),
                             reason: "the transfer matrix is singular: a region has no voxel on the SPECT grid")
        }
        return x
    }
}

/// Dense linear solve by Gaussian elimination with partial pivoting (small systems).
enum LinearSolve {
    static func solve(_ matrix: [Double], _ rhs: [Double], n: Int) -> [Double]? {
        var a = matrix, b = rhs
        for c in 0..<n {
            var p = c
            for r in (c + 1)..<max(c + 1, n) where abs(a[r * n + c]) > abs(a[p * n + c]) { p = r }
            guard abs(a[p * n + c]) > 1e-12 else { return nil }
            if p != c {
                for k in 0..<n { a.swapAt(c * n + k, p * n + k) }
                b.swapAt(c, p)
            }
            for r in (c + 1)..<max(c + 1, n) {
                let f = a[r * n + c] / a[c * n + c]
                if f == 0 { continue }
                for k in c..<n { a[r * n + k] -= f * a[c * n + k] }
                b[r] -= f * b[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = b[r]
            for k in (r + 1)..<max(r + 1, n) { s -= a[r * n + k] * x[k] }
            x[r] = s / a[r * n + r]
        }
        return x
    }
}
