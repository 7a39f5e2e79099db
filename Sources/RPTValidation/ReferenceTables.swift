import Foundation
import RPTCore

/// Reads the reference CSV files of the suite (`CSVTable`: RFC 4180, comment lines start with `#`, first other
/// line is the header).
public enum ReferenceCSV {
    /// Rows of `path` as column-name → text dictionaries.
    /// - Throws: `InputError` naming the file when it is missing or a row has the wrong number of fields.
    public static func rows(_ path: String) throws -> [[String: String]] {
        let csv = try CSVTable(path: path)
        return csv.rows.map { Dictionary(uniqueKeysWithValues: zip(csv.header, $0.fields)) }
    }

    /// A numeric field of a row.
    public static func number(_ row: [String: String], _ key: String, source: String) throws -> Double {
        guard let s = row[key], let v = Double(s) else {
            throw InputError(source: source, field: key, value: row[key] ?? "(missing)", reason: "not a number")
        }
        return v
    }
}

/// NIST SRD 126 (Hubbell & Seltzer) μ/ρ and μ_en/ρ for one material, from
/// `validation/reference/nist_photon_mass_coefficients.csv`, interpolated log–log between tabulated energies
/// (the interpolation NIST recommends for these tables).
public struct NISTPhotonTable: Sendable {
    public let energiesMeV: [Double]
    public let muRho: [Double]
    public let muEnRho: [Double]

    /// Reads `referenceDirectory/nist_photon_mass_coefficients.csv`.
    public init(referenceDirectory: String, material: String) throws {
        let path = referenceDirectory + "/nist_photon_mass_coefficients.csv"
        let rows = try ReferenceCSV.rows(path).filter { $0["material"] == material }
        guard rows.count >= 2 else {
            throw InputError(source: path, field: "material", value: material, reason: "fewer than 2 rows for this material")
        }
        energiesMeV = try rows.map { try ReferenceCSV.number($0, "E_keV", source: path) * 1e-3 }
        muRho = try rows.map { try ReferenceCSV.number($0, "mu_rho_cm2_g", source: path) }
        muEnRho = try rows.map { try ReferenceCSV.number($0, "mu_en_rho_cm2_g", source: path) }
    }

    public var rangeMeV: ClosedRange<Double> { energiesMeV.first!...energiesMeV.last! }

    /// (μ/ρ, μ_en/ρ) in cm²/g at `e` (MeV) inside the tabulated range.
    public func coefficients(_ e: Double) -> (mu: Double, muEn: Double) {
        var i = 0
        while i < energiesMeV.count - 2 && energiesMeV[i + 1] < e { i += 1 }
        let t = log(e / energiesMeV[i]) / log(energiesMeV[i + 1] / energiesMeV[i])
        func li(_ a: [Double]) -> Double { exp(log(a[i]) + t * (log(a[i + 1]) - log(a[i]))) }
        return (li(muRho), li(muEnRho))
    }
}

/// NIST ESTAR (SRD 124) for liquid water, from `validation/reference/nist_estar_water.csv`.
public struct ESTARWaterTable: Sendable {
    public let energiesMeV: [Double]
    public let collision: [Double]
    public let radiative: [Double]
    public let csdaRange: [Double]
    public let radiationYield: [Double]

    /// Reads `referenceDirectory/nist_estar_water.csv`.
    public init(referenceDirectory: String) throws {
        let path = referenceDirectory + "/nist_estar_water.csv"
        let rows = try ReferenceCSV.rows(path)
        energiesMeV = try rows.map { try ReferenceCSV.number($0, "kinetic_energy_MeV", source: path) }
        collision = try rows.map { try ReferenceCSV.number($0, "collision_stopping_power_MeV_cm2_g", source: path) }
        radiative = try rows.map { try ReferenceCSV.number($0, "radiative_stopping_power_MeV_cm2_g", source: path) }
        csdaRange = try rows.map { try ReferenceCSV.number($0, "csda_range_g_cm2", source: path) }
        radiationYield = try rows.map { try ReferenceCSV.number($0, "radiation_yield", source: path) }
    }

    /// Log–log interpolation of `values` at `e` (MeV), clamped to the table.
    public func interpolate(_ values: [Double], at e: Double) -> Double {
        if e <= energiesMeV[0] { return values[0] }
        if e >= energiesMeV.last! { return values.last! }
        var i = 0
        while energiesMeV[i + 1] < e { i += 1 }
        let t = log(e / energiesMeV[i]) / log(energiesMeV[i + 1] / energiesMeV[i])
        return exp(log(values[i]) + t * (log(values[i + 1]) - log(values[i])))
    }
}
