import CPNG
import Foundation
import RPTCore

/// Encodes 8-bit RGB/RGBA images as PNG with libpng's simplified write API.
///
/// `png_image_write_to_memory` (libpng ≥ 1.6.29) catches libpng's internal `longjmp` errors itself
/// and reports them through its return value and `png_image.message`, so no `setjmp` frame is ever
/// unwound through Swift code.
public enum PNGEncoder {
    /// PNG file bytes of `image`.
    public static func encode(_ image: RasterImage) throws -> Data {
        var descriptor = png_image()
        descriptor.version = png_uint_32(PNG_IMAGE_VERSION)
        descriptor.width = png_uint_32(image.width)
        descriptor.height = png_uint_32(image.height)
        // png.h: PNG_FORMAT_FLAG_ALPHA = 0x01, PNG_FORMAT_FLAG_COLOR = 0x02; RGB = COLOR, RGBA = COLOR|ALPHA.
        descriptor.format = image.channels == .rgba ? 0x03 : 0x02
        let stride = png_int_32(image.width * image.channels.rawValue)

        var size: png_alloc_size_t = 0
        let probed = image.pixels.withUnsafeBytes { buffer in
            png_image_write_to_memory(&descriptor, nil, &size, 0, buffer.baseAddress, stride, nil)
        }
        guard probed != 0, size > 0 else { throw failure(&descriptor, image) }

        var out = Data(count: Int(size))
        let written = out.withUnsafeMutableBytes { target in
            image.pixels.withUnsafeBytes { buffer in
                png_image_write_to_memory(&descriptor, target.baseAddress, &size, 0, buffer.baseAddress, stride, nil)
            }
        }
        guard written != 0 else { throw failure(&descriptor, image) }
        png_image_free(&descriptor)
        out.count = Int(size)
        return out
    }

    /// Encodes `image` and writes it atomically to `path`.
    public static func write(_ image: RasterImage, to path: String) throws {
        try AtomicFile.write(try encode(image), to: path)
    }

    private static func failure(_ descriptor: inout png_image, _ image: RasterImage) -> InputError {
        let message = withUnsafeBytes(of: &descriptor.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&descriptor)
        return InputError(source: "PNG encoder", field: "image", value: "\(image.width)x\(image.height)",
                          reason: "libpng could not encode the image: \(message)")
    }
}

/// `data:` URIs (RFC 2397) for embedding files in HTML.
public enum DataURI {
    /// "data:<mediaType>;base64,<base64 of data>".
    public static func make(mediaType: String, data: Data) -> String {
        "data:\(mediaType);base64," + data.base64EncodedString()
    }

    /// A PNG data URI for `image`.
    public static func png(_ image: RasterImage) throws -> String {
        make(mediaType: "image/png", data: try PNGEncoder.encode(image))
    }
}
