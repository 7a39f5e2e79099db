import RPTCore
import RPTVolume

/// Plausibility of an image used as a CT in Hounsfield units, so that another image given in its place
/// (a SPECT in Bq/mL, a dose map, a label map) is refused instead of turned into densities.
///
/// Accepted: the unit, when the file states one, is HU; every value lies in −3100…30 000 HU (−1024 is air;
/// −2048/−3024 are the padding values scanners write outside the reconstructed circle; metal artefact
/// reduction extends the scale to ≈ 30 000 HU). An image with no value below 0 HU must also be whole numbers
/// (CT numbers are stored as integers) with nothing above 3000 HU (dense bone): a non-negative, fractional
/// image is an activity map, not a CT.
public enum CTNumberCheck {
    /// Lowest accepted CT number (HU): below the −3024 padding some scanners write outside the field of view.
    public static let minimumHU = -3100.0
    /// Highest accepted CT number (HU): extended-scale CT of metal implants.
    public static let maximumHU = 30_000.0
    /// Highest CT number of an image without any value below 0 HU (no air, lung or fat in the field).
    public static let maximumHUWithoutNegatives = 3000.0

    public static func validate(_ ct: Volume<Double>, source: String) throws { try check(ct, source: source) }

    /// `validate` for a CT in any stored voxel type (specialised by the compiler for each).
    static func check<T: VoxelScalar>(_ ct: Volume<T>, source: String) throws {
        let unit = String(ct.unit.lowercased().filter { $0 != " " })
        if !unit.isEmpty && !["hu", "hounsfield", "hounsfieldunit", "hounsfieldunits", "1"].contains(unit) {
            throw InputError(source: source, field: "unit", value: ct.unit,
                             reason: "the image used as CT states the unit '\(ct.unit)', not HU: is it the SPECT or another map?")
        }
        let range = ct.valueRange
        guard range.lowerBound >= minimumHU, range.upperBound <= maximumHU else {
            throw InputError(source: source, field: "value range", value: "\(range.lowerBound)…\(range.upperBound)",
                             reason: "not a CT in HU: values must lie in \(Int(minimumHU))…\(Int(maximumHU)) HU "
                                + "(is this a SPECT, a dose map, or a CT stored without its rescale slope/intercept?)")
        }
        if range.lowerBound >= 0 {
            let fractional = !T.voxelType.isInteger && ct.voxels.contains { $0.doubleValue != $0.doubleValue.rounded() }
            if fractional || range.upperBound > maximumHUWithoutNegatives {
                throw InputError(source: source, field: "value range", value: "\(range.lowerBound)…\(range.upperBound)",
                                 reason: "does not look like a CT in HU: no air, lung or fat (no value < 0 HU) and "
                                    + (fractional ? "fractional values" : "values above \(Int(maximumHUWithoutNegatives)) HU")
                                    + " — is this the SPECT or another activity map?")
            }
        }
    }
}
