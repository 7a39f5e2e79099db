import RPTCore
import RPTVolume

/// Organ-level MIRD schema: mean dose to target regions from the TIA of source regions,
/// D(t) = Σ_s Ã(s) · S(t ← s) (Bolch et al., J Nucl Med 50:477 (2009), MIRD Pamphlet No. 21, Eq. 1–2).
public struct OrganSMatrix: Equatable, Sendable {
    /// Source region names (columns).
    public var sourceRegions: [String]
    /// Target region names (rows).
    public var targetRegions: [String]
    /// S(target ← source) in Gy/(Bq·s): `valuesGyPerBqS[t][s]`.
    public var valuesGyPerBqS: [[Double]]

    /// - Throws: `InputError` for duplicate names, a matrix of the wrong size, or values not finite and ≥ 0.
    public init(sourceRegions: [String], targetRegions: [String], valuesGyPerBqS: [[Double]]) throws {
        for (what, list) in [("sourceRegions", sourceRegions), ("targetRegions", targetRegions)]
        where Set(list).count != list.count {
            throw InputError(source: "S-matrix", field: what, value: list.joined(separator: ","),
                             reason: "region names must be unique")
        }
        guard valuesGyPerBqS.count == targetRegions.count,
              valuesGyPerBqS.allSatisfy({ $0.count == sourceRegions.count }) else {
            throw InputError(source: "S-matrix", field: "valuesGyPerBqS",
                             value: "\(valuesGyPerBqS.count) rows",
                             reason: "expected \(targetRegions.count) rows (targets) of \(sourceRegions.count) values (sources)")
        }
        for (t, row) in valuesGyPerBqS.enumerated() {
            for (s, v) in row.enumerated() where !(v >= 0 && v.isFinite) {
                throw InputError(source: "S-matrix", field: "S(\(targetRegions[t]) ← \(sourceRegions[s]))",
                                 value: "\(v)", reason: "must be finite and ≥ 0 Gy/(Bq·s)")
            }
        }
        self.sourceRegions = sourceRegions; self.targetRegions = targetRegions; self.valuesGyPerBqS = valuesGyPerBqS
    }

    /// S(target ← source) (Gy/(Bq·s)); `nil` for unknown names.
    public func value(target: String, source: String) -> Double? {
        guard let t = targetRegions.firstIndex(of: target), let s = sourceRegions.firstIndex(of: source) else { return nil }
        return valuesGyPerBqS[t][s]
    }

    /// Mean dose (Gy) per target region. Sources missing from `tiaBqS` contribute nothing.
    /// - Throws: `InputError` for a TIA naming an unknown source or not finite and ≥ 0.
    public func targetDoses(tiaBqS: [String: Double]) throws -> [String: Double] {
        var tia = [Double](repeating: 0, count: sourceRegions.count)
        for (name, a) in tiaBqS {
            guard let s = sourceRegions.firstIndex(of: name) else {
                throw InputError(source: "source TIA", field: name, value: "\(a)",
                                 reason: "not a source region of the S-matrix (\(sourceRegions.joined(separator: ", ")))")
            }
            guard a >= 0, a.isFinite else {
                throw InputError(source: "source TIA", field: name, value: "\(a)", reason: "must be finite and ≥ 0 Bq·s")
            }
            tia[s] = a
        }
        var out = [String: Double]()
        for (t, row) in valuesGyPerBqS.enumerated() {
            var d = 0.0
            for s in row.indices { d += row[s] * tia[s] }
            out[targetRegions[t]] = d
        }
        return out
    }

    /// Builds S from Monte Carlo dose-per-decay maps, one per source region:
    /// S(t ← s) = mean over target t of the map of source s (mass-weighted when `density` is given).
    /// - Parameters:
    ///   - dosePerDecay: (source name, map in Gy/(Bq·s) on the label grid), in column order.
    ///   - targets: the target regions.
    public static func fromDoseMaps(_ dosePerDecay: [(source: String, map: Volume<Double>)], targets: RegionMap,
                                    density: Volume<Double>? = nil) throws -> OrganSMatrix {
        let indices = targets.voxelIndices()
        let order = targets.sortedLabels
        for l in order where indices[l]!.isEmpty {
            throw InputError(source: "target regions", field: targets.names[l]!, value: "label \(l)",
                             reason: "region has no voxels")
        }
        var columns = [[Double]]()
        for (name, map) in dosePerDecay {
            try targets.requireGrid(of: map, source: "dose-per-decay map of \(name)", density: density)
            try VolumeChecks.requireNonNegative(map, source: "dose-per-decay map of \(name)")
            columns.append(order.map { RegionMap.mean(map.voxels, over: indices[$0]!, density: density?.voxels) })
        }
        let rows = order.indices.map { t in columns.map { $0[t] } }
        return try OrganSMatrix(sourceRegions: dosePerDecay.map(\.source), targetRegions: order.map { targets.names[$0]! },
                                valuesGyPerBqS: rows)
    }
}
