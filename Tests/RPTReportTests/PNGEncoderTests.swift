import Foundation
import RPTCore
import XCTest
@testable import RPTReport

final class PNGEncoderTests: XCTestCase {
    /// An image whose bytes mix smooth gradients (favouring Sub/Up/Paeth filters) and noise.
    private func testImage(width: Int, height: Int, channels: RasterImage.Channels, seed: UInt64) throws -> RasterImage {
        var rng = RandomStream(seed: seed, stream: 1)
        var bytes = [UInt8]()
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels.rawValue {
                    let noisy = (x + y) % 3 == 0
                    bytes.append(noisy ? UInt8(Int(rng.uniform() * 256) & 255) : UInt8((x * 7 + y * 3 + c * 50) & 255))
                }
            }
        }
        return try RasterImage(width: width, height: height, channels: channels, pixels: bytes)
    }

    private func decodeWithPython(_ png: Data) throws -> (width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        let dir = try TestSupport.temporaryFolder(self)
        let path = dir.appendingPathComponent("image.png").path
        try png.write(to: URL(fileURLWithPath: path))
        let json = try TestSupport.pythonJSON(TestSupport.pngDecoderScript, ["decode", path]) as! [String: Any]
        let hex = Array((json["hex"] as! String).utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        for n in stride(from: 0, to: hex.count, by: 2) {
            bytes.append(UInt8(String(decoding: hex[n..<(n + 2)], as: UTF8.self), radix: 16)!)
        }
        return (json["width"] as! Int, json["height"] as! Int, json["channels"] as! Int, bytes)
    }

    func testRGBRoundTripThroughIndependentDecoder() throws {
        let image = try testImage(width: 37, height: 23, channels: .rgb, seed: 11)
        let decoded = try decodeWithPython(try PNGEncoder.encode(image))
        XCTAssertEqual(decoded.width, 37)
        XCTAssertEqual(decoded.height, 23)
        XCTAssertEqual(decoded.channels, 3)
        XCTAssertEqual(decoded.pixels, image.pixels)
    }

    func testRGBARoundTripThroughIndependentDecoder() throws {
        let image = try testImage(width: 19, height: 41, channels: .rgba, seed: 12)
        let decoded = try decodeWithPython(try PNGEncoder.encode(image))
        XCTAssertEqual(decoded.width, 19)
        XCTAssertEqual(decoded.height, 41)
        XCTAssertEqual(decoded.channels, 4)
        XCTAssertEqual(decoded.pixels, image.pixels)
    }

    func testOnePixelImageAndFileWrite() throws {
        let image = RasterImage(width: 1, height: 1, channels: .rgb, fill: [200, 10, 30])
        let dir = try TestSupport.temporaryFolder(self)
        let path = dir.appendingPathComponent("one.png").path
        try PNGEncoder.write(image, to: path)
        let onDisk = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(onDisk, try PNGEncoder.encode(image))
        XCTAssertEqual(Array(onDisk.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let decoded = try decodeWithPython(onDisk)
        XCTAssertEqual(decoded.pixels, [200, 10, 30])
    }

    func testDataURIEmbedsTheBase64OfThePNG() throws {
        let image = try testImage(width: 4, height: 3, channels: .rgb, seed: 3)
        let uri = try DataURI.png(image)
        XCTAssertTrue(uri.hasPrefix("data:image/png;base64,"))
        let payload = Data(base64Encoded: String(uri.dropFirst("data:image/png;base64,".count)))
        XCTAssertEqual(payload, try PNGEncoder.encode(image))
    }

    func testWrongByteCountIsRejected() {
        XCTAssertThrowsError(try RasterImage(width: 3, height: 2, channels: .rgb, pixels: [UInt8](repeating: 0, count: 17))) {
            XCTAssertTrue(($0 as? InputError)?.reason.contains("18 bytes") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try RasterImage(width: 0, height: 2, channels: .rgba, pixels: []))
    }
}
