import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTDicom
@testable import RPTDosimetry

/// The domain checks behind the corpus, with hand-computed expectations.
final class ReliabilityUnitTests: XCTestCase {
    /// Lu-177 λ_p = ln 2 / 6.647 d (ICRP 107).
    let lambda = log(2.0) / (6.647 * 86400)

    func cycle(activityGBq: Double, hours: [Double]) -> StudyCycle {
        let admin = Date(timeIntervalSince1970: 1_736_154_000)
        let points = hours.map {
            ImagingTimePoint(time: admin.addingTimeInterval($0 * 3600), hoursAfterAdministration: $0, ct: "ct.nii",
                             spect: SpectReference(image: "s.nii", unit: .becquerelPerML), labels: nil)
        }
        return StudyCycle(number: 1, administeredActivityGBq: activityGBq, administrationTime: admin, timePoints: points,
                          bloodSamples: [], reducedMethod: nil, referenceTimePoint: nil)
    }

    func testNonexistentDatesAreRefusedNotRolledOver() {
        XCTAssertNotNil(ManifestFieldReader.parseISO8601("2025-01-06T09:00:00Z"))
        XCTAssertNotNil(ManifestFieldReader.parseISO8601("2024-02-29T09:00:00+01:00"))  // leap year
        XCTAssertNotNil(ManifestFieldReader.parseISO8601("2000-02-29T00:00:00Z"))       // 400-year rule
        XCTAssertNil(ManifestFieldReader.parseISO8601("2025-02-30T09:00:00Z"))          // would be 2 March
        XCTAssertNil(ManifestFieldReader.parseISO8601("2025-02-29T09:00:00Z"))
        XCTAssertNil(ManifestFieldReader.parseISO8601("1900-02-29T09:00:00Z"))          // century, not leap
        XCTAssertNil(ManifestFieldReader.parseISO8601("2025-04-31T09:00:00Z"))
        XCTAssertNil(ManifestFieldReader.parseISO8601("2025-13-01T09:00:00Z"))
        XCTAssertNil(ManifestFieldReader.parseISO8601("2025-01-06T24:00:00Z"))
        XCTAssertNil(ManifestFieldReader.parseISO8601("2025-01-06T09:60:00Z"))
    }

    func testAdministeredActivityRangeNamesTheLikelyUnit() {
        XCTAssertNil(StudyManifest.administeredActivityProblem(7.4))
        XCTAssertNil(StudyManifest.administeredActivityProblem(3.7))
        XCTAssertNil(StudyManifest.administeredActivityProblem(14.8))
        XCTAssertTrue(StudyManifest.administeredActivityProblem(200)!.contains("mCi"))    // 200 mCi = 7.4 GBq
        XCTAssertTrue(StudyManifest.administeredActivityProblem(7400)!.contains("MBq"))
        XCTAssertNotNil(StudyManifest.administeredActivityProblem(0.1))
        XCTAssertNotNil(StudyManifest.administeredActivityProblem(50))
    }

    /// SPECT total at 4 h of 5 GBq decay-corrected to administration: 5·e^{λ·4 h} ≈ 5.0087 GBq.
    func testAdministeredActivityAgainstTheFirstSpect() throws {
        let atFour = { (gbqAtAdmin: Double) in gbqAtAdmin * 1e9 * exp(-self.lambda * 4 * 3600) }
        XCTAssertEqual(try CycleConsistencyCheck.administeredActivity(cycle: cycle(activityGBq: 7.4, hours: [4, 24]),
                                                                      totalBq: [atFour(5)], physicalDecayPerSecond: lambda,
                                                                      source: "m.yaml"), [])
        // The SPECT holds 9.5 GBq at administration (128 %): still within the 130 % tolerance.
        XCTAssertEqual(try CycleConsistencyCheck.administeredActivity(cycle: cycle(activityGBq: 7.4, hours: [4]),
                                                                      totalBq: [atFour(9.5)], physicalDecayPerSecond: lambda,
                                                                      source: "m.yaml"), [])
        // 3.7 GBq given but the SPECT holds 5 GBq: refused.
        XCTAssertThrowsError(try CycleConsistencyCheck.administeredActivity(cycle: cycle(activityGBq: 3.7, hours: [4]),
                                                                            totalBq: [atFour(5)], physicalDecayPerSecond: lambda,
                                                                            source: "m.yaml")) {
            XCTAssertTrue("\($0)".contains("administered_activity_gbq"), "\($0)")
        }
        // 0.2 GBq in the field for 7.4 GBq given (2.7 %): warned.
        let w = try CycleConsistencyCheck.administeredActivity(cycle: cycle(activityGBq: 7.4, hours: [4]), totalBq: [atFour(0.2)],
                                                               physicalDecayPerSecond: lambda, source: "m.yaml")
        XCTAssertEqual(w.count, 1)
    }

