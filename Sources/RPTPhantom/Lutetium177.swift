import RPTPhysics

/// Physical decay data of Lu-177 used by the synthetic patient's kinetics, from the shipped nuclide data
/// (ICRP Publication 107: half-life 6.647 d; `Nuclide.lutetium177`).
public enum Lutetium177 {
    /// Physical half-life (h).
    public static let physicalHalfLifeHours = Nuclide.lutetium177.halfLifeHours
    /// Physical decay constant λp (1/h).
    public static let decayConstantPerHour = Nuclide.lutetium177.decayConstantPerHour
}
