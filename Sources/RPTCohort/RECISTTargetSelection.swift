import Foundation

/// Target and non-target lesions chosen from the baseline measurements by the RECIST 1.1 rules (Eisenhauer et al.,
/// Eur J Cancer 45:228, 2009, sections 3.1–3.3).
///
/// - Measurable at baseline: a lesion with a longest diameter ≥ 10 mm (CT slice ≤ 5 mm); a lymph node with a short
///   axis ≥ 15 mm. A node with a short axis of 10 to < 15 mm is pathological but not measurable (non-target); a
///   node < 10 mm is normal and not followed.
/// - Targets: the largest measurable lesions, at most 5 in total and at most 2 per organ; all lymph nodes count as
///   one organ (Schwartz et al., "RECIST 1.1 — Update and clarification", Eur J Cancer 62:132, 2016). Ties in size
///   are broken by name so the choice is reproducible. Every other followed lesion is non-target.
public struct RECISTTargetSelection: Equatable, Sendable {
    /// Names of the target lesions, largest first.
    public var targets: [String]
    /// Names of the non-target lesions.
    public var nonTargets: [String]
    /// Lymph nodes among both (their measurement is the short axis).
    public var lymphNodes: Set<String>

    public static let maximumTargets = 5
    public static let maximumTargetsPerOrgan = 2
    /// Smallest measurable longest diameter of a non-nodal lesion (mm).
    public static let measurableLesionMM = 10.0
    /// Smallest measurable (target) lymph-node short axis (mm).
    public static let measurableNodeMM = 15.0
    /// Lymph nodes with a short axis below this are normal (mm); also the node threshold for CR.
    public static let pathologicalNodeMM = 10.0

    public init(baseline: [RECISTMeasurement]) {
        let followed = baseline.filter { !$0.lymphNode || $0.diameterMM >= Self.pathologicalNodeMM }
        let measurable = followed.filter { $0.diameterMM >= ($0.lymphNode ? Self.measurableNodeMM : Self.measurableLesionMM) }
            .sorted { ($0.diameterMM, $1.lesion) > ($1.diameterMM, $0.lesion) }
        var perOrgan: [String: Int] = [:], chosen: [String] = []
        for m in measurable where chosen.count < Self.maximumTargets {
            let organ = m.lymphNode ? "lymph node" : (m.organ.isEmpty ? "lesion " + m.lesion : m.organ)
            guard perOrgan[organ, default: 0] < Self.maximumTargetsPerOrgan else { continue }
            perOrgan[organ, default: 0] += 1
            chosen.append(m.lesion)
        }
        targets = chosen
        nonTargets = followed.map(\.lesion).filter { !chosen.contains($0) }
        lymphNodes = Set(followed.filter(\.lymphNode).map(\.lesion))
    }
}
