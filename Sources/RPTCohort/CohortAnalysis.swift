import Foundation
import RPTPlanner

/// The trial's endpoints over a cohort (method: docs/methods/cohort.md).
public struct CohortAnalysis: Sendable {
    public struct ArmSummary: Sendable {
        public var arm: TreatmentArm
        public var patients: Int
        /// Objective response (CR/PR) at the 6-month CT, exact Clopper–Pearson 95 % CI.
        public var responseAt6Months: ProportionEstimate?
        public var timeToProgression: KaplanMeier
    }

    /// Incidence of one CTCAE term at or above a grade in one arm.
    public struct ToxicityIncidence: Sendable {
        public var arm: TreatmentArm
        public var term: CTCAETerm
        public var minimumGrade: Int
        public var incidence: ProportionEstimate
    }

    /// Severity of one CTCAE term in one arm: events by grade and patients by their worst grade.
    public struct ToxicitySeverity: Sendable {
        public var arm: TreatmentArm
        public var term: CTCAETerm
        /// Number of recorded events of grade 1…5 (index 0 = grade 1).
        public var eventsByGrade: [Int]
        /// Number of patients whose worst grade of the term is 0…5 (index = grade; 0 = never recorded).
        public var patientsByWorstGrade: [Int]
        public var patients: Int
    }

    public var patients: [CohortPatient]
    /// RECIST 1.1 settings (confirmation, SD minimum) from the protocol.
    public var responseAssessment: ResponseAssessment
    public var arms: [ArmSummary]
    /// ORR difference investigational − standard with Newcombe's 95 % CI (nil unless both arms have patients).
    public var responseDifference: (difference: Double, lower: Double, upper: Double)?
    /// Log-rank test of time to progression, investigational vs standard.
    public var logRank: (chiSquare: Double, p: Double, observed1: Int, expected1: Double)?
    public var toxicity: [ToxicityIncidence]
    /// Per arm and term: events by grade 1–5 and patients by worst grade 0–5 (CTCAE v5.0).
    public var toxicitySeverity: [ToxicitySeverity]
    /// Logistic fit of haematologic toxicity grade ≥ 3 against cumulative marrow dose (Gy), or why it failed.
    public var doseToxicity: Result<LogisticFit, LogisticFit.FitError>
    /// Tolerance-dose fit of the first haematologic toxicity grade ≥ 3 during treatment against the cumulative marrow
    /// dose before and after the cycle it followed (interval-censored; unbiased under dose modifications), or why it failed.
    public var doseToxicityDuringTreatment: Result<ToleranceDoseFit, LogisticFit.FitError>
    /// Logistic fit of lesion response (longest diameter −30 % or more at 6 months) against cumulative lesion dose (Gy).
    public var doseResponse: Result<LogisticFit, LogisticFit.FitError>
    /// Least-squares line of ln(platelet nadir fraction) against cumulative marrow dose (Gy), or why it failed.
    public var plateletNadir: Result<LinearFit, LinearFit.FitError>
    /// The lesions that entered the dose–response fit: patient, lesion, dose (Gy), change at 6 months, responded.
    public var lesionOutcomes: [(patient: String, lesion: String, doseGy: Double, change: Double, responded: Bool)]

    /// Grade at or above which haematologic toxicity counts in the dose–toxicity fit.
    public static let haematologicToxicityGrade = 3
    /// Per-lesion response: longest diameter decreased by at least this fraction at 6 months (the RECIST PR
    /// threshold applied to one lesion).
    public static let lesionResponseShrinkage = 0.30

