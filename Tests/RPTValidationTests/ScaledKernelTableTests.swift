import Foundation
import RPTCore
import XCTest
@testable import RPTValidation

/// The published scaled electron DPKs under `validation/electron-dpk-water/` parse and integrate to ≈ 1; the
/// integration of both layouts gives hand-computed values on small tables; bad rows name file and field; the
/// sub-sampled shell binning conserves energy and splits a voxel as its volume is split.
final class ScaledKernelTableTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/validation/electron-dpk-water"

    func testPublishedTablesParseAndIntegrateToOne() throws {
        for keV in [100, 500, 1000] {
            let refs = ElectronDPKCase.references(keV: keV)
            XCTAssertFalse(refs.isEmpty, "\(keV) keV")
            for ref in refs {
                let t = try ScaledKernelTable(path: Self.directory + "/" + ref.file, layout: ref.layout)
                XCTAssertEqual(t.x.count, ref.layout == .points ? 49 : 24, ref.file)
                // ∫ j dx = 1 − (bremsstrahlung escape, ≤ 0.4 % at 1 MeV) up to the tables' 3-digit rounding.
                XCTAssertEqual(t.total, 1, accuracy: 0.02, ref.file)
                XCTAssertEqual(t.cumulative(at: 0), 0, ref.file)
                // F rises monotonically between the compared radii.
                let f = ElectronDPKCase.comparedX.map { t.cumulative(at: $0) }
                XCTAssertEqual(f, f.sorted(), ref.file)
                XCTAssertGreaterThan(t.peakX, 0.5, ref.file)
                XCTAssertLessThan(t.peakX, 0.7, ref.file)
            }
        }
        XCTAssertTrue(ElectronDPKCase.references(keV: 50).isEmpty)
    }

    func testHistogramIntegration() {
        let t = ScaledKernelTable(layout: .histogram(width: 0.5), x: [0.25, 0.75], j: [1, 2])
        XCTAssertEqual(t.cumulative(at: 0.25), 0.25, accuracy: 1e-15)
        XCTAssertEqual(t.cumulative(at: 0.5), 0.5, accuracy: 1e-15)
        XCTAssertEqual(t.cumulative(at: 0.75), 1.0, accuracy: 1e-15)
        XCTAssertEqual(t.total, 1.5, accuracy: 1e-15)
        XCTAssertEqual(t.peakX, 0.75)
    }

    func testPiecewiseLinearIntegration() {
        let t = ScaledKernelTable(layout: .points, x: [0, 1, 2], j: [0, 2, 0])
        XCTAssertEqual(t.cumulative(at: 0.5), 0.25, accuracy: 1e-15)  // ∫₀^½ 2x dx
        XCTAssertEqual(t.cumulative(at: 1), 1, accuracy: 1e-15)
        XCTAssertEqual(t.cumulative(at: 1.5), 1.75, accuracy: 1e-15)
        XCTAssertEqual(t.total, 2, accuracy: 1e-15)
        XCTAssertEqual(t.peakX, 1)
    }

    func testBadRowsAreRejectedNamingFileAndField() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dpktable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String, ScaledKernelTable.Layout, String)] = [
            ("text.csv", "x,j\n0.0,0.5\n0.025,abc\n", .points, "j"),
            ("negative.csv", "x,j\n0.0,0.5\n0.025,-0.1\n", .points, "j"),
            ("start.csv", "x,j\n0.1,0.5\n0.2,0.6\n", .points, "x"),
            ("order.csv", "x,j\n0.0,0.5\n0.05,0.6\n0.025,0.7\n", .points, "x"),
            ("shell.csv", "x,j\n0.029,0.5\n0.176,0.6\n", .histogram(width: 0.05), "x"),
            ("nox.csv", "r,j\n0.0,0.5\n0.025,0.6\n", .points, "x"),
        ]
        for (name, body, layout, field) in cases {
            let path = dir.appendingPathComponent(name).path
            try Data(body.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try ScaledKernelTable(path: path, layout: layout), name) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.source, path, name)
                XCTAssertEqual(e.field, field, name)
            }
        }
        XCTAssertThrowsError(try ScaledKernelTable(path: dir.appendingPathComponent("absent.csv").path, layout: .points))
    }

    func testSubsampledBinningConservesEnergyAndSplitsVoxels() {
        // 2³ voxels of 1 cm around the shared corner: each voxel spans r from 0 to √3 cm.
        let b = SubsampledShellBinning(n: 2, voxelCm: 1, centreCm: 1, shellWidthCm: 0.5)
        let shells = b.shellEnergy([Double](repeating: 1, count: 8))
        XCTAssertEqual(shells.reduce(0, +), 8, accuracy: 1e-12)
        // Sub-voxel centres at 0.125, 0.375, 0.625, 0.875 cm per axis: r < 0.5 cm holds the 4 points with
        // r² < 0.25: (0.125,0.125,0.125), (0.375,0.125,0.125) and its 2 permutations → 4/64 of each voxel.
        XCTAssertEqual(shells[0], 8 * 4 / 64, accuracy: 1e-12)
        // A voxel far inside one shell goes whole to it.
        let far = SubsampledShellBinning(n: 2, voxelCm: 0.01, centreCm: 5, shellWidthCm: 1)
        let e = far.shellEnergy([1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(e[Int(5 * 3.0.squareRoot())], 36, accuracy: 1e-12)
    }
}
