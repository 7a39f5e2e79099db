/// Physical constants and unit conversions used across RPTDose.
///
/// Source: CODATA 2018 recommended values (Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021)),
/// as published by NIST (physics.nist.gov/constants).
public enum PhysicalConstants {
    /// Electron rest energy m_e c² (MeV). CODATA 2018: 0.51099895000 MeV.
    public static let electronRestEnergyMeV = 0.510_998_950_00
    /// Classical electron radius r_e (cm). CODATA 2018: 2.8179403262e-15 m.
    public static let classicalElectronRadiusCm = 2.817_940_326_2e-13
    /// Avogadro constant (1/mol). CODATA 2018 (exact).
    public static let avogadro = 6.022_140_76e23
    /// Fine-structure constant α. CODATA 2018: 7.2973525693e-3.
    public static let fineStructure = 7.297_352_569_3e-3
    /// Elementary charge (C), exact since 2019 SI; also J per eV.
    public static let joulePerEV = 1.602_176_634e-19
    /// J per MeV.
    public static let joulePerMeV = 1.602_176_634e-13
}

/// Unit conversions (exact by definition).
public enum Units {
    /// Bq per mCi: 1 Ci = 3.7e10 Bq exactly.
    public static let becquerelPerMillicurie = 3.7e7
    public static let secondsPerHour = 3600.0
    public static let secondsPerDay = 86400.0
}
