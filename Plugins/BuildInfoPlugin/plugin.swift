import Foundation
import PackagePlugin

/// Embeds the git commit and the build date into RPTCore at build time, for every `swift build` (not only
/// through `make`): a prebuild command, which SwiftPM runs before every build, runs `build-info.sh`; the
/// script writes `BuildInfo.swift` only when its content changes (a new commit, a clean/dirty change, a new
/// day), so an unchanged checkout recompiles nothing. Outside a git checkout the commit is "unknown".
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
        let script = context.package.directoryURL.appendingPathComponent("Plugins/BuildInfoPlugin/build-info.sh")
        return [.prebuildCommand(displayName: "Embedding the git commit and build date in \(target.name)",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: [script.path, context.package.directoryURL.path, output.path],
                                 outputFilesDirectory: output)]
    }
}
