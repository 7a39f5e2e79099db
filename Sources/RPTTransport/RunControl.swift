import Foundation
import RPTCore

/// What decides when a simulation stops.
public struct RunControl: Sendable {
    /// Stop after this many decays (histories). With a target uncertainty, the cap on decays.
    public var decays: UInt64
    /// Stop early when the region of interest reaches this relative standard uncertainty (e.g. 0.01).
    public var targetUncertainty: Double?
    /// Which uncertainty the target applies to.
    public var criterion: UncertaintyCriterion
    /// Stop (with a complete, valid result) once this much wall time has passed (s).
    public var maxTimeSeconds: Double?
    /// Worker threads.
    public var threads: Int
    /// Histories per batch (the unit of work handed to a thread).
    public var batchSize: Int
    /// Seconds between checkpoints (the callback is called at least this often while running).
    public var checkpointIntervalSeconds: Double

    public init(decays: UInt64, targetUncertainty: Double? = nil, criterion: UncertaintyCriterion = .roiMean,
                maxTimeSeconds: Double? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                batchSize: Int = 4096, checkpointIntervalSeconds: Double = 300) {
        self.decays = decays; self.targetUncertainty = targetUncertainty; self.criterion = criterion
        self.maxTimeSeconds = maxTimeSeconds; self.threads = max(1, threads)
        self.batchSize = batchSize; self.checkpointIntervalSeconds = checkpointIntervalSeconds
    }
}

/// The uncertainty a target applies to.
public enum UncertaintyCriterion: String, Sendable, CaseIterable {
    /// Relative standard uncertainty of the mean absorbed dose in the ROI (history-by-history over
    /// the ROI's total energy per decay).
    case roiMean = "roi-mean"
    /// Median over the ROI's voxels of the voxel dose relative standard uncertainty.
    case roiMedianVoxel = "roi-median-voxel"
}

/// The accumulated state of a simulation: enough to resume it or merge it with others.
public struct SimulationState: Sendable {
    /// Tally sums: grid voxels first, then one virtual voxel per ROI holding its total energy.
    public var sums: TallySums
    public var ledger: EnergyLedger
    /// Decays [0, decaysDone) of the shard's range have been simulated.
    public var decaysDone: UInt64 { sums.histories }
    /// True if the run stopped before its goal (interrupted or out of time).
    public var partial: Bool
    /// Wall time spent so far (s), summed over resumed sessions.
    public var elapsedSeconds: Double

    public init(voxelCount: Int) {
        sums = TallySums(voxelCount: voxelCount)
        ledger = EnergyLedger()
        partial = true
        elapsedSeconds = 0
    }
}

/// A progress report, passed to the observer after every round.
public struct RunProgress: Sendable {
    public var decaysDone: UInt64
    public var decaysGoal: UInt64
    public var decaysPerSecond: Double
    public var elapsedSeconds: Double
    /// Current value of the stopping uncertainty (relative), if a target is set.
    public var uncertainty: Double?
}
