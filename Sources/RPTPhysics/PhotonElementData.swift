import RPTCore

/// Raw text of one element's generated tables (see `Generated/PhotonElementTables.swift`).
struct PhotonElementText: Sendable {
    let z: Int
    /// K edge (MeV), L1 edge (MeV), K jump ratio, K fluorescence yield, Kα energy (MeV), Kβ energy (MeV),
    /// Kα share of K radiative transitions.
    let atomic: String
    let photoelectric: String
    let incoherent: String
    let coherent: String
    let pair: String
    let formFactor: String
    let scatteringFunction: String
}

/// Namespace of the generated per-element text tables (filled in by the generated file).
enum PhotonElementTables {}

/// Photon energy grid shared by every photon table: `count` points uniform in ln E from 1 keV to 3 MeV
/// (about 200 points per decade), so that a lookup is `index = (ln E − ln Emin) · invDelta`.
public enum PhotonEnergyGrid {
    /// Lowest tabulated photon energy (MeV).
    public static let minimumMeV = PhotonElementTables.energyMinMeV
    /// Highest tabulated photon energy (MeV).
    public static let maximumMeV = PhotonElementTables.energyMaxMeV
    /// Number of grid points.
    public static let count = PhotonElementTables.energyCount
    public static let logMinimum = _log(minimumMeV)
    /// 1 / Δ(ln E).
    public static let inverseLogStep = Double(count - 1) / (_log(maximumMeV) - _log(minimumMeV))
    /// Energy of grid point `i` (MeV).
    public static func energy(at i: Int) -> Double { _exp(logMinimum + Double(i) / inverseLogStep) }
}

/// Momentum-transfer grid x = sin(θ/2)/λ (1/Å) of the form factor and incoherent scattering function:
/// uniform in ln x from 1e-3 to 1e3 /Å (50 points per decade).
public enum PhotonMomentumGrid {
    public static let minimum = PhotonElementTables.momentumMin
    public static let maximum = PhotonElementTables.momentumMax
    public static let count = PhotonElementTables.momentumCount
    public static let logMinimum = _log(minimum)
    public static let inverseLogStep = Double(count - 1) / (_log(maximum) - _log(minimum))
    public static func momentum(at i: Int) -> Double { _exp(logMinimum + Double(i) / inverseLogStep) }
    /// hc (keV·Å), CODATA 2018 (hc = 1.239 841 984… × 10⁻⁶ eV·m): x = E[keV]/hc · sin(θ/2).
    public static let hcKeVAngstrom = 12.398_419_843_320_026

    /// A function tabulated as ln f on this grid (`count` values at `logTable`), at x (1/Å): log-log
    /// interpolation; below the grid f(x_min) (`smallPower` 0) or f(x_min)·(x/x_min)² (`smallPower` 2); the last
    /// interval is extrapolated above the grid (callers handle x ≥ `maximum` themselves where that matters).
    @inlinable @inline(__always)
    static func logLogValue(_ logTable: UnsafePointer<Double>, x: Double, smallPower: Double) -> Double {
        if x <= minimum {
            return smallPower == 0 ? _exp(logTable[0]) : _exp(logTable[0]) * (x / minimum) * (x / minimum)
        }
        var t = (_log(x) - logMinimum) * inverseLogStep
        t = min(t, Double(count - 1) - 1e-9)
        let i = Int(t), f = t - Double(i)
        return _exp(logTable[i] + f * (logTable[i + 1] - logTable[i]))
    }
}

