/// The software version written into every output's provenance.
public enum RPTDoseVersion {
    public static let string = "0.1.0"
}
