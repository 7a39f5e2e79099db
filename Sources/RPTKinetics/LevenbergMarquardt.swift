/// Levenberg–Marquardt minimiser of χ²(θ) = Σᵢ rᵢ(θ)², rᵢ = (yᵢ − fᵢ(θ))/σᵢ, for a handful of parameters.
///
/// Step: (JᵀJ + μ D) δ = Jᵀr with J = ∂f/∂θ (weighted) and Marquardt's scaling D = diag(JᵀJ), kept as
/// the running maximum over iterations (Moré 1978, "The Levenberg–Marquardt algorithm: implementation
/// and theory", LNM 630) so the damping is invariant to parameter scale. Damping update after the gain
/// ratio ρ = actual/predicted reduction (Nielsen 1999, IMM-REP-1999-05; Madsen, Nielsen & Tingleff 2004,
/// "Methods for non-linear least squares problems", §3.2): accept if ρ > 0 and μ ← μ·max(1/3, 1−(2ρ−1)³),
/// else μ ← μ·ν, ν ← 2ν.
struct LevenbergMarquardt {
    /// Evaluates the weighted residuals r (size n) and, when `jacobian` is non-nil, the weighted
    /// Jacobian ∂f/∂θ (row-major n×k). Returns false if θ is outside the model's domain.
    typealias Evaluate = (_ theta: [Double], _ residuals: inout [Double], _ jacobian: inout [Double]?) -> Bool

    struct Result {
        var theta: [Double]
        var chiSquare: Double
        var iterations: Int
        var converged: Bool
    }

    var maximumIterations = 400
    /// Convergence on the step: max |δⱼ| ≤ stepTolerance·max(1, max |θⱼ|) (θ is in log space).
    var stepTolerance = 1e-12
    /// Convergence on the relative reduction of χ² in an accepted step.
    var relativeChiSquareTolerance = 1e-14

    func minimise(start: [Double], pointCount n: Int, evaluate: Evaluate) -> Result? {
        let k = start.count
        var theta = start
        var r = [Double](repeating: 0, count: n)
        var jac: [Double]? = [Double](repeating: 0, count: n * k)
        guard evaluate(theta, &r, &jac), let j0 = jac else { return nil }
        var jacobian = j0
        var chi2 = r.reduce(0) { $0 + $1 * $1 }
        guard chi2.isFinite else { return nil }
        var scaling = [Double](repeating: 0, count: k)
        var mu = 1e-3, nu = 2.0
        var iterations = 0
        var trialResiduals = r
        var noJacobian: [Double]? = nil

        while iterations < maximumIterations {
            iterations += 1
            // Normal equations A = JᵀJ, g = Jᵀr.
            var a = [Double](repeating: 0, count: k * k)
            var g = [Double](repeating: 0, count: k)
            for i in 0..<n {
                for p in 0..<k {
                    let jp = jacobian[i * k + p]
                    g[p] += jp * r[i]
                    for q in 0...p { a[p * k + q] += jp * jacobian[i * k + q] }
                }
            }
            for p in 0..<k { for q in 0..<p { a[q * k + p] = a[p * k + q] } }
            var maxDiag = 0.0
            for p in 0..<k { maxDiag = max(maxDiag, a[p * k + p]) }
            guard maxDiag > 0 else { return Result(theta: theta, chiSquare: chi2, iterations: iterations, converged: true) }
            for p in 0..<k { scaling[p] = max(scaling[p], a[p * k + p], 1e-30 * maxDiag) }

            // Inner loop: increase damping until a step reduces χ².
            var accepted = false
            while !accepted {
                var damped = a
                for p in 0..<k { damped[p * k + p] += mu * scaling[p] }
                guard SmallLinearAlgebra.cholesky(&damped, n: k) else {
                    mu *= nu; nu *= 2
                    if mu > 1e30 { return Result(theta: theta, chiSquare: chi2, iterations: iterations, converged: false) }
                    continue
                }
                let delta = SmallLinearAlgebra.choleskySolve(damped, n: k, g)
                var maxStep = 0.0, maxTheta = 1.0
                for p in 0..<k { maxStep = max(maxStep, abs(delta[p])); maxTheta = max(maxTheta, abs(theta[p])) }
                if maxStep <= stepTolerance * maxTheta {
                    return Result(theta: theta, chiSquare: chi2, iterations: iterations, converged: true)
                }
                var trial = theta
                for p in 0..<k { trial[p] += delta[p] }
                var trialChi2 = Double.infinity
                if evaluate(trial, &trialResiduals, &noJacobian) {
                    trialChi2 = trialResiduals.reduce(0) { $0 + $1 * $1 }
                }
                // Predicted reduction of the linear model: δᵀg + μ δᵀDδ.
                var predicted = 0.0
                for p in 0..<k { predicted += delta[p] * (g[p] + mu * scaling[p] * delta[p]) }
                if trialChi2.isFinite && trialChi2 < chi2 && predicted > 0 {
                    let rho = (chi2 - trialChi2) / predicted
                    let reduction = chi2 - trialChi2
                    let previous = chi2
                    theta = trial
                    chi2 = trialChi2
                    swap(&r, &trialResiduals)
                    var newJacobian: [Double]? = jacobian
                    var scratch = r
                    _ = evaluate(theta, &scratch, &newJacobian)
                    jacobian = newJacobian!
                    mu *= max(1.0 / 3.0, 1 - pow3(2 * rho - 1))
                    nu = 2
                    accepted = true
                    if reduction <= relativeChiSquareTolerance * previous || chi2 == 0 {
                        return Result(theta: theta, chiSquare: chi2, iterations: iterations, converged: true)
                    }
                } else {
                    mu *= nu; nu *= 2
                    if mu > 1e30 {
                        // No descent possible at working precision: θ is a (local) minimum.
                        return Result(theta: theta, chiSquare: chi2, iterations: iterations, converged: true)
                    }
                }
            }
        }
        return Result(theta: theta, chiSquare: chi2, iterations: iterations, converged: false)
    }

    private func pow3(_ x: Double) -> Double { x * x * x }
}
