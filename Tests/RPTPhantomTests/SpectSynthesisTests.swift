import XCTest
import RPTCore
import RPTVolume
@testable import RPTPhantom

final class SpectSynthesisTests: XCTestCase {
    /// Without blur and noise, the image holds exactly the true activity (resampling conserves content).
    func testNoiselessUnblurredImageHoldsTheTrueActivity() throws {
        var c = TestPhantom.config()
        c.spectResolutionFWHMMM = 0
        c.spectCountNoise = false
        c.spectSchedule = [SpectCycleSchedule(cycle: 1, timesHours: [24])]
        let p = try SyntheticPatient.generate(config: c)
        let image = try XCTUnwrap(p.spect(cycle: 1, timeHours: 24)).image
        let total = image.sum * image.grid.voxelVolumeML
        XCTAssertEqual(total / p.truth.timePoints[0].totalActivityBq, 1, accuracy: 1e-6)
        XCTAssertEqual(image.unit, "Bq/mL")
        XCTAssertEqual(image.grid.spacing, SIMD3(repeating: 8.8))
    }

    /// Σ image × voxel volume against the true total activity, after subtracting the activity blurred past
    /// the two axial faces of the field of view (the torso runs through them).
    ///
    /// Expected loss, from the documented model (content of each SPECT voxel spread from its centre with
    /// a Gaussian of σ = FWHM/2.3548, voxel-integrated; nothing comes back from outside): a SPECT voxel j
    /// whose centre lies d_j from the face loses the fraction 1 − Φ(d_j/σ) of its content; its content is
    /// ρ × (its overlap with the CT field of view), ρ (Bq/mm) being the activity per mm of the outermost CT
    /// slice. Count noise on the total is ≈ 0.02 % (1σ, 2.9·10⁷ counts at 4 h); the tolerance (0.08 % of the total)
    /// covers 4σ of it and the variation of ρ over the last 2–3 SPECT voxels.
    func testImageTotalMatchesTruthUpToLeakageOutOfTheFieldOfView() throws {
        let p = TestPhantom.patient
        let ct = p.labels.grid
        let counts = Dictionary(grouping: p.labels.voxels, by: { $0 }).mapValues(\.count)
        let sigma = 10 / (2 * (2 * log(2.0)).squareRoot())
        for scan in p.spectTimePoints {
            let truth = try XCTUnwrap(p.truth.timePoint(cycle: scan.cycle, timeHours: scan.timeHours))
            // Activity per mm of z in a CT slice, from the truth and the label map.
            func density(slice k: Int) -> Double {
                var a = 0.0
                for j in 0..<ct.shape.y { for i in 0..<ct.shape.x {
                    let l = p.labels[i, j, k]
                    if l != 0 { a += truth.activityBqByLabel[l]! / Double(counts[l]!) }
                }}
                return a / ct.spacing.z
            }
            let sg = scan.image.grid
            let h = sg.spacing.z
            let ctLow = ct.origin.z - ct.spacing.z / 2, ctHigh = ctLow + Double(ct.shape.z) * ct.spacing.z
            let spectLow = sg.origin.z - h / 2, spectHigh = spectLow + Double(sg.shape.z) * h
            let rhoLow = density(slice: 0), rhoHigh = density(slice: ct.shape.z - 1)
            var expectedLoss = 0.0
            for j in 0..<sg.shape.z {
                let c = sg.origin.z + Double(j) * h
                let overlap = max(0, min(c + h / 2, ctHigh) - max(c - h / 2, ctLow))
                let rho = c > 0 ? rhoHigh : rhoLow
                let d = c > 0 ? spectHigh - c : c - spectLow
                expectedLoss += rho * overlap * 0.5 * erfc(d / (sigma * 2.0.squareRoot()))
            }
            let measured = scan.image.sum * sg.voxelVolumeML
            let total = truth.totalActivityBq
            XCTAssertGreaterThan(expectedLoss / total, 0.002, "the test must see some leakage")
            XCTAssertEqual((total - measured) / total, expectedLoss / total, accuracy: 0.0008,
                           "cycle \(scan.cycle) \(scan.timeHours) h")
        }
    }

    /// A point source blurred in the interior keeps its content and gets variance σ² + h²/12 per axis.
    func testGaussianBlurOfAPointSource() {
        let grid = Grid3D(shape: SIMD3(31, 31, 31), spacing: SIMD3(repeating: 4.4))
        var v = [Double](repeating: 0, count: grid.voxelCount)
        v[grid.linearIndex(15, 15, 15)] = 1
        GaussianBlur.apply(&v, grid: grid, fwhmMM: 10)
        XCTAssertEqual(v.reduce(0, +), 1, accuracy: 1e-12)
        var m2 = 0.0
        for n in v.indices { let d = Double(grid.voxelIndex(n).x - 15) * 4.4; m2 += v[n] * d * d }
        let sigma = 10 / 2.354_820_045
        XCTAssertEqual(m2, sigma * sigma + 4.4 * 4.4 / 12, accuracy: 1e-3 * m2)
    }

    /// Poisson sampler: mean and variance within 5 standard errors, below and above the switch at 30.
    func testPoissonSamplerMoments() {
        for mean in [0.7, 12.0, 400.0] {
            var rng = RandomStream(seed: 5, stream: UInt64(mean * 10))
            let n = 40_000
            var s = 0.0, s2 = 0.0
            for _ in 0..<n { let x = rng.poisson(mean: mean); s += x; s2 += x * x }
            let m = s / Double(n), v = s2 / Double(n) - m * m
            XCTAssertEqual(m, mean, accuracy: 5 * (mean / Double(n)).squareRoot(), "mean \(mean)")
            // Var of the sample variance of a Poisson ≈ (μ + 2μ²)/n.
            XCTAssertEqual(v, mean, accuracy: 5 * ((mean + 2 * mean * mean) / Double(n)).squareRoot(), "var \(mean)")
        }
    }

    func testScheduleAndGrid() {
        let p = TestPhantom.patient
        XCTAssertEqual(p.spectTimePoints.map(\.timeHours), [4, 24, 96, 4])
        XCTAssertEqual(p.spectTimePoints.map(\.cycle), [1, 1, 1, 2])
        XCTAssertNil(p.spect(cycle: 3, timeHours: 4))
        let g = p.spectTimePoints[0].image.grid
        XCTAssertGreaterThanOrEqual(Double(g.shape.z) * g.spacing.z, 350)
        XCTAssertTrue(p.spectTimePoints.allSatisfy { $0.image.voxels.allSatisfy { $0 >= 0 && $0.isFinite } })
    }
}
