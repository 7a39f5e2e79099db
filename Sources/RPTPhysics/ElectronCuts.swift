import RPTCore

/// Production thresholds of a class-II condensed-history electron transport.
///
/// Energy losses above the thresholds are simulated as discrete events that create a secondary
/// particle (Møller delta ray of kinetic energy W > Δ, bremsstrahlung photon of energy k > k_c);
/// losses below are deposited continuously through the restricted stopping power.
public struct ElectronCuts: Sendable, Equatable {
    /// Δ: smallest delta-ray kinetic energy created explicitly (MeV).
    public let mollerThresholdMeV: Double
    /// k_c: smallest bremsstrahlung photon energy created explicitly (MeV).
    public let photonThresholdMeV: Double

    /// Lowest threshold accepted (MeV): the bottom of the electron tables.
    public static let minimumThresholdMeV = 0.001

    /// - Parameters:
    ///   - mollerThresholdMeV: Δ, between 1 keV and half the table's top energy (default 10 keV).
    ///   - photonThresholdMeV: k_c, between 1 keV and the table's top energy (default 10 keV).
    ///   - source: where the values come from (file or option), for error messages.
    /// - Throws: `InputError` naming the offending threshold.
    public init(mollerThresholdMeV: Double = 0.010, photonThresholdMeV: Double = 0.010,
                source: String = "electron cuts") throws {
        let top = ElectronMaterialTable.maxEnergyMeV
        guard mollerThresholdMeV.isFinite, mollerThresholdMeV >= Self.minimumThresholdMeV,
              mollerThresholdMeV < top / 2 else {
            throw InputError(source: source, field: "moller_threshold_MeV", value: "\(mollerThresholdMeV)",
                             reason: "must be at least \(Self.minimumThresholdMeV) MeV and below \(top / 2) MeV")
        }
        guard photonThresholdMeV.isFinite, photonThresholdMeV >= Self.minimumThresholdMeV,
              photonThresholdMeV < top else {
            throw InputError(source: source, field: "photon_threshold_MeV", value: "\(photonThresholdMeV)",
                             reason: "must be at least \(Self.minimumThresholdMeV) MeV and below \(top) MeV")
        }
        self.mollerThresholdMeV = mollerThresholdMeV
        self.photonThresholdMeV = photonThresholdMeV
    }
}
