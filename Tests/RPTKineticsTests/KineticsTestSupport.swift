import Foundation
import RPTCore
@testable import RPTKinetics

/// Lu-177 physical decay constant from T½ = 6.647 d (ICRP 107), 1/s.
let lu177DecayConstantPerSecond = log(2.0) / (6.647 * 86_400)
/// NCT06395402 cycle-1 imaging times (h).
let trialTimesHours = [4.0, 24, 48, 72, 96]

/// Rate (1/s) for a half-life in hours.
func rate(halfLifeHours: Double) -> Double { log(2.0) / (halfLifeHours * 3600) }

/// Standard normal deviate (Box–Muller) from the project's Philox stream.
func gaussian(_ rng: inout RandomStream) -> Double {
    let u1 = rng.uniform(), u2 = rng.uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

/// Points sampled from `curve` at `timesHours`, each multiplied by (1 + noise·z), z ~ N(0,1), and carrying
/// relative uncertainty `stated`.
func samplePoints(_ curve: ExponentialCurve, timesHours: [Double], noise: Double, stated: Double,
                  rng: inout RandomStream) -> [TimeActivityPoint] {
    timesHours.map { t in
        let a = curve.activityBq(atHours: t) * (1 + noise * gaussian(&rng))
        return TimeActivityPoint(timeHours: t, activityBq: a, relativeUncertainty: stated)
    }
}

/// ∫₀^∞ f(t) dt by composite Simpson on geometric segments [0, 36 s], [36 s, 72 s], … up to 60/λ_min;
/// independent of the closed forms under test (uses only point evaluations).
func simpsonIntegral(slowestRatePerSecond: Double, _ f: (Double) -> Double) -> Double {
    var total = 0.0
    var a = 0.0, b = 36.0
    let end = 60 / slowestRatePerSecond
    while a < end {
        let m = 400
        let h = (b - a) / Double(m)
        var s = f(a) + f(b)
        for i in 1..<m { s += (i % 2 == 1 ? 4 : 2) * f(a + Double(i) * h) }
        total += s * h / 3
        a = b
        b *= 2
    }
    return total
}

/// Reference curves (truth) used across tests.
enum ReferenceCurves {
    static let mono = ExponentialCurve(model: .monoExponential, amplitudesBq: [1e8],
                                       ratesPerSecond: [rate(halfLifeHours: 50)])
    /// Kidney-like: uptake T½ 3 h, effective clearance T½ 60 h.
    static let biUptake = ExponentialCurve(model: .biExponentialUptake, amplitudesBq: [2e8],
                                           ratesPerSecond: [rate(halfLifeHours: 60), rate(halfLifeHours: 3)])
    /// Tumour-like: uptake T½ 6 h, effective clearance T½ 60 h.
    static let slowUptake = ExponentialCurve(model: .biExponentialUptake, amplitudesBq: [2e8],
                                             ratesPerSecond: [rate(halfLifeHours: 60), rate(halfLifeHours: 6)])
    static let bi = ExponentialCurve(model: .biExponential, amplitudesBq: [5e7, 1e8],
                                     ratesPerSecond: [rate(halfLifeHours: 80), rate(halfLifeHours: 5)])
    static let triUptake = ExponentialCurve(model: .triExponentialUptake, amplitudesBq: [6e7, 4e7],
                                            ratesPerSecond: [rate(halfLifeHours: 90), rate(halfLifeHours: 15),
                                                             rate(halfLifeHours: 1.5)])
    static let denseTimesHours = [0.5, 1, 2, 4, 8, 12, 24, 48, 72, 96, 168]
}
