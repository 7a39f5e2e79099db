#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RPTVolume

/// The synthetic patient's anatomy: fixed shapes in millimetres (DICOM LPS: +x patient left, +y posterior,
/// +z superior; the origin is at the centre of the field of view), voxelised by sampling voxel centres.
///
/// Painting order decides overlaps (later shapes win): body with a subcutaneous fat layer, ribs, lungs,
/// mediastinum, liver, spleen, kidneys (cortex, then medulla inside), pancreas, spine, tumours.
/// Organs are painted only inside the fat layer (never into air or subcutaneous fat).
/// The shapes are listed in phantoms/synthetic/README.md.
public struct SyntheticAnatomy: Sendable {
    /// Label per voxel (`PhantomRegion` raw value; 0 = outside the body).
    public var labels: [UInt16]
    /// Tissue per voxel (`PhantomTissue` raw value).
    public var tissues: [UInt8]
    public var grid: Grid3D

    // MARK: Geometry (mm)

    /// Torso semi-axes at z = 0 (left–right, anterior–posterior) and superellipse exponent.
    static let torsoSemiAxes = SIMD2<Double>(170, 112)
    static let torsoExponent = 2.2
    /// Relative change of the torso semi-axes per mm of z (wider towards the chest): a(z) = a0·(1 + taper·z).
    static let torsoTaperPerMM = SIMD2<Double>(0.04 / 175, 0.02 / 175)
    /// Subcutaneous fat thickness (mm).
    static let fatThicknessMM = 15.0

    static let lungLeft = Superellipsoid(centre: [85, 10, 120], semiAxes: [62, 70, 135])
    static let lungRight = Superellipsoid(centre: [-85, 10, 120], semiAxes: [65, 70, 135])
    static let mediastinum = Superellipsoid(centre: [15, -25, 70], semiAxes: [55, 50, 60])
    static let liver = Superellipsoid(centre: [-60, -5, -15], semiAxes: [88, 72, 62])
    static let spleen = Superellipsoid(centre: [95, 40, 5], semiAxes: [38, 30, 48])
    /// Kidneys: the right kidney (−x) sits lower than the left, as in most patients.
    static let kidneyLeft = Superellipsoid(centre: [75, 50, -70], semiAxes: [30, 24, 52])
    static let kidneyRight = Superellipsoid(centre: [-75, 50, -85], semiAxes: [30, 24, 52])
    /// Medulla = kidney shape scaled by this factor (≈ 27 % of the kidney volume).
    static let medullaScale = 0.65
    static let pancreas = Superellipsoid(centre: [20, 5, -55], semiAxes: [65, 14, 16])
    /// Liver metastases (4.0 and 2.0 cm) and a pancreatic primary (2.5 cm).
    static let tumor1 = Superellipsoid(centre: [-85, -15, -10], semiAxes: [20, 18, 22])
    static let tumor2 = Superellipsoid(centre: [-30, 25, 10], semiAxes: [10, 9, 11])
    static let tumor3 = Superellipsoid(centre: [10, 5, -55], semiAxes: [12.5, 12, 13])

    /// Spine: vertebral body cross-section (elliptic, mm) centred at (0, 50), scaled from 1.1 (z = −175)
    /// to 0.9 (z = +175); vertebrae every 30 mm (body 23 mm, disc 7 mm), centred at z = 15 + 30k.
    static let vertebralBodyCentreY = 50.0
    static let vertebralBodySemiAxes = SIMD2<Double>(22, 17)
    static let vertebraPeriodMM = 30.0
    static let vertebraPhaseMM = 15.0
    static let vertebralBodyHeightMM = 23.0
    /// Spinal canal (radius 9 mm) and neural arch (annulus 9–15 mm) centred at (0, 82).
    static let canalCentreY = 82.0
    static let canalRadiusMM = 9.0
    static let archOuterRadiusMM = 15.0
    /// Ribs: 8 mm thick rings at the vertebral levels above z = −40 mm, 16–24 mm inside the skin, leaving
    /// out the sternal region (anterior, |x| < 45 mm) and the spine (posterior, |x| < 30 mm).
    static let ribInsetMM = (inner: 24.0, outer: 16.0)
    static let ribThicknessMM = 8.0
    static let ribLowestZMM = -40.0

