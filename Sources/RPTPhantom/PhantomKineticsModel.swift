import RPTCore

/// Biokinetics of the synthetic patient: a `KineticComponent` list per region, a blood curve, and the red
/// marrow tied to blood (concentration in red marrow = RMBLR × blood concentration).
///
/// `lu177DOTATATE` is the default. Its parameters are design values chosen inside published ranges for
/// [177Lu]Lu-DOTATATE so that a later MIRD calculation gives organ doses per GBq typical of the
/// literature; the derivation is in docs/methods/synthetic-patient.md. They are not fitted to any patient.
public struct PhantomKineticsModel: Equatable, Sendable {
    /// Components of every region with its own uptake. Regions absent here (lungs, cortical bone) hold no
    /// activity; `redMarrow` is taken from the blood curve and must not appear here.
    public var regionComponents: [PhantomRegion: [KineticComponent]]
    /// Whole-blood activity concentration.
    public var blood: BloodCurve
    /// Red-marrow-to-blood concentration ratio (RMBLR).
    public var marrowToBloodRatio: Double

    public init(regionComponents: [PhantomRegion: [KineticComponent]], blood: BloodCurve, marrowToBloodRatio: Double) {
        self.regionComponents = regionComponents
        self.blood = blood
        self.marrowToBloodRatio = marrowToBloodRatio
    }

    /// [177Lu]Lu-DOTATATE, adult, one administration (f = fraction of administered activity, half-lives in h).
    ///
    /// Sources for the ranges the values were chosen in:
    /// - Organ doses per administered activity: kidneys 0.57, liver 0.27, spleen 1.17, tumours 3.4 Gy/GBq
    ///   ("Dosimetric analyses of kidneys, liver, spleen, pituitary gland, and neuroendocrine tumors of
    ///   patients treated with 177Lu-DOTATATE", Clin Nucl Med 2013;38(3)); kidneys 0.46 Gy/GBq median
    ///   (Staanum et al., EJNMMI Phys 2021;8:78). Effective half-lives (kidney 50 h, liver and spleen 70 h,
    ///   tumours 90 h) are design choices that, with the fractions, reproduce those doses per GBq.
    /// - Whole-body elimination: 44 % of the activity excreted in urine by 5 h, 58 % by 24 h, 65 % by 48 h
    ///   (LUTATHERA US prescribing information, section 12.3; not re-verified in the materials audit — the
    ///   PI text was not reachable); the remainder's two phases follow it.
    /// - Red marrow: marrow concentration equals blood concentration (RMBLR = 1; Forrer et al., Eur J Nucl Med
    ///   Mol Imaging 2009;36:1138, "Bone marrow dosimetry in peptide receptor radionuclide therapy with
    ///   [177Lu-DOTA0,Tyr3]octreotate"; its conclusion: "the radioactivity concentration in the bone marrow is
    ///   identical to that in the blood"). Blood volume 5000 mL, a design value between the ICRP 89 reference
    ///   adult male and female (5.3 L and 3.9 L as recalled; not re-verified in the materials audit).
    public static let lu177DOTATATE: PhantomKineticsModel = {
        // Kidney: 1.7 % per kidney, 85 % of it in the cortex (cortex/medulla concentration ratio ≈ 2 at the
        // phantom's cortex volume share of ≈ 73 %). Uptake 1.5 h, biological 73 h → effective ≈ 50 h.
        func kidney(_ f: Double) -> [KineticComponent] {
            [KineticComponent(fraction: f, uptakeHalfLifeHours: 1.5, biologicalHalfLifeHours: 73)]
        }
        // Tumours: slower uptake, biological 205 h → effective ≈ 90 h.
        func tumour(_ f: Double, uptake: Double) -> [KineticComponent] {
            [KineticComponent(fraction: f, uptakeHalfLifeHours: uptake, biologicalHalfLifeHours: 205)]
        }
        return PhantomKineticsModel(
            regionComponents: [
                .kidneyLeftCortex: kidney(0.017 * 0.85), .kidneyLeftMedulla: kidney(0.017 * 0.15),
                .kidneyRightCortex: kidney(0.017 * 0.85), .kidneyRightMedulla: kidney(0.017 * 0.15),
                // Liver and spleen: biological 125 h → effective ≈ 70 h.
                .liver: [KineticComponent(fraction: 0.05, uptakeHalfLifeHours: 2, biologicalHalfLifeHours: 125)],
                .spleen: [KineticComponent(fraction: 0.02, uptakeHalfLifeHours: 2, biologicalHalfLifeHours: 125)],
                .pancreas: [KineticComponent(fraction: 0.003, uptakeHalfLifeHours: 2, biologicalHalfLifeHours: 73)],
                .tumor1: tumour(0.016, uptake: 6),
                .tumor2: tumour(0.003, uptake: 6),
                .tumor3: tumour(0.005, uptake: 8),
                // Rest of body: fast renal clearance of the unbound peptide plus a slow phase.
                .remainder: [KineticComponent(fraction: 0.60, uptakeHalfLifeHours: 0, biologicalHalfLifeHours: 2),
                             KineticComponent(fraction: 0.36, uptakeHalfLifeHours: 0, biologicalHalfLifeHours: 75)],
            ],
            blood: BloodCurve(volumeML: 5000, components: [
                KineticComponent(fraction: 0.90, uptakeHalfLifeHours: 0, biologicalHalfLifeHours: 1.2),
                KineticComponent(fraction: 0.01, uptakeHalfLifeHours: 0, biologicalHalfLifeHours: 75),
            ]),
            marrowToBloodRatio: 1)
    }()

