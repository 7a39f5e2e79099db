import RPTCore
import RPTPhysics

/// Photon interaction data of the world's materials, as the transport loop uses them.
public struct PhotonTransportData: Sendable {
    public let table: PhotonMaterialTable
    public let incoherent: PhotonIncoherentSampler
    public let coherent: PhotonCoherentSampler
    public let photoelectric: PhotonPhotoelectricSampler
    /// Woodcock majorant (1/cm) per interval [Eᵢ, Eᵢ₊₁] of the photon energy grid: the largest
    /// μ/ρ·ρ_max over materials at either end, which bounds the lin-log interpolated μ inside.
    public let majorantTable: [Double]
    /// Energy-transfer coefficients of the track-length estimator (`PhotonEstimator.trackLength`); an empty
    /// placeholder when the run scores photons analogically.
    public let kerma: PhotonKermaTable

    /// - Parameters:
    ///   - materials: the world's materials, in material-index order.
    ///   - maximumDensity: the largest density (g/cm³) of each material in the world.
    ///   - fluorescenceCutoffMeV: fluorescence photons below this are deposited locally.
    ///   - kerma: whether to build the track-length estimator's coefficients (`PhotonKermaTable`).
    public init(materials: [Material], maximumDensity: [Double], fluorescenceCutoffMeV: Double, kerma: Bool = false) throws {
        table = try PhotonMaterialTable(materials: materials)
        self.kerma = kerma ? PhotonKermaTable(table: table, fluorescenceCutoffMeV: fluorescenceCutoffMeV) : PhotonKermaTable()
        incoherent = PhotonIncoherentSampler(table: table)
        coherent = PhotonCoherentSampler(table: table)
        photoelectric = PhotonPhotoelectricSampler(table: table, fluorescenceCutoffMeV: fluorescenceCutoffMeV)
        let n = PhotonEnergyGrid.count
        var maj = [Double](repeating: 0, count: n)
        for i in 0..<(n - 1) {
            for m in materials.indices {
                let a = table.totalMuOverRho(materialIndex: m, gridPoint: i)
                let b = table.totalMuOverRho(materialIndex: m, gridPoint: i + 1)
                maj[i] = max(maj[i], max(a, b) * maximumDensity[m])
            }
        }
        maj[n - 1] = maj[n - 2]
        majorantTable = maj
    }

    /// Majorant μ̂(E) (1/cm).
    public func majorant(_ energyMeV: Double) -> Double {
        majorant(atGridIndex: table.gridLocation(energyMeV).index)
    }

    /// Majorant (1/cm) of grid interval i (from `table.gridLocation`).
    @inline(__always)
    public func majorant(atGridIndex i: Int) -> Double {
        majorantTable.withUnsafeBufferPointer { $0[i] }
    }
}
