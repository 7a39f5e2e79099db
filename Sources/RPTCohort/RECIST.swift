import Foundation
import RPTPlanner

/// RECIST 1.1 responses (Eisenhauer et al., "New response evaluation criteria in solid tumours: revised RECIST
/// guideline (version 1.1)", Eur J Cancer 45:228–247, 2009). Method: docs/methods/cohort.md, "RECIST 1.1".
///
/// - Target lesions (`RECISTTargetSelection`): sum of the longest diameters, lymph nodes by their short axis.
///   CR = every non-nodal target 0 mm and every nodal target < 10 mm; PD = sum ≥ 120 % of the smallest sum on study
///   (baseline included) and ≥ 5 mm above it; PR = sum ≤ 70 % of the baseline sum; SD otherwise. A target not
///   measured makes the time point NE unless the measured ones already meet PD (§4.3.3 and its note on missing lesions).
/// - Non-target lesions: the site's assessment when recorded (`FollowUpRecord.nonTargetResponses`; unequivocal
///   progression is a radiologist's judgement and only read from there); otherwise CR when every non-nodal non-target
///   is 0 mm and every node < 10 mm, non-CR/non-PD when one persists, NE when one was not measured.
/// - New lesions → PD.
/// - Overall response per time point: Table 1 (target disease) and Table 2 (non-target disease only).
/// - Best overall response: §4.4; with confirmation (protocol `response_assessment.confirmation: required`) Table 3.
public enum RECIST {
    /// The target-lesion response at `timepoint`, nil without target lesions or when the time point has no target measurement.
    public static func targetResponse(_ r: FollowUpRecord, at timepoint: RECISTTimepoint) -> RECISTResponse? {
        let sel = RECISTTargetSelection(baseline: r.recist.filter { $0.timepoint == .baseline })
        guard !sel.targets.isEmpty, timepoint != .baseline else { return nil }
        func values(_ tp: RECISTTimepoint) -> [Double?] {
            sel.targets.map { l in r.recist.first { $0.timepoint == tp && $0.lesion == l }?.diameterMM }
        }
        let now = values(timepoint)
        if now.allSatisfy({ $0 == nil }) { return nil }
        let base = values(.baseline).compactMap { $0 }.reduce(0, +)
        // Smallest complete sum on study before this time point, baseline included.
        let nadir = RECISTTimepoint.allCases.filter { $0 < timepoint }.compactMap { tp -> Double? in
            let v = values(tp)
            return v.contains { $0 == nil } ? nil : v.compactMap { $0 }.reduce(0, +)
        }.min() ?? base
        let sum = now.compactMap { $0 }.reduce(0, +)
        let progressed = sum >= 1.2 * nadir && sum - nadir >= 5
        if now.contains(where: { $0 == nil }) { return progressed ? .progressiveDisease : .notEvaluable }
        if progressed { return .progressiveDisease }
        let complete = zip(sel.targets, now).allSatisfy { l, v in sel.lymphNodes.contains(l) ? v! < RECISTTargetSelection.pathologicalNodeMM : v! == 0 }
        if complete { return .completeResponse }
        if sum <= 0.7 * base { return .partialResponse }
        return .stableDisease
    }

    /// The non-target response at `timepoint`: the site's assessment, else derived from the measurements; nil when
    /// there are no non-target lesions (and the site recorded none) or the time point has no information on them.
    public static func nonTargetResponse(_ r: FollowUpRecord, at timepoint: RECISTTimepoint) -> NonTargetResponse? {
        if let site = r.nonTargetResponses[timepoint] { return site }
        let sel = RECISTTargetSelection(baseline: r.recist.filter { $0.timepoint == .baseline })
        guard !sel.nonTargets.isEmpty, timepoint != .baseline else { return nil }
        let now = sel.nonTargets.map { l in r.recist.first { $0.timepoint == timepoint && $0.lesion == l }?.diameterMM }
        if now.allSatisfy({ $0 == nil }) { return imaged(r, timepoint) ? .notEvaluable : nil }
        if now.contains(where: { $0 == nil }) { return .notEvaluable }
        let gone = zip(sel.nonTargets, now).allSatisfy { l, v in sel.lymphNodes.contains(l) ? v! < RECISTTargetSelection.pathologicalNodeMM : v! == 0 }
        return gone ? .completeResponse : .nonCRNonPD
    }

