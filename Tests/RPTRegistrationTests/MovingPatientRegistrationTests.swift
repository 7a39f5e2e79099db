import Foundation
import RPTCore
import RPTKinetics
import RPTPhantom
import RPTRegistration
import RPTVolume
import XCTest

/// The moving synthetic patient registered with elastix (rigid + B-spline, the shipped parameter files):
/// target registration error on organ centroids against the known motion, Dice of propagated kidney masks,
/// and the kidney TIA against the truth with and without registration (docs/methods/registration.md).
///
/// The bounds are what this setup achieves (measured: TRE 0.2–3.7 mm, kidney Dice ≥ 0.89, kidney Ã error
/// 10–13 % registered vs 14–16 % unregistered), NOT the issue-16 targets (TRE < 2 mm, Dice ≥ 0.9, Ã within 2 %),
/// which are not met yet: see "Not done yet" in docs/methods/registration.md.
final class MovingPatientRegistrationTests: XCTestCase {
    /// A small moving patient: 60 × 40 × 42 voxels of 6 mm (the smallest field of view the phantom allows),
    /// SPECT on the same 6 mm grid without blur or count noise so that the only error left is the motion.
    static func config() -> SyntheticPatientConfig {
        var c = SyntheticPatientConfig()
        c.seed = 7
        c.shape = SIMD3(60, 40, 42)
        c.voxelSizeMM = SIMD3(repeating: 6)
        c.spectVoxelSizeMM = 6
        c.spectResolutionFWHMMM = 0
        c.spectCountNoise = false
        c.spectSchedule = [SpectCycleSchedule(cycle: 1, timesHours: [4, 24, 48, 96])]
        c.motion = SyntheticMotion(maximumTranslationMM: 12, maximumRotationDegrees: 3, maximumDeformationMM: 5,
                                   deformationWidthMM: 80)
        return c
    }

    struct Registered {
        let patient: SyntheticPatient
        let results: [TimePointRegistrationResult]
        let registration: ElastixRegistration
    }

    /// Every scan registered once per test process (elastix takes a few seconds per scan).
    nonisolated(unsafe) static var cached: Registered?
    static func registered() throws -> Registered {
        if let c = cached { return c }
        let patient = try SyntheticPatient.generate(config: config())
        let reg = try ElastixRegistration(mode: .deformable)
        let refCT = patient.ct.converted(to: Double.self)
        let results = try patient.spectTimePoints.map { scan -> TimePointRegistrationResult in
            let ml = scan.image.grid.voxelVolumeML
            let activity = Volume(grid: scan.image.grid, voxels: scan.image.voxels.map { Double($0) * ml }, unit: "Bq")
            return try TimePointRegistration.run(referenceCT: refCT, ct: scan.ct!.converted(to: Double.self),
                                                 activityBq: activity, doseGrid: patient.config.spectGrid,
                                                 mode: .deformable, registration: reg,
                                                 what: "scan \(scan.timeHours) h")
        }
        let r = Registered(patient: patient, results: results, registration: reg)
        cached = r
        return r
    }

    func mask(_ labels: Volume<UInt16>, _ name: String) throws -> [Bool] {
        let wanted = Set(try PhantomRegion.regions(named: name).map(\.label))
        return labels.voxels.map { wanted.contains($0) }
    }

    func testOrganCentroidError() throws {
        let r = try Self.registered()
        let p = r.patient
        for (scan, result) in zip(p.spectTimePoints, r.results) {
            let motion = try XCTUnwrap(scan.motion)
            for organ in ["kidney_left", "kidney_right", "liver", "spleen"] {
                let c = try XCTUnwrap(RegistrationQA.centroid(try mask(p.labels, organ), grid: p.labels.grid))
                let truth = motion.scanPoint(ofReferencePoint: c)
                let found = try r.registration.transformPoints([c], with: result.transform, fixedGrid: p.ct.grid)[0]
                let tre = ((found - truth) * (found - truth)).sum().squareRoot()
                let before = ((c - truth) * (c - truth)).sum().squareRoot()
                XCTAssertLessThan(tre, 4, "\(organ) at \(scan.timeHours) h: TRE \(tre) mm (motion \(before) mm)")
                XCTAssertLessThan(tre, before / 2, "\(organ) at \(scan.timeHours) h: registration should at least halve the error")
            }
        }
    }

    func testPropagatedKidneyMasksDice() throws {
        let r = try Self.registered()
        let p = r.patient
        for (scan, result) in zip(p.spectTimePoints, r.results) {
            for organ in ["kidney_left", "kidney_right"] {
                let reference = try mask(p.labels, organ)
                let moved = try mask(scan.labels!, organ)
                // The scan's mask carried onto the reference anatomy (linear, then thresholded at one half).
                let m = Volume(grid: p.labels.grid, voxels: moved.map { $0 ? 1.0 : 0.0 }, unit: "")
                let propagated = try r.registration.resample(m, with: result.transform, onto: p.labels.grid,
                                                             interpolation: .linear).voxels.map { $0 >= 0.5 }
                let before = RegistrationQA.dice(reference, moved)
                let after = RegistrationQA.dice(reference, propagated)
                XCTAssertGreaterThanOrEqual(after, 0.85, "\(organ) at \(scan.timeHours) h (Dice before registration \(before))")
                XCTAssertGreaterThan(after, before, "\(organ) at \(scan.timeHours) h")
            }
        }
    }

