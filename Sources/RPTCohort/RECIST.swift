import Foundation

/// RECIST 1.1 response from target-lesion measurements (Eisenhauer et al., Eur J Cancer 45:228, 2009).
///
/// Sum of the longest diameters of the target lesions. At a follow-up time point: CR when every target
/// lesion has disappeared (0 mm); PD when the sum rose by ≥ 20 % over the smallest sum on study (baseline
/// included) and by ≥ 5 mm, or new lesions appeared; PR when the sum fell by ≥ 30 % from baseline; SD
/// otherwise; NE when a baseline target lesion was not measured. Simplifications (documented in
/// docs/methods/cohort.md): lymph-node short axes (< 10 mm = normal) and non-target lesions are not
/// recorded; confirmation of response is not required.
public enum RECIST {
    /// The response at `timepoint`, or nil when that time point was not imaged.
    public static func response(_ r: FollowUpRecord, at timepoint: RECISTTimepoint) -> RECISTResponse? {
        let baseline = r.recist.filter { $0.timepoint == .baseline }
        guard !baseline.isEmpty, timepoint != .baseline else { return nil }
        let here = r.recist.filter { $0.timepoint == timepoint }
        if here.isEmpty && !r.newLesions.contains(timepoint) { return nil }
        if r.newLesions.contains(timepoint) { return .progressiveDisease }
        let lesions = baseline.map(\.lesion)
        func sum(_ tp: RECISTTimepoint) -> Double? {
            let m = r.recist.filter { $0.timepoint == tp }
            let values = lesions.map { l in m.first { $0.lesion == l }?.diameterMM }
            return values.contains { $0 == nil } ? nil : values.compactMap { $0 }.reduce(0, +)
        }
        guard let base = sum(.baseline), let now = sum(timepoint) else { return .notEvaluable }
        let earlier = RECISTTimepoint.allCases.filter { $0 < timepoint }.compactMap(sum)
        let nadir = earlier.min() ?? base
        if now >= 1.2 * nadir && now - nadir >= 5 { return .progressiveDisease }
        if now == 0 { return .completeResponse }
        if now <= 0.7 * base { return .partialResponse }
        return .stableDisease
    }

    /// Objective response at 6 months: CR or PR at the 6-month CT with no progression at an earlier time
    /// point. A patient without an evaluable 6-month CT is a non-responder (intention to treat).
    public static func respondedAt6Months(_ r: FollowUpRecord) -> Bool {
        let earlierPD = RECISTTimepoint.allCases.filter { $0 > .baseline && $0 < .m6 }.contains { response(r, at: $0) == .progressiveDisease }
        return !earlierPD && (response(r, at: .m6)?.isObjectiveResponse ?? false)
    }

    /// Best overall response over the follow-up time points up to and including the first progression: CR, else PR,
    /// else SD, else PD; NE when no time point is evaluable. Confirmation and the minimum duration of SD are not
    /// required (simplification, docs/methods/cohort.md).
    public static func bestOverallResponse(_ r: FollowUpRecord) -> RECISTResponse {
        var seen: [RECISTResponse] = []
        for tp in RECISTTimepoint.allCases where tp > .baseline {
            guard let x = response(r, at: tp) else { continue }
            seen.append(x)
            if x == .progressiveDisease { break }
        }
        for best in [RECISTResponse.completeResponse, .partialResponse, .stableDisease, .progressiveDisease] where seen.contains(best) { return best }
        return .notEvaluable
    }

    /// Per-lesion fractional change of the longest diameter from baseline to `timepoint` (−1 = disappeared).
    public static func lesionChange(_ r: FollowUpRecord, lesion: String, at timepoint: RECISTTimepoint) -> Double? {
        guard let b = r.recist.first(where: { $0.timepoint == .baseline && $0.lesion == lesion }), b.diameterMM > 0,
              let n = r.recist.first(where: { $0.timepoint == timepoint && $0.lesion == lesion }) else { return nil }
        return (n.diameterMM - b.diameterMM) / b.diameterMM
    }
}
