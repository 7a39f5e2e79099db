import RPTCore
import RPTTransport

/// What the process around a workflow supplies: where progress and messages go, the flag that asks a
/// running simulation to stop (the command line sets it on SIGINT/SIGTERM), and, for MPI runs, how the
/// decays are spread over processes. A library user can keep the defaults.
public struct RunEnvironment {
    /// No progress and no informational messages (warnings are still shown).
    public var quiet: Bool
    /// Set to ask a running simulation to finish its current batches and write a valid partial result.
    public var stop: StopFlag
    /// Spreads a simulation over several processes (MPI); nil runs it on this process.
    public var distributed: DistributedExecution?
    /// Where messages go (standard error by default).
    public var write: (String) -> Void

    public init(quiet: Bool = false, stop: StopFlag = StopFlag(), distributed: DistributedExecution? = nil,
                write: @escaping (String) -> Void = Console.error) {
        self.quiet = quiet; self.stop = stop; self.distributed = distributed; self.write = write
    }

    /// An informational message (progress of a step); dropped when quiet.
    public func log(_ message: String) { if !quiet { write(message) } }

    /// A warning, always shown, prefixed "warning: ".
    public func warn(_ message: String) { write("warning: " + message) }

    /// True on the process that writes results (always, unless a distributed execution says otherwise).
    public var writesResults: Bool { distributed?.isCoordinator ?? true }
}

/// Runs a simulation over several processes; provided by the command line (MPI) through `RunEnvironment`.
public protocol DistributedExecution {
    /// Runs `runner` over all processes. The coordinating process returns the summed state and writes
    /// `runner.out`; the others return an empty state.
    func run(_ runner: SimulationRunner) throws -> SimulationState
    /// True on the coordinating process (MPI rank 0).
    var isCoordinator: Bool { get }
}
