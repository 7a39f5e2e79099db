/// How a dose map is washed over the CT: colour-mapped, semi-transparent, and fully transparent
/// below `lowerGy`.
public struct DoseOverlayStyle: Equatable, Sendable {
    /// Colour map over `lowerGy…upperGy`.
    public var colorMap: ColorMap
    /// Doses below this (Gy) are not drawn; also the bottom of the colour scale.
    public var lowerGy: Double
    /// Top of the colour scale (Gy); higher doses get the top colour.
    public var upperGy: Double
    /// Weight of the dose colour over the CT grey, 0…1.
    public var opacity: Double

    public init(colorMap: ColorMap = .viridis, lowerGy: Double, upperGy: Double, opacity: Double = 0.5) {
        precondition(upperGy > lowerGy, "the dose colour scale needs upperGy > lowerGy")
        precondition(opacity >= 0 && opacity <= 1, "opacity must be in 0…1")
        self.colorMap = colorMap; self.lowerGy = lowerGy; self.upperGy = upperGy; self.opacity = opacity
    }

    /// Colour-scale position (0…1) of a dose, or nil when it is below `lowerGy` (transparent).
    @inlinable public func scalePosition(_ gy: Double) -> Double? {
        guard gy >= lowerGy else { return nil }
        return min(1, (gy - lowerGy) / (upperGy - lowerGy))
    }
}

/// A region of a label map whose boundary is drawn on a slice.
public struct RegionOutlineStyle: Equatable, Sendable {
    /// Label value in the label map.
    public var label: Int
    /// Region name for legends.
    public var name: String
    /// Outline colour.
    public var color: RGBColor

    public init(label: Int, name: String, color: RGBColor) {
        self.label = label; self.name = name; self.color = color
    }
}

/// Display options of a rendered slice.
public struct SliceRenderOptions: Equatable, Sendable {
    /// CT grey window.
    public var window: WindowLevel
    /// Dose wash; nil draws no dose even if the renderer has one.
    public var dose: DoseOverlayStyle?
    /// Regions to outline (edge pixels of each label in its colour).
    public var outlines: [RegionOutlineStyle]
    /// Side of a square display pixel (mm); nil uses the grid's smallest voxel spacing.
    public var pixelSizeMM: Double?
    /// Largest image width or height (pixels); the pixel size grows to respect it.
    public var maximumDimension: Int
    /// Side (mm) of a square field of view centred on the rendered point (a zoomed view); nil shows the
    /// whole grid.
    public var fieldOfViewMM: Double? = nil

    public init(window: WindowLevel = .softTissue, dose: DoseOverlayStyle? = nil,
                outlines: [RegionOutlineStyle] = [], pixelSizeMM: Double? = nil, maximumDimension: Int = 800) {
        self.window = window; self.dose = dose; self.outlines = outlines
        self.pixelSizeMM = pixelSizeMM; self.maximumDimension = maximumDimension
    }
}
