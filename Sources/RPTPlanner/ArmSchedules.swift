/// Standard arm: the same fixed activity every cycle.
public struct StandardArmSchedule: Equatable, Sendable {
    /// Number of cycles (default 4).
    public var cycles: Int
    /// Nominal interval between cycles (weeks; default 8).
    public var intervalWeeks: Double
    /// Activity per cycle (GBq; default 7.4 GBq = 200 mCi).
    public var activityGBq: Double

    public init(cycles: Int = 4, intervalWeeks: Double = 8, activityGBq: Double = 7.4) {
        self.cycles = cycles
        self.intervalWeeks = intervalWeeks
        self.activityGBq = activityGBq
    }
}

/// Investigational arm: fixed first cycle(s), then dosimetry-planned activities.
public struct InvestigationalArmSchedule: Equatable, Sendable {
    /// Number of cycles (default 4).
    public var cycles: Int
    /// Nominal interval between cycles (weeks; default 8).
    public var intervalWeeks: Double
    /// Number of leading cycles given at the fixed activity (default 1).
    public var fixedCycles: Int
    /// Activity of the fixed cycles (GBq; default 7.4 GBq = 200 mCi).
    public var fixedActivityGBq: Double
    /// Cap on a planned cycle (GBq; default 14.8 GBq = 400 mCi).
    public var maxActivityGBq: Double
    /// A planned cycle below this activity is not given (GBq). Default 1.85 GBq (50 mCi) is a
    /// configurable planning default of RPTDose, NOT a value taken from the trial protocol.
    public var minActivityGBq: Double
    /// Planned activities are rounded down to a multiple of this step (GBq; default 0.1 GBq).
    public var roundingStepGBq: Double

    public init(cycles: Int = 4, intervalWeeks: Double = 8, fixedCycles: Int = 1, fixedActivityGBq: Double = 7.4,
                maxActivityGBq: Double = 14.8, minActivityGBq: Double = 1.85, roundingStepGBq: Double = 0.1) {
        self.cycles = cycles
        self.intervalWeeks = intervalWeeks
        self.fixedCycles = fixedCycles
        self.fixedActivityGBq = fixedActivityGBq
        self.maxActivityGBq = maxActivityGBq
        self.minActivityGBq = minActivityGBq
        self.roundingStepGBq = roundingStepGBq
    }
}
