import Foundation
import XCTest
import RPTCore
import RPTPhysics
import RPTTransport
import RPTVolume
import RPTWorkflow

/// Fixed-seed digests of three small end-to-end runs through the workflow's public API: any change in how
/// a history uses its random numbers or deposits its energy changes them. The digests are stored in
/// `fixed-seed-digests.json` beside this file.
///
/// After an intended physics change (with `DecayKernel.algorithmRevision` bumped), regenerate them with
///
///     RPTDOSE_UPDATE_DIGESTS=1 swift test --filter FixedSeedDigestTests
///
/// and commit the new file together with the change (docs/methods/validation.md, "Fixed-seed digests").
final class FixedSeedDigestTests: XCTestCase {
    static let digestFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("fixed-seed-digests.json").path
    static var updating: Bool { ProcessInfo.processInfo.environment["RPTDOSE_UPDATE_DIGESTS"] == "1" }

    var dir: String!
    override func setUp() {
        dir = NSTemporaryDirectory() + "rpt-digests-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Compares `digest` with the stored one for `name` (or stores it when updating).
    func check(_ name: String, _ digest: String, file: StaticString = #filePath, line: UInt = #line) throws {
        var stored: [String: String] = [:]
        if let d = FileManager.default.contents(atPath: Self.digestFile) {
            stored = try JSONSerialization.jsonObject(with: d) as? [String: String] ?? [:]
        }
        if Self.updating {
            stored[name] = digest
            try AtomicFile.write(Data(try JSONOutput.string(stored).utf8) + Data("\n".utf8), to: Self.digestFile)
            return
        }
        guard let expected = stored[name] else {
            XCTFail("no stored digest for \(name) in \(Self.digestFile); run with RPTDOSE_UPDATE_DIGESTS=1", file: file, line: line)
            return
        }
        XCTAssertEqual(digest, expected, "\(name): the fixed-seed result changed. If the physics change was intended, "
                       + "bump DecayKernel.algorithmRevision and regenerate with RPTDOSE_UPDATE_DIGESTS=1", file: file, line: line)
    }

    static func digest(_ sums: TallySums) -> String {
        var f = Fingerprint()
        f.combine(sums.sum)
        f.combine(sums.sumSquares)
        f.combine(sums.histories)
        return f.hex
    }

    static func digest(_ values: [Double]) -> String {
        var f = Fingerprint()
        f.combine(values.map(\.bitPattern))
        return f.hex
    }

    /// `simulate` (Monte Carlo) through a label-map world of soft tissue, bone and lung with a spherical source,
    /// on 1 and 2 threads: the exact integer tallies of the file written.
    func testSimulateDigest() throws {
        let grid = Grid3D(shape: SIMD3(14, 12, 10), spacing: SIMD3(4, 4, 5))
        var labels = [UInt16](repeating: 1, count: grid.voxelCount), tia = [Double](repeating: 0, count: grid.voxelCount)
        var regions = [UInt16](repeating: 0, count: grid.voxelCount)
        for k in 0..<10 { for j in 0..<12 { for i in 0..<14 {
            let n = grid.linearIndex(i, j, k)
            if i >= 10 { labels[n] = 2 }            // bone slab
            if j <= 2 { labels[n] = 3 }             // lung slab
            let r2 = (i - 5) * (i - 5) + (j - 6) * (j - 6) + (k - 5) * (k - 5)
            if r2 <= 4 { tia[n] = 1e9; regions[n] = 1 }
            if i >= 10 && j > 2 { regions[n] = 2 }
        }}}
        let labelPath = dir + "/labels.h5", tiaPath = dir + "/tia.h5", regionPath = dir + "/regions.h5"
        try VolumeFiles.write(AnyVolume(Volume<UInt16>(grid: grid, voxels: labels)), to: labelPath)
        try VolumeFiles.write(AnyVolume(Volume<Double>(grid: grid, voxels: tia, unit: "Bq s")), to: tiaPath)
        try VolumeFiles.write(AnyVolume(Volume<UInt16>(grid: grid, voxels: regions)), to: regionPath)
        let table = dir + "/materials.csv", names = dir + "/names.csv"
        try "label,material,density_g_cm3\n1,soft_tissue,\n2,cortical_bone,\n3,lung,\n".write(toFile: table, atomically: true, encoding: .utf8)
        try "label,name\n1,source\n2,bone\n".write(toFile: names, atomically: true, encoding: .utf8)
        var digests: [String] = []
        for threads in [1, 2] {
            var r = SimulationRequest(activity: tiaPath, out: dir + "/dose-\(threads).h5",
                                      control: RunControl(decays: 20_000, threads: threads), seed: 2026)
            r.labels = labelPath; r.materialTable = table; r.regions = [regionPath]; r.regionNames = [names]
            let outcome = try SimulationWorkflow.run(r, environment: RunEnvironment(quiet: true))
            XCTAssertEqual(outcome.decaysDone, 20_000)
            XCTAssertFalse(outcome.partial)
            digests.append(Self.digest(try SimulationFile.read(r.out).state.sums))
        }
        XCTAssertEqual(digests[0], digests[1], "1 and 2 threads must give bitwise-identical tallies")
        try check("simulate-label-map-20k-seed2026", digests[0])
    }

    /// The production VSV kernel generator: a 5³ Lu-177 kernel in soft tissue, 4 mm voxels.
    func testVSVKernelDigest() throws {
        let k = try VSVKernelGenerator.generate(nuclide: Nuclide.lutetium177, material: MaterialLibrary.softTissue,
                                                voxelMM: SIMD3(repeating: 4), size: 5, decays: 20_000, threads: 2, seed: 31)
        try check("vsv-kernel-lu177-5x4mm-20k-seed31", Self.digest(k.valuesGyPerBqS + k.uncertaintiesGyPerBqS))
    }

    /// S value and absorbed fractions of Lu-177 in a 2 g water sphere.
    func testSphereDigest() throws {
        let s = try SphereSValue.compute(nuclide: Nuclide.lutetium177, material: MaterialLibrary.water, massG: 2,
                                         voxelsAcross: 10, control: RunControl(decays: 10_000, threads: 2), seed: 5,
                                         settings: TransportSettings(), environment: RunEnvironment(quiet: true))
        try check("sphere-lu177-2g-water-10k-seed5",
                  Self.digest([s.doseGyPerDecay, s.doseSigmaGyPerDecay, s.electronFraction, s.photonFraction,
                               s.electronEnergyPerDecayMeV, s.photonEnergyPerDecayMeV]))
    }
}