    /// Totals falling only by physical decay (no clearance) are allowed; totals that stay constant (decay
    /// corrected to the administration) are flagged; fits at λ_eff = λ_p are flagged.
    func testDecayCorrectedImagesAreFlagged() {
        let t = [4.0, 24, 48, 72]
        let physical = t.map { 5e9 * exp(-lambda * $0 * 3600) }
        XCTAssertEqual(CycleConsistencyCheck.decayCorrection(timesHours: t, totalBq: physical, fits: [],
                                                             physicalDecayPerSecond: lambda), [])
        let cleared = t.map { 5e9 * exp(-(lambda + 1e-5) * $0 * 3600) }
        XCTAssertEqual(CycleConsistencyCheck.decayCorrection(timesHours: t, totalBq: cleared,
                                                             fits: [("kidney", lambda + 1e-5, 1e14), ("liver", lambda + 5e-6, 2e14),
                                                                    ("lung", lambda, 1e11)],  // a near-empty region on the limit
                                                             physicalDecayPerSecond: lambda), [])
        let corrected = t.map { _ in 5e9 * 0.9 }
        let w = CycleConsistencyCheck.decayCorrection(timesHours: t, totalBq: corrected, fits: [], physicalDecayPerSecond: lambda)
        XCTAssertEqual(w.count, 1)
        XCTAssertTrue(w[0].contains("decay-corrected"))
        let atLimit = CycleConsistencyCheck.decayCorrection(timesHours: t, totalBq: cleared,
                                                            fits: [("kidney", lambda, 1e14), ("liver", lambda, 2e14), ("spleen", 2 * lambda, 1e14)],
                                                            physicalDecayPerSecond: lambda)
        XCTAssertEqual(atLimit.count, 1)
        XCTAssertTrue(atLimit[0].contains("2 of 3"))
        // One region on the limit, but holding 40 % of the activity (tumour burden): flagged.
        let heavy = CycleConsistencyCheck.decayCorrection(timesHours: t, totalBq: cleared,
                                                          fits: [("tumour", lambda, 2e14), ("kidney", 3 * lambda, 1e14),
                                                                 ("liver", 2 * lambda, 1e14), ("spleen", 2 * lambda, 0.5e14)],
                                                          physicalDecayPerSecond: lambda)
        XCTAssertEqual(heavy.count, 1)
    }

    func testActivityMapUnitFromFileOrOption() throws {
        XCTAssertEqual(try ActivityMapUnit.resolve(fileUnit: "Bq s", option: nil, source: "a"), .becquerelSecond)
        XCTAssertEqual(try ActivityMapUnit.resolve(fileUnit: "Bq·s/mL", option: nil, source: "a"), .becquerelSecondPerML)
        XCTAssertEqual(try ActivityMapUnit.resolve(fileUnit: "", option: "bq-s-per-ml", source: "a"), .becquerelSecondPerML)
        XCTAssertEqual(try ActivityMapUnit.resolve(fileUnit: "Bq s", option: "bq-s", source: "a"), .becquerelSecond)
        for (unit, option) in [("", nil), ("Bq/mL", nil), ("Bq/mL", "bq-s-per-ml"), ("Bq", "bq-s"), ("Gy", nil),
                               ("Bq s", "bq-s-per-ml"), ("", "mbq")] as [(String, String?)] {
            XCTAssertThrowsError(try ActivityMapUnit.resolve(fileUnit: unit, option: option, source: "a"), "\(unit) \(option ?? "-")")
        }
        XCTAssertNotNil(ActivityMapUnit.magnitudeWarning(totalBqS: 1e9, source: "a"))
        XCTAssertNil(ActivityMapUnit.magnitudeWarning(totalBqS: 7.4e9 * 3e5, source: "a"))
    }

    func testVoxelCountsAreCheckedMultiplications() {
        XCTAssertEqual(Grid3D.checkedVoxelCount(SIMD3(512, 512, 300)), 512 * 512 * 300)
        XCTAssertNil(Grid3D.checkedVoxelCount(SIMD3(4_000_000_000, 4_000_000_000, 4_000_000_000)))  // overflows Int64
        XCTAssertNil(Grid3D.checkedVoxelCount(SIMD3(1 << 20, 1 << 20, 1)))                          // > 2²⁹
        XCTAssertNil(Grid3D.checkedVoxelCount(SIMD3(0, 10, 10)))
        XCTAssertThrowsError(try Grid3D(shape: SIMD3(4, 4, 4), spacing: SIMD3(1e-30, 1, 1)).validate(source: "x"))
        XCTAssertThrowsError(try Grid3D(shape: SIMD3(4000, 4, 4), spacing: SIMD3(1, 1, 1)).validate(source: "x"))
        XCTAssertNoThrow(try Grid3D(shape: SIMD3(512, 512, 300), spacing: SIMD3(0.98, 0.98, 2)).validate(source: "x"))
    }

