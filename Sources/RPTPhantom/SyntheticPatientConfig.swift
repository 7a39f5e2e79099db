import RPTCore
import RPTVolume

/// The SPECT acquisitions of one treatment cycle: cycle number and scan times after administration.
public struct SpectCycleSchedule: Equatable, Sendable {
    /// Cycle number (1-based).
    public var cycle: Int
    /// Scan times (h after administration of that cycle).
    public var timesHours: [Double]
    public init(cycle: Int, timesHours: [Double]) { self.cycle = cycle; self.timesHours = timesHours }
}

/// Everything that defines a synthetic patient. Defaults give the documented reference phantom.
public struct SyntheticPatientConfig: Equatable, Sendable {
    /// Master seed of every random stream (CT noise, SPECT counts, blood-sample noise).
    public var seed: UInt64 = 1
    /// CT grid size (voxels along x, y, z).
    public var shape = SIMD3<Int>(128, 128, 100)
    /// CT voxel size (mm).
    public var voxelSizeMM = SIMD3<Double>(3.5, 3.5, 3.5)
    /// Include ribs (cortical_bone label).
    public var includeRibs = true
    /// Include the pancreas (the pancreatic tumour is placed either way).
    public var includePancreas = true
    /// Standard deviation of the Gaussian CT noise (HU).
    public var ctNoiseSigmaHU = 15.0

    /// Administered activity per cycle (Bq); 7.4 GBq as in the standard DOTATATE regimen.
    public var administeredActivityBq = 7.4e9
    /// Biokinetics (default [177Lu]Lu-DOTATATE).
    public var kinetics = PhantomKineticsModel.lu177DOTATATE
    /// Kinetics of particular cycles when they differ from `kinetics` (cycle number → model), e.g. a faster
    /// kidney clearance in cycles 2–3; empty by default (every cycle has `kinetics`, as before). The blood curve
    /// and the red marrow always follow `kinetics`. `PhantomTruth.timeIntegratedActivityBqS(region:cycle:)`
    /// gives the truth of such a cycle.
    public var cycleKinetics: [Int: PhantomKineticsModel] = [:]

    /// SPECT voxel size (mm, isotropic); the SPECT grid covers at least the CT field of view.
    public var spectVoxelSizeMM = 4.4
    /// SPECT resolution (FWHM, mm) of the 3-D Gaussian blur.
    public var spectResolutionFWHMMM = 10.0
    /// System sensitivity (counts/s per MBq in the field of view). Default 5.67 cps/MBq, a measured Lu-177
    /// SPECT/CT value (EJNMMI Research 2018;8:103, "Implementation of patient dosimetry in the clinical
    /// practice after targeted radiotherapy using [177Lu-[DOTA0, Tyr3]-octreotate").
    public var sensitivityCPSPerMBq = 5.67
    /// Acquisition time of one SPECT (s).
    public var acquisitionSeconds = 1200.0
    /// Draw Poisson count noise (false: noiseless images, for tests and figures).
    public var spectCountNoise = true
    /// Scan schedule: cycle 1 at 4, 24, 48, 72, 96 h; cycles 2–4 at 4 and 96 h.
    public var spectSchedule: [SpectCycleSchedule] = [
        SpectCycleSchedule(cycle: 1, timesHours: [4, 24, 48, 72, 96]),
        SpectCycleSchedule(cycle: 2, timesHours: [4, 96]),
        SpectCycleSchedule(cycle: 3, timesHours: [4, 96]),
        SpectCycleSchedule(cycle: 4, timesHours: [4, 96]),
    ]

    /// Blood sampling times after the first administration (h).
    public var bloodSampleHours: [Double] = [0.5, 1, 2, 4, 24, 48, 96]
    /// Relative standard deviation of the multiplicative blood-sample noise (well counter and pipetting).
    public var bloodSampleRelativeNoise = 0.03
    /// Patient motion between scans (nil: the patient never moves, every scan shows the reference anatomy).
    /// When set, every scan has its own CT and label map with a known repositioning and deformation
    /// (`SpectTimePoint.motion`, `TruthTimePoint.motion`), for testing registration.
    public var motion: SyntheticMotion? = nil

    public init() {}

    static let source = "synthetic patient config"

    /// The CT grid: identity direction, centred on the LPS origin.
    public var ctGrid: Grid3D {
        let spacing = voxelSizeMM
        let n = SIMD3<Double>(Double(shape.x), Double(shape.y), Double(shape.z))
        return Grid3D(shape: shape, spacing: spacing, origin: -(n - 1) * spacing / 2)
    }

    /// The SPECT grid: isotropic `spectVoxelSizeMM`, enough voxels to cover the CT field of view, centred.
    public var spectGrid: Grid3D {
        let extent = SIMD3<Double>(Double(shape.x), Double(shape.y), Double(shape.z)) * voxelSizeMM
        let h = spectVoxelSizeMM
        let n = SIMD3<Int>(Int((extent.x / h - 1e-9).rounded(.up)), Int((extent.y / h - 1e-9).rounded(.up)),
                           Int((extent.z / h - 1e-9).rounded(.up)))
        let nd = SIMD3<Double>(Double(n.x), Double(n.y), Double(n.z))
        return Grid3D(shape: n, spacing: SIMD3(repeating: h), origin: -(nd - 1) * h / 2)
    }

