/// One quantitative image of a region: its activity at the scan time after administration.
///
/// Convention: `activityBq` is the activity present at the scan reference time, **not decay corrected**
/// to the administration time — it already includes physical decay, so the fitted rates are effective
/// (physical + biological) rates.
public struct TimeActivityPoint: Sendable, Hashable {
    /// Time of the scan reference point after the start of administration (h).
    public var timeHours: Double
    /// Activity in the region at that time (Bq), not decay corrected.
    public var activityBq: Double
    /// Relative standard uncertainty σ/A of `activityBq` (e.g. 0.05 for 5 %); `nil` uses
    /// `KineticsFitOptions.defaultRelativeUncertainty`.
    public var relativeUncertainty: Double?

    public init(timeHours: Double, activityBq: Double, relativeUncertainty: Double? = nil) {
        self.timeHours = timeHours
        self.activityBq = activityBq
        self.relativeUncertainty = relativeUncertainty
    }
}
