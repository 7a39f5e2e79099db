import RPTCore
import RPTVolume

/// Named regions (organs, lesions) of a label map; label 0 is background unless named.
public struct RegionMap: Sendable {
    /// Label per voxel.
    public var labels: Volume<UInt16>
    /// Regions to use: label → name. Labels not listed are ignored.
    public var names: [UInt16: String]

    public init(labels: Volume<UInt16>, names: [UInt16: String]) {
        self.labels = labels; self.names = names
    }

    /// Regions in label order.
    public var sortedLabels: [UInt16] { names.keys.sorted() }

    /// Flat voxel indices of each named region (empty list for a name without voxels).
    public func voxelIndices() -> [UInt16: [Int]] {
        var out = [UInt16: [Int]]()
        for l in names.keys { out[l] = [] }
        for (n, l) in labels.voxels.enumerated() where names[l] != nil { out[l]!.append(n) }
        return out
    }

    /// Mean of `values` over `indices`; mass-weighted (Σ vρ / Σ ρ) when `density` is given — the mean
    /// absorbed dose of a region is its energy over its mass. `nan` for an empty region.
    static func mean(_ values: [Double], over indices: [Int], density: [Double]?) -> Double {
        guard !indices.isEmpty else { return .nan }
        var num = 0.0, den = 0.0
        if let density {
            for n in indices { num += values[n] * density[n]; den += density[n] }
        } else {
            for n in indices { num += values[n] }
            den = Double(indices.count)
        }
        return num / den
    }

    /// Throws unless `volume` and the optional density map lie on the label grid.
    func requireGrid(of volume: Volume<Double>, source: String, density: Volume<Double>?) throws {
        try labels.grid.requireSameGrid(as: volume.grid, source: source)
        if let density {
            try labels.grid.requireSameGrid(as: density.grid, source: "density map")
            try VolumeChecks.requirePositive(density, source: "density map")
        }
    }
}
