import Foundation
import RPTCore
import RPTImageIO
import RPTVolume
import XCTest

/// The bad-input corpus (docs/reliability.md): ≥ 150 plausible user mistakes and faults, each run through the
/// real `rptdose` executable as a subprocess. Every case asserts the exit status, the first line of the
/// message, that no signal (crash) ended the process, and that nothing half-written was left behind.
final class BadInputCorpusTests: XCTestCase {
    nonisolated(unsafe) static var scratch: String?
    nonisolated(unsafe) static var study: String?

    var scratch: String { Self.scratch! }
    var fx: CorpusFixtures { CorpusFixtures(dir: scratch + "/fx") }
    var studyDir: String { Self.study! }

    // The fixtures are removed when the test process exits (FaultTests reuse them), see `prepare`.

    func exe() throws -> String {
        guard let e = CorpusRunner.executable() else {
            let message = "the rptdose executable was not built (swift build); looked next to the tests and in .build/debug"
            // In CI the corpus must run: a missing executable is a failure there, not a skip.
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                throw NSError(domain: "BadInputCorpusTests", code: 1, userInfo: [NSLocalizedDescriptionKey: message])
            }
            throw XCTSkip(message)
        }
        return e
    }

    /// Fixtures once per process: tiny images and a small synthetic study with a good cycle-1 dosimetry.
    func prepare() throws -> String {
        let exe = try exe()
        if Self.scratch == nil {
            let d = NSTemporaryDirectory() + "rpt-corpus-\(UUID().uuidString)"
            try Self.makeStudy(in: d, exe: exe)
            Self.scratch = d
            Self.study = d + "/study"
            atexit { if let d = BadInputCorpusTests.scratch { try? FileManager.default.removeItem(atPath: d) } }
        }
        return exe
    }

    /// `d/fx`: the tiny fixtures; `d/study`: the synthetic patient (46 × 31 × 32 voxels of 8 mm) with its
    /// cycle-1 dosimetry in `d/study/good-c1` (3000 Monte Carlo decays).
    static func makeStudy(in d: String, exe: String) throws {
        _ = try CorpusFixtures.make(in: d + "/fx")
        let study = d + "/study"
        let p = try CorpusRunner.run(exe, ["phantom", "--out", study, "--size", "46x31x32", "--voxel-mm", "8", "--format", ".nii"])
        XCTAssertEqual(p.status, 0, p.stderr)
        let dosimetry = try CorpusRunner.run(exe, ["dosimetry", study + "/manifest.yaml", "--cycle", "1", "--out",
                                                   study + "/good-c1", "--decays", "3000", "--quiet"])
        XCTAssertEqual(dosimetry.status, 0, dosimetry.stderr)
    }

    /// Output path of a case, inside its own folder.
    func out(_ c: String, _ name: String = "out.h5") -> String {
        let dir = scratch + "/" + c
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + name
    }

    /// A copy of the study manifest with text replaced, written beside it (paths stay relative to the study).
    func manifest(_ name: String, _ edits: [(String, String)]) throws -> String {
        var text = try String(contentsOfFile: studyDir + "/manifest.yaml", encoding: .utf8)
        for (a, b) in edits {
            // A case that cannot be made is an error of the corpus (update it), never a silent skip.
            guard text.contains(a) else {
                throw NSError(domain: "BadInputCorpusTests", code: 2,
                              userInfo: [NSLocalizedDescriptionKey: "manifest text '\(a)' not found: the phantom manifest changed"])
            }
            text = text.replacingOccurrences(of: a, with: b)
        }
        let p = studyDir + "/" + name + ".yaml"
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// A copy of the good cycle-1 dosimetry folder whose summary.json is changed by `edit`.
    func dosimetryCopy(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        let dst = scratch + "/dosimetry-" + name
        if !FileManager.default.fileExists(atPath: dst) {
            try FileManager.default.copyItem(atPath: studyDir + "/good-c1", toPath: dst)
        }
        let path = dst + "/summary.json"
        var o = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        edit(&o)
        try JSONSerialization.data(withJSONObject: o).write(to: URL(fileURLWithPath: path))
        return dst
    }

    // MARK: - The corpus

    func testBadInputCorpus() throws {
        let exe = try prepare()
        var cases: [CorpusCase] = []
        cases += optionCases()
        cases += imageCases()
        cases += simulateCases()
        cases += try manifestCases()
        cases += try planCases()
        cases += otherCommandCases()
        cases += try cohortCases()
        XCTAssertGreaterThanOrEqual(cases.count, 150)
        let start = Date()
        CorpusRunner.check(cases, exe: exe, scratch: scratch)
        print(String(format: "bad-input corpus ran in %.1f s", Date().timeIntervalSince(start)))
    }

    /// Arguments of a quick simulate on the tiny fixtures, `activity` and `ct` replaceable.
    func sim(_ name: String, activity: String = "tia.nii", ct: String? = "ct.nii", extra: [String] = []) -> [String] {
        var a = ["simulate", "--activity", fx.path(activity), "--decays", "200", "--threads", "1", "--quiet",
                 "--out", out(name)]
        if let ct { a += ["--ct", fx.path(ct)] }
        return a + extra
    }

    func optionCases() -> [CorpusCase] {
        func usage(_ name: String, _ args: [String], _ message: String) -> CorpusCase {
            CorpusCase(name: name, args: args, exit: ExitStatus.usage, message: message, mustNotExist: [out(name)])
        }
        func refused(_ name: String, _ args: [String], _ message: String) -> CorpusCase {
            CorpusCase(name: name, args: args, exit: ExitStatus.failure, message: message, mustNotExist: [out(name)])
        }
        var c: [CorpusCase] = []
        c.append(usage("decays-negative", sim("decays-negative", extra: ["--decays", "-5"]), "expected a whole number ≥ 1"))
        c.append(usage("decays-zero", sim("decays-zero", extra: ["--decays", "0"]), "expected a whole number ≥ 1"))
        c.append(usage("decays-text", sim("decays-text", extra: ["--decays", "many"]), "--decays"))
        c.append(usage("decays-fraction", sim("decays-fraction", extra: ["--decays", "1.5"]), "--decays"))
        c.append(usage("decays-overflow", sim("decays-overflow", extra: ["--decays", "99999999999999999999999"]), "--decays"))
        c.append(usage("threads-zero", sim("threads-zero", extra: ["--threads", "0"]), "--threads"))
        c.append(usage("threads-negative", sim("threads-negative", extra: ["--threads", "-2"]), "--threads"))
        c.append(usage("threads-huge", sim("threads-huge", extra: ["--threads", "100000"]), "--threads"))
        c.append(usage("seed-negative", sim("seed-negative", extra: ["--seed", "-1"]), "--seed"))
        c.append(usage("unknown-option", sim("unknown-option", extra: ["--colour", "blue"]), "colour"))
        c.append(usage("missing-out", ["simulate", "--activity", fx.path("tia.nii"), "--ct", fx.path("ct.nii")], "--out"))
        c.append(usage("missing-activity", ["simulate", "--ct", fx.path("ct.nii"), "--out", out("missing-activity")], "--activity"))
        c.append(usage("unknown-command", ["simulat"], "simulat"))
        c.append(usage("dosimetry-no-cycle", ["dosimetry", "x.yaml", "--out", out("dosimetry-no-cycle")], "--cycle"))
        c.append(usage("sphere-mass-text", ["sphere", "--mass-g", "heavy", "--decays", "10"], "mass-g"))
        c.append(refused("max-time-negative", sim("max-time-negative", extra: ["--max-time=-5"]), "--max-time"))
        c.append(refused("max-time-nan", sim("max-time-nan", extra: ["--max-time", "nan"]), "--max-time"))
        c.append(refused("checkpoint-zero", sim("checkpoint-zero", extra: ["--checkpoint-interval", "0"]), "--checkpoint-interval"))
        c.append(refused("target-2", sim("target-2", extra: ["--target-uncertainty", "2"]), "--target-uncertainty"))
        c.append(refused("target-no-roi", sim("target-no-roi", extra: ["--target-uncertainty", "0.1"]), "--target-uncertainty"))
        c.append(refused("criterion", sim("criterion", extra: ["--criterion", "best"]), "--criterion"))
        c.append(refused("photon-estimator", sim("photon-estimator", extra: ["--photon-estimator", "tle"]), "--photon-estimator"))
        c.append(refused("source-sampling", sim("source-sampling", extra: ["--source-sampling", "stratified"]), "--source-sampling"))
        c.append(refused("photon-estimator-no-acc", sim("photon-estimator-no-acc",
                                                        extra: ["--photon-estimator", "track-length", "--no-accelerations"]),
                         "--photon-estimator"))
        c.append(refused("step-fraction", sim("step-fraction", extra: ["--max-energy-loss-fraction", "0.9"]), "--max-energy-loss-fraction"))
        c.append(refused("shard-reversed", sim("shard-reversed", extra: ["--shard", "3/2"]), "--shard"))
        c.append(refused("shard-zero", sim("shard-zero", extra: ["--shard", "0/4"]), "--shard"))
        c.append(refused("shard-text", sim("shard-text", extra: ["--shard", "half"]), "--shard"))
        c.append(refused("dose-grid", sim("dose-grid", extra: ["--dose-grid", "spect"]), "--dose-grid"))
        c.append(refused("activity-unit", sim("activity-unit", activity: "tia_nounit.nii", extra: ["--activity-unit", "mci"]),
                         "--activity-unit"))
        c.append(refused("roi-unknown", sim("roi-unknown", extra: ["--roi", "liver"]), "--roi"))
        c.append(refused("method-unknown", sim("method-unknown", extra: ["--method", "magic"]), "magic"))
        c.append(refused("nuclide-unknown", sim("nuclide-unknown", extra: ["--nuclide", "Xx-999"]), "Xx-999"))
        c.append(refused("resume-nothing", sim("resume-nothing", extra: ["--resume"]), "--resume"))
        c.append(refused("geometry-both", sim("geometry-both", extra: ["--labels", fx.path("regions.nii")]), "geometry"))
        c.append(refused("geometry-none", sim("geometry-none", ct: nil), "geometry"))
        c.append(refused("labels-no-table", sim("labels-no-table", ct: nil, extra: ["--labels", fx.path("regions.nii")]),
                         "--material-table"))
        c.append(refused("out-folder-missing", ["simulate", "--activity", fx.path("tia.nii"), "--ct", fx.path("ct.nii"),
                                                "--decays", "100", "--quiet", "--out", scratch + "/no/such/folder/out.h5"],
                         "does not exist"))
        return c
    }

    /// Broken image files, through `info` (header and data), `convert` and `simulate --activity`.
    func imageCases() -> [CorpusCase] {
        let bad: [(String, String)] = [
            ("missing.nii", "file not found"), ("empty.nii", "empty.nii"), ("text.nii", "text.nii"),
            ("fake.h5", "fake.h5"), ("text.h5", "text.h5"), ("truncated_header.nii", "truncated_header.nii"),
            ("truncated_data.nii", "truncated_data.nii"), ("nifti_huge_dims.nii", "too many voxels"),
            ("nifti_zero_dim.nii", "nifti_zero_dim.nii"), ("nifti_tiny_spacing.nii", "implausible voxel spacing"),
            ("nifti_nan_spacing.nii", "spacing"), ("nifti_negative_ndim.nii", "nifti_negative_ndim.nii"),
            ("nifti_bad_datatype.nii", "nifti_bad_datatype.nii"), ("nifti_bad_magic.nii", "nifti_bad_magic.nii"),
            ("mhd_overflow.mhd", "mhd_overflow.mhd"), ("mhd_huge.mhd", "too many voxels"),
            ("mhd_big_uncompressed.mhd", "mhd_big_uncompressed.mhd"), ("mhd_negative_dim.mhd", "mhd_negative_dim.mhd"),
            ("mhd_tiny_spacing.mhd", "implausible voxel spacing"), ("mhd_zero_spacing.mhd", "spacing"),
            ("mhd_huge_spacing.mhd", "implausible voxel spacing"), ("mhd_huge_extent.mhd", "implausible image extent"),
            ("mhd_nan_offset.mhd", "Offset"), ("mhd_far_offset.mhd", "implausible origin"),
            ("mhd_missing_data.mhd", "nowhere.raw"), ("mhd_short_data.mhd", "mhd_short_data.mhd"),
            ("mhd_bad_type.mhd", "ElementType"), ("mhd_missing_dims.mhd", "DimSize"), ("mhd_two_dims.mhd", "mhd_two_dims.mhd"),
            ("mhd_text_dims.mhd", "DimSize"), ("mhd_channels.mhd", "ElementNumberOfChannels"),
            ("mhd_zbomb.mhd", "header/data size mismatch"), ("mhd_zshort.mhd", "mhd_zshort.mhd"),
            ("mhd_zcorrupt.mhd", "mhd_zcorrupt.mhd"), ("h33_overflow.h33", "h33_overflow.h33"), ("h33_huge.h33", "too many voxels"),
            ("h33_short.h33", "h33_short.h33"), ("h33_missing.h33", "nowhere.raw"),
            ("h33_tiny_spacing.h33", "implausible voxel spacing"), ("h33_zero_size.h33", "h33_zero_size.h33"),
        ]
        var c: [CorpusCase] = []
        for (file, message) in bad {
            let stem = "img-" + file.replacingOccurrences(of: ".", with: "-")
            // `info` reads the whole image (value range), so data problems show as well as header problems.
            c.append(CorpusCase(name: stem + "-info", args: ["info", fx.path(file)], exit: ExitStatus.failure, message: message))
            if ["missing.nii", "nifti_huge_dims.nii", "mhd_zbomb.mhd", "mhd_overflow.mhd", "h33_huge.h33",
                "mhd_tiny_spacing.mhd", "truncated_data.nii", "fake.h5"].contains(file) {
                let o = out(stem + "-convert", "copy.nii")
                c.append(CorpusCase(name: stem + "-convert", args: ["convert", fx.path(file), o], exit: ExitStatus.failure,
                                    message: message, mustNotExist: [o]))
                c.append(CorpusCase(name: stem + "-simulate", args: sim(stem + "-simulate", activity: file),
                                    exit: ExitStatus.failure, message: message, mustNotExist: [out(stem + "-simulate")]))
            }
        }
        return c
    }

    /// `simulate` with inputs that are readable but wrong.
    func simulateCases() -> [CorpusCase] {
        func refused(_ name: String, _ args: [String], _ message: String) -> CorpusCase {
            CorpusCase(name: name, args: args, exit: ExitStatus.failure, message: message, mustNotExist: [out(name)])
        }
        var c: [CorpusCase] = []
        // Units of the activity map.
        c.append(refused("unit-spect-bqml", sim("unit-spect-bqml", activity: "spect_bqml.nii"), "not a time-integrated activity"))
        c.append(refused("unit-spect-bqml-declared", sim("unit-spect-bqml-declared", activity: "spect_bqml.nii",
                                                         extra: ["--activity-unit", "bq-s-per-ml"]), "not a time-integrated activity"))
        c.append(refused("unit-missing", sim("unit-missing", activity: "tia_nounit.nii"), "does not state its unit"))
        c.append(refused("unit-gy", sim("unit-gy", activity: "tia_gy.nii"), "not a unit of time-integrated activity"))
        c.append(refused("unit-conflict", sim("unit-conflict", extra: ["--activity-unit", "bq-s-per-ml"]), "--activity-unit says"))
        c.append(CorpusCase(name: "unit-stated-ok", args: sim("unit-stated-ok", activity: "tia_nounit.nii",
                                                               extra: ["--activity-unit", "bq-s"]),
                            exit: 0, message: ""))
        c.append(CorpusCase(name: "unit-tiny-warns", args: sim("unit-tiny-warns", activity: "tia_tiny.nii"), exit: 0,
                            message: "", warning: "below any therapy"))
        // Values of the activity map.
        c.append(refused("activity-negative", sim("activity-negative", activity: "tia_negative.nii"), "must be ≥ 0"))
        c.append(refused("activity-nan", sim("activity-nan", activity: "tia_nan.nii"), "NaN"))
        // Where the map lies.
        c.append(refused("activity-far", sim("activity-far", activity: "tia_far.nii"), "do not overlap enough"))
        c.append(refused("activity-far-ctgrid", sim("activity-far-ctgrid", activity: "tia_far.nii", extra: ["--dose-grid", "ct"]),
                         "do not overlap enough"))
        c.append(refused("activity-far-labels", sim("activity-far-labels", activity: "tia_far.nii", ct: nil,
                                                    extra: ["--labels", fx.path("regions.nii"), "--material-table", fx.path("materials.csv")]),
                         "do not overlap enough"))
        c.append(CorpusCase(name: "activity-edge-ok", args: sim("activity-edge-ok", activity: "tia_edge.nii"), exit: 0, message: ""))
        // The CT.
        c.append(refused("ct-nan", sim("ct-nan", ct: "ct_nan.nii"), "NaN"))
        c.append(refused("ct-scaled", sim("ct-scaled", ct: "ct_scaled.nii"), "not a CT in HU"))
        c.append(refused("ct-is-spect", sim("ct-is-spect", ct: "ct_is_spect.nii"), "does not look like a CT"))
        c.append(refused("ct-unit-bqml", sim("ct-unit-bqml", ct: "ct_unit_bqml.nii"), "not HU"))
        c.append(refused("ct-is-tia", sim("ct-is-tia", ct: "tia.nii"), "not HU"))
        c.append(refused("ct-missing", sim("ct-missing", ct: "missing.nii"), "file not found"))
        c.append(refused("ct-huge-header", sim("ct-huge-header", ct: "mhd_huge.mhd"), "too many voxels"))
        c.append(CorpusCase(name: "ct-water-ok", args: sim("ct-water-ok", ct: "ct_water.nii"), exit: 0, message: ""))
        c.append(refused("calibration-missing", sim("calibration-missing", extra: ["--calibration", scratch + "/nowhere"]), "nowhere"))
        // Region maps.
        let regionArgs = { (n: String, map: String, names: String) in
            self.sim(n, extra: ["--regions", self.fx.path(map), "--region-names", self.fx.path(names)])
        }
        c.append(refused("regions-fraction", regionArgs("regions-fraction", "regions_fraction.nii", "regions.csv"), "integers"))
        c.append(refused("regions-negative", regionArgs("regions-negative", "regions_negative.nii", "regions.csv"), "integers"))
        c.append(refused("regions-nan", regionArgs("regions-nan", "regions_nan.nii", "regions.csv"), "integers"))
        c.append(refused("regions-huge", regionArgs("regions-huge", "regions_huge.nii", "regions.csv"), "integers"))
        c.append(refused("regions-bad-csv", regionArgs("regions-bad-csv", "regions.nii", "regions_bad.csv"), "regions_bad.csv"))
        c.append(refused("regions-zero-csv", regionArgs("regions-zero-csv", "regions.nii", "regions_zero.csv"), "regions_zero.csv"))
        c.append(refused("regions-missing", regionArgs("regions-missing", "missing.nii", "regions.csv"), "file not found"))
        // Label-map geometry.
        let labelGeometry = { (n: String, map: String, table: String) in
            self.sim(n, ct: nil, extra: ["--labels", self.fx.path(map), "--material-table", self.fx.path(table)])
        }
        c.append(refused("labels-fraction", labelGeometry("labels-fraction", "regions_fraction.nii", "materials.csv"), "integers"))
        c.append(refused("labels-negative", labelGeometry("labels-negative", "regions_negative.nii", "materials.csv"), "integers"))
        c.append(refused("labels-no-material", labelGeometry("labels-no-material", "regions.nii", "materials_missing.csv"), "no material"))
        c.append(refused("labels-unknown-material", labelGeometry("labels-unknown-material", "regions.nii", "materials_unknown.csv"),
                         "unobtainium"))
        // Other map formats work the same.
        c.append(CorpusCase(name: "activity-mhd-ok", args: sim("activity-mhd-ok", activity: "tia.mhd"), exit: 0, message: ""))
        c.append(CorpusCase(name: "activity-h5-ok", args: sim("activity-h5-ok", activity: "tia.h5"), exit: 0, message: ""))
        // Found through PATH from another folder: the CT calibration is still found (data path from /proc/self/exe;
        // RPTDOSE_NO_SOURCE_DATA turns off the debug build's search beside its sources, so only that path can find it).
        let binDir = (try? exe()).map { ($0 as NSString).deletingLastPathComponent } ?? ""
        c.append(CorpusCase(name: "through-path", args: sim("through-path"), exit: 0, message: "", cwd: scratch,
                            environment: ["PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
                                          "RPTDOSE_NO_SOURCE_DATA": "1"], byName: true))
        return c
    }

    /// `dosimetry` (and `plan`, which reads the manifest too) with bad manifests.
    func manifestCases() throws -> [CorpusCase] {
        var c: [CorpusCase] = []
        func dosimetry(_ name: String, _ manifest: String, _ message: String, cycle: String = "1") -> CorpusCase {
            let o = out(name, "dosimetry")
            return CorpusCase(name: name, args: ["dosimetry", manifest, "--cycle", cycle, "--out", o, "--method", "ldm", "--quiet"],
                              exit: ExitStatus.failure, message: message, mustNotExist: [o])
        }
        let admin = "administered_activity_gbq: 7.4\n    administration_time: 2025-01-06T09:00:00Z"
        func activity(_ v: String) throws -> String {
            try manifest("m-activity-\(v)", [(admin, "administered_activity_gbq: \(v)\n    administration_time: 2025-01-06T09:00:00Z")])
        }
        c.append(dosimetry("m-mci", try activity("200"), "typed in mCi"))
        c.append(dosimetry("m-mbq", try activity("7400"), "typed in MBq"))
        c.append(dosimetry("m-tiny", try activity("0.01"), "implausible administered activity"))
        c.append(dosimetry("m-zero", try activity("0"), "must be > 0"))
        c.append(dosimetry("m-negative", try activity("-7.4"), "must be > 0"))
        c.append(dosimetry("m-text", try activity("lots"), "administered_activity_gbq"))
        c.append(dosimetry("m-too-much-for-spect", try activity("0.6"), "holds"))
        let date = "administration_time: 2025-01-06T09:00:00Z"
        c.append(dosimetry("m-feb30", try manifest("m-feb30", [(date, "administration_time: 2025-02-30T09:00:00Z")]), "existing ISO-8601"))
        c.append(dosimetry("m-hour25", try manifest("m-hour25", [(date, "administration_time: 2025-01-06T25:00:00Z")]), "ISO-8601"))
        c.append(dosimetry("m-no-zone", try manifest("m-no-zone", [(date, "administration_time: 2025-01-06T09:00:00")]), "ISO-8601"))
        c.append(dosimetry("m-after-scans", try manifest("m-after-scans", [(date, "administration_time: 2025-03-06T09:00:00Z")]),
                           "after the administration"))
        c.append(dosimetry("m-fwhm", try manifest("m-fwhm", [("spect_resolution_fwhm_mm: ", "spect_resolution_fwhm_mm: 1e9 #")]),
                           "implausible SPECT resolution"))
        c.append(dosimetry("m-fwhm-negative", try manifest("m-fwhm-negative", [("spect_resolution_fwhm_mm: ", "spect_resolution_fwhm_mm: -3 #")]),
                           "spect_resolution_fwhm_mm"))
        c.append(dosimetry("m-unknown-key", try manifest("m-unknown-key", [("arm: investigational", "arm: investigational\ncolour: blue")]),
                           "colour"))
        c.append(dosimetry("m-arm", try manifest("m-arm", [("arm: investigational", "arm: experimental")]), "arm"))
        // The part of the activity uncertainty common to every time point must lie in [0, the total (10 %)).
        for (name, value) in [("m-common-unc-total", "0.1"), ("m-common-unc-negative", "-0.02"), ("m-common-unc-percent", "5")] {
            c.append(dosimetry(name, try manifest(name, [("arm: investigational",
                                                          "arm: investigational\nactivity_common_relative_uncertainty: \(value)")]),
                               "activity_common_relative_uncertainty"))
        }
        c.append(dosimetry("m-ct-missing", try manifest("m-ct-missing", [("ct: ct.nii", "ct: nowhere.nii")]), "nowhere.nii"))
        c.append(dosimetry("m-ct-is-spect", try manifest("m-ct-is-spect", [("ct: ct.nii", "ct: spect_c1_024h.nii")]), "CT"))
        c.append(dosimetry("m-spect-far", try manifest("m-spect-far", [("{image: spect_c1_004h.nii", "{image: \(fx.path("tia_far.nii"))")]),
                           "overlap"))
        c.append(dosimetry("m-labels-fraction", try manifest("m-labels-fraction", [("image: labels.nii", "image: \(fx.path("regions_fraction.nii"))")]),
                           "integers"))
        c.append(dosimetry("m-cycle-9", studyDir + "/manifest.yaml", "9", cycle: "9"))
        c.append(dosimetry("m-cycle-0", studyDir + "/manifest.yaml", "0", cycle: "0"))
        c.append(dosimetry("m-missing", studyDir + "/nowhere.yaml", "nowhere.yaml"))
        let garbage = studyDir + "/garbage.yaml"
        try "cycles: [unclosed\n  - {".write(toFile: garbage, atomically: true, encoding: .utf8)
        c.append(dosimetry("m-garbage", garbage, "garbage.yaml"))
        let empty = studyDir + "/empty.yaml"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        c.append(dosimetry("m-empty", empty, "empty.yaml"))
        c.append(dosimetry("m-format", try manifest("m-format", [("format_version: 1", "format_version: 7")]), "format_version"))
        c.append(dosimetry("m-unit", try manifest("m-unit", [("unit: bq_per_ml}", "unit: mci}")]), "unit"))
        if fx.hasDicom {  // DICOM CT series by pydicom: Rescale Slope 0 would turn the CT into uniform water
            c.append(dosimetry("m-dicom-slope0", try manifest("m-dicom-slope0", [("ct: ct.nii", "ct: \(fx.path("dicom_ct_slope0"))")]),
                               "Rescale Slope"))
            // `info` lists the series and says why it cannot be read, and does not report success (exit 1).
            c.append(CorpusCase(name: "dicom-info-slope0", args: ["info", fx.path("dicom_ct_slope0")], exit: ExitStatus.failure,
                                message: "Rescale Slope"))
            // A gantry-tilted CT series: refused with the tilt angle (RPTDose does not resample tilted stacks).
            c.append(dosimetry("m-dicom-tilt", try manifest("m-dicom-tilt", [("ct: ct.nii", "ct: \(fx.path("dicom_ct_tilt"))")]),
                               "stacked 15° off its slice normal (gantry tilt"))
            c.append(CorpusCase(name: "dicom-info-tilt", args: ["info", fx.path("dicom_ct_tilt")], exit: ExitStatus.failure,
                                message: "gantry tilt"))
        }
        // A failed run into a folder holding a good result leaves the result as it was.
        let good = studyDir + "/good-c1"
        c.append(CorpusCase(name: "m-keeps-old-result", args: ["dosimetry", try activity("200"), "--cycle", "1", "--out", good,
                                                               "--method", "ldm", "--quiet"],
                            exit: ExitStatus.failure, message: "typed in mCi",
                            unchanged: ["summary.json", "regions.csv", "regions.json", "dosimetry.h5"].map { good + "/" + $0 }))
        // A NaN voxel in the study's CT (refused by dosimetry as by simulate).
        var ct = try ImageIO.read(studyDir + "/ct.nii").converted(to: Float.self)
        ct.voxels[ct.voxels.count / 2] = .nan
        try ImageIO.write(AnyVolume(ct), to: studyDir + "/ct_nan.nii")
        c.append(dosimetry("m-ct-nan", try manifest("m-ct-nan", [("ct: ct.nii", "ct: ct_nan.nii")]), "NaN"))
        // SPECTs decay-corrected to the administration (a NIfTI export without the DICOM tag): a loud warning.
        let lambda = log(2.0) / (6.647 * 86400)  // Lu-177, ICRP 107
        var edits: [(String, String)] = []
        for h in [4, 24, 48, 72, 96] {
            let stem = String(format: "spect_c1_%03dh", h)
            var s = try ImageIO.read(studyDir + "/" + stem + ".nii").asDouble
            let f = exp(lambda * Double(h) * 3600)
            s.voxels = s.voxels.map { $0 * f }
            try ImageIO.write(AnyVolume(s.converted(to: Float.self)), to: studyDir + "/" + stem + "_dc.nii")
            edits.append((stem + ".nii", stem + "_dc.nii"))
        }
        let dc = out("m-decay-corrected", "dosimetry")
        c.append(CorpusCase(name: "m-decay-corrected", args: ["dosimetry", try manifest("m-decay-corrected", edits), "--cycle", "1",
                                                              "--out", dc, "--method", "ldm", "--quiet"],
                            exit: 0, message: "", warning: "decay-corrected"))
        // An output whose parent is a file (Foundation's "file exists" error, named).
        c.append(dosimetry("m-out-parent-file", studyDir + "/manifest.yaml", "tia.nii").with(args: [
            "dosimetry", studyDir + "/manifest.yaml", "--cycle", "1", "--out", fx.path("tia.nii") + "/sub", "--method", "ldm", "--quiet"]))
        // An output that is a file.
        let fileOut = out("m-out-is-file", "taken")
        FileManager.default.createFile(atPath: fileOut, contents: Data("x".utf8))
        c.append(CorpusCase(name: "m-out-is-file", args: ["dosimetry", studyDir + "/manifest.yaml", "--cycle", "1", "--out", fileOut,
                                                          "--method", "ldm", "--quiet"],
                            exit: ExitStatus.failure, message: "not a folder", unchanged: [fileOut]))
        return c
    }

    /// `plan` with dosimetry summaries that must not be planned from.
    func planCases() throws -> [CorpusCase] {
        var c: [CorpusCase] = []
        let m = studyDir + "/manifest.yaml"
        func plan(_ name: String, _ args: [String], _ message: String, exit: Int32 = ExitStatus.failure) -> CorpusCase {
            let o = out(name, "plan.json"), h5 = out(name, "plan.h5")
            return CorpusCase(name: name, args: ["plan", m] + args + ["--out", o, "--h5", h5], exit: exit, message: message,
                              mustNotExist: exit == 0 ? [] : [o, h5])
        }
        let good = studyDir + "/good-c1"
        c.append(plan("plan-ok", ["--dosimetry", good], "", exit: 0))
        c.append(plan("plan-partial", ["--dosimetry", try dosimetryCopy("partial") { $0["partial"] = true }], "partial"))
        c.append(plan("plan-version", ["--dosimetry", try dosimetryCopy("version") { $0["format_version"] = 99 }], "format_version"))
        c.append(plan("plan-no-version", ["--dosimetry", try dosimetryCopy("noversion") { $0["format_version"] = nil }], "format_version"))
        c.append(plan("plan-foreign-activity", ["--dosimetry", try dosimetryCopy("foreign-a") { $0["administered_activity_gbq"] = 3.7 }],
                      "another study"))
        c.append(plan("plan-foreign-time", ["--dosimetry", try dosimetryCopy("foreign-t") { $0["administration_time"] = "2024-05-01T08:00:00Z" }],
                      "another study"))
        c.append(plan("plan-wrong-cycle", ["--dosimetry", try dosimetryCopy("cycle2") { $0["cycle"] = 2 }], "cycle"))
        c.append(plan("plan-no-kidneys", ["--dosimetry", try dosimetryCopy("nokidney") { $0["kidneys"] = nil }], "kidneys"))
        c.append(plan("plan-nan-kidney", ["--dosimetry", try dosimetryCopy("nankidney") {
            $0["kidneys"] = ["dose_per_gbq_gy": "NaN", "combined_rel_uncertainty": 0.1, "effective_decay_per_h": 0.01]
        }], "dose_per_gbq_gy"))
        let notJSON = scratch + "/dosimetry-notjson"
        try FileManager.default.createDirectory(atPath: notJSON, withIntermediateDirectories: true)
        try "{ not json".write(toFile: notJSON + "/summary.json", atomically: true, encoding: .utf8)
        c.append(plan("plan-not-json", ["--dosimetry", notJSON], "summary.json"))
        c.append(plan("plan-missing", ["--dosimetry", scratch + "/nowhere"], "no dosimetry summary"))
        c.append(plan("plan-after-9", ["--dosimetry", good, "--after-cycle", "9"], "--after-cycle"))
        c.append(plan("plan-after-negative", ["--dosimetry", good, "--after-cycle=-1"], "--after-cycle"))
        c.append(plan("plan-arm", ["--dosimetry", good, "--arm", "both"], "--arm"))
        c.append(plan("plan-config-missing", ["--dosimetry", good, "--config", scratch + "/nowhere.yaml"], "nowhere.yaml"))
        let badConfig = scratch + "/bad-protocol.yaml"
        try "format_version: [".write(toFile: badConfig, atomically: true, encoding: .utf8)
        c.append(plan("plan-config-garbage", ["--dosimetry", good, "--config", badConfig], "bad-protocol.yaml"))
        c.append(plan("plan-manifest-mci", ["--dosimetry", good], "typed in mCi").with(args: ["plan", try manifest("p-mci", [
            ("administered_activity_gbq: 7.4\n    administration_time: 2025-01-06T09:00:00Z",
             "administered_activity_gbq: 200\n    administration_time: 2025-01-06T09:00:00Z")]),
            "--dosimetry", good, "--out", out("plan-manifest-mci", "plan.json"), "--h5", out("plan-manifest-mci", "plan.h5")]))
        return c
    }

    /// The remaining commands' inputs.
    /// `cohort` over a small trial-sim whose REDCap export has a bad site designation of RECIST targets
    /// (`recist_target` must be 1 or 0 on baseline rows): refused naming the file, line and field; no output folder.
    func cohortCases() throws -> [CorpusCase] {
        let trial = scratch + "/cohort-trial"
        if !FileManager.default.fileExists(atPath: trial) {
            let p = try CorpusRunner.run(try exe(), ["trial-sim", "--patients", "2", "--seed", "3", "--out", trial])
            guard p.status == 0 else { throw NSError(domain: "corpus", code: 1, userInfo: [NSLocalizedDescriptionKey: p.stderr]) }
        }
        var cases: [CorpusCase] = []
        // (name, value on the first baseline row, value on the first 6-month row, expected message); the other baseline
        // rows get 0 so that each case has exactly one problem.
        let edits = [("cohort-recist-target-2", "2", "", "recist_target' = '2'"),
                     ("cohort-recist-target-m6", "1", "1", "designated at baseline only")]
        for (name, first, m6, message) in edits {
            let copy = scratch + "/" + name + "-in"
            if !FileManager.default.fileExists(atPath: copy) { try FileManager.default.copyItem(atPath: trial, toPath: copy) }
            let csv = copy + "/SIM0001/followup.csv"
            var lines = try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\n")
            // recist_target is the last column, empty in trial-sim's export.
            guard let firstBaseline = lines.firstIndex(where: { $0.contains(",recist,") && $0.contains(",baseline,") }),
                  let firstM6 = lines.firstIndex(where: { $0.contains(",recist,") && $0.contains(",m6,") }) else {
                throw NSError(domain: "corpus", code: 1, userInfo: [NSLocalizedDescriptionKey: "trial-sim's export changed: \(csv)"])
            }
            for i in lines.indices where lines[i].contains(",recist,") && lines[i].contains(",baseline,") {
                lines[i] += i == firstBaseline ? first : "0"
            }
            lines[firstM6] += m6
            try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
            let o = out(name, "cohort")
            cases.append(CorpusCase(name: name, args: ["cohort", copy, "--out", o], exit: ExitStatus.failure,
                                    message: message, mustNotExist: [o]))
        }
        return cases
    }

    func otherCommandCases() -> [CorpusCase] {
        func refused(_ name: String, _ args: [String], _ message: String, outputs: [String] = []) -> CorpusCase {
            CorpusCase(name: name, args: args, exit: ExitStatus.failure, message: message, mustNotExist: outputs)
        }
        var c: [CorpusCase] = []
        c.append(refused("sphere-mass-zero", ["sphere", "--mass-g", "0", "--decays", "10"], "--mass-g"))
        c.append(refused("sphere-mass-nan", ["sphere", "--mass-g", "nan", "--decays", "10"], "--mass-g"))
        c.append(refused("sphere-mass-huge", ["sphere", "--mass-g", "1e12", "--decays", "10"], "--mass-g"))
        c.append(refused("sphere-voxels-huge", ["sphere", "--mass-g", "10", "--voxels-across", "100000", "--decays", "10"], "--voxels-across"))
        c.append(refused("sphere-voxels-two", ["sphere", "--mass-g", "10", "--voxels-across", "2", "--decays", "10"], "--voxels-across"))
        c.append(refused("sphere-material", ["sphere", "--mass-g", "10", "--material", "cheese", "--decays", "10"], "cheese"))
        c.append(refused("kernel-size-even", ["kernel", "vsv", "--voxel-mm", "4", "--size", "4", "--decays", "10"], "--size"))
        c.append(refused("kernel-size-huge", ["kernel", "vsv", "--voxel-mm", "4", "--size", "100001", "--decays", "10"], "--size"))
        c.append(refused("kernel-voxel-zero", ["kernel", "vsv", "--voxel-mm", "0", "--decays", "10"], "--voxel-mm"))
        c.append(refused("kernel-voxel-tiny", ["kernel", "vsv", "--voxel-mm", "1e-30", "--decays", "10"], "spacing"))
        let phantom = { (n: String, extra: [String]) -> CorpusCase in
            let o = self.out(n, "phantom")
            return refused(n, ["phantom", "--out", o] + extra, "", outputs: [o + "/ct.nii.gz"])
        }
        c.append(phantom("phantom-size-huge", ["--size", "100000x100000x100000"]).expecting("shape"))
        c.append(phantom("phantom-size-overflow", ["--size", "4000000000x4000000000x4000000000"]).expecting("shape"))
        c.append(phantom("phantom-size-zero", ["--size", "0x10x10"]).expecting("--size"))
        c.append(phantom("phantom-size-text", ["--size", "big"]).expecting("--size"))
        c.append(phantom("phantom-voxel-tiny", ["--voxel-mm", "1e-30"]).expecting("spacing"))
        c.append(phantom("phantom-voxel-nan", ["--voxel-mm", "nan"]).expecting("spacing"))
        c.append(phantom("phantom-format", ["--format", ".xyz"]).expecting(".xyz"))
        c.append(refused("physics-energy", ["physics", "photon", "--material", "water", "--energy-kev", "-1"], "--energy-kev"))
        c.append(refused("physics-material", ["physics", "electron", "--material", "cheese", "--energy-kev", "100"], "cheese"))
        c.append(refused("physics-nuclide", ["physics", "nuclide", "Xx-1"], "Xx-1"))
        c.append(refused("compare-missing", ["compare", fx.path("missing.h5"), fx.path("tia.h5")], "missing.h5"))
        c.append(refused("compare-labels-fraction", ["compare", fx.path("dose.h5"), fx.path("dose.h5"), "--labels",
                                                     fx.path("regions_fraction.nii"), "--label-names", fx.path("regions.csv")],
                         "integers"))
        c.append(refused("merge-missing", ["merge", fx.path("missing.h5"), "--out", out("merge-missing")], "missing.h5",
                         outputs: [out("merge-missing")]))
        c.append(refused("merge-not-simulation", ["merge", fx.path("tia.h5"), fx.path("tia.h5"), "--out", out("merge-not-simulation")],
                         "tia.h5", outputs: [out("merge-not-simulation")]))
        c.append(refused("export-missing", ["export", fx.path("missing.h5"), "--nifti", out("export-missing", "d.nii")], "missing.h5",
                         outputs: [out("export-missing", "d.nii")]))
        c.append(refused("report-missing", ["report", scratch + "/nowhere", "--out", out("report-missing", "r.html")], "nowhere",
                         outputs: [out("report-missing", "r.html")]))
        c.append(refused("convert-unknown-ext", ["convert", fx.path("tia.nii"), out("convert-unknown-ext", "x.xyz")], "x.xyz",
                         outputs: [out("convert-unknown-ext", "x.xyz")]))
        return c
    }
}

extension CorpusCase {
    /// The same case with another expected message.
    func expecting(_ message: String) -> CorpusCase { var c = self; c.message = message; return c }
    /// The same case with other arguments.
    func with(args: [String]) -> CorpusCase { var c = self; c.args = args; return c }
}
