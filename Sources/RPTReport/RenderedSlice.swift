/// An RGB image of one display plane, with the geometry needed to label and measure it.
public struct RenderedSlice: Equatable, Sendable {
    public var image: RasterImage
    public var plane: SlicePlane
    /// Side of a (square) display pixel (mm).
    public var pixelSizeMM: Double
    /// World position (LPS mm) of the centre of pixel (column 0, row 0).
    public var firstPixelCentre: SIMD3<Double>
    /// Position of the plane along its normal (mm): `plane.normal · point`.
    public var planePositionMM: Double
    /// The dose wash drawn, if any (for the colour bar).
    public var doseStyle: DoseOverlayStyle?
    /// The regions outlined (for the legend).
    public var outlines: [RegionOutlineStyle]

    /// World position (LPS mm) of the centre of a pixel.
    public func world(column: Int, row: Int) -> SIMD3<Double> {
        firstPixelCentre + plane.columnDirection * (Double(column) * pixelSizeMM)
            + plane.rowDirection * (Double(row) * pixelSizeMM)
    }

    /// The pixel (column, row) containing a world point's projection onto the plane, or nil outside.
    public func pixel(containing world: SIMD3<Double>) -> (column: Int, row: Int)? {
        let d = world - firstPixelCentre
        let c = Int(((d * plane.columnDirection).sum() / pixelSizeMM).rounded())
        let r = Int(((d * plane.rowDirection).sum() / pixelSizeMM).rounded())
        guard c >= 0, c < image.width, r >= 0, r < image.height else { return nil }
        return (c, r)
    }

    /// Image size on screen in mm (width, height).
    public var extentMM: (width: Double, height: Double) {
        (Double(image.width) * pixelSizeMM, Double(image.height) * pixelSizeMM)
    }
}
