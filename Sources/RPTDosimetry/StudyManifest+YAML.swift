import Foundation
import RPTCore
import RPTDicom
import RPTPlanner
import RPTRegistration
import RPTVolume
import RPTYAML
import Yams

extension StudyManifest {
    /// Reads and validates a study manifest (docs/formats/study-manifest.md).
    ///
    /// Every problem is collected and thrown together as `InputErrors`, each naming the key path
    /// (`cycles[0].time_points[2].spect.unit`): unknown or missing keys, wrong types, missing files,
    /// times out of order, negative activities, missing units and calibrations, images whose grids do
    /// not overlap, and region names that are not in the label tables.
    /// - Parameter checkImages: read the image headers to check that the grids overlap (default true).
    public static func load(path: String, checkImages: Bool = true) throws -> StudyManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([InputError(source: path, reason: "cannot read the manifest (missing or not readable)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputErrors([InputError(source: path, reason: "the manifest is not UTF-8 text")])
        }
        return try parse(yaml: text, path: path, checkImages: checkImages)
    }

    /// Parses and validates manifest text; relative paths are resolved against the folder of `path`.
    public static func parse(yaml text: String, path: String, checkImages: Bool = true) throws -> StudyManifest {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw InputErrors([InputError(source: path, reason: "not valid YAML: \(error)")])
        }
        let r = ManifestFieldReader(source: path)
        guard let top = r.mapping(root, path: "") else { throw InputErrors(r.errors) }
        let base = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(p)
        }
        r.allowOnly(top, ["format_version", "nuclide", "patient", "arm", "labels", "region_groups", "lesions",
                          "marrow_region", "kidney_regions", "recovery_coefficients", "spect_resolution_fwhm_mm",
                          "activity_relative_uncertainty", "activity_common_relative_uncertainty", "blood_relative_uncertainty", "haematocrit", "marrow_to_blood_ratio", "cycles",
                          "dosimetry_outputs", "registration"], path: "")

        let version = r.int(top, "format_version", path: "", required: true)
        if let v = version, v != currentFormatVersion {
            r.fail("format_version", "\(v)", "this release reads format version \(currentFormatVersion)")
        }
        let nuclide = r.string(top, "nuclide", path: "") ?? "Lu-177"

        var patient = StudyPatient(id: "", sex: .male, massKg: 73, heightCm: 176, kidneyRiskFactors: false)
        if let p = r.section(top, "patient", path: "", required: true) {
            r.allowOnly(p, ["id", "name", "birth_date", "sex", "mass_kg", "height_cm", "kidney_risk_factors"], path: "patient")
            patient.id = r.string(p, "id", path: "patient") ?? ""
            patient.name = r.string(p, "name", path: "patient") ?? ""
            if let b = r.string(p, "birth_date", path: "patient") {
                patient.birthDate = b
                if !StudyPatient.isBirthDate(b) {
                    r.fail("patient.birth_date", b, "expected a past date YYYY-MM-DD")
                }
            }
            if let s: PatientSex = r.enumeration(p, "sex", path: "patient", required: true) { patient.sex = s }
            if let m = r.positive(p, "mass_kg", path: "patient", required: true, unit: "kg") { patient.massKg = m }
            if let h = r.positive(p, "height_cm", path: "patient", required: true, unit: "cm") { patient.heightCm = h }
            patient.kidneyRiskFactors = r.bool(p, "kidney_risk_factors", path: "patient") ?? false
        }
        let arm: TreatmentArm = r.enumeration(top, "arm", path: "", required: true) ?? .standard

        let shared = labelReference(r, top, "labels", path: "", resolve: resolve)

        var groups: [(name: String, members: [String])] = []
        if let g = r.section(top, "region_groups", path: "") {
            for (name, node) in g {
                let p = "region_groups." + name
                guard let list = node.sequence, !list.isEmpty else {
                    r.fail(p, r.render(node), "expected a non-empty list of label names"); continue
                }
                let members = list.compactMap { $0.scalar?.string }
                if members.count != list.count { r.fail(p, r.render(node), "expected label names") }
                groups.append((name, members))
            }
        }
        let lesions = r.strings(top, "lesions", path: "")
        let marrowExplicit = r.string(top, "marrow_region", path: "")
        let kidneysExplicit = r.strings(top, "kidney_regions", path: "")

