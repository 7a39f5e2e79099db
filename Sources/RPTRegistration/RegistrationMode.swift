/// How the time points of a cycle are brought onto the reference time point's anatomy
/// (study manifest `registration:`; docs/methods/registration.md).
public enum RegistrationMode: String, Sendable, CaseIterable, Codable {
    /// No registration: every time point is used in its own frame (the patient is assumed not to move).
    case none
    /// Rigid (rotation + translation) CT-to-CT registration with elastix.
    case rigid
    /// Rigid, then a cubic B-spline deformable registration with elastix.
    case deformable

    /// The shipped elastix parameter files run in sequence for this mode.
    public var parameterFileNames: [String] {
        switch self {
        case .none: return []
        case .rigid: return ["rigid.txt"]
        case .deformable: return ["rigid.txt", "deformable.txt"]
        }
    }
}
