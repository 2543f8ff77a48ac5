import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or migrate the database and add the shipped rubrics.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        // another program's database (a mistyped --db) is not made a Scorebook one
        let kind = Store.fileKind(at: store.path)
        let foreign: Bool
        switch kind {
        case .directory, .notSQLite: foreign = true
        case .otherDatabase(let tables): foreign = !tables.isEmpty
        case .missing, .empty, .scorebook: foreign = false
        }
        if foreign {
            throw CLIError("\(store.path) \(StoreOptions.notScorebook(kind)): nothing was changed — give --db a new file name")
        }
        let db = try Store(path: store.path)
        if kind == .missing || kind == .empty, store.path != ":memory:" {
            // a new database holds people's records and password hashes: readable by its owner only (SQLite
            // gives the -wal and -shm files it creates later the database file's permissions)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: store.path + suffix) {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: store.path + suffix)
            }
        }
        let added = try Setup.addBundledDefinitions(db)
        print("database \(store.path): migrations \(try db.appliedMigrations().joined(separator: ", "))")
        for line in added { print(line) }
    }
}

/// What `init` and `demo` share: storing the bundled definitions.
enum Setup {
    static func addBundledDefinitions(_ store: Store) throws -> [String] {
        var lines: [String] = []
        for file in try BundledDefinitions.rubrics() {
            let rubric = try RubricParser.parse(file.text, file: file.name)
            let outcome = try store.write { db in try Rubrics.add(db, rubric, source: file.text, file: file.name) }
            lines.append("rubric \(rubric.id) v\(rubric.version): \(outcome == .added ? "added" : "already stored")")
        }
        for file in try BundledDefinitions.schemes() {
            let scheme = try SchemeParser.parse(file.text, file: file.name)
            let outcome = try store.write { db in try Schemes.add(db, scheme, source: file.text, file: file.name) }
            lines.append("scheme \(scheme.id) v\(scheme.version): \(outcome == .added ? "added" : "already stored")")
        }
        return lines
    }
}
