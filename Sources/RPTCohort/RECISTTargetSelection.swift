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
/// - Site designation: when any baseline measurement carries the radiologist's designation (`designatedTarget`, REDCap
///   `recist_target`), the designated lesions are the targets and nothing is chosen automatically. The import refuses
///   a designation that breaks the rules above (`designationProblems`).
public struct RECISTTargetSelection: Equatable, Sendable {
    /// How the targets were chosen.
    public enum Method: String, Sendable {
        /// Designated by the site's radiologist at baseline (REDCap `recist_target`).
        case siteDesignated = "site"
        /// Chosen by RPTDose from the baseline measurements (largest measurable, ≤ 5, ≤ 2 per organ).
        case automatic
    }

    /// Names of the target lesions, largest first.
    public var targets: [String]
    /// Names of the non-target lesions.
    public var nonTargets: [String]
    /// Lymph nodes among both (their measurement is the short axis).
    public var lymphNodes: Set<String>
    /// Site designation or automatic selection.
    public var method: Method

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
        let measurable = followed.filter(Self.isMeasurable)
            .sorted { ($0.diameterMM, $1.lesion) > ($1.diameterMM, $0.lesion) }
        var perOrgan: [String: Int] = [:], chosen: [String] = []
        if baseline.contains(where: { $0.designatedTarget != nil }) {
            method = .siteDesignated
            chosen = baseline.filter { $0.designatedTarget == true }
                .sorted { ($0.diameterMM, $1.lesion) > ($1.diameterMM, $0.lesion) }.map(\.lesion)
        } else {
            method = .automatic
            for m in measurable where chosen.count < Self.maximumTargets {
                let organ = Self.organKey(m)
                guard perOrgan[organ, default: 0] < Self.maximumTargetsPerOrgan else { continue }
                perOrgan[organ, default: 0] += 1
                chosen.append(m.lesion)
            }
        }
        targets = chosen
        nonTargets = followed.map(\.lesion).filter { !chosen.contains($0) }
        lymphNodes = Set(followed.filter(\.lymphNode).map(\.lesion))
    }

    /// The organ a lesion counts for in the two-per-organ rule (all lymph nodes one organ; no organ = its own).
    static func organKey(_ m: RECISTMeasurement) -> String {
        m.lymphNode ? "lymph node" : (m.organ.isEmpty ? "lesion " + m.lesion : m.organ)
    }

    /// Whether a baseline measurement is measurable by RECIST 1.1 (lesion ≥ 10 mm, lymph node short axis ≥ 15 mm).
    public static func isMeasurable(_ m: RECISTMeasurement) -> Bool {
        m.diameterMM >= (m.lymphNode ? measurableNodeMM : measurableLesionMM)
    }

    /// The RECIST 1.1 rules a site's target designation breaks, per offending baseline measurement (in the given
    /// order): a designated target that is not measurable, the 6th and later designated targets (at most 5), and the
    /// 3rd and later designated targets of one organ (at most 2; all lymph nodes one organ). Empty = valid.
    public static func designationProblems(_ baseline: [RECISTMeasurement]) -> [(measurement: RECISTMeasurement, reason: String)] {
        var out: [(RECISTMeasurement, String)] = [], count = 0, perOrgan: [String: Int] = [:]
        for m in baseline where m.designatedTarget == true {
            if !isMeasurable(m) {
                out.append((m, m.lymphNode
                    ? "designated target lymph node \(m.lesion) is not measurable: RECIST 1.1 requires a short axis ≥ \(fmtMM(measurableNodeMM)) mm, got \(fmtMM(m.diameterMM)) mm"
                    : "designated target \(m.lesion) is not measurable: RECIST 1.1 requires a longest diameter ≥ \(fmtMM(measurableLesionMM)) mm, got \(fmtMM(m.diameterMM)) mm"))
                continue
            }
            // A lesion refused for its organ is not counted towards the five.
            let organ = organKey(m)
            if perOrgan[organ, default: 0] >= maximumTargetsPerOrgan {
                out.append((m, "designated target number \(perOrgan[organ, default: 0] + 1) in \(organ): RECIST 1.1 allows at most \(maximumTargetsPerOrgan) per organ (all lymph nodes count as one organ)"))
                continue
            }
            perOrgan[organ, default: 0] += 1
            count += 1
            if count > maximumTargets {
                out.append((m, "designated target number \(count): RECIST 1.1 allows at most \(maximumTargets) target lesions"))
            }
        }
        return out
    }

    private static func fmtMM(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
