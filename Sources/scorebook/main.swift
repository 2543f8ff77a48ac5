import ScorebookCLI
import ScorebookStore

// Scorebook.main(), with SQLite's "database is locked" said in words a user can act on.
do {
    var command = try Scorebook.parseAsRoot()
    try command.run()
} catch {
    Scorebook.exit(withError: StoreError.busy(error) ?? error)
}
