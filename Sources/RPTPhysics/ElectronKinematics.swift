import RPTCore

/// Relativistic kinematics of an electron of kinetic energy T (MeV).
///
/// τ = T / m c², β² = 1 − 1/(τ+1)², p c = m c² √(τ(τ+2)); m c² from CODATA 2018
/// (`PhysicalConstants.electronRestEnergyMeV`).
@frozen
public struct ElectronKinematics {
    /// Kinetic energy T (MeV).
    public let kineticEnergyMeV: Double
    /// T in units of the electron rest energy.
    public let tau: Double
    /// Squared speed in units of c.
    public let beta2: Double
    /// Momentum times c (MeV).
    public let momentumMeV: Double

    @inlinable
    public init(kineticEnergyMeV t: Double) {
        let mc2 = PhysicalConstants.electronRestEnergyMeV
        kineticEnergyMeV = t
        tau = t / mc2
        let gamma = tau + 1
        beta2 = 1 - 1 / (gamma * gamma)
        momentumMeV = mc2 * (tau * (tau + 2)).squareRoot()
    }
}
