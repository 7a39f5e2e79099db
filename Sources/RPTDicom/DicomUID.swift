import Foundation

/// UID generation under the 2.25 root (PS3.5 §B.2): "2.25." followed by a random (version 4) UUID
/// written as one unsigned decimal integer. No registered root is needed and collisions are as unlikely as UUID collisions.
public enum DicomUID {
    /// RPTDose's Implementation Class UID (PS3.7 D.3.3.2), itself a 2.25 UUID-derived UID.
    public static let implementationClassUID = "2.25.303188678433166118109996794233798820069"

    /// A new unique UID (at most 44 characters).
    public static func generate() -> String { "2.25." + decimal(of: UUID()) }

    /// The 128 bits of `uuid` as a decimal number without leading zeros.
    static func decimal(of uuid: UUID) -> String {
        var limbs = withUnsafeBytes(of: uuid.uuid) { $0.map { UInt32($0) } }
        // limbs holds 16 base-256 digits (most significant first); divide repeatedly by 10.
        var digits: [Character] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt32 = 0
            for i in 0..<limbs.count {
                let cur = remainder << 8 | limbs[i]
                limbs[i] = cur / 10
                remainder = cur % 10
            }
            digits.append(Character(String(remainder)))
        }
        return digits.isEmpty ? "0" : String(digits.reversed())
    }
}

/// Formatting of Decimal String (DS) values: at most 16 characters (PS3.5 §6.2).
enum DecimalString {
    /// The most precise representation of `v` that fits in 16 characters.
    static func format(_ v: Double) -> String {
        precondition(v.isFinite, "DS values must be finite")
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        for precision in stride(from: 15, through: 1, by: -1) {
            let s = String(format: "%.\(precision)g", v)
            if s.count <= 16 { return s }
        }
        return String(format: "%.1g", v)
    }
}