    /// Builds the anatomy on `grid` (direction cosines must be the identity).
    public init(grid: Grid3D, includeRibs: Bool, includePancreas: Bool) {
        precondition(grid.direction == .identity, "the synthetic anatomy is built on an axis-aligned grid")
        self.grid = grid
        labels = [UInt16](repeating: 0, count: grid.voxelCount)
        tissues = [UInt8](repeating: PhantomTissue.air.rawValue, count: grid.voxelCount)
        paintBody()
        if includeRibs { paintRibs() }
        let inside: (UInt8) -> Bool = { $0 != PhantomTissue.air.rawValue && $0 != PhantomTissue.adipose.rawValue }
        let softOrLung: (UInt8) -> Bool = { $0 == PhantomTissue.muscle.rawValue || $0 == PhantomTissue.lung.rawValue }
        paint(Self.lungLeft, .lungLeft, .lung) { $0 == PhantomTissue.muscle.rawValue }
        paint(Self.lungRight, .lungRight, .lung) { $0 == PhantomTissue.muscle.rawValue }
        paint(Self.mediastinum, .remainder, .muscle) { $0 == PhantomTissue.lung.rawValue }
        paint(Self.liver, .liver, .liver, where: softOrLung)
        paint(Self.spleen, .spleen, .spleen, where: softOrLung)
        for (shape, cortex, medulla) in [(Self.kidneyLeft, PhantomRegion.kidneyLeftCortex, PhantomRegion.kidneyLeftMedulla),
                                         (Self.kidneyRight, .kidneyRightCortex, .kidneyRightMedulla)] {
            paint(shape, cortex, .kidneyCortex, where: inside)
            paint(shape.scaled(Self.medullaScale), medulla, .kidneyMedulla) { $0 == PhantomTissue.kidneyCortex.rawValue }
        }
        if includePancreas { paint(Self.pancreas, .pancreas, .pancreas, where: inside) }
        paintSpine()
        paint(Self.tumor1, .tumor1, .liverMetastasis, where: inside)
        paint(Self.tumor2, .tumor2, .liverMetastasis, where: inside)
        paint(Self.tumor3, .tumor3, .pancreaticTumour, where: inside)
    }

    /// World position of voxel (i, j, k) (mm).
    @inline(__always) func position(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
        grid.origin + grid.spacing * SIMD3(Double(i), Double(j), Double(k))
    }

    /// Index range of voxel centres within [lo, hi] mm along `axis`.
    func indexRange(axis: Int, lo: Double, hi: Double) -> Range<Int> {
        let a = Int(((lo - grid.origin[axis]) / grid.spacing[axis]).rounded(.up))
        let b = Int(((hi - grid.origin[axis]) / grid.spacing[axis]).rounded(.down))
        let first = max(0, a), last = min(grid.shape[axis] - 1, b)
        return first <= last ? first..<(last + 1) : 0..<0
    }

    /// Sets label and tissue of every voxel inside `shape` whose current tissue passes `allowed`.
    mutating func paint(_ shape: Superellipsoid, _ region: PhantomRegion, _ tissue: PhantomTissue,
                        where allowed: (UInt8) -> Bool) {
        let lo = shape.centre - shape.semiAxes, hi = shape.centre + shape.semiAxes
        for k in indexRange(axis: 2, lo: lo.z, hi: hi.z) {
            for j in indexRange(axis: 1, lo: lo.y, hi: hi.y) {
                for i in indexRange(axis: 0, lo: lo.x, hi: hi.x) where shape.contains(position(i, j, k)) {
                    let n = grid.linearIndex(i, j, k)
                    if allowed(tissues[n]) { labels[n] = region.label; tissues[n] = tissue.rawValue }
                }
            }
        }
    }

    /// Torso semi-axes (mm) at height z.
    static func torsoSemiAxes(atZ z: Double) -> SIMD2<Double> { torsoSemiAxes * (1 + torsoTaperPerMM * z) }

    /// Superellipse "radius" of (x, y) for semi-axes `s`: < 1 inside, 1 on the outline.
    @inline(__always) static func torsoRadius(_ x: Double, _ y: Double, _ s: SIMD2<Double>) -> Double {
        pow(pow(abs(x) / s.x, torsoExponent) + pow(abs(y) / s.y, torsoExponent), 1 / torsoExponent)
    }

    mutating func paintBody() {
        for k in 0..<grid.shape.z {
            let z = position(0, 0, k).z
            let outer = Self.torsoSemiAxes(atZ: z)
            let inner = outer - Self.fatThicknessMM
            for j in 0..<grid.shape.y {
                for i in 0..<grid.shape.x {
                    let p = position(i, j, k)
                    guard Self.torsoRadius(p.x, p.y, outer) <= 1 else { continue }
                    let n = grid.linearIndex(i, j, k)
                    labels[n] = PhantomRegion.remainder.label
                    tissues[n] = (Self.torsoRadius(p.x, p.y, inner) <= 1 ? PhantomTissue.muscle : .adipose).rawValue
                }
            }
        }
    }

