import Foundation
import RPTCore
import RPTPhysics
import RPTPlanner

/// A synthetic randomised trial with a stated ground truth (method: docs/methods/cohort.md, "Synthetic trial").
///
/// Patients are drawn from a seeded Philox stream (one stream per patient): anatomy (`SyntheticAnatomy`: body size,
/// organ masses, lesions), kinetics (uptake fractions and effective half-times), randomised 2:1 (investigational:
/// standard) in blocks of three, and treated cycle by cycle (`SimulatedTreatmentCourse`: `TreatmentPlanner` with the
/// protocol's dose-modification rules, toxicity drawn after every cycle). Doses per activity come from the organ-S
/// and sphere models with the patient's masses and volumes (`SyntheticOrganS`); the Monte Carlo stays available per
/// patient through `rptdose dosimetry`. Outcomes are drawn from the ground-truth dose–toxicity and dose–response models.
public struct SyntheticTrial: Sendable {
    /// Ground-truth models (defaults are RPTDose choices, stated in docs/methods/cohort.md).
    public struct Truth: Equatable, Sendable {
        /// P(haematologic grade ≥ 3 by the end of treatment) = logistic(β₀ + β₁·marrow dose [Gy]); drawn after every
        /// cycle from the cumulative marrow dose with a latent per-patient threshold (docs/methods/cohort.md).
        public var toxicityIntercept = -4.0, toxicitySlopePerGy = 2.5
        /// P(lesion shrinks ≥ 30 % at 6 months) = logistic(γ₀ + γ₁·lesion dose [Gy]).
        public var responseIntercept = -2.5, responseSlopePerGy = 0.02
        /// Progression hazard = ln 2 / 500 d × exp(−0.5 × mean lesion dose / 100 Gy).
        public var baselineMedianTTPDays = 500.0, doseEffectOnHazardPer100Gy = 0.5
        /// Platelet nadir / baseline = exp(slope × marrow dose [Gy]) × 10 % log-normal noise.
        public var plateletNadirSlopePerGy = -0.6
        /// Share of patients whose haematologic grade ≥ 3 event is neutropenia (the rest: thrombocytopenia). NETTER-1
        /// reported grade 3–4 thrombocytopenia in 2 % and neutropenia in 1 % of the Lu-DOTATATE arm (Strosberg et al.,
        /// N Engl J Med 376:125, 2017, Table 3) → 1/3.
        public var neutropeniaShare = 1.0 / 3
        /// P(renal toxicity by the label's criteria by the end of treatment) = logistic(ρ₀ + ρ₁·cumulative kidney BED
        /// [Gy]); drawn after every cycle with a latent per-patient threshold. RPTDose assumption: 50 % at 40 Gy BED, the
        /// threshold above which Bodei et al. (EJNMMI 35:1847, 2008) saw renal toxicity in patients without risk factors;
        /// 0.2 /Gy gives ≈ 5 % at 23 Gy kidney absorbed dose in 4 cycles (BED ≈ 26 Gy at T_eff 50 h) and < 1 % at 15 Gy.
        public var renalIntercept = -8.0, renalSlopePerGyBED = 0.2
        public init() {}
    }

    /// Kinetics of the synthetic patients: median uptake fraction of the administered activity (lesions: per kg) and
    /// median effective half-time (h), each log-normal with the σ_ln given (RPTDose choices; the resulting median
    /// doses per activity are compared with published Lu-DOTATATE values in docs/methods/cohort.md and the tests).
    public struct Kinetics: Sendable {
        public var fraction: Double, fractionSigma: Double, halfTimeHours: Double, halfTimeSigma: Double
        public static let kidneys = Kinetics(fraction: 0.015, fractionSigma: 0.3, halfTimeHours: 50, halfTimeSigma: 0.2)
        public static let spleen = Kinetics(fraction: 0.019, fractionSigma: 0.4, halfTimeHours: 70, halfTimeSigma: 0.2)
        public static let liver = Kinetics(fraction: 0.05, fractionSigma: 0.4, halfTimeHours: 70, halfTimeSigma: 0.2)
        public static let redMarrow = Kinetics(fraction: 0.006, fractionSigma: 0.4, halfTimeHours: 40, halfTimeSigma: 0.2)
        /// Lesions: uptake per kg of lesion (0.36 /kg = 0.036 %IA/g).
        public static let lesion = Kinetics(fraction: 0.36, fractionSigma: 0.7, halfTimeHours: 80, halfTimeSigma: 0.25)
    }

