/// Adverse reactions for which the LUTATHERA prescribing information prescribes dose modifications.
///
/// Source: LUTATHERA (lutetium Lu 177 dotatate) injection, US Prescribing Information, Advanced
/// Accelerator Applications USA / Novartis, revised 4/2024 (DailyMed/openFDA SPL set id
/// 72d1a024-00b7-418a-b36e-b2cb48f2ab55), section 2.4 "Dose Modifications for Adverse Reactions",
/// Table 2. See docs/methods/planner.md for the rule text as encoded.
public enum ToxicityKind: String, Codable, CaseIterable, Sendable {
    /// Thrombocytopenia, CTCAE graded.
    case thrombocytopenia
    /// Anaemia, CTCAE graded (CTCAE spelling "anemia").
    case anemia
    /// Neutropenia, CTCAE graded (lymphopenia alone requires no modification per the label).
    case neutropenia
    /// Renal toxicity, defined by creatinine-clearance / serum-creatinine criteria.
    case renalToxicity = "renal_toxicity"
    /// Hepatotoxicity, defined by bilirubin / albumin + INR criteria.
    case hepatotoxicity
    /// Any other CTCAE grade 3–4 adverse reaction possibly related to LUTATHERA.
    case otherNonHematologic = "other_non_hematologic"

    /// Whether the toxicity is judged by CTCAE grade (otherwise by laboratory criteria).
    public var isGraded: Bool {
        switch self {
        case .thrombocytopenia, .anemia, .neutropenia, .otherNonHematologic: return true
        case .renalToxicity, .hepatotoxicity: return false
        }
    }
}
