/// A display plane through a patient volume, with the radiological display convention.
///
/// Directions are in DICOM LPS (x → patient Left, y → Posterior, z → Superior). Image columns run
/// left to right along `columnDirection`, image rows top to bottom along `rowDirection`:
/// - axial: viewed from the feet; patient right on the image left, anterior up
///   (columns → +x (L), rows → +y (P));
/// - coronal: viewed from the front; patient right on the image left, superior up
///   (columns → +x (L), rows → −z (I));
/// - sagittal: viewed from the patient's left; anterior on the image left, superior up
///   (columns → +y (P), rows → −z (I)).
public enum SlicePlane: String, Sendable, CaseIterable {
    case axial, coronal, sagittal

    /// Unit vector (LPS) along which image columns increase (left → right on screen).
    public var columnDirection: SIMD3<Double> {
        switch self {
        case .axial, .coronal: SIMD3(1, 0, 0)
        case .sagittal: SIMD3(0, 1, 0)
        }
    }

    /// Unit vector (LPS) along which image rows increase (top → bottom on screen).
    public var rowDirection: SIMD3<Double> {
        switch self {
        case .axial: SIMD3(0, 1, 0)
        case .coronal, .sagittal: SIMD3(0, 0, -1)
        }
    }

    /// Unit normal of the plane (LPS).
    public var normal: SIMD3<Double> {
        switch self {
        case .axial: SIMD3(0, 0, 1)
        case .coronal: SIMD3(0, 1, 0)
        case .sagittal: SIMD3(1, 0, 0)
        }
    }

    /// Patient-direction letters at the image's left, right, top and bottom edges.
    public var edgeLetters: (left: String, right: String, top: String, bottom: String) {
        switch self {
        case .axial: ("R", "L", "A", "P")
        case .coronal: ("R", "L", "S", "I")
        case .sagittal: ("A", "P", "S", "I")
        }
    }
}
