import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookStore

/// Where the database is and who is acting (recorded in the audit log).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Database file (default: $SCOREBOOK_DB or ./scorebook.db).")
    var db: String?

    @Option(name: .long, help: "Who is acting, for the audit log (default: $SCOREBOOK_USER or $USER).")
    var actor: String?

    var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["SCOREBOOK_DB"], !env.isEmpty { return env }
        return "scorebook.db"
    }

    /// --actor, else $SCOREBOOK_USER, else $USER, else `cli`; blank values are passed over (the audit log
    /// never records a blank "who"), and a blank --actor is refused.
    var actorName: String {
        let env = ProcessInfo.processInfo.environment
        for candidate in [actor, env["SCOREBOOK_USER"], env["USER"]] {
            if let name = candidate?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty { return name }
        }
        return "cli"
    }

    func validate() throws {
        if let actor, actor.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--actor must name who is acting, found '\(actor)'")
        }
    }

    /// Opens an existing database (run `scorebook init` to create one). `concurrentReads`: a pool of
    /// connections, for the web app (`Store.init`).
    func open(concurrentReads: Bool = false) throws -> Store {
        if path != ":memory:" {
            switch Store.fileKind(at: path) {
            case .missing:
                throw CLIError("no database at \(path): run `scorebook init` first (or pass --db / set SCOREBOOK_DB)")
            case .scorebook:
                break
            case let kind:
                throw CLIError("\(path) \(Self.notScorebook(kind)): nothing was changed — check --db / SCOREBOOK_DB (`scorebook init` creates a database)")
            }
        }
        return try Store(path: path, concurrentReads: concurrentReads)
    }

    /// Why the file at a path is not a Scorebook database (for `Store.FileKind` other than scorebook/missing).
    static func notScorebook(_ kind: Store.FileKind) -> String {
        switch kind {
        case .directory: return "is a folder, not a database file"
        case .empty: return "is an empty file, not a Scorebook database"
        case .notSQLite: return "is not a SQLite database"
        case .otherDatabase(let tables):
            return tables.isEmpty ? "is a SQLite database without Scorebook's tables"
                : "is a SQLite database of another program (tables \(tables.joined(separator: ", ")), no Scorebook tables)"
        case .missing, .scorebook: return "is a Scorebook database"
        }
    }
}

struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: OutputFormat = .table
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// A user-facing failure: printed as `Error: <message>` with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The items of a comma-separated option (`--criteria a, b`, `--inspectors Q1,Q2`), trimmed, empty ones dropped.
func commaList(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Validates a `YYYY-MM` period option.
func checkPeriod(_ period: String) throws -> String {
    guard Timestamp.isPeriod(period) else {
        throw ValidationError("period must be YYYY-MM, found '\(period)'")
    }
    return period
}
