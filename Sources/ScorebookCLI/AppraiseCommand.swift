import ArgumentParser
import Foundation
import GRDB
import ScorebookCore
import ScorebookStore

/// `--period YYYY-MM` (monthly) or `--year YYYY` (annual).
struct PeriodOrYear: ParsableArguments {
    @Option(help: "Month YYYY-MM (or a year YYYY, as --year).") var period: String?
    @Option(help: "Year YYYY (the annual appraisal).") var year: String?

    func resolve() throws -> (key: String, kind: SchemeKind) {
        switch (period, year) {
        case (let p?, nil):
            // a year given as --period is the annual appraisal, as `explain`, `finalize` and `reopen` read it
            if Timestamp.isYear(p) { return (p, .annual) }
            guard Timestamp.isPeriod(p) else { throw ValidationError("--period must be YYYY-MM (or a year YYYY), found '\(p)'") }
            return (p, .monthly)
        case (nil, let y?):
            guard Timestamp.isYear(y) else { throw ValidationError("--year must be YYYY, found '\(y)'") }
            return (y, .annual)
        default:
            throw ValidationError("give exactly one of --period YYYY-MM or --year YYYY")
        }
    }
}

struct AppraiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appraise",
        abstract: "Compute the monthly appraisal of every active agent, or the annual one from the months.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var when: PeriodOrYear
    @Option(help: "Scheme file or stored scheme id (default: monthly / annual).") var scheme: String?

    func run() throws {
        let (key, kind) = try when.resolve()
        let db = try store.open()
        // without --scheme, a period appraised before is computed again with the scheme it was computed with
        // (after a reopen or a late rating, `appraise` must not move it back to the default scheme silently)
        let previous = scheme == nil ? try db.read { db in try Appraisals.storedScheme(db, period: key) } : nil
        let chosen = try previous.map { (scheme: $0, keep: { (_: Database, _: String) in }) }
            ?? SchemeChoice.load(scheme, kind: kind, db: db)
        let actor = store.actorName
        // the scheme is stored in the appraisal's transaction: a refused run (a finalized period) stores nothing
        let (results, months, variant, monthlyIDs) = try db.write { db in
            let variant = try Schemes.isNewVariant(db, chosen.scheme)
            try chosen.keep(db, actor)
            let results = try Appraisals.run(db, key: key, kind: kind, scheme: chosen.scheme, actor: actor)
            let monthlyIDs = Set(try Schemes.all(db).filter { $0.scheme.kind == .monthly }.map(\.scheme.id))
            return (results, kind == .annual ? try Appraisals.monthSchemes(db, year: key) : [], variant, monthlyIDs)
        }
        print(Appraising.summary(results, key: key, scheme: chosen.scheme))
        if let previous {
            print("note: \(key) is computed again with \(previous.id) v\(previous.version), the scheme of its stored results (--scheme to use another)")
        }
        if variant {
            let s = chosen.scheme
            print("note: \(scheme ?? "the scheme") is \(s.id) v\(s.version) but differs from the \(s.id) v\(s.version) already stored: it was kept as another variant, and the workbook, `appraisals` and `explain` name both \"\(s.id) v\(s.version)\" — give a changed scheme a new version so HR can tell them apart")
        }
        // the year averages the months as they were computed: say when they were not all computed with the
        // monthly scheme the annual one names (or with more than one version of it)
        if let expected = chosen.scheme.monthlyScheme {
            // a misspelled id would otherwise only show as every month "appraised with another scheme"
            if !monthlyIDs.contains(expected) {
                print("note: \(chosen.scheme.id) v\(chosen.scheme.version) names monthly_scheme '\(expected)', which is not a stored monthly scheme (stored: \(monthlyIDs.sorted().joined(separator: ", "))) — is it misspelled?")
            }
            for month in months where month.schemeID != expected {
                print("note: \(month.period) was appraised with scheme \(month.schemeID) v\(month.version), not \(expected) (the monthly scheme of \(chosen.scheme.id) v\(chosen.scheme.version)); the year averages it as it is — re-appraise the month with \(expected) if that is not intended")
            }
        }
        let versions = Set(months.map { "\($0.schemeID) v\($0.version)" })
        if versions.count > 1 {
            print("note: the months of \(key) were appraised with \(versions.sorted().joined(separator: ", ")): \(months.map { "\($0.period) \($0.schemeID) v\($0.version)" }.joined(separator: ", "))")
        }
    }
}

enum Appraising {
    static func run(_ db: Store, key: String, kind: SchemeKind, scheme: Scheme, actor: String) throws -> [AppraisalResult] {
        try db.write { db in try Appraisals.run(db, key: key, kind: kind, scheme: scheme, actor: actor) }
    }

    static func summary(_ results: [AppraisalResult], key: String, scheme: Scheme) -> String {
        var counts: [String: Int] = [:]
        for r in results { counts[r.grade ?? r.status.rawValue, default: 0] += 1 }
        let grades = scheme.bands.map { "\($0.grade) \($0.label) \(counts[$0.grade] ?? 0)" }
        let others = counts.filter { key, _ in !scheme.bands.contains { $0.grade == key } }.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }
        let moved = results.filter { !$0.forcedMoves.isEmpty }.count
        var text = "appraised \(results.count) agents for \(key) with scheme \(scheme.id) v\(scheme.version): "
            + (grades + others).joined(separator: ", ")
        if moved > 0 { text += "; \(moved) moved down by forced distribution" }
        return text
    }
}

