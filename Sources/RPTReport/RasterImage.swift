import RPTCore

/// An 8-bit RGB or RGBA raster image, rows top to bottom, pixels left to right, channels interleaved.
///
/// Colour values are sRGB-encoded bytes (0…255); alpha 255 is opaque.
public struct RasterImage: Equatable, Sendable {
    /// Interleaved channels per pixel.
    public enum Channels: Int, Sendable {
        case rgb = 3
        case rgba = 4
    }

    /// Width in pixels (≥ 1).
    public let width: Int
    /// Height in pixels (≥ 1).
    public let height: Int
    public let channels: Channels
    /// `width · height · channels` bytes, row 0 (the top row) first.
    public var pixels: [UInt8]

    /// Wraps existing bytes; throws if the count does not match the size.
    public init(width: Int, height: Int, channels: Channels, pixels: [UInt8]) throws {
        guard width >= 1, height >= 1 else {
            throw InputError(source: "RasterImage", field: "size", value: "\(width)x\(height)",
                             reason: "width and height must be ≥ 1 pixel")
        }
        let expected = width * height * channels.rawValue
        guard pixels.count == expected else {
            throw InputError(source: "RasterImage", field: "pixels", value: "\(pixels.count) bytes",
                             reason: "a \(width)x\(height) \(channels) image needs \(expected) bytes")
        }
        self.width = width; self.height = height; self.channels = channels; self.pixels = pixels
    }

    /// An image filled with one colour (`fill` has `channels.rawValue` components).
    public init(width: Int, height: Int, channels: Channels, fill: [UInt8]) {
        precondition(width >= 1 && height >= 1 && fill.count == channels.rawValue)
        self.width = width; self.height = height; self.channels = channels
        var bytes = [UInt8]()
        bytes.reserveCapacity(width * height * channels.rawValue)
        for _ in 0..<(width * height) { bytes.append(contentsOf: fill) }
        pixels = bytes
    }

    /// Byte offset of pixel (x, y) (x: column from the left, y: row from the top).
    @inlinable public func offset(x: Int, y: Int) -> Int { (y * width + x) * channels.rawValue }

    /// The colour of pixel (x, y), ignoring alpha.
    public func color(x: Int, y: Int) -> RGBColor {
        let o = offset(x: x, y: y)
        return RGBColor(red: pixels[o], green: pixels[o + 1], blue: pixels[o + 2])
    }

    /// Sets pixel (x, y) to an opaque colour.
    public mutating func setColor(_ c: RGBColor, x: Int, y: Int) {
        let o = offset(x: x, y: y)
        pixels[o] = c.red; pixels[o + 1] = c.green; pixels[o + 2] = c.blue
        if channels == .rgba { pixels[o + 3] = 255 }
    }
}
