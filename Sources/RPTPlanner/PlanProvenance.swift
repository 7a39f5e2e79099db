import Foundation

/// Where a plan came from: when it was made, by which software, from which manifest and from which
/// cycles' dosimetry. Lets a report refuse a plan of another study or flag one older than the
/// dosimetry it should reflect (docs/report.md, "The plan").
public struct PlanProvenance: Codable, Equatable, Sendable {
    /// Creation time, ISO 8601 UTC with milliseconds (`2026-12-07T19:40:00.123Z`).
    public var createdAt: String
    public var softwareVersion: String
    /// The study manifest planned for (absolute, standardised path).
    public var manifestPath: String
    /// The dosimetry read for each given cycle.
    public var dosimetry: [PlanDosimetrySource]

    public init(createdAt: String, softwareVersion: String, manifestPath: String, dosimetry: [PlanDosimetrySource]) {
        self.createdAt = createdAt; self.softwareVersion = softwareVersion
        self.manifestPath = manifestPath; self.dosimetry = dosimetry
    }

    /// `createdAt` as a date (nil when unreadable).
    public var created: Date? { Self.timeFormatter.date(from: createdAt) ?? ISO8601DateFormatter().date(from: createdAt) }

    /// ISO 8601 UTC with milliseconds (`2026-12-07T19:40:00.123Z`): a plan made within the second after
    /// its dosimetry still reads as newer.
    public static var timeFormatter: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }

    enum CodingKeys: String, CodingKey {
        case createdAt = "created_at", softwareVersion = "software_version", manifestPath = "manifest", dosimetry
    }
}

/// One cycle's dosimetry file read by the planner, with its modification time when read.
public struct PlanDosimetrySource: Codable, Equatable, Sendable {
    public var cycle: Int
    /// The dosimetry summary read (absolute, standardised path).
    public var path: String
    /// Modification time of the file when the plan was made, ISO 8601 UTC.
    public var modifiedAt: String

    public init(cycle: Int, path: String, modifiedAt: String) {
        self.cycle = cycle; self.path = path; self.modifiedAt = modifiedAt
    }

    enum CodingKeys: String, CodingKey { case cycle, path, modifiedAt = "modified_at" }
}
