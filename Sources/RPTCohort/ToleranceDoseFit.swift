import Foundation

/// Logistic tolerance-dose model of a toxicity that appears during treatment, fitted to interval-censored data
/// (method: docs/methods/cohort.md, "Dose–toxicity during treatment").
///
/// Each patient has a tolerance dose T with P(T ≤ D) = F(D) = 1 / (1 + exp(−(β₀ + β₁·D))), D the cumulative marrow
/// dose. A patient whose first toxicity followed cycle k contributes F(D_k) − F(D_{k−1}) (F(D₁) for k = 1); one
/// without toxicity contributes 1 − F(D_total). The fit is by maximum likelihood (Newton–Raphson with the analytic
/// gradient and a central-difference Hessian, step halving), Wald 95 % CIs from the observed information.
/// Unlike a logistic regression of "toxicity ever" on the total dose, this stays unbiased when the treatment after
/// a toxicity is reduced or stopped (the dose modifications depend only on the past, so the likelihood factorises).
public struct ToleranceDoseFit: Sendable {
    /// One patient: the event happened between the cumulative doses `lowerDoseGy` (nil: before the first cycle's
    /// dose) and `upperDoseGy`; or, with `event` false, not up to `upperDoseGy`.
    public struct Observation: Equatable, Sendable {
        public var lowerDoseGy: Double?
        public var upperDoseGy: Double
        public var event: Bool
        public init(lowerDoseGy: Double?, upperDoseGy: Double, event: Bool) {
            self.lowerDoseGy = lowerDoseGy; self.upperDoseGy = upperDoseGy; self.event = event
        }
    }

    public var intercept: Double, slope: Double
    public var interceptCI: ClosedRange<Double>, slopeCI: ClosedRange<Double>
    public var interceptStandardError: Double, slopeStandardError: Double
    public var observations: Int, events: Int
    public var logLikelihood: Double

    /// F(D): the probability that the tolerance dose is at most D (Gy).
    public func probability(at dose: Double) -> Double { 1 / (1 + exp(-(intercept + slope * dose))) }

    static func logLikelihood(_ b: SIMD2<Double>, _ data: [Observation]) -> Double {
        func F(_ d: Double) -> Double { 1 / (1 + exp(-(b.x + b.y * d))) }
        var ll = 0.0
        for o in data {
            if !o.event { ll += log(1 - F(o.upperDoseGy)) } else if let l = o.lowerDoseGy { ll += log(F(o.upperDoseGy) - F(l)) } else { ll += log(F(o.upperDoseGy)) }
        }
        return ll
    }

    static func gradient(_ b: SIMD2<Double>, _ data: [Observation]) -> SIMD2<Double> {
        func F(_ d: Double) -> Double { 1 / (1 + exp(-(b.x + b.y * d))) }
        var g = SIMD2<Double>(0, 0)
        for o in data {
            let u = o.upperDoseGy, fu = F(u)
            if !o.event {
                g.x -= fu; g.y -= fu * u
            } else if let l = o.lowerDoseGy {
                let fl = F(l), denominator = fu - fl
                let du: Double = fu * (1 - fu), dl: Double = fl * (1 - fl)
                g.x += (du - dl) / denominator
                g.y += (du * u - dl * l) / denominator
            } else {
                g.x += 1 - fu; g.y += (1 - fu) * u
            }
        }
        return g
    }

    /// Fits the model; needs ≥ 3 observations with both events and non-events, and an increasing fitted F.
    public static func fit(_ data: [Observation]) throws -> ToleranceDoseFit {
        guard data.count >= 3 else { throw LogisticFit.FitError.tooFewObservations(data.count) }
        let events = data.filter(\.event).count
        guard events > 0, events < data.count else { throw LogisticFit.FitError.noVariation("every patient has the same outcome") }
        guard data.allSatisfy({ $0.upperDoseGy.isFinite && $0.upperDoseGy >= 0 && ($0.lowerDoseGy.map { $0.isFinite && $0 >= 0 } ?? true) }),
              data.allSatisfy({ o in o.lowerDoseGy.map { $0 < o.upperDoseGy } ?? true }) else {
            throw LogisticFit.FitError.noVariation("an event interval is empty or a dose is not finite")
        }
        // Start: the event fraction at the mean dose with a slope of 1 / mean dose.
        let mean = max(data.map(\.upperDoseGy).reduce(0, +) / Double(data.count), 1e-6)
        let p = Double(events) / Double(data.count)
        var b = SIMD2(log(p / (1 - p)) - 1, 1 / mean)
        var ll = logLikelihood(b, data)
        func hessian(_ b: SIMD2<Double>) -> (Double, Double, Double) {
            let h = SIMD2(1e-5 * max(1, abs(b.x)), 1e-5 * max(1 / mean, abs(b.y)))
            let gx = (gradient(b + SIMD2(h.x, 0), data) - gradient(b - SIMD2(h.x, 0), data)) / (2 * h.x)
            let gy = (gradient(b + SIMD2(0, h.y), data) - gradient(b - SIMD2(0, h.y), data)) / (2 * h.y)
            return (gx.x, 0.5 * (gx.y + gy.x), gy.y)
        }
        for _ in 0..<200 {
            let g = gradient(b, data), (a, c, d) = hessian(b)
            let det = a * d - c * c
            guard det.isFinite, det != 0 else { break }
            var step = SIMD2((d * g.x - c * g.y) / det, (a * g.y - c * g.x) / det)   // H⁻¹ g
            var accepted = false, change = 0.0
            for _ in 0..<40 {
                let trial = b - step
                let t = trial.y > 0 ? logLikelihood(trial, data) : -.infinity
                if t.isFinite && t >= ll - 1e-12 { b = trial; change = t - ll; ll = t; accepted = true; break }
                step *= 0.5
            }
            if !accepted || (abs(change) < 1e-12 && max(abs(step.x), abs(step.y * mean)) < 1e-10) { break }
        }
        // Converged: the score is zero (relative to the data's size and dose scale).
        let g = gradient(b, data)
        let converged = abs(g.x) < 1e-6 * Double(data.count) && abs(g.y) < 1e-6 * Double(data.count) * mean
        let (a, c, d) = hessian(b)
        let det = a * d - c * c
        guard converged, det > 0, a < 0, b.y.isFinite else { throw LogisticFit.FitError.separated }
        // Covariance = (−H)⁻¹.
        let seIntercept = (-d / det).squareRoot(), seSlope = (-a / det).squareRoot()
        let z = 1.959_963_984_540_054
        return ToleranceDoseFit(intercept: b.x, slope: b.y, interceptCI: (b.x - z * seIntercept)...(b.x + z * seIntercept),
                                slopeCI: (b.y - z * seSlope)...(b.y + z * seSlope), interceptStandardError: seIntercept,
                                slopeStandardError: seSlope, observations: data.count, events: events, logLikelihood: ll)
    }
}
