/// The `mc_regions` table of a dose file (docs/formats/hdf5.md): one row per scored region with its mass (g),
/// mean absorbed dose (Gy) and the Monte Carlo relative uncertainty of that mean (NaN where a method has none).
/// Written by Monte Carlo results and by kernel-method results alike, so that readers find one layout.
public enum MCRegionsTable {
    /// Dataset path of the table.
    public static let path = "mc_regions"

    /// The table for regions given column by column (all arrays of one length).
    public static func make(names: [String], massG: [Double], meanDoseGy: [Double], relativeUncertainty: [Double]) -> Table {
        precondition(massG.count == names.count && meanDoseGy.count == names.count && relativeUncertainty.count == names.count)
        return Table(columns: [
            .init("region", .string(names)),
            .init("mass_g", .double(massG), unit: "g"),
            .init("mean_dose_gy", .double(meanDoseGy), unit: "Gy"),
            .init("mc_rel_uncertainty", .double(relativeUncertainty), unit: "1"),
        ])
    }
}
