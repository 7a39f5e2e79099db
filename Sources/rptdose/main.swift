import RPTCommandLine
import RPTCore

// As `RPTDoseCommand.main()`, with Foundation's file and JSON errors turned into messages naming the file
// (exit codes: docs/reliability.md).
do {
    var command = try RPTDoseCommand.parseAsRoot()
    try command.run()
} catch {
    RPTDoseCommand.exit(withError: ReadableError.translate(error))
}
