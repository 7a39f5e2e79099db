#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tables of the 256-layer ziggurat for the unit exponential distribution.
///
/// Marsaglia & Tsang, "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8)
/// (2000): the density e^{−x} is covered by 255 rectangles and a base strip with tail, all of area
/// v = 3.949659822581572·10⁻³, the base strip starting at r = 7.697117470131487. A draw takes one
/// 32-bit random word: its low 8 bits pick the layer and its high 24 bits the position, so the two
/// are independent (unlike the original 32-bit scheme, whose layer and position share bits; Doornik
/// 2005). About 98.9 % of draws return after one multiplication and one comparison; the rest use the
/// exact wedge test or the tail r + Exp(1). The result is exactly Exp(1)-distributed up to the
/// 24-bit resolution of the position within a layer (steps of at most 6·10⁻⁷ in x, i.e. of a mean free path
/// or a hard-collision mean free path: far below any length the transport resolves).
public struct ExponentialZiggurat: @unchecked Sendable {
    /// Start of the tail, r.
    public static let tailStart = 7.697117470131487
    /// Area of each layer, v.
    static let layerArea = 3.949659822581572e-3
    /// Number of positions per layer, 2²⁴ (the high 24 bits of a word).
    static let positionScale = 0x1p24

    /// Layer i accepts at once when its 24-bit position j < k[i] (then x = j·w[i] is inside the
    /// rectangle under the next layer's edge).
    @usableFromInline let k: UnsafeMutablePointer<UInt64>
    /// Width per unit of position: x = j·w[i].
    @usableFromInline let w: UnsafeMutablePointer<Double>
    /// e^{−x_i} at the layer edges (f[0] = 1).
    @usableFromInline let f: UnsafeMutablePointer<Double>

    /// The tables, built once per process.
    public static let shared = ExponentialZiggurat()

    init() {
        k = .allocate(capacity: 256); w = .allocate(capacity: 256); f = .allocate(capacity: 256)
        let m = Self.positionScale
        var de = Self.tailStart, te = de
        let q = Self.layerArea / exp(-de)
        k[0] = UInt64((de / q) * m); k[1] = 0
        w[0] = q / m; w[255] = de / m
        f[0] = 1; f[255] = exp(-de)
        for i in stride(from: 254, through: 1, by: -1) {
            de = -log(Self.layerArea / de + exp(-de))
            k[i + 1] = UInt64((de / te) * m)
            te = de
            f[i] = exp(-de)
            w[i] = de / m
        }
    }
}

extension RandomStream {
    /// Exponentially distributed number with mean 1, by the ziggurat method (`ExponentialZiggurat`):
    /// usually one 32-bit word and no logarithm.
    @inlinable
    public mutating func exponential() -> Double {
        let z = ExponentialZiggurat.shared
        while true {
            let r = nextUInt32()
            let i = Int(r & 255)
            let j = UInt64(r >> 8)
            let x = Double(j) * z.w[i]
            if j < z.k[i] { return x }
            if i == 0 { return ExponentialZiggurat.tailStart - _log(uniform()) }
            if z.f[i] + uniform() * (z.f[i - 1] - z.f[i]) < _exp(-x) { return x }
        }
    }
}
