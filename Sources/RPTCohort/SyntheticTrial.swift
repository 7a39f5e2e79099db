import Foundation
import RPTCore
import RPTPhysics
import RPTPlanner

/// A synthetic randomised trial with a stated ground truth (method: docs/methods/cohort.md, "Synthetic trial").
///
/// Patients are drawn from a seeded Philox stream (one stream per patient), randomised 2:1 (investigational:
/// standard) in blocks of three, planned cycle by cycle with `TreatmentPlanner` (investigational) or the fixed
/// 4 × 7.4 GBq (standard), and their outcomes drawn from the ground-truth dose–toxicity and dose–response models.
/// Doses use the organ-S method in its non-penetrating form: electrons (ICRP-107 Lu-177 electron energy per
/// decay) absorbed in the source organ, photons escaping — the fast method; the Monte Carlo stays available per
/// patient through `rptdose dosimetry`.
public struct SyntheticTrial: Sendable {
    /// Ground-truth models (defaults are RPTDose choices, stated in docs/methods/cohort.md).
    public struct Truth: Equatable, Sendable {
        /// P(haematologic grade ≥ 3) = logistic(β₀ + β₁·marrow dose [Gy]).
        public var toxicityIntercept = -4.0, toxicitySlopePerGy = 2.5
        /// P(lesion shrinks ≥ 30 % at 6 months) = logistic(γ₀ + γ₁·lesion dose [Gy]).
        public var responseIntercept = -2.5, responseSlopePerGy = 0.02
        /// Progression hazard = ln 2 / 500 d × exp(−0.5 × mean lesion dose / 100 Gy).
        public var baselineMedianTTPDays = 500.0, doseEffectOnHazardPer100Gy = 0.5
        /// Platelet nadir / baseline = exp(slope × marrow dose [Gy]) × 10 % log-normal noise.
        public var plateletNadirSlopePerGy = -0.6
        public init() {}
    }

    /// One drawn patient with everything the cohort analysis reads.
    public struct Patient: Sendable {
        public var id: String
        public var arm: TreatmentArm
        public var cycles: [AdministeredCycle]
        public var followUp: FollowUpRecord
        public var lesionBaselineMM: [Double]
    }

    public var truth: Truth
    public var patients: [Patient]

    /// Lu-177 electron energy per decay (J), from the ICRP-107 data in RPTPhysics.
    static func electronEnergyJ() throws -> Double {
        try Nuclide.named("Lu-177").electronEnergyPerDecayMeV * 1.602_176_634e-13
    }

    /// Absorbed dose per administered activity (Gy/GBq) of a source organ holding `uptakeFraction` of the
    /// activity with effective half-time `halfTimeHours` and mass `massKg` (non-penetrating organ-S).
    static func organSDosePerGBq(uptakeFraction: Double, halfTimeHours: Double, massKg: Double, energyJ: Double) -> Double {
        let decays = uptakeFraction * 1e9 * halfTimeHours * 3600 / log(2.0)
        return decays * energyJ / massKg
    }