        var rc: [String: Double] = [:]
        if let m = r.section(top, "recovery_coefficients", path: "") {
            for (name, node) in m {
                let p = "recovery_coefficients." + name
                if let x = node.float, x > 0, x <= 1 { rc[name] = x } else {
                    r.fail(p, r.render(node), "a recovery coefficient is measured/true activity: a number in (0, 1]")
                }
            }
        }
        var fwhm = r.positive(top, "spect_resolution_fwhm_mm", path: "", unit: "mm")
        // Lu-177 SPECT with medium-energy collimators resolves 10–20 mm FWHM; beyond 50 mm the transfer matrix
        // would spread each region over the whole body (and its blur kernel over more voxels than the image).
        if let f = fwhm, f > StudyManifest.maximumSpectResolutionFWHMMM {
            r.fail("spect_resolution_fwhm_mm", "\(f)", "implausible SPECT resolution: expected 1…\(Int(StudyManifest.maximumSpectResolutionFWHMMM)) mm FWHM (Lu-177 SPECT: 10–20 mm)")
            fwhm = nil
        }
        if fwhm != nil && !rc.isEmpty {
            r.fail("recovery_coefficients", "\(rc.count) region(s)",
                   "give either spect_resolution_fwhm_mm (transfer-matrix correction) or recovery_coefficients, not both")
        }
        var relUnc = 0.10
        if let u = r.double(top, "activity_relative_uncertainty", path: "") {
            if u > 0 && u < 1 { relUnc = u } else {
                r.fail("activity_relative_uncertainty", "\(u)", "must be between 0 and 1 (e.g. 0.05 for 5 %)")
            }
        }
        var commonUnc = 0.0
        if let u = r.double(top, "activity_common_relative_uncertainty", path: "") {
            if u >= 0 && u < relUnc { commonUnc = u } else {
                r.fail("activity_common_relative_uncertainty", "\(u)",
                       "must be ≥ 0 and below activity_relative_uncertainty (\(relUnc)): it is the part of it common to every time point")
            }
        }
        var bloodUnc = 0.05
        if let u = r.double(top, "blood_relative_uncertainty", path: "") {
            if u > 0 && u < 1 { bloodUnc = u } else {
                r.fail("blood_relative_uncertainty", "\(u)", "must be between 0 and 1 (e.g. 0.05 for 5 %)")
            }
        }
        var hct: Double?
        if let h = r.double(top, "haematocrit", path: "") {
            if h > 0 && h < 1 { hct = h } else { r.fail("haematocrit", "\(h)", "must be a fraction between 0 and 1") }
        }
        let rmblr = r.positive(top, "marrow_to_blood_ratio", path: "", unit: "") ?? 1

        var outputs: [Int: String] = [:]
        if let m = r.section(top, "dosimetry_outputs", path: "") {
            for (key, node) in m {
                guard let c = Int(key), c >= 1 else { r.fail("dosimetry_outputs." + key, key, "keys are cycle numbers ≥ 1"); continue }
                guard let s = node.scalar?.string, !s.isEmpty else {
                    r.fail("dosimetry_outputs." + key, r.render(node), "expected a folder path"); continue
                }
                outputs[c] = resolve(s)
            }
        }

        let registration: RegistrationMode = r.enumeration(top, "registration", path: "") ?? .none
        var cycles: [StudyCycle] = []
        if let list = r.sequence(top, "cycles", path: "", required: true) {
            if list.isEmpty { r.fail("cycles", "[]", "at least one cycle is required") }
            for (node, p) in list {
                if let c = parseCycle(r, node, path: p, resolve: resolve, sharedLabels: shared,
                                      registered: registration != .none) { cycles.append(c) }
            }
        }
        for i in cycles.indices.dropFirst() where cycles[i].number > 0 && cycles[i - 1].number > 0
            && cycles[i].administrationTime != .distantPast && cycles[i - 1].administrationTime != .distantPast {
            if cycles[i].number <= cycles[i - 1].number {
                r.fail("cycles[\(i)].cycle", "\(cycles[i].number)", "cycle numbers must increase (previous: \(cycles[i - 1].number))")
            }
            if cycles[i].administrationTime <= cycles[i - 1].administrationTime {
                r.fail("cycles[\(i)].administration_time", ManifestFieldReader.format(cycles[i].administrationTime),
                       "administrations must be in time order (previous cycle: "
                       + ManifestFieldReader.format(cycles[i - 1].administrationTime) + ")")
            }
        }