    func testQANumbersImproveAndActivityIsConserved() throws {
        let r = try Self.registered()
        for res in r.results {
            XCTAssertGreaterThan(res.nccAfter, res.nccBefore)
            XCTAssertGreaterThan(res.tissueDiceAfter, 0.95)
            XCTAssertLessThan(abs(res.activityRatio - 1), 0.02)
            XCTAssertLessThan(res.activityOutsideFraction, 0.1)
            XCTAssertLessThanOrEqual(res.maximumNonRigidDisplacementMM, RegistrationLimits().maximumNonRigidDisplacementMM)
            XCTAssertEqual(res.transform.stageNames, ["EulerTransform", "BSplineTransform"])
        }
    }

    /// Kidney TIA from the reference kidney mask on the dose grid, with registration and without (the same mask on
    /// the unregistered scans): registration must reduce the error. (The 2 % target of issue 16 is not met: the
    /// trilinear resampling of a 6 mm SPECT spreads kidney activity over the mask boundary, and the kidney TRE is
    /// 2–3.7 mm.)
    func testKidneyTIAErrorReducedByRegistration() throws {
        let r = try Self.registered()
        let p = r.patient
        let doseGrid = p.config.spectGrid
        XCTAssertTrue(doseGrid.isSameGrid(as: p.labels.grid))
        let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: Lutetium177.decayConstantPerHour / 3600)
        var worstUnregistered = 0.0
        for organ in ["kidney_left", "kidney_right"] {
            let m = try mask(p.labels, organ)
            let truth = try p.truth.region(named: organ).timeIntegratedActivityBqS
            func tia(_ activities: [[Double]]) throws -> Double {
                let points = zip(p.spectTimePoints, activities).map { scan, a in
                    TimeActivityPoint(timeHours: scan.timeHours, activityBq: a.indices.reduce(0) { m[$1] ? $0 + a[$1] : $0 })
                }
                return try fitter.fit(.biExponentialUptake, to: points).timeIntegratedActivity.valueBqS
            }
            let registered = try tia(r.results.map(\.activityBq))
            let unregistered = try tia(p.spectTimePoints.map { s in s.image.voxels.map { Double($0) * doseGrid.voxelVolumeML } })
            let errReg = abs(registered / truth - 1), errNone = abs(unregistered / truth - 1)
            print("\(organ): TIA error with registration \(errReg * 100) %, without \(errNone * 100) %")
            XCTAssertLessThan(errReg, errNone, organ)
            XCTAssertLessThan(errReg, 0.15, organ)
            worstUnregistered = max(worstUnregistered, errNone)
        }
        XCTAssertGreaterThan(worstUnregistered, 0.05, "the motion should spoil the unregistered kidney TIA")
    }

    func testMotionInverseIsExact() {
        let m = PatientMotion(rotationDegrees: SIMD3(2, -3, 1), translationMM: SIMD3(5, -7, 9), centreMM: SIMD3(1, 2, 3),
                              deformationAmplitudeMM: 5, deformationCentreMM: SIMD3(10, 20, -30), deformationWidthMM: 60)
        for x in [SIMD3<Double>(0, 0, 0), SIMD3(100, -50, 80), SIMD3(10, 20, -30)] {
            let back = m.scanPoint(ofReferencePoint: m.referencePoint(ofScanPoint: x))
            XCTAssertLessThan(((back - x) * (back - x)).sum().squareRoot(), 1e-6)
        }
    }

    /// A motion beyond the stated limit is refused with an error naming the time point, the value and the limit.
    func testImplausibleMotionIsRefused() throws {
        let r = try Self.registered()
        let p = r.patient
        let scan = p.spectTimePoints[0]
        var limits = RegistrationLimits()
        limits.maximumDisplacementMM = 1
        let rigid = try ElastixRegistration(mode: .rigid)
        let activity = Volume(grid: scan.image.grid, voxels: scan.image.voxels.map { Double($0) }, unit: "Bq")
        XCTAssertThrowsError(try TimePointRegistration.run(referenceCT: p.ct.converted(to: Double.self),
                                                           ct: scan.ct!.converted(to: Double.self), activityBq: activity,
                                                           doseGrid: p.config.spectGrid, mode: .rigid, registration: rigid,
                                                           limits: limits, what: "scan 4 h")) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("scan 4 h") && text.contains("largest displacement") && text.contains("limit 1.0 mm"), text)
        }
    }

    func testMissingElastixIsReportedWithThePackageName() {
        XCTAssertThrowsError(try ElastixTools.locate(searchPath: "/nonexistent")) { error in
            XCTAssertTrue("\(error)".contains("apt-get install elastix"), "\(error)")
        }
    }
}
