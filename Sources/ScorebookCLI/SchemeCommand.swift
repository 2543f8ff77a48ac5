import ArgumentParser
import Foundation
import ScorebookCore
import GRDB
import ScorebookStore

struct SchemeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheme",
        abstract: "Check, store and list appraisal schemes (Reports/*.yaml).",
        subcommands: [Check.self, Add.self, List.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate scheme YAML files; exits non-zero if any is malformed.")
        @Argument(help: "Scheme files.") var files: [String]

        func run() throws {
            try checkDefinitionFiles(files) { text, file in
                let scheme = try SchemeParser.parse(text, file: file)
                let components = scheme.components.map { "\($0.name) \(format($0.weight))" }.joined(separator: ", ")
                return "\(scheme.id) v\(scheme.version) (\(scheme.kind.rawValue)); bands \(scheme.bands.map(\.grade).joined(separator: "/"))"
                    + (components.isEmpty ? "" : "; components " + components)
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a scheme version in the database.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The scheme file.") var file: String

        func run() throws {
            let text = try readTextFile(file)
            let scheme = try SchemeParser.parse(text, file: file)
            let outcome = try store.open().write { db in try Schemes.add(db, scheme, source: text, file: file) }
            print("scheme \(scheme.id) v\(scheme.version): \(outcome == .added ? "added" : "already stored, unchanged")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored schemes.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            var listing = Listing(columns: ["scheme_id", "version", "kind", "name", "components", "bands"])
            for stored in try store.open().read({ db in try Schemes.all(db) }) {
                let s = stored.scheme
                listing.append([.text(s.id), .int(s.version), .text(s.kind.rawValue), .optional(s.name),
                                .text(s.components.map(\.name).joined(separator: ",")),
                                .text(s.bands.map { "\($0.grade)≥\(format($0.min))×\(format($0.bonus))" }.joined(separator: " "))])
            }
            listing.print(output.format)
        }
    }
}

/// Which scheme a command uses: a file (used as written, and stored on use — as a variant of its id and
/// version when that version is stored with other content — so results stay traceable to the exact scheme),
/// a stored scheme id (its highest version), or by default the bundled `Reports/monthly.yaml` /
/// `Reports/annual.yaml` — never a scheme a previous `--scheme FILE` happened to store.
enum SchemeChoice {
    static func resolve(_ option: String?, kind: SchemeKind, db: Store, storeIt: Bool, actor: String = "cli") throws -> Scheme {
        let chosen = try load(option, kind: kind, db: db)
        if storeIt { try db.write { db in try chosen.keep(db, actor) } }
        return chosen.scheme
    }

    /// The scheme `option` names (a file, a stored id, or nil: the bundled default), and `keep`, which stores
    /// a file's or the bundled scheme (as a variant where its id and version are stored with other content)
    /// inside the caller's transaction — so a command that then fails stores nothing.
    static func load(_ option: String?, kind: SchemeKind, db: Store) throws
        -> (scheme: Scheme, keep: (Database, _ actor: String) throws -> Void) {
        if let option, FileManager.default.fileExists(atPath: option) {
            let text = try readTextFile(option)
            let scheme = try SchemeParser.parse(text, file: option)
            try check(scheme, kind: kind, name: option)
            return (scheme, { db, actor in _ = try Schemes.use(db, scheme, source: text, file: option, actor: actor) })
        }
        guard let option else {
            guard let file = try BundledDefinitions.schemes().first(where: { $0.name.hasSuffix("/\(kind.rawValue).yaml") }) else {
                throw CLIError("the bundled \(kind.rawValue) scheme is missing from this build")
            }
            let scheme = try SchemeParser.parse(file.text, file: file.name)
            return (scheme, { db, actor in _ = try Schemes.use(db, scheme, source: file.text, file: file.name, actor: actor) })
        }
        if let stored = try db.read({ db in try Schemes.find(db, id: option) }) {
            try check(stored.scheme, kind: kind, name: option)
            return (stored.scheme, { _, _ in })
        }
        throw CLIError("no scheme '\(option)': not a file and not stored (add it with `scorebook scheme add FILE`)")
    }

    private static func check(_ scheme: Scheme, kind: SchemeKind, name: String) throws {
        guard scheme.kind == kind else {
            throw CLIError("\(name): scheme '\(scheme.id)' is \(scheme.kind.rawValue), this needs a \(kind.rawValue) scheme")
        }
    }

    /// Each rating source's scale, from the scheme's rating components.
    static func ratingScales(_ scheme: Scheme) -> [RatingSource: ClosedRange<Double>] {
        var scales: [RatingSource: ClosedRange<Double>] = [:]
        for component in scheme.components {
            if case .rating(let spec) = component.spec { scales[spec.source] = spec.scaleMin...spec.scaleMax }
        }
        return scales
    }
}
