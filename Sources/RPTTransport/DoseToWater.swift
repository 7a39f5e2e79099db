import RPTCore
import RPTPhysics

/// Conversion of absorbed dose to medium, D_m, into dose to water, D_w (large-cavity-free, "small
/// water cavity" convention used in MC treatment planning): D_w = D_m · (S_col/ρ)_water / (S_col/ρ)_m,
/// the unrestricted mass collision stopping-power ratio evaluated at one reference electron energy
/// (for a β emitter its mean β energy, e.g. 0.1333 MeV for Lu-177). Siebers et al., Phys. Med. Biol.
/// 45, 983 (2000) discuss the approximation; the ratio varies by < 1 % between 50 keV and 500 keV in
/// soft tissues, more in bone, so D_w in bone is only indicative.
public enum DoseToWater {
    /// Stopping-power ratio water/medium for each material at `referenceEnergyMeV`.
    public static func factors(materials: [Material], referenceEnergyMeV: Double) throws -> [Double] {
        let cuts = try ElectronCuts()
        let water = try ElectronMaterialTable(material: MaterialLibrary.water, cuts: cuts)
        let sw = try water.value(.collisionStoppingPower, energyMeV: referenceEnergyMeV)
        return try materials.map { m in
            let t = try ElectronMaterialTable(material: m, cuts: cuts)
            return sw / (try t.value(.collisionStoppingPower, energyMeV: referenceEnergyMeV))
        }
    }
}
