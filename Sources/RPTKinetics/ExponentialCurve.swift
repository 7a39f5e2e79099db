import RPTCore

/// A sum-of-exponentials time-activity curve with fixed parameters (see `ExponentialModel`).
public struct ExponentialCurve: Sendable, Equatable {
    public let model: ExponentialModel
    /// Amplitudes (Bq), `model.amplitudeCount` of them.
    public let amplitudesBq: [Double]
    /// Rates (1/s), `model.rateCount` of them, in the model's order (λ₁ slowest for fitted curves).
    public let ratesPerSecond: [Double]

    public init(model: ExponentialModel, amplitudesBq: [Double], ratesPerSecond: [Double]) {
        precondition(amplitudesBq.count == model.amplitudeCount && ratesPerSecond.count == model.rateCount,
                     "parameter counts do not match \(model)")
        self.model = model
        self.amplitudesBq = amplitudesBq
        self.ratesPerSecond = ratesPerSecond
    }

    /// Natural parameters: amplitudes (Bq) then rates (1/s).
    public var parameters: [Double] { amplitudesBq + ratesPerSecond }

    /// Activity (Bq) at `timeSeconds` after administration.
    public func activityBq(atSeconds timeSeconds: Double) -> Double {
        var sum = 0.0
        for b in 0..<model.rateCount {
            let e = _exp(-ratesPerSecond[b] * timeSeconds)
            for a in 0..<model.amplitudeCount {
                sum += amplitudesBq[a] * model.coefficient(amplitude: a, rate: b) * e
            }
        }
        return sum
    }

    /// Activity (Bq) at `timeHours` after administration.
    public func activityBq(atHours timeHours: Double) -> Double {
        activityBq(atSeconds: timeHours * Units.secondsPerHour)
    }

    /// ∂A(t)/∂p for the natural parameters p (amplitudes, then rates), written into `gradient`.
    func activityGradient(atSeconds t: Double, into gradient: inout [Double]) {
        let m = model.amplitudeCount
        for a in 0..<m { gradient[a] = 0 }
        for b in 0..<model.rateCount {
            let e = _exp(-ratesPerSecond[b] * t)
            var weight = 0.0
            for a in 0..<m {
                let c = model.coefficient(amplitude: a, rate: b)
                gradient[a] += c * e
                weight += amplitudesBq[a] * c
            }
            gradient[m + b] = -t * e * weight
        }
    }

    /// Ã = ∫₀^∞ A(t) dt = Σₐ Aₐ Σ_b c_ab / λ_b (Bq·s).
    public var timeIntegratedActivityBqS: Double {
        var sum = 0.0
        for b in 0..<model.rateCount {
            for a in 0..<model.amplitudeCount {
                sum += amplitudesBq[a] * model.coefficient(amplitude: a, rate: b) / ratesPerSecond[b]
            }
        }
        return sum
    }

    /// ∂Ã/∂p (natural parameters): ∂Ã/∂Aₐ = Σ_b c_ab/λ_b, ∂Ã/∂λ_b = −Σₐ Aₐ c_ab/λ_b².
    public var timeIntegratedActivityGradient: [Double] {
        let m = model.amplitudeCount
        var g = [Double](repeating: 0, count: model.parameterCount)
        for b in 0..<model.rateCount {
            let inv = 1 / ratesPerSecond[b]
            for a in 0..<m {
                let c = model.coefficient(amplitude: a, rate: b)
                g[a] += c * inv
                g[m + b] -= amplitudesBq[a] * c * inv * inv
            }
        }
        return g
    }

    /// The slowest rate (1/s): the terminal effective decay constant.
    public var slowestRatePerSecond: Double { ratesPerSecond.min() ?? .nan }

    /// Index of the slowest rate in `ratesPerSecond`.
    var slowestRateIndex: Int { ratesPerSecond.indices.min { ratesPerSecond[$0] < ratesPerSecond[$1] } ?? 0 }

    /// The same shape with every amplitude multiplied by `scale`.
    public func scaled(by scale: Double) -> ExponentialCurve {
        ExponentialCurve(model: model, amplitudesBq: amplitudesBq.map { $0 * scale }, ratesPerSecond: ratesPerSecond)
    }
}
