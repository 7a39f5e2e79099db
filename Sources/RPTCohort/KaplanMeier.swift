import Foundation

/// Time to an event with right censoring.
public struct SurvivalObservation: Equatable, Sendable {
    /// Time from the start (e.g. days from the first administration).
    public var time: Double
    /// True when the event (progression) was observed at `time`; false when censored at `time`.
    public var event: Bool
    public init(time: Double, event: Bool) {
        self.time = time
        self.event = event
    }
}

/// Kaplan–Meier estimate of a survival function with Greenwood's variance and the log(−log)
/// ("exponential Greenwood") pointwise confidence band — the estimator and band of lifelines'
/// `KaplanMeierFitter` (Kaplan & Meier, JASA 53:457, 1958; Greenwood 1926; Kalbfleisch & Prentice 2002).
public struct KaplanMeier: Equatable, Sendable {
    /// One step of the curve: S just after `time`.
    public struct Step: Equatable, Sendable {
        public var time: Double
        public var atRisk: Int
        public var events: Int
        public var censored: Int
        public var survival: Double
        public var lower: Double
        public var upper: Double
    }

    public var steps: [Step]
    public var alpha: Double

    /// Fits the curve. Ties: events before censorings at the same time (the usual convention).
    public init(_ observations: [SurvivalObservation], alpha: Double = 0.05) {
        self.alpha = alpha
        let z = SpecialFunctions.normalUpperQuantile(alpha / 2)
        let times = Set(observations.map(\.time)).sorted()
        var atRisk = observations.count, s = 1.0, greenwood = 0.0
        var steps: [Step] = []
        for t in times {
            let here = observations.filter { $0.time == t }
            let d = here.filter(\.event).count, c = here.count - d
            if d > 0 {
                s *= 1 - Double(d) / Double(atRisk)
                if atRisk > d { greenwood += Double(d) / (Double(atRisk) * Double(atRisk - d)) }
            }
            var lower = s, upper = s
            if s > 0 && s < 1 {
                let v = log(s)
                let a = exp(-exp(log(-v) + z * greenwood.squareRoot() / v)), b = exp(-exp(log(-v) - z * greenwood.squareRoot() / v))
                lower = min(a, b); upper = max(a, b)
            } else if s == 0 { lower = 0; upper = 0 }
            steps.append(Step(time: t, atRisk: atRisk, events: d, censored: c, survival: s, lower: lower, upper: upper))
            atRisk -= here.count
        }
        self.steps = steps
    }

    /// S(t) (right-continuous step function; 1 before the first step).
    public func survival(at t: Double) -> Double { steps.last { $0.time <= t }?.survival ?? 1 }

    /// The first time at which a curve falls to ≤ 0.5 (nil = not reached), as lifelines' `qth_survival_times(0.5)`.
    static func firstTimeAtOrBelowHalf(_ curve: [(Double, Double)]) -> Double? { curve.first { $0.1 <= 0.5 }?.0 }

    /// Median time to event with its confidence interval: the median of S and the times at which the lower
    /// and upper band fall to 0.5 (Brookmeyer & Crowley, Biometrics 38:29, 1982, with the log(−log) band; as
    /// lifelines `median_survival_times(kmf.confidence_interval_)`). nil = not reached.
    public var median: (estimate: Double?, lower: Double?, upper: Double?) {
        (Self.firstTimeAtOrBelowHalf(steps.map { ($0.time, $0.survival) }),
         Self.firstTimeAtOrBelowHalf(steps.map { ($0.time, $0.lower) }),
         Self.firstTimeAtOrBelowHalf(steps.map { ($0.time, $0.upper) }))
    }
}

/// The two-sample log-rank test (Mantel 1966; Peto & Peto 1972), as lifelines `logrank_test`.
public enum LogRankTest {
    /// χ² statistic (1 degree of freedom), its p-value, and observed/expected events of group 1.
    public static func compare(_ group1: [SurvivalObservation], _ group2: [SurvivalObservation])
        -> (chiSquare: Double, p: Double, observed1: Int, expected1: Double) {
        let all = group1.map { ($0, 1) } + group2.map { ($0, 2) }
        let eventTimes = Set(all.filter { $0.0.event }.map(\.0.time)).sorted()
        var o1 = 0, e1 = 0.0, v = 0.0
        for t in eventTimes {
            let n1 = group1.filter { $0.time >= t }.count, n2 = group2.filter { $0.time >= t }.count
            let d1 = group1.filter { $0.time == t && $0.event }.count, d2 = group2.filter { $0.time == t && $0.event }.count
            let n = Double(n1 + n2), d = Double(d1 + d2)
            o1 += d1
            e1 += d * Double(n1) / n
            if n > 1 { v += d * (Double(n1) / n) * (Double(n2) / n) * (n - d) / (n - 1) }
        }
        let chi = v > 0 ? (Double(o1) - e1) * (Double(o1) - e1) / v : 0
        return (chi, SpecialFunctions.chiSquare1Survival(chi), o1, e1)
    }
}
