import Foundation

/// Logistic regression of a binary outcome on one predictor, P(y = 1 | x) = 1 / (1 + exp(−(β₀ + β₁x))),
/// by maximum likelihood (Newton–Raphson / IRLS) with Wald confidence intervals from the inverse observed
/// information — as statsmodels `Logit(y, add_constant(x)).fit()` and its `conf_int()`.
public struct LogisticFit: Equatable, Sendable {
    public var intercept: Double
    public var slope: Double
    /// Standard errors of intercept and slope.
    public var interceptSE: Double
    public var slopeSE: Double
    /// Wald (1 − α) intervals.
    public var interceptCI: ClosedRange<Double>
    public var slopeCI: ClosedRange<Double>
    public var observations: Int
    public var events: Int
    public var iterations: Int

    /// The predictor value at which P = 0.5 (x₅₀ = −β₀/β₁).
    public var x50: Double { -intercept / slope }

    /// P(y = 1) at x.
    public func probability(at x: Double) -> Double { 1 / (1 + exp(-(intercept + slope * x))) }

    public enum FitError: Error, CustomStringConvertible, Equatable {
        case tooFewObservations(Int)
        case noVariation(String)
        case separated
        public var description: String {
            switch self {
            case let .tooFewObservations(n): return "logistic fit needs at least 3 observations (got \(n))"
            case let .noVariation(what): return "logistic fit impossible: \(what)"
            case .separated: return "logistic fit did not converge: the outcome is (quasi-)perfectly separated by the predictor"
            }
        }
    }

    /// Fits the model; throws when the data cannot identify it (fewer than 3 points, one outcome only, a
    /// constant predictor, or perfect separation).
    public static func fit(x: [Double], y: [Bool], alpha: Double = 0.05) throws -> LogisticFit {
        precondition(x.count == y.count)
        let n = x.count
        guard n >= 3 else { throw FitError.tooFewObservations(n) }
        let events = y.filter { $0 }.count
        guard events > 0 && events < n else { throw FitError.noVariation("every outcome is the same") }
        guard Set(x).count > 1 else { throw FitError.noVariation("the predictor is constant") }
        var b0 = log(Double(events) / Double(n - events)), b1 = 0.0
        var info = (a: 0.0, b: 0.0, c: 0.0)  // observed information [[a, b], [b, c]]
        var iterations = 0
        for it in 1...100 {
            iterations = it
            var g0 = 0.0, g1 = 0.0
            info = (0, 0, 0)
            for i in 0..<n {
                let p = 1 / (1 + exp(-(b0 + b1 * x[i])))
                let r = (y[i] ? 1 : 0) - p, w = p * (1 - p)
                g0 += r; g1 += r * x[i]
                info.a += w; info.b += w * x[i]; info.c += w * x[i] * x[i]
            }
            let det = info.a * info.c - info.b * info.b
            guard det > 0 && det.isFinite else { throw FitError.separated }
            let d0 = (info.c * g0 - info.b * g1) / det, d1 = (info.a * g1 - info.b * g0) / det
            b0 += d0; b1 += d1
            guard abs(b1) < 1e6 && abs(b0) < 1e6 else { throw FitError.separated }
            if abs(d0) < 1e-12 * max(1, abs(b0)) && abs(d1) < 1e-12 * max(1, abs(b1)) { break }
            if it == 100 { throw FitError.separated }
        }
        // Covariance at the optimum.
        info = (0, 0, 0)
        for i in 0..<n {
            let p = 1 / (1 + exp(-(b0 + b1 * x[i]))), w = p * (1 - p)
            info.a += w; info.b += w * x[i]; info.c += w * x[i] * x[i]
        }
        let det = info.a * info.c - info.b * info.b
        let se0 = (info.c / det).squareRoot(), se1 = (info.a / det).squareRoot()
        // Separation shows as exploding standard errors; statsmodels warns, we refuse.
        guard se1.isFinite, se1 < 1e4 * max(1, abs(b1)) else { throw FitError.separated }
        let z = SpecialFunctions.normalUpperQuantile(alpha / 2)
        return LogisticFit(intercept: b0, slope: b1, interceptSE: se0, slopeSE: se1,
                           interceptCI: (b0 - z * se0)...(b0 + z * se0), slopeCI: (b1 - z * se1)...(b1 + z * se1),
                           observations: n, events: events, iterations: iterations)
    }
}
