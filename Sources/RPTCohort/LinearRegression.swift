import Foundation

/// Ordinary least-squares line y = a + b·x with t-based (1 − α) confidence intervals (ν = n − 2), as statsmodels
/// `OLS(y, add_constant(x)).fit().conf_int()`.
public struct LinearFit: Equatable, Sendable {
    public var intercept: Double
    public var slope: Double
    public var interceptCI: ClosedRange<Double>
    public var slopeCI: ClosedRange<Double>
    /// Pearson correlation coefficient.
    public var correlation: Double
    public var observations: Int

    public enum FitError: Error, CustomStringConvertible, Equatable {
        case tooFewObservations(Int)
        case constantPredictor
        public var description: String {
            switch self {
            case let .tooFewObservations(n): return "a line needs at least 3 points (got \(n))"
            case .constantPredictor: return "the predictor is constant"
            }
        }
    }

    public static func fit(x: [Double], y: [Double], alpha: Double = 0.05) throws -> LinearFit {
        precondition(x.count == y.count)
        let n = x.count
        guard n >= 3 else { throw FitError.tooFewObservations(n) }
        let mx = x.reduce(0, +) / Double(n), my = y.reduce(0, +) / Double(n)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for i in 0..<n { sxx += (x[i] - mx) * (x[i] - mx); sxy += (x[i] - mx) * (y[i] - my); syy += (y[i] - my) * (y[i] - my) }
        guard sxx > 0 else { throw FitError.constantPredictor }
        let b = sxy / sxx, a = my - b * mx
        var rss = 0.0
        for i in 0..<n { let r = y[i] - a - b * x[i]; rss += r * r }
        let s2 = rss / Double(n - 2)
        let seB = (s2 / sxx).squareRoot(), seA = (s2 * (1 / Double(n) + mx * mx / sxx)).squareRoot()
        let t = SpecialFunctions.studentTUpperQuantile(alpha / 2, degreesOfFreedom: Double(n - 2))
        return LinearFit(intercept: a, slope: b, interceptCI: (a - t * seA)...(a + t * seA), slopeCI: (b - t * seB)...(b + t * seB),
                         correlation: syy > 0 ? sxy / (sxx * syy).squareRoot() : 0, observations: n)
    }
}
