/// A measured absorbed dose per unit administered activity with its relative standard uncertainty.
public struct DosePerActivity: Equatable, Sendable {
    /// Absorbed dose per administered activity (Gy/GBq).
    public var gyPerGBq: Double
    /// Relative standard uncertainty (e.g. 0.15 for 15 %).
    public var relativeUncertainty: Double
    public init(gyPerGBq: Double, relativeUncertainty: Double) {
        self.gyPerGBq = gyPerGBq
        self.relativeUncertainty = relativeUncertainty
    }
}

/// A lesion's measured dose per activity in one cycle.
public struct LesionDosePerActivity: Equatable, Sendable {
    /// Lesion identifier, the same in every cycle.
    public var lesion: String
    public var dose: DosePerActivity
    public init(lesion: String, dose: DosePerActivity) {
        self.lesion = lesion
        self.dose = dose
    }
}

/// One administration that has been given, with its post-therapy dosimetry.
public struct AdministeredCycle: Equatable, Sendable {
    /// Cycle number, 1-based; the history must list cycles 1, 2, … in order.
    public var cycle: Int
    /// Activity actually administered (GBq).
    public var activityGBq: Double
    /// Kidney absorbed dose per activity measured for this cycle.
    public var kidney: DosePerActivity
    /// Effective decay constant of the kidney dose rate in this cycle (1/h), λ_eff = ln 2 / T_eff.
    public var kidneyEffectiveDecayPerHour: Double
    /// Red-marrow absorbed dose per activity measured for this cycle.
    public var marrow: DosePerActivity
    /// Tumour lesions' absorbed dose per activity (same lesions in every cycle).
    public var lesions: [LesionDosePerActivity]
    /// How the doses were obtained when not measured on this cycle's own images (e.g. "not imaged: predicted from
    /// cycles 1, 2, 3"); nil when measured. Repeated in the plan's notes.
    public var doseNote: String? = nil

    public init(cycle: Int, activityGBq: Double, kidney: DosePerActivity, kidneyEffectiveDecayPerHour: Double,
                marrow: DosePerActivity, lesions: [LesionDosePerActivity]) {
        self.cycle = cycle
        self.activityGBq = activityGBq
        self.kidney = kidney
        self.kidneyEffectiveDecayPerHour = kidneyEffectiveDecayPerHour
        self.marrow = marrow
        self.lesions = lesions
    }
}

/// Everything the planner needs about one patient at one planning time.
public struct PlanRequest: Equatable, Sendable {
    public var arm: TreatmentArm
    /// Cycles already given (empty before cycle 1).
    public var history: [AdministeredCycle]
    /// Renal risk factors present (hypertension, diabetes, …): selects the kidney BED limit.
    public var kidneyRiskFactors: Bool
    /// Toxicity since the last administration (ignored when nothing has been given).
    public var toxicity: ToxicityInputs
    /// Name used as `source` in input errors (e.g. the request file's path).
    public var source: String

    public init(arm: TreatmentArm, history: [AdministeredCycle], kidneyRiskFactors: Bool,
                toxicity: ToxicityInputs = .none, source: String = "plan request") {
        self.arm = arm
        self.history = history
        self.kidneyRiskFactors = kidneyRiskFactors
        self.toxicity = toxicity
        self.source = source
    }
}