    /// Draws and plans `count` patients with `seed`.
    public init(count: Int, seed: UInt64, truth: Truth = Truth(), protocolConfig: ProtocolConfig = .trialDefault) throws {
        precondition(count >= 1)
        self.truth = truth
        let energy = try Self.electronEnergyJ()
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
            let arm = arms[n]
            // Kinetics and anatomy: kidneys (both) 1.5 % IA, T_eff 50 h, 300 g; marrow dose per GBq 0.03 Gy/GBq
            // (blood-based, log-normal); lesions 1–4, 3 Gy/GBq median, 15–60 mm.
            let kidney = Self.organSDosePerGBq(uptakeFraction: logNormal(0.015, 0.3), halfTimeHours: logNormal(50, 0.2),
                                               massKg: logNormal(0.3, 0.15), energyJ: energy)
            let kidneyHalfTime = logNormal(50, 0.2)
            let marrow = logNormal(0.03, 0.4)
            let lesionCount = 1 + Int(rng.uniform() * 4)
            let lesionPerGBq = (0..<lesionCount).map { _ in logNormal(3, 0.8) }
            let names = (1...lesionCount).map { "tumor_\($0)" }
            let baselineMM = (0..<lesionCount).map { _ in 15 + 45 * rng.uniform() }
            // Measured dose per activity of a cycle: truth × 10 % measurement noise.
            func measured(_ cycle: Int, _ activity: Double) -> AdministeredCycle {
                AdministeredCycle(cycle: cycle, activityGBq: activity,
                                  kidney: DosePerActivity(gyPerGBq: kidney * exp(0.1 * normal()), relativeUncertainty: 0.1),
                                  kidneyEffectiveDecayPerHour: log(2.0) / (kidneyHalfTime * exp(0.1 * normal())),
                                  marrow: DosePerActivity(gyPerGBq: marrow * exp(0.1 * normal()), relativeUncertainty: 0.1),
                                  lesions: zip(names, lesionPerGBq).map { LesionDosePerActivity(lesion: $0, dose: DosePerActivity(gyPerGBq: $1 * exp(0.1 * normal()), relativeUncertainty: 0.1)) })
            }
            // Treatment: re-planned after every cycle from the measured history.
            var history: [AdministeredCycle] = []
            let totalCycles = arm == .standard ? protocolConfig.standardArm.cycles : protocolConfig.investigationalArm.cycles
            for k in 1...totalCycles {
                let plan = try TreatmentPlanner.plan(PlanRequest(arm: arm, history: history, kidneyRiskFactors: false,
                                                                 source: "trial-sim patient \(n + 1)"), config: protocolConfig)
                guard let next = plan.cycles.first, next.status == .planned, next.activityGBq > 0 else { break }
                history.append(measured(k, next.activityGBq))
            }
            // True cumulative doses (the measured values scatter around them).
            let totalActivity = history.map(\.activityGBq).reduce(0, +)
            let marrowDose = marrow * totalActivity
            let lesionDoses = lesionPerGBq.map { $0 * totalActivity }
            // Outcomes.
            let start = start0.addingTimeInterval(Double(n) * 7 * 86_400)
            let lastCycle = start.addingTimeInterval(Double(history.count - 1) * 56 * 86_400)
            func day(_ d: Date, _ days: Double) -> Date { d.addingTimeInterval(days.rounded() * 86_400) }
            let logistic = { (x: Double) in 1 / (1 + exp(-x)) }
            var events: [AdverseEvent] = []
            let toxic = bernoulli(logistic(truth.toxicityIntercept + truth.toxicitySlopePerGy * marrowDose))
            let haemGrade = toxic ? (bernoulli(0.7) ? 3 : 4) : Int(rng.uniform() * 3)
            if haemGrade > 0 { events.append(AdverseEvent(term: .platelets, grade: haemGrade, date: day(start, 40 + 30 * rng.uniform()))) }
            if bernoulli(0.3) { events.append(AdverseEvent(term: .lymphocytes, grade: 1 + Int(rng.uniform() * 3), date: day(start, 30))) }
            let platelets0 = logNormal(250, 0.2)
            let labs = [LabValue(test: .platelets, date: day(start, -3), value: (platelets0).rounded()),
                        LabValue(test: .platelets, date: day(start, 45), value: (platelets0 * exp(truth.plateletNadirSlopePerGy * marrowDose) * exp(0.1 * normal())).rounded())]
            var recist: [RECISTMeasurement] = []
            for (i, name) in names.enumerated() {
                let responds = bernoulli(logistic(truth.responseIntercept + truth.responseSlopePerGy * lesionDoses[i]))
                let change = responds ? -0.3 - 0.5 * rng.uniform() : -0.29 + 0.44 * rng.uniform()
                let b = (baselineMM[i] * 10).rounded() / 10
                recist.append(RECISTMeasurement(timepoint: .baseline, date: day(start, -14), lesion: name, diameterMM: b))
                recist.append(RECISTMeasurement(timepoint: .m3, date: day(lastCycle, 91), lesion: name, diameterMM: (b * (1 + change / 2) * 10).rounded() / 10))
                recist.append(RECISTMeasurement(timepoint: .m6, date: day(lastCycle, 182), lesion: name, diameterMM: (b * (1 + change) * 10).rounded() / 10))
            }
            let meanDose = lesionDoses.reduce(0, +) / Double(lesionDoses.count)
            let hazard = log(2.0) / truth.baselineMedianTTPDays * exp(-truth.doseEffectOnHazardPer100Gy * meanDose / 100)
            let ttp = max(1, (-log(rng.uniform()) / hazard).rounded())
            let censor = (365 + 700 * rng.uniform()).rounded()
            let record = FollowUpRecord(patientID: String(format: "SIM%04d", n + 1), arm: arm, treatmentStart: start, adverseEvents: events,
                                        labs: labs, recist: recist, newLesions: [], bestOverallResponse: nil,
                                        progressionDate: ttp <= censor ? day(start, ttp) : nil, lastFollowUpDate: day(start, min(ttp, censor)))
            out.append(Patient(id: record.patientID, arm: arm, cycles: history, followUp: record, lesionBaselineMM: baselineMM))
        }
        patients = out
    }

    /// The patients as the cohort analysis sees them (without going through files).
    public var cohort: [CohortPatient] {
        patients.map { CohortPatient(id: $0.id, arm: $0.arm, cycles: $0.cycles, followUp: $0.followUp, source: "trial-sim") }
    }
}
