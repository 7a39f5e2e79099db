/// The photon interactions RPTDose models between 1 keV and 3 MeV.
public enum PhotonProcess: Int, CaseIterable, Sendable {
    /// Atomic photoabsorption (all shells), followed by K-shell fluorescence for Z ≥ 15.
    case photoelectric = 0
    /// Compton scattering on bound electrons: Klein–Nishina × S(x,Z)/Z.
    case incoherent = 1
    /// Rayleigh scattering: Thomson × F(x,Z)² (form-factor approximation).
    case coherent = 2
    /// Electron–positron pair production in the nuclear field (threshold 2 m_e c² = 1.022 MeV).
    case pair = 3
}