    /// Largest phantom grid dimension (voxels): 512 × 512 × 512 at 1 mm already holds the torso.
    public static let maximumShape = 512

    /// Checks every field once; errors name the field and value.
    public func validate() throws {
        let s = Self.source
        guard shape.min() >= 1, shape.max() <= Self.maximumShape else {
            throw InputError(source: s, field: "shape", value: "\(shape.x)x\(shape.y)x\(shape.z)",
                             reason: "each dimension must be 1…\(Self.maximumShape) voxels")
        }
        try ctGrid.validate(source: s)
        // The torso outline (≈ 360 × 235 mm at the top of the default field of view) must fit in-plane.
        let fov = SIMD3<Double>(Double(shape.x), Double(shape.y), Double(shape.z)) * voxelSizeMM
        guard fov.x >= 360, fov.y >= 240 else {
            throw InputError(source: s, field: "shape × voxelSizeMM", value: "\(fov.x) × \(fov.y) mm",
                             reason: "the in-plane field of view must be at least 360 × 240 mm to hold the torso")
        }
        guard fov.z >= 250 else {
            throw InputError(source: s, field: "shape.z × voxelSizeMM.z", value: "\(fov.z) mm",
                             reason: "the axial field of view must be at least 250 mm (lungs to kidneys)")
        }
        guard voxelSizeMM.max() <= 8 else {
            throw InputError(source: s, field: "voxelSizeMM", value: "\(voxelSizeMM.max()) mm",
                             reason: "voxels larger than 8 mm cannot resolve the smallest tumour (2 cm)")
        }
        guard ctNoiseSigmaHU >= 0, ctNoiseSigmaHU.isFinite else {
            throw InputError(source: s, field: "ctNoiseSigmaHU", value: "\(ctNoiseSigmaHU)", reason: "must be finite and ≥ 0 HU")
        }
        guard administeredActivityBq > 0, administeredActivityBq.isFinite else {
            throw InputError(source: s, field: "administeredActivityBq", value: "\(administeredActivityBq)",
                             reason: "must be a finite activity > 0 Bq")
        }
        try kinetics.validate(source: s)
        for (c, model) in cycleKinetics.sorted(by: { $0.key < $1.key }) {
            guard c >= 1 else {
                throw InputError(source: s, field: "cycleKinetics", value: "\(c)", reason: "cycle numbers start at 1")
            }
            try model.validate(source: s + ", cycleKinetics[\(c)]")
        }
        guard spectVoxelSizeMM > 0, spectVoxelSizeMM.isFinite else {
            throw InputError(source: s, field: "spectVoxelSizeMM", value: "\(spectVoxelSizeMM)", reason: "must be > 0 mm")
        }
        guard spectResolutionFWHMMM >= 0, spectResolutionFWHMMM.isFinite else {
            throw InputError(source: s, field: "spectResolutionFWHMMM", value: "\(spectResolutionFWHMMM)",
                             reason: "must be finite and ≥ 0 mm (0 = no blur)")
        }
        guard sensitivityCPSPerMBq > 0, sensitivityCPSPerMBq.isFinite else {
            throw InputError(source: s, field: "sensitivityCPSPerMBq", value: "\(sensitivityCPSPerMBq)", reason: "must be > 0")
        }
        guard acquisitionSeconds > 0, acquisitionSeconds.isFinite else {
            throw InputError(source: s, field: "acquisitionSeconds", value: "\(acquisitionSeconds)", reason: "must be > 0 s")
        }
        var seen = Set<Int>()
        for (n, c) in spectSchedule.enumerated() {
            guard c.cycle >= 1, c.cycle < 1 << 16, seen.insert(c.cycle).inserted else {
                throw InputError(source: s, field: "spectSchedule[\(n)].cycle", value: "\(c.cycle)",
                                 reason: "cycles must be distinct numbers from 1 to 65535")
            }
            var minutes = Set<Int>()
            for t in c.timesHours {
                guard t >= 0, t <= 24 * 365, minutes.insert(Int((t * 60).rounded())).inserted else {
                    throw InputError(source: s, field: "spectSchedule[\(n)].timesHours", value: "\(t)",
                                     reason: "scan times must be distinct (to the minute), between 0 and 8760 h")
                }
            }
        }
        for t in bloodSampleHours where !(t >= 0 && t.isFinite) {
            throw InputError(source: s, field: "bloodSampleHours", value: "\(t)", reason: "sample times must be finite and ≥ 0 h")
        }
        guard bloodSampleRelativeNoise >= 0, bloodSampleRelativeNoise < 0.3 else {
            throw InputError(source: s, field: "bloodSampleRelativeNoise", value: "\(bloodSampleRelativeNoise)",
                             reason: "must be between 0 and 0.3")
        }
        try motion?.validate(source: s)
    }
}
