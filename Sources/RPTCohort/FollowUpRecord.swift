import Foundation
import RPTPlanner

/// CTCAE v5.0 adverse-event terms recorded for the trial (NCI, Common Terminology Criteria for Adverse
/// Events v5.0, 2017). Keys as used in the REDCap export (docs/formats/followup-redcap.md).
public enum CTCAETerm: String, CaseIterable, Codable, Sendable {
    /// "Platelet count decreased".
    case platelets
    /// "Neutrophil count decreased".
    case neutrophils
    /// "Anemia" (haemoglobin).
    case haemoglobin
    /// "Lymphocyte count decreased" (not dose-modifying in the label).
    case lymphocytes
    /// "Creatinine increased".
    case creatinine
    /// "Chronic kidney disease" graded on eGFR.
    case egfr
    /// "Blood bilirubin increased".
    case bilirubin
    /// Any other adverse event possibly related to treatment.
    case other

    /// Haematological terms counted as haematologic toxicity (lymphopenia excluded, as in the label's dose
    /// modifications).
    public var isHaematologic: Bool { self == .platelets || self == .neutrophils || self == .haemoglobin }
}

/// One graded adverse event.
public struct AdverseEvent: Equatable, Sendable {
    public var term: CTCAETerm
    /// CTCAE grade 1–5.
    public var grade: Int
    /// Onset date.
    public var date: Date
}

/// Laboratory tests recorded over time, with units and plausible ranges (a value outside is refused as a
/// typo or unit mistake).
public enum LabTest: String, CaseIterable, Codable, Sendable {
    case platelets = "platelets_1e9_per_l"
    case neutrophils = "neutrophils_1e9_per_l"
    case haemoglobin = "haemoglobin_g_per_l"
    case lymphocytes = "lymphocytes_1e9_per_l"
    case creatinine = "creatinine_umol_per_l"
    case egfr = "egfr_ml_per_min_1_73m2"
    case bilirubin = "bilirubin_umol_per_l"

    /// Plausible range (inclusive) in the test's unit.
    public var plausibleRange: ClosedRange<Double> {
        switch self {
        case .platelets: return 0...2000
        case .neutrophils, .lymphocytes: return 0...100
        case .haemoglobin: return 20...250
        case .creatinine: return 10...3000
        case .egfr: return 1...200
        case .bilirubin: return 1...1000
        }
    }
}

/// One laboratory value.
public struct LabValue: Equatable, Sendable {
    public var test: LabTest
    public var date: Date
    public var value: Double
}

/// Imaging time points of the trial (months after the last cycle).
public enum RECISTTimepoint: String, CaseIterable, Codable, Sendable, Comparable {
    case baseline, m2, m3, m6, m12
    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// One lesion measurement (mm; 0 = disappeared). Target and non-target lesions are chosen from the baseline
/// measurements by `RECISTTargetSelection` (RECIST 1.1 rules).
public struct RECISTMeasurement: Equatable, Sendable {
    public var timepoint: RECISTTimepoint
    public var date: Date
    /// Lesion name; matches the dosimetry's lesion region to link dose and response.
    public var lesion: String
    /// Longest diameter, or the short axis for a lymph node (RECIST 1.1).
    public var diameterMM: Double
    /// Organ of the lesion (e.g. `liver`, `bone`); all lymph nodes count as one organ. Empty = not recorded (each
    /// such lesion then counts as its own organ for the two-per-organ rule).
    public var organ: String = ""
    /// The lesion is a lymph node: `diameterMM` is its short axis.
    public var lymphNode: Bool = false
    /// Baseline only: the site's radiologist designated the lesion as a target (true) or non-target (false); nil = not
    /// recorded (targets then chosen automatically, `RECISTTargetSelection`).
    public var designatedTarget: Bool? = nil
}

/// RECIST 1.1 assessment of the non-target lesions at one time point (Eisenhauer et al. 2009, section 4.3.2).
public enum NonTargetResponse: String, CaseIterable, Codable, Sendable {
    /// All non-target lesions disappeared and all lymph nodes non-pathological (short axis < 10 mm).
    case completeResponse = "CR"
    /// Persistence of one or more non-target lesions.
    case nonCRNonPD = "non-CR/non-PD"
    /// Unequivocal progression of the non-target lesions (a judgement of the site's radiologist).
    case progressiveDisease = "PD"
    case notEvaluable = "NE"
}

/// RECIST 1.1 response categories.
public enum RECISTResponse: String, CaseIterable, Codable, Sendable {
    case completeResponse = "CR", partialResponse = "PR", stableDisease = "SD", progressiveDisease = "PD", notEvaluable = "NE"
    /// Patients with non-target disease only (RECIST 1.1 Table 2): neither CR nor PD.
    case nonCRNonPD = "non-CR/non-PD"
    /// CR or PR.
    public var isObjectiveResponse: Bool { self == .completeResponse || self == .partialResponse }
}

/// One patient's follow-up after treatment.
public struct FollowUpRecord: Equatable, Sendable {
    public var patientID: String
    /// Arm from the randomisation as recorded at the site (checked against the study manifest when both exist).
    public var arm: TreatmentArm?
    /// Date of the first administration (time zero of time to progression).
    public var treatmentStart: Date
    public var adverseEvents: [AdverseEvent]
    public var labs: [LabValue]
    public var recist: [RECISTMeasurement]
    /// Time points at which new lesions were seen.
    public var newLesions: Set<RECISTTimepoint>
    /// The site's assessment of the non-target lesions per time point (RECIST 1.1 "unequivocal progression" is only
    /// recorded here); time points without one are derived from the non-target measurements (never PD).
    public var nonTargetResponses: [RECISTTimepoint: NonTargetResponse] = [:]
    /// Best overall response as recorded by the site (may be absent; `RECIST.response` recomputes responses).
    public var bestOverallResponse: RECISTResponse?
    /// Date of progression, or nil when the patient has not progressed.
    public var progressionDate: Date?
    /// Date of the last follow-up (the censoring date when there is no progression).
    public var lastFollowUpDate: Date

    /// Time to progression in days (event) or to the last follow-up (censored).
    public var timeToProgression: (days: Double, progressed: Bool) {
        let end = progressionDate ?? lastFollowUpDate
        return (end.timeIntervalSince(treatmentStart) / 86_400, progressionDate != nil)
    }

    /// Worst CTCAE grade of a term (0 when none was recorded).
    public func worstGrade(_ term: CTCAETerm) -> Int { adverseEvents.filter { $0.term == term }.map(\.grade).max() ?? 0 }

    /// Worst haematologic grade (platelets, neutrophils, haemoglobin).
    public var worstHaematologicGrade: Int { CTCAETerm.allCases.filter(\.isHaematologic).map(worstGrade).max() ?? 0 }

    /// Lowest value of a lab test after the treatment start divided by the last value on or before it
    /// (e.g. the platelet nadir fraction); nil without both.
    public func nadirFraction(_ test: LabTest) -> Double? {
        let values = labs.filter { $0.test == test }.sorted { $0.date < $1.date }
        guard let baseline = values.last(where: { $0.date <= treatmentStart }), baseline.value > 0,
              let nadir = values.filter({ $0.date > treatmentStart }).map(\.value).min() else { return nil }
        return nadir / baseline.value
    }
}
