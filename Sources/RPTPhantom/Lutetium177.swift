/// Physical decay data of Lu-177 used by the synthetic patient's kinetics.
///
/// Source: ICRP Publication 107 (2008), "Nuclear Decay Data for Dosimetric Calculations",
/// Lu-177 half-life 6.647 d.
public enum Lutetium177 {
    /// Physical half-life (h): 6.647 d × 24 h/d (ICRP 107).
    public static let physicalHalfLifeHours = 6.647 * 24
    /// Physical decay constant λp (1/h).
    public static let decayConstantPerHour = 0.693_147_180_559_945_3 / physicalHalfLifeHours
}
