import RPTCore

/// A labelled region of the synthetic patient. The raw value is the voxel value in the label map.
///
/// Left and right are the patient's: `lungLeft` and the left kidney lie at +x in DICOM LPS.
/// Label 0 is outside the body (air).
public enum PhantomRegion: UInt16, CaseIterable, Sendable {
    case remainder = 1, lungLeft, lungRight, liver, spleen
    case kidneyLeftCortex, kidneyLeftMedulla, kidneyRightCortex, kidneyRightMedulla
    case pancreas, redMarrow, corticalBone, tumor1, tumor2, tumor3

    /// Label value in the label map.
    public var label: UInt16 { rawValue }

    /// The region's name in the label table (snake case, stable: files and manifests use it).
    public var name: String {
        switch self {
        case .remainder: "remainder"
        case .lungLeft: "lung_left"
        case .lungRight: "lung_right"
        case .liver: "liver"
        case .spleen: "spleen"
        case .kidneyLeftCortex: "kidney_left_cortex"
        case .kidneyLeftMedulla: "kidney_left_medulla"
        case .kidneyRightCortex: "kidney_right_cortex"
        case .kidneyRightMedulla: "kidney_right_medulla"
        case .pancreas: "pancreas"
        case .redMarrow: "red_marrow"
        case .corticalBone: "cortical_bone"
        case .tumor1: "tumor_1"
        case .tumor2: "tumor_2"
        case .tumor3: "tumor_3"
        }
    }

    /// Names that stand for several labels: whole organs made of sub-regions, and the whole body.
    public static let unions: [String: [PhantomRegion]] = [
        "body": PhantomRegion.allCases,
        "kidney_left": [.kidneyLeftCortex, .kidneyLeftMedulla],
        "kidney_right": [.kidneyRightCortex, .kidneyRightMedulla],
        "kidneys": [.kidneyLeftCortex, .kidneyLeftMedulla, .kidneyRightCortex, .kidneyRightMedulla],
        "lungs": [.lungLeft, .lungRight],
        "tumors": [.tumor1, .tumor2, .tumor3],
    ]

    /// The regions a name stands for: one region by its own name, or a union from `unions`.
    /// - Throws: `InputError` naming the unknown name and listing the known ones.
    public static func regions(named name: String) throws -> [PhantomRegion] {
        if let r = allCases.first(where: { $0.name == name }) { return [r] }
        if let u = unions[name] { return u }
        let known = (allCases.map(\.name) + unions.keys.sorted()).joined(separator: ", ")
        throw InputError(source: "synthetic patient", field: "region", value: name,
                         reason: "unknown region; known names: \(known)")
    }
}
