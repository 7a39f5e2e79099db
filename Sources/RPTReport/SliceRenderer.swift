import RPTCore
import RPTVolume

/// Renders axial, coronal and sagittal slices of a CT with an optional dose wash and region outlines.
///
/// The display plane is sampled on square pixels in patient space (LPS), so anisotropic voxels and
/// any orthonormal direction cosines come out with the right aspect ratio and orientation (see
/// `SlicePlane`). CT and dose are sampled trilinearly, labels by nearest neighbour; pixels outside
/// the grid's field of view (more than half a voxel beyond the outer voxel centres) are black.
public struct SliceRenderer: Sendable {
    /// The grid shared by CT, dose and labels.
    public let grid: Grid3D
    private let ct: [Double]
    private let dose: [Double]?
    private let labels: [Int32]?

    /// - Parameters:
    ///   - ct: CT numbers (HU).
    ///   - dose: absorbed dose (Gy) on the same grid as `ct`, or nil.
    ///   - labels: label map on the same grid, or nil.
    /// - Throws: `InputError` if a grid differs from the CT's.
    public init<C: VoxelScalar, L: VoxelScalar>(ct: Volume<C>, dose: Volume<Double>? = nil,
                                                labels: Volume<L>?) throws {
        try ct.grid.validate(source: "CT")
        if let dose { try ct.grid.requireSameGrid(as: dose.grid, source: "dose map") }
        if let labels { try ct.grid.requireSameGrid(as: labels.grid, source: "label map") }
        grid = ct.grid
        self.ct = ct.voxels.map { $0.doubleValue }
        self.dose = dose?.voxels
        self.labels = labels?.voxels.map { Int32(clamping: Int($0.doubleValue.rounded())) }
    }

    /// A renderer without a label map.
    public init<C: VoxelScalar>(ct: Volume<C>, dose: Volume<Double>? = nil) throws {
        try self.init(ct: ct, dose: dose, labels: Volume<UInt16>?.none)
    }

    /// World position (LPS mm) of a voxel centre, e.g. to render the slices through it.
    public func voxelCentre(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
        grid.world(continuousIndex: SIMD3(Double(i), Double(j), Double(k)))
    }

    /// World position of the voxel with the highest dose (the first one on ties), or nil without dose.
    public var maximumDosePoint: SIMD3<Double>? {
        guard let dose, !dose.isEmpty else { return nil }
        var best = 0
        for n in dose.indices where dose[n] > dose[best] { best = n }
        let ijk = grid.voxelIndex(best)
        return voxelCentre(ijk.x, ijk.y, ijk.z)
    }

