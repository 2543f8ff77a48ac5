import ArgumentParser
import Foundation
import ScorebookCLI
import ScorebookStore

// Scorebook.main(), with SQLite's "database is locked" said in words a user can act on, and a command's own
// check of its options (a ValidationError thrown by `run`) followed by that command's usage, not the root's.
var parsed: ParsableCommand?
do {
    var command = try Scorebook.parseAsRoot()
    parsed = command
    try command.run()
} catch let error as ValidationError {
    guard let command = parsed else { Scorebook.exit(withError: error) }
    let usage = Scorebook.usageString(for: type(of: command))
    let path = usage.split(separator: " ").prefix { !["[", "<", "-"].contains($0.first ?? "-") }.joined(separator: " ")
    FileHandle.standardError.write(Data("Error: \(error.message)\nUsage: \(usage)\n  See '\(path) --help' for more information.\n".utf8))
    exit(ExitCode.validationFailure.rawValue)
} catch {
    Scorebook.exit(withError: StoreError.busy(error) ?? error)
}