    /// Whether anything was recorded at `timepoint` (a measurement, new lesions or a non-target assessment).
    static func imaged(_ r: FollowUpRecord, _ tp: RECISTTimepoint) -> Bool {
        r.recist.contains { $0.timepoint == tp } || r.newLesions.contains(tp) || r.nonTargetResponses[tp] != nil
    }

    /// The overall response at `timepoint` (RECIST 1.1 Tables 1 and 2), or nil when that time point was not imaged.
    public static func response(_ r: FollowUpRecord, at timepoint: RECISTTimepoint) -> RECISTResponse? {
        guard timepoint != .baseline, imaged(r, timepoint) else { return nil }
        let sel = RECISTTargetSelection(baseline: r.recist.filter { $0.timepoint == .baseline })
        let target = targetResponse(r, at: timepoint), nonTarget = nonTargetResponse(r, at: timepoint)
        return overall(target: sel.targets.isEmpty ? nil : (target ?? .notEvaluable),
                       nonTarget: nonTarget, nonTargetDisease: !sel.nonTargets.isEmpty || nonTarget != nil,
                       newLesions: r.newLesions.contains(timepoint))
    }

    /// RECIST 1.1 Table 1 (`target` non-nil: patients with target disease) and Table 2 (`target` nil: non-target
    /// disease only). `nonTarget` nil with `nonTargetDisease` false: the patient has no non-target lesions (Table 1
    /// then reads as if they were in CR); with `nonTargetDisease` true: not evaluated.
    public static func overall(target: RECISTResponse?, nonTarget: NonTargetResponse?, nonTargetDisease: Bool,
                               newLesions: Bool) -> RECISTResponse {
        if newLesions || target == .progressiveDisease || nonTarget == .progressiveDisease { return .progressiveDisease }
        let nt: NonTargetResponse = nonTarget ?? (nonTargetDisease ? .notEvaluable : .completeResponse)
        guard let target else {
            if !nonTargetDisease { return .notEvaluable }
            switch nt {
            case .completeResponse: return .completeResponse
            case .nonCRNonPD: return .nonCRNonPD
            case .notEvaluable, .progressiveDisease: return .notEvaluable
            }
        }
        switch target {
        case .completeResponse: return nt == .completeResponse ? .completeResponse : .partialResponse
        case .partialResponse: return .partialResponse
        case .stableDisease: return .stableDisease
        default: return .notEvaluable
        }
    }

    /// Time-point responses in order with their dates (the first measurement's date; nil for a time point with only
    /// a new-lesion flag or a non-target assessment).
    static func sequence(_ r: FollowUpRecord) -> [(tp: RECISTTimepoint, response: RECISTResponse, date: Date?)] {
        RECISTTimepoint.allCases.compactMap { tp in
            response(r, at: tp).map { (tp, $0, r.recist.filter { $0.timepoint == tp }.map(\.date).min()) }
        }
    }

    /// Best overall response (RECIST 1.1 §4.4) over the time points up to and including the first PD.
    /// Without confirmation: CR, else PR, else SD (or non-CR/non-PD) seen at least `stableDiseaseMinimumWeeks` after
    /// the start, else PD, else NE. With confirmation (Table 3): CR needs a later CR and PR a later PR or CR at least
    /// `confirmationIntervalWeeks` later; an unconfirmed response counts as SD when it meets the SD minimum.
    public static func bestOverallResponse(_ r: FollowUpRecord, settings: ResponseAssessment = ResponseAssessment()) -> RECISTResponse {
        bestOverallResponse(sequence(r), start: r.treatmentStart, settings: settings)
    }

