import ArgumentParser
import RPTCore
import RPTStore

/// The `rptdose` command: a Monte Carlo dose engine and treatment planner for radiopharmaceutical therapy.
public struct RPTDoseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rptdose",
        abstract: "Monte Carlo dosimetry and treatment planning for radiopharmaceutical therapy (Lu-177 first).",
        version: SoftwareInfo.versionText,
        subcommands: [DemoCommand.self, SimulateCommand.self, MergeCommand.self, SphereCommand.self, KernelCommand.self,
                      PhantomCommand.self, DosimetryCommand.self, PlanCommand.self, ReportCommand.self, InfoCommand.self,
                      ConvertCommand.self, ExportCommand.self, CompareCommand.self,
                      PhysicsCommand.self, ValidateCommand.self, CohortCommand.self, TrialSimCommand.self])
    public init() {}
}
