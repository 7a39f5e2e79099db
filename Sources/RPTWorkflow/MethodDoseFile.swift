import Foundation
import RPTCore
import RPTStore
import RPTVolume

/// Writes the result of a kernel method (`ldm`, `vsv`, `vsv-density`, `organ-s`) of `rptdose simulate` in the
/// layout of a Monte Carlo result (docs/formats/hdf5.md): `dose` (Gy), `dose_rel_uncertainty` only where the
/// method defines one (organ-s), the region table `mc_regions` (`mc_rel_uncertainty` NaN where undefined), the
/// method's extra volumes and tables, a `/dose_method` group and the provenance with `method`.
/// There is no `/simulation` group: nothing here can be resumed or merged.
public enum MethodDoseFile {
    public static let group = "/dose_method"

    public static func write(_ result: MethodDose, to path: String, nuclide: String, seed: UInt64,
                      settings extra: [String: String]) throws {
        try H5File.write(to: path) { f in
            try f.writeVolume(AnyVolume(result.dose), at: "dose")
            if let u = result.relativeUncertainty { try f.writeVolume(AnyVolume(u), at: "dose_rel_uncertainty") }
            for (name, v) in result.extraVolumes { try f.writeVolume(v, at: name) }
            if !result.regions.isEmpty {
                try f.writeTable(MCRegionsTable.make(names: result.regions.map(\.name), massG: result.regions.map(\.massG),
                                                     meanDoseGy: result.regions.map(\.meanDoseGy),
                                                     relativeUncertainty: result.regions.map(\.relativeUncertainty)),
                                 at: MCRegionsTable.path)
            }
            for (name, t) in result.tables { try f.writeTable(t, at: name) }
            var all = extra
            for (k, v) in result.settings { all[k] = v }
            all["nuclide"] = nuclide
            all.merge(SoftwareInfo.provenanceStrings) { _, software in software }
            try f.createGroup(group)
            try f.setAttribute("method", .string(result.method.rawValue), at: group)
            try f.setAttribute("nuclide", .string(nuclide), at: group)
            try f.setAttribute("decays", .uint(result.decays), at: group)
            try f.setAttribute("warnings", .strings(result.warnings), at: group)
            try f.setAttribute("settings_keys", .strings(all.keys.sorted()), at: group)
            try f.setAttribute("settings_values", .strings(all.keys.sorted().map { all[$0]! }), at: group)
            let stochastic = result.method == .organS || all["kernel_from_cache"] == "no"
            try f.writeProvenance(Provenance(seed: stochastic ? seed : nil,
                                             settings: all.filter { !Provenance.reservedKeys.contains($0.key) }
                                                .mapValues { .string($0) }))
        }
    }
}
