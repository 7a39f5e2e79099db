import ArgumentParser

/// `rptdose physics …`: inspect the interaction data and nuclide data the engine uses.
struct PhysicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "physics",
        abstract: "Inspect nuclide emissions, materials and interaction data.",
        subcommands: [PhysicsPhotonCommand.self, PhysicsElectronCommand.self, PhysicsNuclideCommand.self,
                      PhysicsMaterialsCommand.self])
}
