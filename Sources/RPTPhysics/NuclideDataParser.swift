import RPTCore

/// Reads the compact text records of `Generated/NuclideData.swift` (written by
/// `scripts/generate_nuclide_data.py`). One directive per line, fields separated by spaces:
///
///     name Lu-177
///     halfLife 6.647 d                       (units us, ms, s, m, h, d, y)
///     line <EmissionKind raw value> <energy MeV> <yield per decay>
///     branch betaMinus|betaPlus <mean energy MeV> <yield per decay>
///     spectrum betaMinus|betaPlus <E0> <n0> <E1> <n1> …   (MeV, betas per MeV per decay)
enum NuclideDataParser {
    /// Seconds per half-life unit. Minutes, hours and days are exact; the year is taken as the
    /// Julian year (365.25 d) — none of the shipped nuclides uses it.
    static let secondsPerUnit: [String: Double] = [
        "us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": Units.secondsPerHour, "d": Units.secondsPerDay,
        "y": 365.25 * Units.secondsPerDay,
    ]

    /// Parses one record; `source` names it in errors.
    static func parse(_ record: String, source: String) throws -> Nuclide {
        var name: String?
        var halfLifeSeconds: Double?
        var lines: [EmissionLine] = []
        var branches: [String: [BetaBranch]] = [:]
        var spectra: [String: (energies: [Double], density: [Double])] = [:]

        func number(_ token: Substring, _ field: String) throws -> Double {
            guard let x = Double(token), x.isFinite else {
                throw InputError(source: source, field: field, value: String(token), reason: "not a finite number")
            }
            return x
        }
        func positive(_ token: Substring, _ field: String) throws -> Double {
            let x = try number(token, field)
            guard x > 0 else {
                throw InputError(source: source, field: field, value: String(token), reason: "must be > 0")
            }
            return x
        }
        func betaParticle(_ token: Substring, _ field: String) throws -> String {
            guard token == "betaMinus" || token == "betaPlus" else {
                throw InputError(source: source, field: field, value: String(token),
                                 reason: "expected betaMinus or betaPlus")
            }
            return String(token)
        }

        for row in record.split(separator: "\n") {
            let t = row.split(separator: " ")
            guard let directive = t.first else { continue }
            switch directive {
            case "name":
                guard t.count == 2 else {
                    throw InputError(source: source, field: "name", value: String(row), reason: "expected 'name <nuclide>'")
                }
                name = String(t[1])
            case "halfLife":
                guard t.count == 3, let perUnit = secondsPerUnit[String(t[2])] else {
                    throw InputError(source: source, field: "halfLife", value: String(row),
                                     reason: "expected 'halfLife <value> <unit>' with unit in "
                                         + secondsPerUnit.keys.sorted().joined(separator: ", "))
                }
                halfLifeSeconds = try positive(t[1], "halfLife") * perUnit
            case "line":
                guard t.count == 4, let kind = EmissionKind(rawValue: String(t[1])) else {
                    throw InputError(source: source, field: "line", value: String(row),
                                     reason: "expected 'line <kind> <energy MeV> <yield>' with kind in "
                                         + EmissionKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                lines.append(EmissionLine(kind: kind, energyMeV: try positive(t[2], "line energy"),
                                          yieldPerDecay: try positive(t[3], "line yield")))
            case "branch":
                guard t.count == 4 else {
                    throw InputError(source: source, field: "branch", value: String(row),
                                     reason: "expected 'branch <betaMinus|betaPlus> <mean energy MeV> <yield>'")
                }
                let key = try betaParticle(t[1], "branch")
                branches[key, default: []].append(
                    BetaBranch(meanEnergyMeV: try positive(t[2], "branch energy"),
                               yieldPerDecay: try positive(t[3], "branch yield")))
            case "spectrum":
                guard t.count >= 6, t.count % 2 == 0 else {
                    throw InputError(source: source, field: "spectrum", value: String(row.prefix(60)),
                                     reason: "expected 'spectrum <betaMinus|betaPlus>' and ≥ 2 (energy, density) pairs")
                }
                let key = try betaParticle(t[1], "spectrum")
                var energies: [Double] = [], density: [Double] = []
                for i in stride(from: 2, to: t.count, by: 2) {
                    let e = try number(t[i], "spectrum energy"), n = try number(t[i + 1], "spectrum density")
                    guard e >= 0, n >= 0, energies.last.map({ e > $0 }) ?? true else {
                        throw InputError(source: source, field: "spectrum", value: "\(t[i]) \(t[i + 1])",
                                         reason: "energies must be ≥ 0 and strictly increasing, densities ≥ 0")
                    }
                    energies.append(e)
                    density.append(n)
                }
                spectra[key] = (energies, density)
            default:
                throw InputError(source: source, field: String(directive), value: String(row.prefix(60)),
                                 reason: "unknown directive; expected name, halfLife, line, branch or spectrum")
            }
        }

        guard let name else { throw InputError(source: source, field: "name", reason: "missing") }
        guard let halfLifeSeconds else { throw InputError(source: source, field: "halfLife", reason: "missing") }
        var betaSpectra: [BetaSpectrum] = []
        for key in ["betaMinus", "betaPlus"] {
            switch (branches[key], spectra[key]) {
            case (nil, nil): continue
            case let (b?, s?):
                guard s.density.reduce(0, +) > 0 else {
                    throw InputError(source: source, field: "spectrum", value: key, reason: "density is zero everywhere")
                }
                betaSpectra.append(BetaSpectrum(particle: key == "betaMinus" ? .electron : .positron,
                                                energiesMeV: s.energies, densityPerMeV: s.density, branches: b))
            default:
                throw InputError(source: source, field: key, reason: "needs both 'branch' and 'spectrum' lines")
            }
        }
        return Nuclide(name: name, halfLifeSeconds: halfLifeSeconds, lines: lines, betaSpectra: betaSpectra)
    }
}
