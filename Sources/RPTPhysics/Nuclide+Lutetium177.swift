extension Nuclide {
    /// Lu-177 from the shipped ICRP-107 data (half-life 6.647 d): the one source of its constants for the
    /// synthetic patient, the kinetics and the planner. The data are generated into the package
    /// (Generated/NuclideData.swift), so the look-up cannot fail at run time; `NuclideTests` checks it.
    public static let lutetium177: Nuclide = {
        do { return try named("Lu-177") } catch { fatalError("shipped nuclide data lack Lu-177: \(error)") }
    }()

    /// Half-life in hours.
    public var halfLifeHours: Double { halfLifeSeconds / 3600 }

    /// Physical decay constant λ (1/h).
    public var decayConstantPerHour: Double { decayConstant * 3600 }
}