    /// Renders the `plane` through the world point `point` (LPS mm).
    public func render(_ plane: SlicePlane, through point: SIMD3<Double>,
                       options: SliceRenderOptions = SliceRenderOptions()) -> RenderedSlice {
        let u = plane.columnDirection, v = plane.rowDirection, nrm = plane.normal
        // Extent of the grid's box (outer voxel faces) projected on the display axes.
        var uLo = Double.infinity, uHi = -Double.infinity, vLo = Double.infinity, vHi = -Double.infinity
        let far = SIMD3<Double>(Double(grid.shape.x), Double(grid.shape.y), Double(grid.shape.z)) - 0.5
        for corner in 0..<8 {
            let c = SIMD3<Double>(corner & 1 == 0 ? -0.5 : far.x, corner & 2 == 0 ? -0.5 : far.y,
                                  corner & 4 == 0 ? -0.5 : far.z)
            let w = grid.world(continuousIndex: c)
            let a = (w * u).sum(), b = (w * v).sum()
            uLo = min(uLo, a); uHi = max(uHi, a); vLo = min(vLo, b); vHi = max(vHi, b)
        }
        if let fov = options.fieldOfViewMM {
            precondition(fov > 0 && fov.isFinite, "field of view must be a finite number > 0 mm")
            let pu = (point * u).sum(), pv = (point * v).sum()
            (uLo, uHi, vLo, vHi) = (pu - fov / 2, pu + fov / 2, pv - fov / 2, pv + fov / 2)
        }
        var pixel = options.pixelSizeMM ?? min(grid.spacing.x, grid.spacing.y, grid.spacing.z)
        precondition(pixel > 0 && pixel.isFinite, "pixel size must be a finite number > 0 mm")
        let longest = max(uHi - uLo, vHi - vLo)
        if longest / pixel > Double(options.maximumDimension) { pixel = longest / Double(options.maximumDimension) }
        let columns = max(1, Int(((uHi - uLo) / pixel - 1e-6).rounded(.up)))
        let rows = max(1, Int(((vHi - vLo) / pixel - 1e-6).rounded(.up)))
        // Centre the pixel grid on the box.
        let a0 = uLo + ((uHi - uLo) - Double(columns) * pixel) / 2 + pixel / 2
        let b0 = vLo + ((vHi - vLo) - Double(rows) * pixel) / 2 + pixel / 2
        let depth = (point * nrm).sum()
        let first = nrm * depth + u * a0 + v * b0

        // Continuous voxel index of pixel (c, r): p0 + c·dc + r·dr.
        let p0 = grid.continuousIndex(world: first)
        let toIndex = grid.direction.transposed
        let dc = (toIndex * (u * pixel)) / grid.spacing
        let dr = (toIndex * (v * pixel)) / grid.spacing

        var pixels = [UInt8](repeating: 0, count: columns * rows * 3)
        var pixelLabels = [Int32](repeating: -1, count: labels == nil ? 0 : columns * rows)
        let n = grid.shape
        let hi = SIMD3<Double>(Double(n.x - 1), Double(n.y - 1), Double(n.z - 1))
        for r in 0..<rows {
            for c in 0..<columns {
                let p = p0 + dc * Double(c) + dr * Double(r)
                if p.x < -0.5 || p.y < -0.5 || p.z < -0.5 || p.x > hi.x + 0.5 || p.y > hi.y + 0.5 || p.z > hi.z + 0.5 {
                    continue
                }
                let q = p.clamped(lowerBound: .zero, upperBound: hi)
                let grey = options.window.grey(trilinear(ct, at: q))
                var colour = RGBColor(red: grey, green: grey, blue: grey)
                if let style = options.dose, let dose, let t = style.scalePosition(trilinear(dose, at: q)) {
                    colour = colour.blended(with: style.colorMap.color(at: t), fraction: style.opacity)
                }
                let o = (r * columns + c) * 3
                pixels[o] = colour.red; pixels[o + 1] = colour.green; pixels[o + 2] = colour.blue
                if let labels {
                    let m = q.rounded(.toNearestOrAwayFromZero)
                    pixelLabels[r * columns + c] = labels[grid.linearIndex(Int(m.x), Int(m.y), Int(m.z))]
                }
            }
        }
        var image = try! RasterImage(width: columns, height: rows, channels: .rgb, pixels: pixels)
        if labels != nil, !options.outlines.isEmpty {
            drawOutlines(options.outlines, labels: pixelLabels, on: &image)
        }
        return RenderedSlice(image: image, plane: plane, pixelSizeMM: pixel, firstPixelCentre: first,
                             planePositionMM: depth, doseStyle: dose == nil ? nil : options.dose,
                             outlines: labels == nil ? [] : options.outlines)
    }

    /// Colours the edge pixels of each chosen label: pixels of that label with a 4-neighbour of
    /// another label (or on the image border).
    private func drawOutlines(_ styles: [RegionOutlineStyle], labels: [Int32], on image: inout RasterImage) {
        var colourOf = [Int32: RGBColor]()
        for s in styles { colourOf[Int32(clamping: s.label)] = s.color }
        let w = image.width, h = image.height
        for y in 0..<h {
            for x in 0..<w {
                let l = labels[y * w + x]
                guard let colour = colourOf[l] else { continue }
                let edge = x == 0 || y == 0 || x == w - 1 || y == h - 1
                    || labels[y * w + x - 1] != l || labels[y * w + x + 1] != l
                    || labels[(y - 1) * w + x] != l || labels[(y + 1) * w + x] != l
                if edge { image.setColor(colour, x: x, y: y) }
            }
        }
    }

    /// Trilinear interpolation at a continuous index already clamped to the grid.
    private func trilinear(_ values: [Double], at q: SIMD3<Double>) -> Double {
        let n = grid.shape
        let f = q.rounded(.down)
        let i0 = Int(f.x), j0 = Int(f.y), k0 = Int(f.z)
        let i1 = min(i0 + 1, n.x - 1), j1 = min(j0 + 1, n.y - 1), k1 = min(k0 + 1, n.z - 1)
        let w = q - f
        func at(_ a: Int, _ b: Int, _ c: Int) -> Double { values[a + n.x * (b + n.y * c)] }
        let c00 = at(i0, j0, k0) * (1 - w.x) + at(i1, j0, k0) * w.x
        let c10 = at(i0, j1, k0) * (1 - w.x) + at(i1, j1, k0) * w.x
        let c01 = at(i0, j0, k1) * (1 - w.x) + at(i1, j0, k1) * w.x
        let c11 = at(i0, j1, k1) * (1 - w.x) + at(i1, j1, k1) * w.x
        let c0 = c00 * (1 - w.y) + c10 * w.y
        let c1 = c01 * (1 - w.y) + c11 * w.y
        return c0 * (1 - w.z) + c1 * w.z
    }
}