    func testGridOverlapRule() throws {
        let ct = Grid3D(shape: SIMD3(10, 10, 10), spacing: SIMD3(repeating: 10))
        XCTAssertNoThrow(try GridOverlap.require(ct, imageSource: "a", inside: ct, referenceSource: "ct"))
        var shifted = ct; shifted.origin.x = 50  // half outside: 50 %
        XCTAssertEqual(GridOverlap.fraction(of: shifted, inside: ct), 0.5, accuracy: 1e-12)
        XCTAssertNoThrow(try GridOverlap.require(shifted, imageSource: "a", inside: ct, referenceSource: "ct"))
        var far = ct; far.origin.x = 5000
        XCTAssertThrowsError(try GridOverlap.require(far, imageSource: "a", inside: ct, referenceSource: "ct"))
    }

    func testRescaleSlopeZeroIsRefused() {
        XCTAssertThrowsError(try RescaleValues.checked(slope: 0, intercept: -1024, source: "ct")) {
            XCTAssertTrue("\($0)".contains("Rescale Slope"), "\($0)")
        }
        XCTAssertThrowsError(try RescaleValues.checked(slope: .nan, intercept: 0, source: "ct"))
        XCTAssertThrowsError(try RescaleValues.checked(slope: 1, intercept: .infinity, source: "ct"))
        XCTAssertEqual(try RescaleValues.checked(slope: 1, intercept: -1024, source: "ct").intercept, -1024)
    }

    func testLabelMapsMustBeIntegers() {
        let g = Grid3D(shape: SIMD3(2, 1, 1), spacing: SIMD3(repeating: 1))
        XCTAssertNoThrow(try Volume<Double>(grid: g, voxels: [0, 3]).requireLabels(source: "l"))
        for bad in [2.5, -1, .nan, 1e9] {
            XCTAssertThrowsError(try Volume<Double>(grid: g, voxels: [0, bad]).requireLabels(source: "l")) {
                XCTAssertTrue("\($0)".contains("voxel (1, 0, 0)"), "\($0)")
            }
        }
    }

    /// The staging folder replaces the target as a whole; discarded, it leaves the target as it was.
    func testStagedFolderReplacesWholeOrNotAtAll() throws {
        let root = NSTemporaryDirectory() + "rpt-staged-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        try "old".write(toFile: root + "/out/a.txt", atomically: true, encoding: .utf8)
        try "old".write(toFile: root + "/out/b.txt", atomically: true, encoding: .utf8)
        let failed = try StagedFolder(target: root + "/out", keepExisting: false)
        try "new".write(toFile: failed.file("a.txt"), atomically: true, encoding: .utf8)
        failed.discard()
        XCTAssertEqual(try String(contentsOfFile: root + "/out/a.txt", encoding: .utf8), "old")
        let staged = try StagedFolder(target: root + "/out", keepExisting: false)
        try "new".write(toFile: staged.file("a.txt"), atomically: true, encoding: .utf8)
        try staged.commit()
        XCTAssertEqual(try String(contentsOfFile: root + "/out/a.txt", encoding: .utf8), "new")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/out/b.txt"), "a file of the old run survived")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root).sorted(), ["out"])
    }

    func testOutputLockRefusesASecondHolder() throws {
        let root = NSTemporaryDirectory() + "rpt-lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = try OutputLock(output: root + "/dose.h5")
        XCTAssertThrowsError(try OutputLock(output: root + "/dose.h5")) {
            XCTAssertTrue("\($0)".contains("another rptdose run"), "\($0)")
        }
        first.release()
        XCTAssertNoThrow(try OutputLock(output: root + "/dose.h5"))
        XCTAssertThrowsError(try OutputLock(output: root + "/missing/dose.h5"))
    }

    func testFoundationErrorsNameTheFile() {
        let e = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteFileExistsError, userInfo: [NSFilePathErrorKey: "/x/out"])
        let t = ReadableError.translate(e)
        XCTAssertTrue(t is InputError)
        XCTAssertTrue("\(t)".hasPrefix("/x/out: "), "\(t)")
        XCTAssertFalse("\(t)".contains("NSCocoaErrorDomain"))
        let json = ReadableError.translate(NSError(domain: NSCocoaErrorDomain, code: 3840, userInfo: [:]))
        XCTAssertTrue("\(json)".contains("not valid JSON"), "\(json)")
    }

    func testExecutablePathIsTheRealFile() {
        let real = URL(fileURLWithPath: ExecutablePath.current).resolvingSymlinksInPath().path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: real), real)
        XCTAssertTrue(real.hasPrefix("/"), real)
    }
}