struct AppraisalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appraisals",
        abstract: "List appraisals: every component (unrounded in csv/json), final score, grade, coefficient, missing.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var when: PeriodOrYear
    @Option(help: "Only this team.") var team: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        let (key, kind) = try when.resolve()
        let db = try store.open()
        let (results, names) = try db.read { db in
            // the name each appraisal was computed with (what the workbook shows), else the roster's
            let results = try Appraisals.list(db, period: key)
            try FilterCheck.team(db, team, appraised: results.map(\.team))
            return (results,
                    Dictionary(uniqueKeysWithValues: try Employees.all(db).map { ($0.employeeID, $0.name) })
                        .merging(try Appraisals.names(db, period: key)) { _, computed in computed })
        }
        // the component columns are the period's, whatever the team filter keeps; with nothing appraised, the
        // default scheme's — a CSV header does not change with the rows
        let components = results.isEmpty ? try SchemeChoice.load(nil, kind: kind, db: db).scheme.components.map(\.name)
                                         : AppraisalResult.componentOrder(results)
        AppraisalListing.make(results.filter { team == nil || $0.team == team }, components: components, names: names,
                              format: output.format).print(output.format)
    }
}

/// JSON: `components` is one object (name → unrounded number or null), as issue 4 specifies. CSV and table:
/// one column per component, in the scheme's order, where a spreadsheet can read it (empty when missing).
enum AppraisalListing {
    /// `componentNames`: the columns, in the scheme's order (`AppraisalResult.componentOrder`).
    static func make(_ results: [AppraisalResult], components componentNames: [String], names: [String: String],
                     format: OutputFormat) -> Listing {
        let flat = format != .json
        var listing = Listing(columns: ["employee_id", "name", "team", "period", "status"]
                                + (flat ? componentNames : ["components"])
                                + ["final_score", "final_score_unrounded", "grade", "grade_label", "bonus_coefficient",
                                   "missing", "forced_distribution", "scheme"])
        for r in results {
            let components = componentNames.map { name in (name, Cell.optional(r.components[name] ?? nil)) }
            listing.append([.text(r.employeeID), .optional(names[r.employeeID]), .text(r.team), .text(r.period),
                            .text(r.status.rawValue)]
                           + (flat ? components.map(\.1) : [.object(components)])
                           + [.optional(r.finalScore),
                            // the table rounds numbers to 2 places: this column is there to show what they hide
                            format == .table ? r.finalScoreUnrounded.map { .text(DecimalMath.fixed($0, 6)) } ?? .null
                                             : .optional(r.finalScoreUnrounded), .optional(r.grade), .optional(r.gradeLabel),
                            .optional(r.bonusCoefficient), .list(r.missing.map(Cell.text)),
                            r.forcedMoves.isEmpty ? .null : .text(r.forcedMoves.map { "\($0.from)→\($0.to)" }.joined(separator: ",")),
                            .text("\(r.schemeID) v\(r.schemeVersion)")])
        }
        return listing
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how one agent's appraisal was reached: inputs, weights used, rounding, band.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The agent's employee id.") var agent: String
    @Option(help: "Month YYYY-MM or year YYYY.") var period: String
    @Option(help: "text or json.") var format: String = "text"

    func run() throws {
        guard Timestamp.isPeriod(period) || Timestamp.isYear(period) else {
            throw ValidationError("--period must be YYYY-MM or YYYY")
        }
        let (found, employee) = try store.open().read { db in
            (try Appraisals.find(db, period: period, employeeID: agent), try Employees.find(db, agent))
        }
        guard let result = found else {
            guard let employee else { throw CLIError("--agent: unknown employee '\(agent)' (not on the roster)") }
            guard employee.role == .agent else {
                throw CLIError("--agent: '\(agent)' is \(employee.role.inSentence) on the roster, not an agent: only agents are appraised")
            }
            throw CLIError("no appraisal of \(agent) for \(period): run `scorebook appraise` first")
        }
        switch format {
        case "json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        case "text":
            for line in result.explanation.lines { print(line) }
        default:
            throw ValidationError("--format is text or json")
        }
    }
}

struct FinalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finalize",
        abstract: "Lock a period: its ratings, inspections and appraisals no longer change until reopened.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Month YYYY-MM or year YYYY.") var period: String

    func run() throws {
        guard Timestamp.isPeriod(period) || Timestamp.isYear(period) else {
            throw ValidationError("--period must be YYYY-MM or YYYY")
        }
        let (disputes, drafts) = try store.open().write { db -> (Int, Int) in
            try Appraisals.finalize(db, period: period, actor: store.actorName)
            return (try InspectionResponses.list(db, period: period, status: .disputed).count,
                    try Inspections.list(db, InspectionFilter(period: period, status: .draft)).count)
        }
        print("period \(period) finalized")
        // they stay as they are under the lock: answering or submitting them needs a reopen
        if disputes > 0 {
            print("note: \(disputes) dispute\(disputes == 1 ? " is" : "s are") still open in \(period) (`scorebook disputes --period \(period)`); answering needs `scorebook reopen`")
        }
        if drafts > 0 {
            print("note: \(drafts) draft inspection\(drafts == 1 ? "" : "s") of \(period) did not count and stay drafts")
        }
    }
}

struct ReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Unlock a finalized period (the reason is recorded in the audit log).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Month YYYY-MM or year YYYY.") var period: String
    @Option(help: "Why it is reopened.") var reason: String

    func run() throws {
        try store.open().write { db in try PeriodLocks.reopen(db, period: period, actor: store.actorName, reason: reason) }
        print("period \(period) reopened")
    }
}