    /// One drawn patient with everything the cohort analysis reads.
    public struct Patient: Sendable {
        public var id: String
        public var arm: TreatmentArm
        public var anatomy: SyntheticAnatomy
        /// True doses per activity (Gy/GBq) of the spleen and liver (reported in anatomy.json; not planned on).
        public var spleenGyPerGBq: Double, liverGyPerGBq: Double
        public var cycles: [AdministeredCycle]
        /// Day of each administration after the first.
        public var administrationDays: [Double]
        /// The toxicity rules' decisions during treatment, in words.
        public var toxicityDecisions: [String]
        public var discontinued: Bool
        public var followUp: FollowUpRecord
        public var lesionBaselineMM: [Double]
    }

    public var truth: Truth
    public var patients: [Patient]

    /// Draws and plans `count` patients with `seed`.
    public init(count: Int, seed: UInt64, truth: Truth = Truth(), protocolConfig: ProtocolConfig = .trialDefault) throws {
        precondition(count >= 1)
        self.truth = truth
        let organS = try SyntheticOrganS()
        var allocation = RandomStream(seed: seed, stream: 0)
        var arms: [TreatmentArm] = []
        while arms.count < count {
            var block: [TreatmentArm] = [.investigational, .investigational, .standard]
            for i in stride(from: 2, to: 0, by: -1) { block.swapAt(i, Int(allocation.uniform() * Double(i + 1))) }
            arms += block
        }
        let start0 = CalendarDate.parse("2026-01-05")!
        var out: [Patient] = []
        for n in 0..<count {
            var rng = RandomStream(seed: seed, stream: UInt64(n + 1))
            func normal() -> Double { (-2 * log(rng.uniform())).squareRoot() * cos(2 * Double.pi * rng.uniform()) }
            func logNormal(_ median: Double, _ sigma: Double) -> Double { median * exp(sigma * normal()) }
            func bernoulli(_ p: Double) -> Bool { rng.uniform() < p }
            let logistic = { (x: Double) in 1 / (1 + exp(-x)) }
            let arm = arms[n]
            let anatomy = SyntheticAnatomy.draw(&rng)
            // True doses per activity: organ-S with the patient's masses, sphere model for lesions.
            func tau(_ k: Kinetics) -> (tau: Double, halfTime: Double) {
                let t = logNormal(k.halfTimeHours, k.halfTimeSigma)
                return (SyntheticOrganS.residenceTimeHours(fraction: logNormal(k.fraction, k.fractionSigma), halfTimeHours: t), t)
            }
            let kidneyKinetics = tau(.kidneys)
            let kidney = organS.selfDosePerGBq(residenceTimeHours: kidneyKinetics.tau, massKg: anatomy.kidneysKg)
            let marrow = organS.selfDosePerGBq(residenceTimeHours: tau(.redMarrow).tau, massKg: anatomy.redMarrowKg)
            let spleen = organS.selfDosePerGBq(residenceTimeHours: tau(.spleen).tau, massKg: anatomy.spleenKg)
            let liver = organS.selfDosePerGBq(residenceTimeHours: tau(.liver).tau, massKg: anatomy.liverKg)
            let lesionPerGBq = anatomy.lesions.map { l in
                organS.selfDosePerGBq(residenceTimeHours: tau(.lesion).tau, massKg: 1,
                                      absorbedFraction: organS.sphereElectronAbsorbedFraction(volumeML: l.volumeML))
            }
            let names = anatomy.lesions.map(\.name)
            let baselineMM = anatomy.lesions.map(\.recistDiameterMM)
            // Measured dose per activity of a cycle: truth × 10 % measurement noise.
            func measured(_ cycle: Int, _ activity: Double) -> AdministeredCycle {
                AdministeredCycle(cycle: cycle, activityGBq: activity,
                                  kidney: DosePerActivity(gyPerGBq: kidney * exp(0.1 * normal()), relativeUncertainty: 0.1),
                                  kidneyEffectiveDecayPerHour: log(2.0) / (kidneyKinetics.halfTime * exp(0.1 * normal())),
                                  marrow: DosePerActivity(gyPerGBq: marrow * exp(0.1 * normal()), relativeUncertainty: 0.1),
                                  lesions: zip(names, lesionPerGBq).map { LesionDosePerActivity(lesion: $0, dose: DosePerActivity(gyPerGBq: $1 * exp(0.1 * normal()), relativeUncertainty: 0.1)) })
            }
            // Haematologic toxicity after each cycle: the first grade ≥ 3 when the cumulative true marrow dose's
            // logistic probability passes the patient's latent threshold; later cycles recur with that probability.
            // The event is neutropenia in `neutropeniaShare` of the patients, thrombocytopenia otherwise. Background
            // grades: thrombocytopenia 2 (2 %) or 1 (20 %), neutropenia 2 (3 %) or 1 (10 %) (RPTDose choices).
            // Renal toxicity (label criteria) the same way from the cumulative true kidney BED.
            let threshold = rng.uniform(), renalThreshold = rng.uniform()
            let severeKind: ToxicityKind = bernoulli(truth.neutropeniaShare) ? .neutropenia : .thrombocytopenia
            let kidneyDecay = log(2.0) / kidneyKinetics.halfTime
            var severe = false, renalSeen = false, cumulativeActivity = 0.0, kidneyBED = 0.0
            func toxicity(_ cycle: Int, _ activity: Double) -> SimulatedToxicity {
                cumulativeActivity += activity
                kidneyBED += protocolConfig.limits.kidneyBEDModel.bed(doseGy: kidney * activity, effectiveDecayPerHour: kidneyDecay)
                var grades: [ToxicityKind: Int] = [:]
                var u = rng.uniform()
                grades[.thrombocytopenia] = u < 0.02 ? 2 : u < 0.22 ? 1 : 0
                u = rng.uniform()
                grades[.neutropenia] = u < 0.03 ? 2 : u < 0.13 ? 1 : 0
                let p = logistic(truth.toxicityIntercept + truth.toxicitySlopePerGy * marrow * cumulativeActivity)
                if (!severe && threshold < p) || (severe && bernoulli(p)) {
                    severe = true
                    grades[severeKind] = bernoulli(0.7) ? 3 : 4
                }
                let pRenal = logistic(truth.renalIntercept + truth.renalSlopePerGyBED * kidneyBED)
                var renal = false
                if (!renalSeen && renalThreshold < pRenal) || (renalSeen && bernoulli(pRenal)) { renalSeen = true; renal = true }
                return SimulatedToxicity(grades: grades, renal: renal)
            }
            // Resolution by each assessment: 60 % of grade ≥ 3, 80 % of grade 2, renal toxicity back at baseline 50 %
            // (RPTDose choices).
            func resolved(_ kind: ToxicityKind, _ grade: Int, _ assessment: Int) -> Bool {
                bernoulli(kind == .renalToxicity ? 0.5 : grade >= 3 ? 0.6 : 0.8)
            }
            let course = try SimulatedTreatmentCourse.run(arm: arm, config: protocolConfig, source: "trial-sim patient \(n + 1)",
                                                          measured: measured, toxicity: toxicity, resolved: resolved)
            let history = course.cycles
            // True cumulative doses (the measured values scatter around them).
            let totalActivity = history.map(\.activityGBq).reduce(0, +)
            let marrowDose = marrow * totalActivity
            let lesionDoses = lesionPerGBq.map { $0 * totalActivity }
            // Outcomes.
            let start = start0.addingTimeInterval(Double(n) * 7 * 86_400)
            func day(_ d: Date, _ days: Double) -> Date { d.addingTimeInterval(days.rounded() * 86_400) }
            let lastCycle = day(start, course.administrationDays.last ?? 0)
            var events: [AdverseEvent] = []
            for (k, t) in course.toxicities.enumerated() {
                for (kind, term) in [(ToxicityKind.thrombocytopenia, CTCAETerm.platelets), (.neutropenia, .neutrophils)] where t.grade(kind) > 0 {
                    events.append(AdverseEvent(term: term, grade: t.grade(kind), date: day(start, course.administrationDays[k] + 28 + 14 * rng.uniform())))
                }
                // Renal toxicity recorded as CTCAE "creatinine increased" grade 2 (> 1.5 × baseline, which meets the
                // label's 40 % increase criterion).
                if t.renal { events.append(AdverseEvent(term: .creatinine, grade: 2, date: day(start, course.administrationDays[k] + 42))) }
            }
            if bernoulli(0.3) { events.append(AdverseEvent(term: .lymphocytes, grade: 1 + Int(rng.uniform() * 3), date: day(start, 30))) }
            let platelets0 = logNormal(250, 0.2)
            let labs = [LabValue(test: .platelets, date: day(start, -3), value: (platelets0).rounded()),
                        LabValue(test: .platelets, date: day(lastCycle, 45), value: (platelets0 * exp(truth.plateletNadirSlopePerGy * marrowDose) * exp(0.1 * normal())).rounded())]
            let meanDose = lesionDoses.reduce(0, +) / Double(lesionDoses.count)
            let hazard = log(2.0) / truth.baselineMedianTTPDays * exp(-truth.doseEffectOnHazardPer100Gy * meanDose / 100)
            let ttp = max(1, (-log(rng.uniform()) / hazard).rounded())
            let censor = (365 + 700 * rng.uniform()).rounded()
            let progression: Date? = ttp <= censor ? day(start, ttp) : nil
            var recist: [RECISTMeasurement] = []
            var newLesions: Set<RECISTTimepoint> = []
            let scans: [(RECISTTimepoint, Date, Double)] = [(.m3, day(lastCycle, 91), 0.5), (.m6, day(lastCycle, 182), 1)]
            for (i, lesion) in anatomy.lesions.enumerated() {
                let responds = bernoulli(logistic(truth.responseIntercept + truth.responseSlopePerGy * lesionDoses[i]))
                let change = responds ? -0.3 - 0.5 * rng.uniform() : -0.29 + 0.44 * rng.uniform()
                let b = (baselineMM[i] * 10).rounded() / 10
                func m(_ tp: RECISTTimepoint, _ date: Date, _ mm: Double) -> RECISTMeasurement {
                    RECISTMeasurement(timepoint: tp, date: date, lesion: lesion.name, diameterMM: mm, organ: lesion.organ, lymphNode: lesion.isLymphNode)
                }
                recist.append(m(.baseline, day(start, -14), b))
                for (tp, date, f) in scans { recist.append(m(tp, date, (b * (1 + f * change) * 10).rounded() / 10)) }
            }
            // New lesions are seen at the first scan after progression.
            for (tp, date, _) in scans { if let progression, date >= progression { newLesions.insert(tp) } }
            let record = FollowUpRecord(patientID: String(format: "SIM%04d", n + 1), arm: arm, treatmentStart: start, adverseEvents: events,
                                        labs: labs, recist: recist, newLesions: newLesions, bestOverallResponse: nil,
                                        progressionDate: progression, lastFollowUpDate: day(start, min(ttp, censor)))
            out.append(Patient(id: record.patientID, arm: arm, anatomy: anatomy, spleenGyPerGBq: spleen, liverGyPerGBq: liver,
                               cycles: history, administrationDays: course.administrationDays, toxicityDecisions: course.decisions,
                               discontinued: course.discontinued, followUp: record, lesionBaselineMM: baselineMM))
        }
        patients = out
    }

    /// The patients as the cohort analysis sees them (without going through files).
    public var cohort: [CohortPatient] {
        patients.map { p in
            CohortPatient(id: p.id, arm: p.arm, cycles: p.cycles, followUp: p.followUp, source: "trial-sim",
                          administrationDates: p.administrationDays.map { p.followUp.treatmentStart.addingTimeInterval($0 * 86_400 + 9 * 3600) })
        }
    }
}