    public init(_ patients: [CohortPatient], responseAssessment: ResponseAssessment = ResponseAssessment()) {
        self.patients = patients
        self.responseAssessment = responseAssessment
        let responded = { (p: CohortPatient) in RECIST.respondedAt6Months(p.followUp, settings: responseAssessment) }
        let byArm = Dictionary(grouping: patients, by: \.arm)
        arms = TreatmentArm.allCases.compactMap { arm in
            guard let group = byArm[arm], !group.isEmpty else { return nil }
            let responders = group.filter(responded).count
            return ArmSummary(arm: arm, patients: group.count,
                              responseAt6Months: BinomialInterval.clopperPearson(responders, group.count),
                              timeToProgression: KaplanMeier(group.map(Self.survival)))
        }
        if let inv = byArm[.investigational], let std = byArm[.standard], !inv.isEmpty, !std.isEmpty {
            responseDifference = BinomialInterval.differenceNewcombe(inv.filter(responded).count, inv.count,
                                                                     std.filter(responded).count, std.count)
            logRank = LogRankTest.compare(inv.map(Self.survival), std.map(Self.survival))
        }
        var tox: [ToxicityIncidence] = []
        for arm in TreatmentArm.allCases {
            guard let group = byArm[arm], !group.isEmpty else { continue }
            for term in CTCAETerm.allCases {
                for g in [1, 3] {
                    let n = group.filter { $0.followUp.worstGrade(term) >= g }.count
                    tox.append(ToxicityIncidence(arm: arm, term: term, minimumGrade: g, incidence: BinomialInterval.clopperPearson(n, group.count)))
                }
            }
        }
        toxicity = tox
        toxicitySeverity = TreatmentArm.allCases.flatMap { arm -> [ToxicitySeverity] in
            guard let group = byArm[arm], !group.isEmpty else { return [] }
            return CTCAETerm.allCases.map { term in
                let events = group.flatMap { $0.followUp.adverseEvents.filter { $0.term == term } }
                return ToxicitySeverity(arm: arm, term: term,
                                        eventsByGrade: (1...5).map { g in events.filter { $0.grade == g }.count },
                                        patientsByWorstGrade: (0...5).map { g in group.filter { $0.followUp.worstGrade(term) == g }.count },
                                        patients: group.count)
            }
        }
        doseToxicity = Result { try LogisticFit.fit(x: patients.map(\.marrowDoseGy),
                                                    y: patients.map { $0.followUp.worstHaematologicGrade >= Self.haematologicToxicityGrade }) }
            .mapError { $0 as! LogisticFit.FitError }
        let tolerance = patients.compactMap { $0.toleranceObservation(grade: Self.haematologicToxicityGrade) }
        doseToxicityDuringTreatment = Result { try ToleranceDoseFit.fit(tolerance) }.mapError { $0 as! LogisticFit.FitError }
        let nadir = patients.compactMap { p in p.followUp.nadirFraction(.platelets).flatMap { $0 > 0 ? (p.marrowDoseGy, log($0)) : nil } }
        plateletNadir = Result { try LinearFit.fit(x: nadir.map(\.0), y: nadir.map(\.1)) }.mapError { $0 as! LinearFit.FitError }
        var lesions: [(String, String, Double, Double, Bool)] = []
        for p in patients {
            for (lesion, dose) in p.lesionDosesGy {
                guard let change = RECIST.lesionChange(p.followUp, lesion: lesion, at: .m6) else { continue }
                lesions.append((p.id, lesion, dose, change, change <= -Self.lesionResponseShrinkage))
            }
        }
        lesionOutcomes = lesions.map { (patient: $0.0, lesion: $0.1, doseGy: $0.2, change: $0.3, responded: $0.4) }
        doseResponse = Result { try LogisticFit.fit(x: lesions.map(\.2), y: lesions.map(\.4)) }.mapError { $0 as! LogisticFit.FitError }
    }

    static func survival(_ p: CohortPatient) -> SurvivalObservation {
        let t = p.followUp.timeToProgression
        return SurvivalObservation(time: t.days, event: t.progressed)
    }
}

extension CohortAnalysis {
    /// Patients whose RECIST 1.1 targets were designated by the site (follow-up `recist_target`); the others' were
    /// chosen automatically (`RECISTTargetSelection.Method`).
    public var siteDesignatedTargetPatients: Int {
        patients.filter { RECISTTargetSelection(baseline: $0.followUp.recist.filter { $0.timepoint == .baseline }).method == .siteDesignated }.count
    }

    /// One sentence saying how the RECIST 1.1 targets were chosen (report and command output).
    public var recistTargetSummary: String {
        "RECIST 1.1 target lesions: designated by the site (recist_target) for \(siteDesignatedTargetPatients) patients, chosen automatically (largest measurable, ≤ 5, ≤ 2 per organ) for \(patients.count - siteDesignatedTargetPatients); per patient in the patients table, column recist_targets."
    }
}
