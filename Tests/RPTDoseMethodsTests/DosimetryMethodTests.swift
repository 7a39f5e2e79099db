import Foundation
import XCTest
@testable import RPTCommandLine
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
