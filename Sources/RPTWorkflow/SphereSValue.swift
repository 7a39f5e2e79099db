import Foundation
import RPTCore
import RPTPhysics
import RPTTransport

/// S value and absorbed fractions of a nuclide uniform in a sphere inside a large volume of the same medium,
/// from two Monte Carlo runs (electrons, photons).
public struct SphereSValue {
    public var geometry: SphereGeometry
    /// Mean absorbed dose to the sphere per decay (Gy) and its standard uncertainty.
    public var doseGyPerDecay: Double, doseSigmaGyPerDecay: Double
    /// Absorbed fractions of the electron and photon energy and their standard uncertainties.
    public var electronFraction: Double, electronFractionSigma: Double
    public var photonFraction: Double, photonFractionSigma: Double
    /// Emitted electron and photon energy per decay (MeV).
    public var electronEnergyPerDecayMeV: Double, photonEnergyPerDecayMeV: Double
    /// True when a run stopped before its decays (interrupted or out of time): a partial result.
    public var partial: Bool

    /// S value in mGy/(MBq·s): Gy per decay × 10⁶ decays per MBq·s × 10³ mGy/Gy.
    public var sValueMGyPerMBqS: Double { doseGyPerDecay * 1e9 }

    public static func compute(nuclide: Nuclide, material: Material, massG: Double, voxelsAcross: Int,
                               control: RunControl, seed: UInt64, settings: TransportSettings,
                               environment: RunEnvironment) throws -> SphereSValue {
        let geometry = try SphereGeometry(massG: massG, material: material, voxelsAcrossDiameter: voxelsAcross)
        let sampler = EmissionSampler(nuclide: nuclide, includeAnnihilationPhotons: false)
        var parts: [(dose: Double, se: Double, emitted: Double, deposited: Double)] = []
        var partial = false
        for filter in [EmissionFilter.electrons, .photons] {
            let sim = try PreparedSimulation(world: geometry.world, source: .voxelMap(weights: geometry.sourceWeights),
                                             emitter: .nuclide(sampler, filter), settings: settings,
                                             regions: [ScoredRegion(name: "sphere", voxels: geometry.sphereVoxels)],
                                             seed: seed)
            let reporter = ProgressReporter(quiet: environment.quiet)
            let state = try sim.run(control: control, stop: environment.stop, progress: reporter.report)
            reporter.finish()
            partial = partial || state.partial
            let r = sim.result(state).regions[0]
            let n = Double(state.decaysDone)
            let depositedMeV = r.meanDoseGy * r.massG / 1000 / PhysicalConstants.joulePerMeV  // per decay
            parts.append((r.meanDoseGy, r.meanDoseGy * r.relativeUncertainty, state.ledger.emittedMeV / n, depositedMeV))
        }
        let dose = parts[0].dose + parts[1].dose
        let se = (parts[0].se * parts[0].se + parts[1].se * parts[1].se).squareRoot()
        let afE = parts[0].emitted > 0 ? parts[0].deposited / parts[0].emitted : 0
        let afP = parts[1].emitted > 0 ? parts[1].deposited / parts[1].emitted : 0
        return SphereSValue(geometry: geometry, doseGyPerDecay: dose, doseSigmaGyPerDecay: se,
                            electronFraction: afE, electronFractionSigma: parts[0].dose > 0 ? afE * parts[0].se / parts[0].dose : 0,
                            photonFraction: afP, photonFractionSigma: parts[1].dose > 0 ? afP * parts[1].se / parts[1].dose : 0,
                            electronEnergyPerDecayMeV: parts[0].emitted, photonEnergyPerDecayMeV: parts[1].emitted,
                            partial: partial)
    }
}