    mutating func paintRibs() {
        for k in 0..<grid.shape.z {
            let z = position(0, 0, k).z
            guard z >= Self.ribLowestZMM else { continue }
            // Distance (mm) from the nearest vertebral level.
            let phase = (z - Self.vertebraPhaseMM) / Self.vertebraPeriodMM
            let dz = abs(phase - phase.rounded()) * Self.vertebraPeriodMM
            guard dz <= Self.ribThicknessMM / 2 else { continue }
            let outline = Self.torsoSemiAxes(atZ: z)
            let ringOuter = outline - Self.ribInsetMM.outer, ringInner = outline - Self.ribInsetMM.inner
            for j in 0..<grid.shape.y {
                for i in 0..<grid.shape.x {
                    let p = position(i, j, k)
                    if p.y < 0 && abs(p.x) < 45 { continue }   // sternum and costal cartilage
                    if p.y > 0 && abs(p.x) < 30 { continue }   // spine
                    guard Self.torsoRadius(p.x, p.y, ringOuter) <= 1, Self.torsoRadius(p.x, p.y, ringInner) > 1 else { continue }
                    let n = grid.linearIndex(i, j, k)
                    labels[n] = PhantomRegion.corticalBone.label
                    tissues[n] = PhantomTissue.rib.rawValue
                }
            }
        }
    }

    /// Vertebral bodies (spongiosa = red marrow) with a one-voxel cortical shell, discs, canal and arch.
    mutating func paintSpine() {
        let cy = Self.vertebralBodyCentreY
        var bodyVoxels: [Int] = []
        for k in 0..<grid.shape.z {
            let z = position(0, 0, k).z
            let phase = (z - Self.vertebraPhaseMM) / Self.vertebraPeriodMM
            let dz = abs(phase - phase.rounded()) * Self.vertebraPeriodMM
            let inBody = dz <= Self.vertebralBodyHeightMM / 2
            let scale = 1.1 - 0.2 * (z + 175) / 350
            let semi = Self.vertebralBodySemiAxes * scale
            for j in 0..<grid.shape.y {
                for i in 0..<grid.shape.x {
                    let p = position(i, j, k)
                    let n = grid.linearIndex(i, j, k)
                    guard tissues[n] != PhantomTissue.air.rawValue, tissues[n] != PhantomTissue.adipose.rawValue else { continue }
                    let ex = p.x / semi.x, ey = (p.y - cy) / semi.y
                    if ex * ex + ey * ey <= 1 {
                        if inBody {
                            labels[n] = PhantomRegion.redMarrow.label
                            tissues[n] = PhantomTissue.spongiosa.rawValue
                            bodyVoxels.append(n)
                        } else {
                            labels[n] = PhantomRegion.remainder.label
                            tissues[n] = PhantomTissue.intervertebralDisc.rawValue
                        }
                        continue
                    }
                    let r = ((p.x * p.x) + (p.y - Self.canalCentreY) * (p.y - Self.canalCentreY)).squareRoot()
                    if r <= Self.canalRadiusMM {
                        labels[n] = PhantomRegion.remainder.label
                        tissues[n] = PhantomTissue.cerebrospinalFluid.rawValue
                    } else if inBody && r <= Self.archOuterRadiusMM && p.y >= cy {
                        labels[n] = PhantomRegion.corticalBone.label
                        tissues[n] = PhantomTissue.corticalBone.rawValue
                    }
                }
            }
        }
        // Cortical shell: vertebral-body voxels with a face neighbour outside the body (or at the border).
        let marrow = PhantomRegion.redMarrow.label
        var shell: [Int] = []
        for n in bodyVoxels {
            let v = grid.voxelIndex(n)
            var onSurface = false
            for (di, dj, dk) in [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)] {
                let a = v.x + di, b = v.y + dj, c = v.z + dk
                if a < 0 || b < 0 || c < 0 || a >= grid.shape.x || b >= grid.shape.y || c >= grid.shape.z
                    || labels[grid.linearIndex(a, b, c)] != marrow { onSurface = true; break }
            }
            if onSurface { shell.append(n) }
        }
        for n in shell {
            labels[n] = PhantomRegion.corticalBone.label
            tissues[n] = PhantomTissue.corticalBone.rawValue
        }
    }
}
