import RPTCore

/// Map between the natural parameters of an `ExponentialModel` and the unconstrained vector θ in which
/// the fit is done:
///
///     θₐ = ln Aₐ                          (amplitudes positive)
///     θ_{m}   = ln(λ₁ − λ_floor)          (λ₁ > λ_floor = λ_phys when constrained, else 0)
///     θ_{m+b} = ln(λ_{b+1} − λ_b)         (rates strictly increasing)
struct ModelParametrisation {
    let model: ExponentialModel
    let rateFloorPerSecond: Double

    func curve(theta: [Double]) -> ExponentialCurve? {
        let m = model.amplitudeCount
        var amplitudes = [Double](), rates = [Double]()
        for a in 0..<m { amplitudes.append(_exp(theta[a])) }
        var lambda = rateFloorPerSecond
        for b in 0..<model.rateCount {
            lambda += _exp(theta[m + b])
            rates.append(lambda)
        }
        guard amplitudes.allSatisfy({ $0.isFinite && $0 > 0 }), rates.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            return nil
        }
        return ExponentialCurve(model: model, amplitudesBq: amplitudes, ratesPerSecond: rates)
    }

    /// θ for given natural parameters; nil unless amplitudes > 0 and rates strictly increase above the floor.
    func theta(amplitudesBq: [Double], ratesPerSecond: [Double]) -> [Double]? {
        var theta = [Double]()
        for a in amplitudesBq {
            guard a > 0 else { return nil }
            theta.append(_log(a))
        }
        var previous = rateFloorPerSecond
        for lambda in ratesPerSecond {
            guard lambda > previous else { return nil }
            theta.append(_log(lambda - previous))
            previous = lambda
        }
        return theta
    }

    /// ∂p/∂θ (row-major k×k), p natural parameters.
    func naturalJacobian(theta: [Double]) -> [Double] {
        let k = model.parameterCount, m = model.amplitudeCount
        var t = [Double](repeating: 0, count: k * k)
        for a in 0..<m { t[a * k + a] = _exp(theta[a]) }
        for b in 0..<model.rateCount {
            for j in 0...b { t[(m + b) * k + (m + j)] = _exp(theta[m + j]) }
        }
        return t
    }
}
