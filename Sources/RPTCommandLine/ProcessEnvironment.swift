import Foundation
import RPTCore
import RPTTransport
import RPTWorkflow

/// The process concerns around a workflow: SIGINT/SIGTERM become a stop request, and (built with the MPI
/// trait and started by an MPI launcher) simulations are spread over the ranks.
enum ProcessEnvironment {
    /// Runs `body` with an environment whose stop flag is set by SIGINT and SIGTERM (restored afterwards).
    /// With `distributed`, an MPI-launched process runs its simulations over all ranks.
    static func withInterrupts<T>(quiet: Bool, distributed: Bool = false,
                                  _ body: (RunEnvironment) throws -> T) throws -> T {
        let stop = StopFlag()
        InterruptHandler.install(stop)
        defer { InterruptHandler.uninstall() }
        var environment = RunEnvironment(quiet: quiet, stop: stop)
        #if MPI
        if distributed && MPICommunicator.launchedByMPI {
            // MPI starts before the workflow, so the rank is known from the start: only rank 0 locks, stages
            // and writes outputs.
            let mpi = try MPICommunicator.start()
            defer { mpi.finish() }
            environment.distributed = MPIExecution(mpi: mpi)
            do {
                return try body(environment)
            } catch {
                // An error seen by some ranks only (e.g. rank 0's output lock) would leave the others waiting
                // in a collective: stop the whole job.
                if mpi.size > 1 { mpi.abort("\(error)") }
                throw error
            }
        }
        #endif
        return try body(environment)
    }
}

/// Turns SIGINT (Ctrl-C) and SIGTERM into a stop request, so that a run ends after its current
/// batches and writes a valid partial result.
enum InterruptHandler {
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

    /// Routes SIGINT and SIGTERM to `flag` until `uninstall()`.
    static func install(_ flag: StopFlag) {
        uninstall()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler {
                FileHandle.standardError.write(Data("\ninterrupt: finishing the current batches, then writing a partial result\n".utf8))
                flag.request()
            }
            s.resume()
            sources.append(s)
        }
    }

    /// Restores the default signal behaviour (Ctrl-C ends the process) once a run is over.
    static func uninstall() {
        for s in sources { s.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
