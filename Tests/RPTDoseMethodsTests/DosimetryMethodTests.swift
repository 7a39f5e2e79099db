import Foundation
import XCTest
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTPhysics
import RPTStore

/// `rptdose dosimetry --method ldm` on the tiny synthetic study, with and without photons, then `rptdose compare`
/// of the two with the regions of the dosimetry file: every region differs by exactly 100·E_γ/E_e % (the photon
/// energy per decay over the electron energy per decay), since LDM scales each voxel by the energy per decay.
final class DosimetryMethodTests: DoseMethodTestCase {
    func testDosimetryWithLDMAndCompareWithPhotonLDM() throws {
        try rptdose(["phantom", "--out", dir + "/study", "--size", "45x30x32", "--voxel-mm", "8", "--format", ".nii"])
        let manifest = dir + "/study/manifest.yaml"
        try rptdose(["dosimetry", manifest, "--cycle", "1", "--out", dir + "/ldmp", "--method", "ldm", "--ldm-include-photons", "--quiet"])
        try rptdose(["dosimetry", manifest, "--cycle", "1", "--out", dir + "/ldm", "--method", "ldm", "--quiet"])
        let ldmp = dir + "/ldmp/dosimetry.h5", ldm = dir + "/ldm/dosimetry.h5"
        XCTAssertFalse(try volumes(ldm).contains("dose_rel_uncertainty"))
        XCTAssertTrue(try volumes(ldm).contains("dose"))
        XCTAssertEqual(try provenance(ldm)["method"], "ldm")
        XCTAssertEqual(try provenance(ldmp)["ldm_include_photons"], "yes")
        XCTAssertEqual(try H5File.read(ldm) { try $0.stringAttribute("dose_method", at: "/dosimetry") }, "ldm")
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/ldm/summary.json"))) as? [String: Any])
        XCTAssertEqual(summary["dose_method"] as? String, "ldm")
        let kidneys = try XCTUnwrap(summary["kidneys"] as? [String: Any])
        XCTAssertTrue(kidneys["mc_rel_uncertainty"] is NSNull, "\(kidneys)")
        XCTAssertGreaterThan(try XCTUnwrap(kidneys["dose_per_gbq_gy"] as? Double), 0)
        // Absolute, not only a ratio: with LDM a region's mass-weighted mean dose is Ã·E_e/m (all its decays' electron
        // energy in its own mass), E_e = 0.1480 MeV for Lu-177 (ICRP 107: β⁻ 0.1333 + conversion and Auger 0.0147 MeV),
        // 1 MeV = 1.602176634·10⁻¹³ J; tolerance 0.1 % for the rounding of E_e.
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/ldm/regions.json"))) as? [[String: Any]])
        var checked = 0
        for row in rows where (row["kind"] as? String) != "red_marrow" {
            guard let tia = row["tia_bq_s"] as? Double, let mass = row["mass_g"] as? Double,
                  let mean = row["mean_dose_gy"] as? Double, tia > 0 else { continue }
            let expected = tia * 0.1480 * 1.602176634e-13 / (mass * 1e-3)
            XCTAssertEqual(mean, expected, accuracy: 1e-3 * expected, "\(row["region"] ?? "?")")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 3)
        // The notes: the marrow has no cross-dose under LDM, and dose in air/lung/bone voxels is flagged (dose ∝ 1/ρ).
        let notes = ((summary["notes"] as? [Any]) ?? []).map { "\($0)" }
        XCTAssertTrue(notes.contains { $0.contains("local deposition carries no dose between regions") }, "\(notes)")
        XCTAssertTrue(notes.contains { $0.contains("local deposition (dose ∝ 1/ρ) unreliable") }, "\(notes)")

        let cmp = dir + "/cmp.h5"
        try rptdose(["compare", ldm, ldmp, "--out", cmp])
        let t = try H5File.read(cmp) { try $0.readTable(at: "region_comparison") }
        guard case .string(let regions)? = t["region"]?.data else { return XCTFail("no region column") }
        let labels = try H5File.read(ldm) { try $0.readTable(at: "region_labels") }
        guard case .string(let names)? = labels["region"]?.data else { return XCTFail("no region_labels") }
        XCTAssertFalse(regions.isEmpty)
        XCTAssertTrue(Set(regions).isSubset(of: Set(names)), "\(regions) vs \(names)")
        let nuc = try Nuclide.named("Lu-177")
        let expected = 100 * nuc.photonEnergyPerDecayMeV / nuc.electronEnergyPerDecayMeV
        guard case .double(let pct)? = t["difference_percent"]?.data else { return XCTFail("no difference column") }
        guard case .double(let meanA)? = t["mean_a_gy"]?.data else { return XCTFail("no mean_a_gy column") }
        XCTAssertGreaterThan(meanA.filter { $0 > 0 }.count, 3)
        for (p, a) in zip(pct, meanA) {  // regions without TIA (the red marrow is excluded from the map) have no dose
            if a > 0 { XCTAssertEqual(p, expected, accuracy: 1e-9 * expected) } else { XCTAssertTrue(p.isNaN) }
        }
    }
}
