import ArgumentParser
import ScorebookCore
import ScorebookStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or migrate the database and add the shipped rubrics.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let db = try Store(path: store.path)
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
