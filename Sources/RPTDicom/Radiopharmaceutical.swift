import Foundation
import RPTCore

/// One item of the Radiopharmaceutical Information Sequence (0054,0016).
public struct RadiopharmaceuticalInfo: Sendable, Equatable {
    /// Radiopharmaceutical (0018,0031), e.g. "Lu-177 DOTATATE".
    public var radiopharmaceutical: String?
    /// Code Meaning of the Radionuclide Code Sequence (0054,0300), e.g. "^177^Lutetium".
    public var radionuclide: String?
    /// Radionuclide Total Dose (0018,1074) converted to Bq. DICOM stores it in MBq for NM images
    /// (NM Isotope module, PS3.3 C.8.4.10) and in Bq for PET images (PET Isotope module, C.8.9.2).
    public var totalActivityBq: Double?
    /// Radiopharmaceutical Start DateTime (0018,1078), or Start Time (0018,1072) on the series,
    /// acquisition or study date; read as UTC (DICOM times are local; only differences matter here).
    public var injectionDate: Date?
    /// Radionuclide Half Life (0018,1075) in seconds.
    public var halfLifeSeconds: Double?

    init(item: DicomDataSet, modality: String, fallbackDate: String?) throws {
        radiopharmaceutical = item.string(.radiopharmaceutical)
        radionuclide = item.sequence(.radionuclideCodeSequence).first?.string(.codeMeaning)
        if let dose = try item.double(.radionuclideTotalDose) {
            totalActivityBq = modality == "PT" ? dose : dose * 1e6
        }
        halfLifeSeconds = try item.double(.radionuclideHalfLife)
        if let dt = item.string(.radiopharmaceuticalStartDateTime) {
            injectionDate = try DicomDateTime.parse(dateTime: dt, source: item.source,
                                                    field: DicomTag.radiopharmaceuticalStartDateTime.label)
        } else if let t = item.string(.radiopharmaceuticalStartTime), let d = fallbackDate {
            injectionDate = try DicomDateTime.parse(date: d, time: t, source: item.source,
                                                    field: DicomTag.radiopharmaceuticalStartTime.label)
        }
    }

    /// All items of the data set's Radiopharmaceutical Information Sequence.
    static func read(_ ds: DicomDataSet) throws -> [RadiopharmaceuticalInfo] {
        let modality = ds.string(.modality) ?? ""
        let date = ds.string(.seriesDate) ?? ds.string(.acquisitionDate) ?? ds.string(.studyDate)
        return try ds.sequence(.radiopharmaceuticalInformationSequence).map {
            try RadiopharmaceuticalInfo(item: $0, modality: modality, fallbackDate: date)
        }
    }
}

/// DICOM DA / TM / DT values (PS3.5 §6.2) as `Date`, interpreted as UTC.
public enum DicomDateTime {
    /// Parses DT "YYYYMMDDHHMMSS.FFFFFF" (trailing components optional; a "&ZZXX" offset is honoured).
    public static func parse(dateTime: String, source: String, field: String) throws -> Date {
        var s = dateTime
        var offsetSeconds = 0
        if let signIndex = s.lastIndex(where: { $0 == "+" || $0 == "-" }), s.distance(from: signIndex, to: s.endIndex) == 5 {
            let z = s[s.index(after: signIndex)...]
            guard let hh = Int(z.prefix(2)), let mm = Int(z.suffix(2)) else { throw bad(dateTime, source, field) }
            offsetSeconds = (hh * 3600 + mm * 60) * (s[signIndex] == "-" ? -1 : 1)
            s = String(s[..<signIndex])
        }
        guard s.count >= 8 else { throw bad(dateTime, source, field) }
        let date = try parse(date: String(s.prefix(8)), time: String(s.dropFirst(8)), source: source, field: field)
        return date.addingTimeInterval(TimeInterval(-offsetSeconds))
    }

    /// Parses DA "YYYYMMDD" with TM "HHMMSS.FFFFFF" (minutes, seconds and fraction optional; empty time = midnight).
    public static func parse(date: String, time: String, source: String, field: String) throws -> Date {
        let d = date.filter { $0 != "." }  // tolerate the ACR-NEMA "YYYY.MM.DD" form
        guard d.count == 8, let y = Int(d.prefix(4)), let mo = Int(d.dropFirst(4).prefix(2)), let da = Int(d.suffix(2)),
              (1...12).contains(mo), (1...31).contains(da) else { throw bad(date, source, field) }
        let t = time.filter { $0 != ":" }
        let whole = t.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        let fraction = t.split(separator: ".", maxSplits: 1).dropFirst().first.map { Double("0." + $0) ?? 0 } ?? 0
        guard whole.allSatisfy(\.isNumber), whole.count % 2 == 0, whole.count <= 6 else { throw bad(time, source, field) }
        let parts = stride(from: 0, to: whole.count, by: 2).map { Int(whole.dropFirst($0).prefix(2))! }
        let h = parts.count > 0 ? parts[0] : 0, mi = parts.count > 1 ? parts[1] : 0, se = parts.count > 2 ? parts[2] : 0
        guard h < 24, mi < 60, se < 61 else { throw bad(time, source, field) }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let day = cal.date(from: DateComponents(year: y, month: mo, day: da, hour: h, minute: mi, second: se)) else {
            throw bad(date, source, field)
        }
        return day.addingTimeInterval(fraction)
    }

    private static func bad(_ v: String, _ source: String, _ field: String) -> InputError {
        InputError(source: source, field: field, value: v, reason: "not a valid DICOM date/time")
    }
}
