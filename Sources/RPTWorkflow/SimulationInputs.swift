import Foundation
import RPTCore
import RPTDosimetry
import RPTImageIO
import RPTPhysics
import RPTTransport
import RPTVolume

/// Reads the geometry and the scored regions of a simulation from files: the one place where `simulate`
/// turns a CT (or a label map with its material table) into a voxel world and a region label map into
/// scored regions.
public enum SimulationInputs {
    /// The voxel world on `grid` from a CT (through a CT calibration folder; default: the shipped one) or from
    /// a label map with a material table (exactly one of the two). `gridSource` names the file `grid` comes from
    /// (the activity map): it must lie where the geometry is (`GridOverlap`, the rule of the study manifest too).
    /// `ctVolume`: the CT already read from `ct` (not read again), in its stored voxel type.
    public static func buildWorld(ct: String?, calibration: String?, labels: String?, materialTable: String?,
                                  grid: Grid3D, gridSource: String = "--activity",
                                  ctVolume: AnyVolume? = nil) throws -> VoxelWorld {
        switch (ct, labels) {
        case (let ct?, nil):
            let cal = try CTCalibration.load(directory: calibration ?? DataPaths.defaultCalibration())
            let hu = try ctVolume ?? VolumeFiles.read(ct)  // stored precision (int16 CT numbers stay 2 bytes)
            try hu.grid.validate(source: ct)
            try GridOverlap.require(grid, imageSource: gridSource, inside: hu.grid, referenceSource: "the CT (\(ct))")
            return try WorldBuilder.fromCT(hu, calibration: cal, grid: grid, source: ct)
        case (nil, let labels?):
            guard let materialTable else {
                throw InputError(source: "--labels", reason: "needs --material-table CSV (docs/formats/material-table.md)")
            }
            let table = try LabelMaterialTable.load(path: materialTable)
            var l = try VolumeFiles.readDouble(labels)
            try GridOverlap.require(grid, imageSource: gridSource, inside: l.grid, referenceSource: "the label map (\(labels))")
            if !l.grid.isSameGrid(as: grid) { l = l.resampled(onto: grid, mode: .nearest) }
            return try WorldBuilder.fromLabels(l, table: table, source: labels, tableSource: materialTable)
        default:
            throw InputError(source: "geometry", reason: "give exactly one of --ct CT or --labels L --material-table T")
        }
    }

    /// Scored regions from label maps (resampled onto `grid` by nearest neighbour) and optional names CSVs
    /// (`ScoringRegionSet`: label,name or name,labels groups); a 3D Slicer `.seg.nrrd` brings its segment names and
    /// layers. Regions may overlap across maps.
    public static func loadRegions(_ paths: [String], names: [String], grid: Grid3D) throws -> [ScoredRegion] {
        try ScoringRegionSet.load(labelMaps: paths, names: names, grid: grid) {
            try SlicerSegmentation.labelMapLayers($0) ?? [(try VolumeFiles.readDouble($0), [:])]
        }
    }

    /// Parses a shard `i/n` (1 ≤ i ≤ n).
    public static func parseShard(_ s: String) throws -> (index: Int, count: Int) {
        let p = s.split(separator: "/").compactMap { Int($0) }
        guard p.count == 2, p[1] >= 1, p[0] >= 1, p[0] <= p[1] else {
            throw InputError(source: "--shard", value: s, reason: "expected i/n with 1 ≤ i ≤ n, e.g. 2/8")
        }
        return (p[0], p[1])
    }
}
