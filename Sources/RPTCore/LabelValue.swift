/// Label values of label-map images: stored as numbers of any voxel type, used as integer labels.
public enum LabelValue {
    /// The integer label of a voxel value, or an `InputError` naming `source` when the value is not an integer in
    /// 0…`maximum` (NaN, fractions such as 2.7 from an interpolated label map, negatives, huge values).
    public static func integer(_ v: Double, source: String, maximum: Int = Int(UInt16.max)) throws -> Int {
        guard v >= 0, v <= Double(maximum), v == v.rounded() else {
            throw InputError(source: source, field: "label", value: "\(v)",
                             reason: "label values must be integers in 0…\(maximum) (0 = none); was the label map interpolated?")
        }
        return Int(v)
    }
}
