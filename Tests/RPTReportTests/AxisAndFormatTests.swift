import Foundation
import RPTCore
import XCTest
@testable import RPTReport

final class AxisAndFormatTests: XCTestCase {
    // Expected values worked by hand with Heckbert's rules (range → nice, step → nice-rounded).
    func testLinearTicksMatchHandWorkedExamples() {
        let a = AxisTicks.linear(minimum: 0, maximum: 97)
        XCTAssertEqual(a.values, [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(a.labels, ["0", "20", "40", "60", "80", "100"])
        let b = AxisTicks.linear(minimum: 0.013, maximum: 0.087)
        XCTAssertEqual(b.labels, ["0.00", "0.02", "0.04", "0.06", "0.08", "0.10"])
        let c = AxisTicks.linear(minimum: -3.2, maximum: 7.9)
        XCTAssertEqual(c.labels, ["-5", "0", "5", "10"])  // range 11.1 → 20, step 20/5 = 4 → 5
        let d = AxisTicks.linear(minimum: 5, maximum: 5)  // degenerate range opens up around the value
        XCTAssertLessThan(d.lower, 5); XCTAssertGreaterThan(d.upper, 5)
    }

    func testLinearTicksCoverRandomRangesWithEvenSteps() {
        var rng = RandomStream(seed: 99, stream: 0)
        for _ in 0..<500 {
            let scale = pow(10, rng.uniform() * 10 - 5)
            let lo = (rng.uniform() - 0.3) * scale, hi = lo + rng.uniform() * scale
            let t = AxisTicks.linear(minimum: lo, maximum: hi)
            XCTAssertLessThanOrEqual(t.lower, lo); XCTAssertGreaterThanOrEqual(t.upper, hi)
            XCTAssertTrue((3...12).contains(t.values.count), "\(lo)…\(hi): \(t.labels)")
            let step = t.values[1] - t.values[0]
            for n in 1..<t.values.count {
                XCTAssertEqual(t.values[n] - t.values[n - 1], step, accuracy: step * 1e-6)
            }
            XCTAssertEqual(Set(t.labels).count, t.labels.count, "tick labels must differ: \(t.labels)")
        }
    }

    func testLogarithmicTicks() {
        let a = AxisTicks.logarithmic(minimum: 3, maximum: 4500)
        XCTAssertEqual(a.labels, ["1", "10", "100", "1000", "10000"])
        let b = AxisTicks.logarithmic(minimum: 20, maximum: 80)
        XCTAssertEqual(b.labels, ["10", "20", "50", "100"])
        let c = AxisTicks.logarithmic(minimum: 0.05, maximum: 0.3)
        XCTAssertEqual(c.labels, ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
        XCTAssertEqual(c.fraction(0.1), 0.5, accuracy: 1e-12)
    }

    func testNumberFormats() {
        XCTAssertEqual(NumberFormat.significant(2).string(9.99), "10")
        XCTAssertEqual(NumberFormat.significant(3).string(0.0012345), "0.00123")
        XCTAssertEqual(NumberFormat.significant(3).string(1234.6), "1235")
        XCTAssertEqual(NumberFormat.significant(3).string(2.5e7), "2.50e+07")
        XCTAssertEqual(NumberFormat.fixed(1).string(-0.04), "0.0")
        XCTAssertEqual(NumberFormat.fixed(2).string(3.14159), "3.14")
        XCTAssertEqual(NumberFormat.scientific(1).string(12345), "1.2e+04")
        XCTAssertEqual(NumberFormat.fixed(2).string(.nan), "—")
    }

    func testXMLEscaping() {
        XCTAssertEqual(XMLText.escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        XCTAssertEqual(XMLText.escape("bell\u{07}"), "bell\u{FFFD}")
        XCTAssertEqual(XMLText.escape("Lu-177 → 6.65 d"), "Lu-177 → 6.65 d")
    }

    /// Viridis: published end colours, and CIELAB lightness rising monotonically (up to 8-bit rounding).
    func testViridisEndsAndMonotoneLightness() {
        let map = ColorMap.viridis
        XCTAssertEqual(map.entries.count, 256)
        XCTAssertEqual(map.color(at: 0).hex, "#440154")
        XCTAssertEqual(map.color(at: 1).hex, "#fde725")
        func lightness(_ c: RGBColor) -> Double {  // sRGB (IEC 61966-2-1) → Y (D65) → CIE L*
            func linear(_ v: UInt8) -> Double {
                let x = Double(v) / 255
                return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
            }
            let y = 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
            return y > 216.0 / 24389 ? 116 * cbrt(y) - 16 : 24389.0 / 27 * y
        }
        let l = map.entries.map(lightness)
        for n in 0..<255 { XCTAssertGreaterThan(l[n + 1] - l[n], -0.1, "entry \(n)") }
        for n in 0..<252 { XCTAssertGreaterThan(l[n + 4], l[n], "entry \(n)") }
        XCTAssertGreaterThan(l[255] - l[0], 70)
    }
}
