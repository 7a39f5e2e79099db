import Foundation
import RPTCommandLine
import RPTWorkflow
import RPTDosimetry
import RPTKinetics
@testable import RPTStudyReport
import RPTVolume
import XCTest

/// The warning rules: the measures against hand-computed values, and the image checks on the
/// synthetic study before and after a deliberate mis-registration.
final class ReviewRulesTests: XCTestCase {
    func testOutsideFractionCountsPositiveSignalOutsideTheMask() {
        let g = Grid3D(shape: SIMD3(4, 1, 1), spacing: SIMD3(1, 1, 1))
        let v = Volume<Double>(grid: g, voxels: [10, 30, -5, 60])
        // Outside: voxels 2 (negative: ignored) and 3 → 60 / (10 + 30 + 60).
        XCTAssertEqual(ImageReview.outsideFraction(v, body: [true, true, false, false]), 0.6, accuracy: 1e-15)
        XCTAssertEqual(ImageReview.outsideFraction(Volume<Double>(grid: g, repeating: 0), body: [true, true, true, true]), 0)
    }

    /// A cube of activity on 8 mm voxels: centred on its mask → offset 0; mask moved by 2 voxels along
    /// x → the activity centroid is 16 mm away; a hotter region next to the kidney is ignored when excluded.
    func testCentroidOffset() throws {
        let g = Grid3D(shape: SIMD3(20, 16, 16), spacing: SIMD3(8, 8, 8))
        var spect = Volume<Double>(grid: g, repeating: 1)  // cool background (below the threshold)
        func inCube(_ i: Int, _ j: Int, _ k: Int, x0: Int) -> Bool { (x0..<x0 + 4).contains(i) && (6..<10).contains(j) && (6..<10).contains(k) }
        var mask = [Bool](repeating: false, count: g.voxelCount), shifted = mask
        for k in 0..<16 { for j in 0..<16 { for i in 0..<20 {
            let n = g.linearIndex(i, j, k)
            if inCube(i, j, k, x0: 8) { spect.voxels[n] = 100; mask[n] = true }
            if inCube(i, j, k, x0: 10) { shifted[n] = true }
        } } }
        let same = try XCTUnwrap(ImageReview.centroidOffset(spect, mask: mask, marginMM: 20, thresholdFraction: 0.5))
        XCTAssertEqual(same.offsetMM, 0, accuracy: 1e-9)
        let moved = try XCTUnwrap(ImageReview.centroidOffset(spect, mask: shifted, marginMM: 20, thresholdFraction: 0.5))
        XCTAssertEqual(moved.offsetMM, 16, accuracy: 1e-9)
        XCTAssertEqual(moved.activity.x - moved.label.x, -16, accuracy: 1e-9)

        // A hot neighbour two voxels beyond the cube's +x face pulls the centroid unless excluded.
        var hot = [Bool](repeating: false, count: g.voxelCount)
        for k in 6..<10 { for j in 6..<10 { for i in 14..<16 { spect.voxels[g.linearIndex(i, j, k)] = 300; hot[g.linearIndex(i, j, k)] = true } } }
        let pulled = try XCTUnwrap(ImageReview.centroidOffset(spect, mask: mask, marginMM: 20, thresholdFraction: 0.5))
        XCTAssertGreaterThan(pulled.offsetMM, 10)
        let kept = try XCTUnwrap(ImageReview.centroidOffset(spect, mask: mask, excluded: hot, marginMM: 20, thresholdFraction: 0.5))
        XCTAssertEqual(kept.offsetMM, 0, accuracy: 1e-9)
    }

    /// Reduced χ² and Akaike weight by hand.
    func testFitMeasures() throws {
        let curve = ExponentialCurve(model: .monoExponential, amplitudesBq: [100], ratesPerSecond: [0.01 / 3600])
        let t = [1.0, 10, 50, 100]
        let truth = t.map { curve.activityBq(atHours: $0) }
        let measured = zip(truth, [1.1, 0.9, 1.0, 1.05]).map { $0 * $1 }
        let fit = RegionFitRecord(region: "r", method: "AICc → monoExponential", curve: curve, covariance: [4, 0, 0, 1e-14],
                                  tiaBqS: curve.timeIntegratedActivityBqS, tiaStandardUncertaintyBqS: 0,
                                  timesHours: t, activitiesBq: measured,
                                  aicc: [("monoExponential", 10), ("biExponentialUptake", 10 + 2 * log(3))], note: "")
        // Residual / σ = (m − f)/(0.1 m) with m = f·s: (1 − 1/s)/0.1.
        let chi = [1.1, 0.9, 1.0, 1.05].map { (s: Double) -> Double in let r = (1 - 1 / s) / 0.1; return r * r }.reduce(0, +) / 2
        XCTAssertEqual(try XCTUnwrap(fit.reducedChiSquare(relativeUncertainty: 0.1)), chi, accuracy: 1e-12)
        // Δ = 2 ln 3 → weights 1 : 1/3 → 0.75.
        XCTAssertEqual(try XCTUnwrap(fit.akaikeWeightOfChosenModel), 0.75, accuracy: 1e-12)
        XCTAssertEqual(fit.parameterSigmas[0], 2, accuracy: 1e-12)
        // Methods that do not fit the points have no χ².
        var twoPoint = fit
        twoPoint.method = "two-point mono-exponential"
        XCTAssertNil(twoPoint.reducedChiSquare(relativeUncertainty: 0.1))
    }

    /// The synthetic study is registered: no kidney warning. The label map moved by 2 voxels (16 mm)
    /// along x: a mis-registration warning for both kidneys at every scan. Cycle 2 (two scans) keeps it short.
    func testMisregistrationFoundOnlyWhenLabelsAreMoved() throws {
        let dir = try ReportTestSupport.study.get()
        let manifest = try StudyManifest.load(path: dir + "/study/manifest.yaml")
        let cycle = try XCTUnwrap(manifest.cycle(2))
        let before = StudyImageReview.findings(manifest: manifest, cycle: cycle)
        XCTAssertFalse(before.contains { $0.rule == .misregistration }, before.map(\.text).joined(separator: "\n"))
        XCTAssertFalse(before.contains { $0.rule == .activityOutsideBody || $0.rule == .checkNotPossible },
                       before.map(\.text).joined(separator: "\n"))

        let labels = try StudyImages.read(try XCTUnwrap(manifest.sharedLabels).image).asDouble
        var moved = labels
        let g = labels.grid
        for k in 0..<g.shape.z { for j in 0..<g.shape.y { for i in 0..<g.shape.x {
            moved.voxels[g.linearIndex(i, j, k)] = i >= 2 ? labels[i - 2, j, k] : 0
        } } }
        let path = dir + "/labels-moved.nii"
        try VolumeFiles.write(AnyVolume(moved.converted(to: UInt16.self)), to: path)
        var m = manifest
        m.sharedLabels?.image = path
        let after = StudyImageReview.findings(manifest: m, cycle: cycle)
        for kidney in ["kidney_left", "kidney_right"] {
            let hits = after.filter { $0.rule == .misregistration && $0.subject.hasPrefix(kidney) }
            XCTAssertEqual(hits.count, cycle.timePoints.count, "\(kidney): " + after.map(\.text).joined(separator: "\n"))
        }
    }
}
