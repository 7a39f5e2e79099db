/// An opaque sRGB colour with 8-bit channels.
public struct RGBColor: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8, green: UInt8, blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red; self.green = green; self.blue = blue
    }

    /// Parses "#rrggbb" or "rrggbb"; nil for anything else.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let v = UInt32(digits, radix: 16) else { return nil }
        self.init(red: UInt8(v >> 16), green: UInt8((v >> 8) & 0xff), blue: UInt8(v & 0xff))
    }

    /// "#rrggbb" (lower case), for SVG and CSS.
    public var hex: String {
        let v = (Int(red) << 16) | (Int(green) << 8) | Int(blue)
        let s = String(v, radix: 16)
        return "#" + String(repeating: "0", count: 6 - s.count) + s
    }

    public var description: String { hex }

    /// `(1 − t)·self + t·other`, rounded, for t in 0…1.
    public func blended(with other: RGBColor, fraction t: Double) -> RGBColor {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8(max(0, min(255, (Double(a) * (1 - t) + Double(b) * t).rounded())))
        }
        return RGBColor(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }

    public static let white = RGBColor(red: 255, green: 255, blue: 255)
    public static let black = RGBColor(red: 0, green: 0, blue: 0)

    /// The Okabe–Ito colour-blind-safe palette without black: orange, sky blue, bluish green, yellow,
    /// blue, vermillion, reddish purple. Source: M. Okabe and K. Ito, "Color Universal Design (CUD):
    /// how to make figures and presentations that are friendly to colorblind people" (2008), and
    /// B. Wong, "Points of view: Color blindness", Nature Methods 8, 441 (2011).
    public static let okabeIto: [RGBColor] = [
        "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
    ].map { RGBColor(hex: $0)! }

    /// Colour number `n` of a distinct-colour cycle (Okabe–Ito, then white), for regions and series.
    public static func distinct(_ n: Int) -> RGBColor {
        let palette = okabeIto + [.white]
        return palette[((n % palette.count) + palette.count) % palette.count]
    }
}