/// Photon interaction data of one element, parsed from the generated tables at first use.
///
/// Cross sections are mass attenuation coefficients (cm²/g) on `PhotonEnergyGrid`: photoelectric,
/// incoherent (Compton with binding through S(x,Z)), coherent (Rayleigh with F(x,Z)), pair production
/// in the nuclear field. Sources: xraylib (CS_Photo, CS_Compt, CS_Rayl ≤ 800 keV; SF_Compt, FF_Rayl;
/// EdgeEnergy, JumpFactor, FluorYield, LineEnergy, RadRate) and, above 800 keV and for pair production,
/// the methods documented in `scripts/generate_photon_data.py` and docs/methods/photon-physics.md.
public struct PhotonElementData: Sendable {
    public let z: Int
    public let photoelectric: [Double]
    public let incoherent: [Double]
    public let coherent: [Double]
    public let pair: [Double]
    /// ln F(x,Z) and ln S(x,Z) on `PhotonMomentumGrid`.
    @usableFromInline let logFormFactor: [Double]
    @usableFromInline let logScatteringFunction: [Double]
    /// K-shell binding (edge) energy (MeV); 0 if absent.
    public let kEdgeMeV: Double
    /// L1-shell binding energy (MeV); 0 if absent.
    public let l1EdgeMeV: Double
    /// K-shell jump ratio r_K: the K shell's share of photoabsorption just above the K edge is (r_K − 1)/r_K.
    public let kJumpRatio: Double
    /// K-shell fluorescence yield ω_K (0 for Z < 15, where fluorescence is not followed).
    public let kFluorescenceYield: Double
    /// Kα and Kβ line energies (MeV), rate-weighted means of the lines in each group (xraylib KA_LINE, KB_LINE).
    public let kAlphaEnergyMeV: Double
    public let kBetaEnergyMeV: Double
    /// Probability that a K radiative transition is Kα.
    public let kAlphaShare: Double

    init(_ t: PhotonElementText) {
        func numbers(_ s: String) -> [Double] {
            s.split(whereSeparator: { $0 == " " || $0 == "\n" }).map {
                guard let v = Double($0) else { fatalError("corrupt generated photon table for Z=\(t.z): '\($0)'") }
                return v
            }
        }
        z = t.z
        photoelectric = numbers(t.photoelectric)
        incoherent = numbers(t.incoherent)
        coherent = numbers(t.coherent)
        pair = numbers(t.pair)
        logFormFactor = numbers(t.formFactor).map { _log(max($0, 1e-300)) }
        logScatteringFunction = numbers(t.scatteringFunction).map { _log(max($0, 1e-300)) }
        let a = numbers(t.atomic)
        precondition(a.count == 7 && photoelectric.count == PhotonEnergyGrid.count
                     && logFormFactor.count == PhotonMomentumGrid.count, "generated photon table sizes for Z=\(t.z)")
        kEdgeMeV = a[0]; l1EdgeMeV = a[1]; kJumpRatio = a[2]; kFluorescenceYield = a[3]
        kAlphaEnergyMeV = a[4]; kBetaEnergyMeV = a[5]; kAlphaShare = a[6]
    }

    /// Cross section (cm²/g) of one process on grid point `i`.
    public func massAttenuation(_ process: PhotonProcess, at i: Int) -> Double {
        switch process {
        case .photoelectric: return photoelectric[i]
        case .incoherent: return incoherent[i]
        case .coherent: return coherent[i]
        case .pair: return pair[i]
        }
    }

    /// Atomic form factor F(x,Z), log-log interpolation in x (1/Å); F(x) = F(x_min) below the grid.
    @inlinable
    public func formFactor(x: Double) -> Double { logLogMomentum(logFormFactorBuffer: logFormFactor, x: x, smallPower: 0) }

    /// Incoherent scattering function S(x,Z), log-log interpolation in x (1/Å); S ∝ x² below the grid,
    /// S = Z above it.
    @inlinable
    public func scatteringFunction(x: Double) -> Double {
        if x >= PhotonMomentumGrid.maximum { return Double(z) }
        return logLogMomentum(logFormFactorBuffer: logScatteringFunction, x: x, smallPower: 2)
    }

    @usableFromInline
    func logLogMomentum(logFormFactorBuffer table: [Double], x: Double, smallPower: Double) -> Double {
        table.withUnsafeBufferPointer { PhotonMomentumGrid.logLogValue($0.baseAddress!, x: x, smallPower: smallPower) }
    }
}

/// The per-element photon data of every element in `Element.table`, parsed once on first use.
public enum PhotonElementLibrary {
    /// Data by atomic number.
    public static let byZ: [Int: PhotonElementData] = {
        var d: [Int: PhotonElementData] = [:]
        for t in PhotonElementTables.elementTexts { d[t.z] = PhotonElementData(t) }
        return d
    }()

    /// Where the tables come from (xraylib version, generation date, methods).
    public static var provenance: String { PhotonElementTables.provenance }
}