    /// Checks every component, the blood curve and the marrow ratio; `source` names the configuration.
    public func validate(source: String) throws {
        for region in PhantomRegion.allCases {
            guard let comps = regionComponents[region] else { continue }
            guard region != .redMarrow else {
                throw InputError(source: source, field: "kinetics.red_marrow", value: "\(comps.count) component(s)",
                                 reason: "red marrow kinetics come from the blood curve × marrowToBloodRatio; remove them")
            }
            for (n, c) in comps.enumerated() { try c.validate(source: source, field: "kinetics.\(region.name)[\(n)]") }
        }
        guard blood.volumeML > 0, blood.volumeML.isFinite else {
            throw InputError(source: source, field: "kinetics.blood.volumeML", value: "\(blood.volumeML)",
                             reason: "must be a finite volume > 0 mL")
        }
        for (n, c) in blood.components.enumerated() {
            try c.validate(source: source, field: "kinetics.blood[\(n)]")
            guard c.uptakeHalfLifeHours == 0 else {
                throw InputError(source: source, field: "kinetics.blood[\(n)].uptakeHalfLifeHours",
                                 value: "\(c.uptakeHalfLifeHours)", reason: "blood phases must have instantaneous uptake (0 h)")
            }
        }
        guard marrowToBloodRatio >= 0, marrowToBloodRatio.isFinite else {
            throw InputError(source: source, field: "kinetics.marrowToBloodRatio", value: "\(marrowToBloodRatio)",
                             reason: "must be finite and ≥ 0")
        }
    }

    /// The kinetics of every region, given the red-marrow region's volume (mL): the marrow's components are
    /// the blood phases scaled by RMBLR × V_marrow / V_blood. Regions without uptake get no components.
    public func regionKinetics(redMarrowVolumeML: Double) -> [RegionKinetics] {
        PhantomRegion.allCases.map { region in
            if region == .redMarrow {
                let scale = marrowToBloodRatio * redMarrowVolumeML / blood.volumeML
                return RegionKinetics(region: region, components: blood.components.map {
                    KineticComponent(fraction: $0.fraction * scale, uptakeHalfLifeHours: 0,
                                     biologicalHalfLifeHours: $0.biologicalHalfLifeHours)
                })
            }
            return RegionKinetics(region: region, components: regionComponents[region] ?? [])
        }
    }
}
