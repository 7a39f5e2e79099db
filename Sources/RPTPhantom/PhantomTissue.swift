/// The tissue of one voxel of the synthetic patient: it sets the voxel's CT number and its density.
///
/// Several tissues may share one label (the `remainder` label holds adipose tissue, muscle, CSF and
/// intervertebral discs), so a label's mass is the sum of its voxels' tissue densities × voxel volume.
///
/// Densities (g/mL): ICRU Report 46 (1992), "Photon, electron, proton and neutron interaction data
/// for body tissues" — adipose 0.95, skeletal muscle 1.05, liver 1.06, spleen 1.06, kidney 1.05,
/// pancreas 1.04, inflated lung 0.26, cortical bone 1.92, cartilage 1.10, cerebrospinal fluid 1.01.
/// Vertebral spongiosa (trabecular bone with red marrow) 1.18 and tumour tissue 1.04 are assumed values
/// (spongiosa: mid-range of the vertebral spongiosa of ICRP 110 reference phantoms; tumour: as soft tissue).
/// Audit: adipose, muscle, lung, spleen and cortical bone agree with NIST SRD 126 Table 2 / ICRU 46
/// transcriptions (see `MaterialLibrary`); liver, kidney, pancreas, cartilage and CSF were not confirmed.
///
/// CT numbers (HU) are typical unenhanced values: air −1000 by definition, lung ≈ −780 (consistent
/// with 0.26 g/mL), fat ≈ −100, muscle ≈ 40, liver ≈ 55, spleen ≈ 45, kidney ≈ 30, vertebral
/// spongiosa ≈ 250, cortical bone ≈ 1200; a rib voxel (3–7 mm) is a partial-volume mixture of
/// 40 % cortical bone and 60 % spongiosa.
public enum PhantomTissue: UInt8, CaseIterable, Sendable {
    case air = 0, adipose, muscle, cerebrospinalFluid, intervertebralDisc, lung, liver, spleen
    case kidneyCortex, kidneyMedulla, pancreas, spongiosa, corticalBone, rib
    case liverMetastasis, pancreaticTumour

    /// Mean CT number (HU) before noise.
    public var meanHU: Double {
        switch self {
        case .air: -1000
        case .adipose: -100
        case .muscle: 40
        case .cerebrospinalFluid: 15
        case .intervertebralDisc: 80
        case .lung: -780
        case .liver: 55
        case .spleen: 45
        case .kidneyCortex: 32
        case .kidneyMedulla: 26
        case .pancreas: 40
        case .spongiosa: 250
        case .corticalBone: 1200
        case .rib: 0.4 * 1200 + 0.6 * 250
        case .liverMetastasis: 38
        case .pancreaticTumour: 35
        }
    }

    /// Nominal mass density (g/mL).
    public var densityGPerML: Double {
        switch self {
        case .air: 0.001_205
        case .adipose: 0.95
        case .muscle: 1.05
        case .cerebrospinalFluid: 1.01
        case .intervertebralDisc: 1.10
        case .lung: 0.26
        case .liver, .spleen: 1.06
        case .kidneyCortex, .kidneyMedulla: 1.05
        case .pancreas: 1.04
        case .spongiosa: 1.18
        case .corticalBone: 1.92
        case .rib: 0.4 * 1.92 + 0.6 * 1.18
        case .liverMetastasis, .pancreaticTumour: 1.04
        }
    }
}