    /// Best overall response of a sequence of time-point responses (in time order) of a patient who started treatment
    /// at `start` (see `bestOverallResponse(_:settings:)`).
    public static func bestOverallResponse(_ all: [(tp: RECISTTimepoint, response: RECISTResponse, date: Date?)], start: Date,
                                           settings: ResponseAssessment = ResponseAssessment()) -> RECISTResponse {
        var seq: [(tp: RECISTTimepoint, response: RECISTResponse, date: Date?)] = []
        for x in all {
            seq.append(x)
            if x.response == .progressiveDisease { break }
        }
        let rs = seq.map(\.response)
        if settings.confirmation == .notRequired {
            if rs.contains(.completeResponse) { return .completeResponse }
            if rs.contains(.partialResponse) { return .partialResponse }
        } else {
            if confirmed(seq, .completeResponse, settings) { return .completeResponse }
            if confirmed(seq, .partialResponse, settings) { return .partialResponse }
        }
        let minimum = settings.stableDiseaseMinimumWeeks * 7 * 86_400
        let stable = seq.filter { [.completeResponse, .partialResponse, .stableDisease, .nonCRNonPD].contains($0.response)
            && ($0.date.map { $0.timeIntervalSince(start) >= minimum - 1 } ?? false) }
        if !stable.isEmpty { return stable.allSatisfy { $0.response == .nonCRNonPD } ? .nonCRNonPD : .stableDisease }
        if rs.contains(.progressiveDisease) { return .progressiveDisease }
        return .notEvaluable
    }

    /// Whether a time point with `response` (CR, or PR) is confirmed by a later one at least the interval later: a
    /// CR by a CR, a PR by a PR or CR (RECIST 1.1 Table 3).
    static func confirmed(_ seq: [(tp: RECISTTimepoint, response: RECISTResponse, date: Date?)], _ response: RECISTResponse,
                          _ settings: ResponseAssessment) -> Bool {
        let interval = settings.confirmationIntervalWeeks * 7 * 86_400
        let confirming: Set<RECISTResponse> = response == .completeResponse ? [.completeResponse] : [.completeResponse, .partialResponse]
        for (i, a) in seq.enumerated() where a.response == response {
            for b in seq[(i + 1)...] where confirming.contains(b.response) {
                if let da = a.date, let db = b.date, db.timeIntervalSince(da) >= interval - 1 { return true }
            }
        }
        return false
    }

    /// Objective response at 6 months (the primary endpoint): CR or PR at the 6-month CT with no PD before it; with
    /// confirmation required, the 6-month response must also be confirmed — by an earlier CR/PR it confirms or by a
    /// later assessment (Table 3 pairs, at least the interval apart, no PD in between). A patient without an
    /// evaluable 6-month CT is a non-responder (intention to treat).
    public static func respondedAt6Months(_ r: FollowUpRecord, settings: ResponseAssessment = ResponseAssessment()) -> Bool {
        let seq = sequence(r)
        guard let i = seq.firstIndex(where: { $0.tp == .m6 }), seq[i].response.isObjectiveResponse,
              !seq[..<i].contains(where: { $0.response == .progressiveDisease }) else { return false }
        if settings.confirmation == .notRequired { return true }
        // The pairs (earlier, m6) and (m6, later up to the first PD) that Table 3 counts as confirmed.
        var upToPD: [(tp: RECISTTimepoint, response: RECISTResponse, date: Date?)] = []
        for x in seq { upToPD.append(x); if x.response == .progressiveDisease { break } }
        let m6 = seq[i]
        return upToPD.contains { other in
            guard other.tp != .m6, let d6 = m6.date, let d = other.date else { return false }
            let (a, b) = other.tp < .m6 ? (other, m6) : (m6, other)
            let okPair = (a.response == .completeResponse && b.response == .completeResponse)
                || (a.response == .partialResponse && b.response.isObjectiveResponse)
            return okPair && abs(d6.timeIntervalSince(d)) >= settings.confirmationIntervalWeeks * 7 * 86_400 - 1
        }
    }

    /// Per-lesion fractional change of the longest diameter from baseline to `timepoint` (−1 = disappeared).
    public static func lesionChange(_ r: FollowUpRecord, lesion: String, at timepoint: RECISTTimepoint) -> Double? {
        guard let b = r.recist.first(where: { $0.timepoint == .baseline && $0.lesion == lesion }), b.diameterMM > 0,
              let n = r.recist.first(where: { $0.timepoint == timepoint && $0.lesion == lesion }) else { return nil }
        return (n.diameterMM - b.diameterMM) / b.diameterMM
    }
}
