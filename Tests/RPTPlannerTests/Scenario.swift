import Foundation
import RPTCore
import PropertyBased
@testable import RPTPlanner

/// A random but plausible patient for the property tests. The scalar parameters come from the
/// PropertyBased generators (so failures are reported with them); cycle-to-cycle variation is
/// drawn from a Philox stream keyed by `seed`, so every scenario is reproducible from its description.
struct Scenario: Sendable, CustomStringConvertible {
    var given: Int            // cycles already given (1…3)
    var kidney: Double        // typical kidney dose per activity (Gy/GBq)
    var marrow: Double        // typical marrow dose per activity (Gy/GBq)
    var halfTimeHours: Double // typical kidney effective half-time (h)
    var u: Double             // relative standard uncertainty of every measurement
    var risk: Bool
    var method: PredictionMethod
    var seed: UInt64

    var description: String {
        "Scenario(given: \(given), kidney: \(kidney), marrow: \(marrow), T_eff: \(halfTimeHours), u: \(u), risk: \(risk), method: \(method), seed: \(seed))"
    }

    /// History with kidney dose per activity multiplied by `kidneyScale`.
    func history(kidneyScale: Double = 1) -> [AdministeredCycle] {
        var rng = RandomStream(seed: seed, stream: 1)
        let lesions = 1 + Int(rng.uniform() * 3)
        let tumour = (0..<lesions).map { _ in 1 + 29 * rng.uniform() }
        return (1...given).map { c in
            let activity = c == 1 ? 7.4 : (19 + Double(Int(rng.uniform() * 130))) / 10
            func vary(_ x: Double) -> Double { x * (0.8 + 0.4 * rng.uniform()) }
            let k = vary(kidney) * kidneyScale, m = vary(marrow), t = vary(halfTimeHours)
            return AdministeredCycle(cycle: c, activityGBq: activity, kidney: DosePerActivity(gyPerGBq: k, relativeUncertainty: u),
                                     kidneyEffectiveDecayPerHour: ln2 / t, marrow: DosePerActivity(gyPerGBq: m, relativeUncertainty: u),
                                     lesions: tumour.enumerated().map {
                                         LesionDosePerActivity(lesion: "L\($0.offset)", dose: DosePerActivity(gyPerGBq: vary($0.element), relativeUncertainty: u))
                                     })
        }
    }

    func request(arm: TreatmentArm = .investigational, kidneyScale: Double = 1, toxicity: ToxicityInputs = .none) -> PlanRequest {
        PlanRequest(arm: arm, history: history(kidneyScale: kidneyScale), kidneyRiskFactors: risk, toxicity: toxicity)
    }

    func config(_ mode: UncertaintyMode = .deterministic, objective: TumourObjective = .sumOfLesions) -> ProtocolConfig {
        var c = ProtocolConfig.trialDefault
        c.planning.prediction = method
        c.planning.uncertainty = mode
        c.planning.objective = objective
        c.planning.lesions.mode = .organLimitsOnly   // the property tests are about the organ limits
        return c
    }

    static let generator = zip(Gen.int(in: 1...3), Gen.double(in: 0.15...1.8), Gen.double(in: 0.005...0.07),
                               Gen.double(in: 15...120), Gen.double(in: 0...0.35), Gen.bool(), Gen.int(in: 0...2),
                               Gen.int(in: 0...Int(UInt32.max)))
        .map { g, k, m, t, u, r, meth, s in
            Scenario(given: g, kidney: k, marrow: m, halfTimeHours: t, u: u, risk: r,
                     method: PredictionMethod.allCases[meth], seed: UInt64(s))
        }
}

/// Standard normal deviate by Box–Muller from a Philox stream.
func normal(_ rng: inout RandomStream) -> Double {
    (-2 * log(rng.uniform())).squareRoot() * cos(2 * Double.pi * rng.uniform())
}