        var manifest = StudyManifest(path: path, formatVersion: version ?? currentFormatVersion, nuclide: nuclide,
                                     patient: patient, arm: arm, sharedLabels: shared, regionGroups: groups,
                                     lesions: lesions, marrowRegion: marrowExplicit ?? "red_marrow",
                                     kidneyRegions: kidneysExplicit ?? ["kidney_left", "kidney_right"],
                                     recoveryCoefficients: rc, spectResolutionFWHMMM: fwhm,
                                     activityRelativeUncertainty: relUnc, bloodRelativeUncertainty: bloodUnc, haematocrit: hct, marrowToBloodRatio: rmblr,
                                     cycles: cycles, dosimetryOutputs: outputs,
                                     registration: registration)
        manifest.activityCommonRelativeUncertainty = commonUnc
        manifest.checkFilesAndRegions(r, checkImages: checkImages, marrowExplicit: marrowExplicit != nil,
                                      kidneysExplicit: kidneysExplicit != nil)
        if !r.errors.isEmpty { throw InputErrors(r.errors) }
        return manifest
    }

    private static func labelReference(_ r: ManifestFieldReader, _ map: ManifestFieldReader.Map, _ key: String, path: String,
                                       resolve: (String) -> String) -> LabelMapReference? {
        guard let l = r.section(map, key, path: path) else { return nil }
        let p = ManifestFieldReader.join(path, key)
        r.allowOnly(l, ["image", "names"], path: p)
        let image = r.string(l, "image", path: p, required: true)
        // An RTSTRUCT/SEG (DICOM) or a Slicer .seg.nrrd carries its own names: `names` is then optional ("" = from the file).
        let dicom = image.map { DicomStudyImages.carriesOwnLabelNames(resolve($0)) } ?? false
        let names = r.string(l, "names", path: p, required: !dicom)
        guard let image else { return nil }
        if dicom && names == nil { return LabelMapReference(image: resolve(image), names: "") }
        guard let names else { return nil }
        return LabelMapReference(image: resolve(image), names: resolve(names))
    }

    private static func parseCycle(_ r: ManifestFieldReader, _ node: Node, path: String, resolve: (String) -> String,
                                   sharedLabels: LabelMapReference?, registered: Bool = false) -> StudyCycle? {
        guard let m = r.mapping(node, path: path) else { return nil }
        r.allowOnly(m, ["cycle", "administered_activity_gbq", "administration_time", "time_points", "blood_samples",
                        "reduced_method", "reference_time_point", "toxicity", "imaged"], path: path)
        let number = r.int(m, "cycle", path: path, required: true)
        if let n = number, n < 1 { r.fail(path + ".cycle", "\(n)", "cycle numbers start at 1") }
        var activity = r.double(m, "administered_activity_gbq", path: path, required: true)
        if let a = activity, !(a > 0) {
            r.fail(path + ".administered_activity_gbq", "\(a)", "administered activity must be > 0 GBq")
            activity = nil
        } else if let a = activity, let problem = StudyManifest.administeredActivityProblem(a) {
            r.fail(path + ".administered_activity_gbq", "\(a)", problem)
            activity = nil
        }
        let admin = r.time(m, "administration_time", path: path)
        let reduced: ReducedMethodChoice? = r.enumeration(m, "reduced_method", path: path)
        let reference = r.int(m, "reference_time_point", path: path)
        let toxicity = parseToxicity(r, m, path: path)

        // `imaged: false`: a cycle given without imaging (or whose scans failed) has no time points.
        let imaged = r.bool(m, "imaged", path: path) ?? true
        var points: [ImagingTimePoint] = []
        if !imaged, let list = r.sequence(m, "time_points", path: path), !list.isEmpty {
            r.fail(path + ".time_points", "\(list.count) time point(s)",
                   "a cycle with imaged: false has no time points (remove them, or remove imaged: false)")
        }
        if imaged, let list = r.sequence(m, "time_points", path: path, required: true) {
            if list.isEmpty {
                r.fail(path + ".time_points", "[]", "at least one imaging time point is required (a cycle given without "
                       + "imaging is written with imaged: false)")
            }
            for (tn, tp) in list {
                guard let t = r.mapping(tn, path: tp) else { continue }
                r.allowOnly(t, ["time", "ct", "spect", "labels"], path: tp)
                let time = r.time(t, "time", path: tp)
                let ct = r.string(t, "ct", path: tp, required: true).map(resolve)
                var spect: SpectReference?
                if let s = r.section(t, "spect", path: tp, required: true) {
                    let sp = tp + ".spect"
                    r.allowOnly(s, ["image", "unit", "calibration_cps_per_mbq", "acquisition_s"], path: sp)
                    let image = r.string(s, "image", path: sp, required: true).map(resolve)
                    let unitName = r.string(s, "unit", path: sp, required: true)
                    var unit: SpectUnit?
                    switch unitName {
                    case "bq_per_ml"?:
                        unit = .becquerelPerML
                        for k in ["calibration_cps_per_mbq", "acquisition_s"] where s.contains(where: { $0.0 == k }) {
                            r.fail(sp + "." + k, "", "only used with unit: counts")
                        }
                    case "counts"?:
                        let c = r.positive(s, "calibration_cps_per_mbq", path: sp, required: true, unit: "cps/MBq")
                        let a = r.positive(s, "acquisition_s", path: sp, required: true, unit: "s")
                        if let c, let a { unit = .counts(calibrationCPSPerMBq: c, acquisitionSeconds: a) }
                    case let other?:
                        r.fail(sp + ".unit", other, "expected bq_per_ml or counts")
                    case nil: break
                    }
                    // Kept even when incomplete (errors already recorded) so that later indices stay right.
                    spect = SpectReference(image: image ?? "", unit: unit ?? .becquerelPerML)
                }
                let labels = labelReference(r, t, "labels", path: tp, resolve: resolve)
                // With registration only the reference time point's label map is used (checked below).
                if labels == nil && sharedLabels == nil && !registered && !t.contains(where: { $0.0 == "labels" }) {
                    r.fail(tp + ".labels", "", "no label map: give one here or a shared top-level 'labels'")
                }
                guard let time else {
                    points.append(ImagingTimePoint(time: .distantPast, hoursAfterAdministration: .nan, ct: ct ?? "",
                                                   spect: spect ?? SpectReference(image: "", unit: .becquerelPerML), labels: labels))
                    continue
                }
                let ctPath = ct ?? "", spectRef = spect ?? SpectReference(image: "", unit: .becquerelPerML)
                let hours = admin.map { time.timeIntervalSince($0) / 3600 } ?? .nan
                if let admin, time <= admin {
                    r.fail(tp + ".time", ManifestFieldReader.format(time),
                           "scan must be after the administration (" + ManifestFieldReader.format(admin) + ")")
                }
                if let last = points.last, last.time != .distantPast, time <= last.time {
                    r.fail(tp + ".time", ManifestFieldReader.format(time),
                           "time points must be in increasing time order (previous: " + ManifestFieldReader.format(last.time) + ")")
                }
                points.append(ImagingTimePoint(time: time, hoursAfterAdministration: hours, ct: ctPath, spect: spectRef, labels: labels))
            }
        }
        var samples: [BloodSampleEntry] = []
        if let list = r.sequence(m, "blood_samples", path: path) {
            for (bn, bp) in list {
                guard let b = r.mapping(bn, path: bp) else { continue }
                r.allowOnly(b, ["time", "bq_per_ml"], path: bp)
                let time = r.time(b, "time", path: bp)
                let c = r.positive(b, "bq_per_ml", path: bp, required: true, allowZero: true, unit: "Bq/mL")
                guard let time, let c else { continue }
                if let admin, time <= admin {
                    r.fail(bp + ".time", ManifestFieldReader.format(time),
                           "sample must be taken after the administration (" + ManifestFieldReader.format(admin) + ")")
                }
                if let last = samples.last, time <= last.time {
                    r.fail(bp + ".time", ManifestFieldReader.format(time),
                           "blood samples must be in increasing time order (previous: " + ManifestFieldReader.format(last.time) + ")")
                }
                samples.append(BloodSampleEntry(time: time, hoursAfterAdministration: admin.map { time.timeIntervalSince($0) / 3600 } ?? .nan,
                                                concentrationBqPerML: c))
            }
        }
        if let reference, !(0..<max(points.count, 1)).contains(reference) {
            r.fail(path + ".reference_time_point", "\(reference)", "must be an index into time_points (0…\(max(points.count, 1) - 1))")
        }
        // Returned even when a field is invalid, so that its files are checked too (the errors are thrown later).
        let cycle = StudyCycle(number: number ?? 0, administeredActivityGBq: activity ?? .nan,
                               administrationTime: admin ?? .distantPast, timePoints: points,
                               bloodSamples: samples, reducedMethod: reduced, referenceTimePoint: reference, toxicity: toxicity,
                               imaged: imaged)
        if registered && sharedLabels == nil && !points.isEmpty && points.allSatisfy({ $0.hoursAfterAdministration.isFinite })
            && (0..<points.count).contains(cycle.referenceIndex) && points[cycle.referenceIndex].labels == nil {
            r.fail(path + ".time_points[\(cycle.referenceIndex)].labels", "",
                   "no label map for the reference time point (with registration its labels are used for every time point): "
                   + "give one here or a shared top-level 'labels'")
        }
        return cycle
    }

    /// Existence of files, readable label tables, known region names and overlapping grids.
    private func checkFilesAndRegions(_ r: ManifestFieldReader, checkImages: Bool, marrowExplicit: Bool, kidneysExplicit: Bool) {
        let fm = FileManager.default
        var tables: [String: LabelTable] = [:]
        func table(_ ref: LabelMapReference, path: String) -> LabelTable? {
            if ref.names.isEmpty {  // RTSTRUCT / SEG / .seg.nrrd: names from the file
                if let t = tables[ref.image] { return t }
                guard fm.fileExists(atPath: ref.image) else { return nil }  // reported as image not found
                do { let t = try DicomStudyImages.labelTable(ref.image); tables[ref.image] = t; return t } catch {
                    r.fail(path + ".image", ref.image, "\(error)"); return nil
                }
            }
            if let t = tables[ref.names] { return t }
            guard fm.fileExists(atPath: ref.names) else { r.fail(path + ".names", ref.names, "file not found"); return nil }
            do { let t = try LabelTable.load(ref.names); tables[ref.names] = t; return t } catch {
                r.fail(path + ".names", ref.names, "\(error)"); return nil
            }
        }
        if let s = sharedLabels {
            if !fm.fileExists(atPath: s.image) { r.fail("labels.image", s.image, "file not found") }
            _ = table(s, path: "labels")
        }
        var grids: [String: Grid3D] = [:]
        func grid(_ file: String, field: String, role: StudyImageRole) -> Grid3D? {
            if let g = grids[file] { return g }
            guard !file.isEmpty else { return nil }
            guard fm.fileExists(atPath: file) else { r.fail(field, file, "file not found"); return nil }
            guard checkImages else { return nil }
            do {
                // DICOM label files: a SEG's own grid; an RTSTRUCT has none (rasterised on the CT's grid).
                let g = role == .labels && DicomStudyImages.isDicom(file) ? try DicomStudyImages.labelGrid(file)
                    : try StudyImages.grid(file, role: role)
                grids[file] = g; return g
            } catch {
                r.fail(field, file, "cannot read the image: \(error)"); return nil
            }
        }
        var checkedUnits = Set<String>()
        func checkDicomUnit(_ s: SpectReference, field: String, scanTime: Date) {
            guard checkImages, DicomStudyImages.isDicom(s.image), fm.fileExists(atPath: s.image),
                  checkedUnits.insert(s.image).inserted else { return }
            let quantity: EmissionQuantity?
            do {
                let image = try DicomStudyImages.readVolumeAndAcquisition(s.image, role: .spect)
                quantity = image.quantity
                // A swapped or wrong image (e.g. the 24 h scan at the 96 h time point) shows as a difference no time
                // zone can explain.
                if let acquired = image.acquisition {
                    let hours = (acquired.timeIntervalSince(scanTime)) / 3600
                    if abs(hours) > DicomStudyImages.acquisitionMismatchHours {
                        r.fail(field + ".image", s.image, String(format: "the DICOM acquisition starts %.1f h %@ this time point's `time` "
                            + "(more than a time-zone difference of ≤ %.0f h): is it the image of another time point?",
                            abs(hours), hours > 0 ? "after" : "before", DicomStudyImages.acquisitionMismatchHours))
                    }
                }
            } catch {
                r.fail(field + ".image", s.image, "cannot read the image: \(error)"); return
            }
            do { try DicomStudyImages.checkUnit(s.unit, quantity: quantity, source: s.image) } catch let e as InputError {
                r.fail(field + ".unit", s.unit.name, e.reason)
            } catch { r.fail(field + ".unit", s.unit.name, "\(error)") }
        }
        var regionNameSets: [Set<String>] = []
        for (ci, c) in cycles.enumerated() {
            for (ti, t) in c.timePoints.enumerated() {
                let p = "cycles[\(ci)].time_points[\(ti)]"
                let ctGrid = grid(t.ct, field: p + ".ct", role: .ct)
                let spectGrid = grid(t.spect.image, field: p + ".spect.image", role: .spect)
                checkDicomUnit(t.spect, field: p + ".spect", scanTime: t.time)
                let labelRef = t.labels ?? sharedLabels
                var labelGrid: Grid3D?
                if let l = labelRef {
                    let lp = t.labels != nil ? p + ".labels" : "labels"
                    labelGrid = grid(l.image, field: lp + ".image", role: .labels)
                    if let tab = table(l, path: lp) { regionNameSets.append(Set(tab.names.values)) }
                }
                // The same rule as `simulate` (GridOverlap): most of the SPECT inside the CT, labels where the SPECT is.
                if let s = spectGrid, let g = ctGrid {
                    do { try GridOverlap.require(s, imageSource: t.spect.image, inside: g, referenceSource: "the CT (\(t.ct))") } catch let e as InputError {
                        r.fail(p + ".spect.image", t.spect.image, e.reason)
                    } catch {}
                }
                if let s = spectGrid, let l = labelGrid {
                    do { try GridOverlap.require(l, imageSource: labelRef!.image, inside: s, referenceSource: "the SPECT (\(t.spect.image))") } catch let e as InputError {
                        r.fail(p + ".labels", labelRef!.image, e.reason)
                    } catch {}
                }
            }
        }
        // Region names: every group member and every named region must exist in each label table used.
        guard !regionNameSets.isEmpty else { return }
        let labelNames = regionNameSets.reduce(regionNameSets[0]) { $0.intersection($1) }
        for g in regionGroups {
            for m in g.members where !labelNames.contains(m) {
                r.fail("region_groups." + g.name, m, "no label of that name in the label table(s)")
            }
        }
        let grouped = Set(regionGroups.flatMap(\.members))
        let reporting = Set(regionGroups.map(\.name)).union(labelNames.subtracting(grouped))
        func known(_ name: String, _ field: String) {
            if !reporting.contains(name) {
                r.fail(field, name, "not a region; regions: " + reporting.sorted().joined(separator: ", "))
            }
        }
        // A lesion may appear or disappear between cycles: it must be a region of at least one label table.
        let anyTable = regionNameSets.reduce(Set<String>()) { $0.union($1) }.union(regionGroups.map(\.name))
        for (i, l) in (lesions ?? []).enumerated() where !anyTable.contains(l) {
            r.fail("lesions[\(i)]", l, "not a region of any label table; regions: " + anyTable.sorted().joined(separator: ", "))
        }
        if marrowExplicit { known(marrowRegion, "marrow_region") }
        if kidneysExplicit { for (i, k) in kidneyRegions.enumerated() { known(k, "kidney_regions[\(i)]") } }
        for k in recoveryCoefficients.keys.sorted() { known(k, "recovery_coefficients." + k) }
    }
}
