import RPTCore

/// A log-normal population distribution of a half-life T (h): ln T ~ N(ln median, σ²). Because
/// λ = ln 2 / T, ln λ is normal with the same σ and mean ln(ln 2 / median).
public struct LogNormalHalfLife: Sendable, Equatable {
    /// Median half-life (h).
    public var medianHours: Double
    /// Standard deviation of ln T (dimensionless; 0.2 ≈ ±20 %).
    public var logStandardDeviation: Double
    /// Where the numbers come from (paper, table, derivation) — shown in reports.
    public var source: String

    public init(medianHours: Double, logStandardDeviation: Double, source: String) {
        self.medianHours = medianHours
        self.logStandardDeviation = logStandardDeviation
        self.source = source
    }

    /// Mean of ln λ (λ in 1/s).
    var meanLogRatePerSecond: Double { _log(0.693_147_180_559_945_3 / (medianHours * Units.secondsPerHour)) }
}

/// Prior knowledge about one region's time-activity curve, used in a maximum a-posteriori fit
/// (`TimeActivityFitter.fitWithPrior`). Either part may be absent.
public struct KineticPrior: Sendable, Equatable {
    /// Name shown in reports, e.g. `kidney (Lu-177 DOTATATE)`.
    public var name: String
    /// Effective clearance half-life T_eff = ln 2 / λ₁ (physical decay included), from the literature.
    public var clearance: LogNormalHalfLife?
    /// Uptake half-life ln 2 / λ₂ of the uptake model.
    public var uptake: LogNormalHalfLife?

    public init(name: String, clearance: LogNormalHalfLife?, uptake: LogNormalHalfLife?) {
        self.name = name
        self.clearance = clearance
        self.uptake = uptake
    }
}

/// How much of a fitted quantity's information came from the prior.
public struct PriorInfluence: Sendable, Equatable {
    /// The prior used.
    public var prior: KineticPrior
    /// Fraction of the information (inverse variance) on Ã that the prior supplies:
    /// 1 − σ²_posterior(Ã) / σ²_data-only(Ã), in [0, 1]; 1 when the data alone cannot determine Ã.
    public var timeIntegratedActivityPriorFraction: Double
    /// The same for the terminal rate λ₁.
    public var clearancePriorFraction: Double
    /// The same for the uptake rate λ₂ (NaN for a model without uptake).
    public var uptakePriorFraction: Double
}

/// Population priors for [177Lu]Lu-DOTATATE (docs/methods/kinetics.md, "Population priors").
///
/// Effective clearance half-lives: the tissue-specific values of Hänscheid H, Lapa C, Buck AK, Lassmann M,
/// Werner RA, "Absorbed dose estimates from a single measurement one to three days after the administration
/// of 177Lu-DOTATATE/-TOC", Nuklearmedizin 57(1):1–8 (2018), doi:10.3413/Nukmed-0925-17-08, derived from
/// 54 kidneys, 25 livers, 27 spleens and 30 NET lesions: kidneys 50 h, liver and spleen 67 h, tumours 77 h.
///
/// Spread: not tabulated there as a standard deviation; derived from the same paper's 5th–95th percentile
/// ranges of the error of single-point estimates made with the fixed half-life at 24 h (kidneys −15 % … +16 %;
/// liver, spleen and tumours pooled −25 % … +20 %) and at 48 h (kidneys −9 % … +12 %; pooled −16 % … +17 %).
/// For a mono-exponential, ln(Ã_est/Ã) ≈ −(1 − λt)·ln(T/T_fixed) to first order, so
/// σ(ln T) = [½(ln(1+e₉₅) − ln(1+e₅))/1.645]/(1 − λt): kidneys 0.14 (24 h) and 0.19 (48 h); liver and spleen
/// 0.19 and 0.20; tumours 0.18 and 0.18. The larger value is used — kidneys 0.19, liver, spleen and tumours 0.20
/// (pooled in the paper) — since the two derivations disagree and the percentiles also contain measurement scatter.
///
/// Uptake: no population value of the uptake half-life of [177Lu]Lu-DOTATATE was found in the sources
/// reachable for this work. The uptake rate carries a weakly informative regulariser instead —
/// median 3 h, σ(ln T) = 1.5 (95 % range ≈ 9 min to 57 h) — which keeps the uptake rate finite when four
/// points cannot pin it down; it is not a literature value, it is reported as such, and its weight is shown.
public enum Lu177DotatatePriors {
    static let hanscheid2018 = "Hänscheid et al., Nuklearmedizin 57:1 (2018), tissue-specific T_eff; σ from its 24-h and 48-h single-point error percentiles"

    /// The uptake regulariser (not a literature value; see the type's documentation).
    public static let uptakeRegulariser = LogNormalHalfLife(
        medianHours: 3, logStandardDeviation: 1.5,
        source: "weakly informative regulariser (no literature value), median 3 h, σ(ln T) 1.5")

    public static let kidney = KineticPrior(
        name: "kidney (Lu-177 DOTATATE)",
        clearance: LogNormalHalfLife(medianHours: 50, logStandardDeviation: 0.19, source: hanscheid2018),
        uptake: uptakeRegulariser)
    public static let liver = KineticPrior(
        name: "liver (Lu-177 DOTATATE)",
        clearance: LogNormalHalfLife(medianHours: 67, logStandardDeviation: 0.20, source: hanscheid2018),
        uptake: uptakeRegulariser)
    public static let spleen = KineticPrior(
        name: "spleen (Lu-177 DOTATATE)",
        clearance: LogNormalHalfLife(medianHours: 67, logStandardDeviation: 0.20, source: hanscheid2018),
        uptake: uptakeRegulariser)
    public static let tumour = KineticPrior(
        name: "NET lesion (Lu-177 DOTATATE)",
        clearance: LogNormalHalfLife(medianHours: 77, logStandardDeviation: 0.20, source: hanscheid2018),
        uptake: uptakeRegulariser)
    /// Any other region: no clearance prior, only the uptake regulariser (used when the data show uptake).
    public static let uptakeOnly = KineticPrior(name: "uptake regulariser only", clearance: nil, uptake: uptakeRegulariser)

    /// The prior of a region by its name: `kidney…` → kidney, `liver…`, `spleen…`; lesions (`isLesion`) → tumour;
    /// nil otherwise.
    public static func prior(forRegion name: String, isLesion: Bool) -> KineticPrior? {
        if isLesion { return tumour }
        let n = name.lowercased()
        if n.hasPrefix("kidney") { return kidney }
        if n.hasPrefix("liver") { return liver }
        if n.hasPrefix("spleen") { return spleen }
        return nil
    }
}
