import Foundation
import RPTCore
import RPTStore
import RPTVolume

/// What the registration of one time point found, read back from `/registration/tp<N>` of dosimetry.h5
/// (docs/formats/hdf5.md "Registration") for the report's QA figure.
public struct RegistrationQARecord: Sendable {
    public var mode: String
    public var timePoint: Int
    public var hoursAfterAdministration: Double
    public var ct: String
    /// Normalised cross-correlation of the CTs over the reference tissue, without and with the registration.
    public var nccBefore: Double, nccAfter: Double
    /// Dice of the tissue masks, without and with the registration.
    public var tissueDiceBefore: Double, tissueDiceAfter: Double
    public var meanDisplacementMM: Double, maximumDisplacementMM: Double
    /// Displacement the registration applies at the reference kidneys' centroid (mm); NaN when not recorded.
    public var kidneyCentroidShiftMM: Double
    /// "pass" or "warn".
    public var status: String
    public var warnings: [String]
    /// The QA slices (reference, unregistered, registered CT; HU), nil in files written before they were stored.
    public var slices: (reference: Volume<Double>, before: Volume<Double>, after: Volume<Double>)?
    public var sliceThrough: String

    /// Every `/registration/tp<N>` of an open dosimetry.h5, by time point; empty without `/registration`.
    static func readAll(from f: H5File, source: String) throws -> [RegistrationQARecord] {
        let g = "/registration"
        guard f.kind(of: g) == .group else { return [] }
        let mode = try f.stringAttribute("mode", at: g)
        var out: [RegistrationQARecord] = []
        for name in try f.members(of: g) where name.hasPrefix("tp") {
            guard let n = Int(name.dropFirst(2)) else { continue }
            let t = g + "/" + name
            func d(_ key: String) throws -> Double { try f.attributeIfPresent(key, at: t)?.asDouble ?? .nan }
            var slices: (Volume<Double>, Volume<Double>, Volume<Double>)?
            if f.kind(of: t + "/qa_reference_ct") == .group {
                let r = try f.readVolume(at: t + "/qa_reference_ct").asDouble
                let b = try f.readVolume(at: t + "/qa_ct_unregistered").asDouble
                let a = try f.readVolume(at: t + "/qa_ct_registered").asDouble
                try r.grid.requireSameGrid(as: b.grid, source: source, field: t + "/qa_ct_unregistered")
                try r.grid.requireSameGrid(as: a.grid, source: source, field: t + "/qa_ct_registered")
                slices = (r, b, a)
            }
            let warnings = try f.attributeIfPresent("warnings", at: t)?.asStrings ?? []
            out.append(RegistrationQARecord(
                mode: mode, timePoint: n, hoursAfterAdministration: try d("time_h"),
                ct: try f.attributeIfPresent("ct", at: t)?.asString ?? "",
                nccBefore: try d("ncc_before"), nccAfter: try d("ncc_after"),
                tissueDiceBefore: try d("tissue_dice_before"), tissueDiceAfter: try d("tissue_dice_after"),
                meanDisplacementMM: try d("mean_displacement_mm"), maximumDisplacementMM: try d("max_displacement_mm"),
                kidneyCentroidShiftMM: try d("kidney_centroid_shift_mm"),
                status: try f.attributeIfPresent("status", at: t)?.asString ?? (warnings.isEmpty ? "pass" : "warn"),
                warnings: warnings, slices: slices,
                sliceThrough: try f.attributeIfPresent("qa_slice_through", at: t)?.asString ?? ""))
        }
        return out.sorted { $0.timePoint < $1.timePoint }
    }
}
