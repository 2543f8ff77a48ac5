import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookImport
import ScorebookStore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Score sessions: manually (default) or every session automatically (`inspect auto`).",
        subcommands: [Manual.self, Auto.self],
        defaultSubcommand: Manual.self)

    struct Manual: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record (or re-score) a manual inspection of one session.",
            discussion: """
            answers.json is one JSON object from item id to "yes", "no", "na" or a number (the level of a \
            scale item, the occurrence count of a deduction item). --answer item=value may be repeated and \
            overrides the file. Without --submit a new inspection is a draft (a submitted one stays submitted \
            when re-scored). Items left unanswered count in neither sum, like N/A; submitting with items \
            unanswered prints a warning naming them (the web form refuses it).
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: "Session id.") var session: String
        @Option(help: "Rubric id.") var rubric: String
        @Option(name: .customLong("rubric-version"), help: "Rubric version (default: latest; a re-score keeps its version).")
        var rubricVersion: Int?
        @Option(help: "Inspector's employee id.") var inspector: String
        @Option(help: "JSON file of answers.") var answers: String?
        @Option(name: .customLong("answer"), help: "One answer, item=value (repeatable).") var answerPairs: [String] = []
        @Option(help: "Inspector's comment.") var comment: String?
        @Flag(help: "Submit the inspection (otherwise it stays a draft).") var submit = false
        @OptionGroup var output: FormatOption

        func run() throws {
            var given: [String: Answer] = [:]
            var flagged: [String: String] = [:] // item → the --answer that gave it (it overrides the file)
            if let answers { given = try AnswersFile.read(answers) }
            for pair in answerPairs {
                guard let eq = pair.firstIndex(of: "=") else {
                    throw ValidationError("--answer takes item=value, found '\(pair)'")
                }
                let item = String(pair[..<eq]).trimmingCharacters(in: .whitespaces)
                let text = String(pair[pair.index(after: eq)...])
                guard let answer = Answer.parse(text) else {
                    throw CLIError("--answer \(pair): '\(text)' is not yes, no, na or a number")
                }
                given[item] = answer
                flagged[item] = pair
            }
            guard !given.isEmpty else { throw ValidationError("give answers with --answers FILE or --answer item=value") }
            let input = ManualInspection(sessionID: session, rubricID: rubric, rubricVersion: rubricVersion,
                                         inspectorID: inspector, answers: given, submit: submit, comment: comment)
            let record: InspectionRecord
            let db = try store.open()
            do {
                record = try db.write { db in try Inspections.saveManual(db, input, actor: store.actorName) }
            } catch let error as AnswerError {
                // name where the refused answer came from: the --answer flag, else the answers file
                if let pair = flagged[error.item] { throw CLIError("--answer \(pair): \(error)") }
                throw CLIError("\(answers ?? "--answer"): \(error)")
            }
            InspectionListing.make([record]).print(output.format)
            if record.status == .submitted {
                let rubricItems = try db.read { db in
                    try Rubrics.require(db, id: record.rubricID, version: record.rubricVersion).rubric.items
                }
                let unanswered = rubricItems.filter { record.answers[$0.id] == nil }
                if !unanswered.isEmpty {
                    let critical = unanswered.filter { $0.critical != nil }.map(\.id)
                    FileHandle.standardError.write(Data((
                        "warning: inspection \(record.id) is submitted with \(unanswered.count) of \(rubricItems.count) items unanswered "
                        + "(they count in neither sum, like N/A): \(unanswered.map(\.id).joined(separator: ", "))"
                        + (critical.isEmpty ? "" : "; red-line items among them: \(critical.joined(separator: ", "))") + "\n").utf8))
                }
            }
        }
    }

    struct Auto: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Full-coverage automatic inspection: every auto rule of the rubric over every session of the period.",
            discussion: """
            One automatic inspection per session (items without a rule are N/A). Sessions already scored with \
            the rubric are left alone, so running again scores only new sessions, and an interrupted run \
            resumes where it stopped; --rescore redoes them all, keeping inspectors' review decisions (复核) of \
            findings the new run finds again (agents' acknowledgements and disputes of the old inspections are \
            discarded and counted). Progress is shown on a terminal only.
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: "Period YYYY-MM.") var period: String
        @Option(help: "Rubric id (latest version).") var rubric: String
        @Flag(help: "Delete and redo the period's automatic inspections with this rubric.") var rescore = false

        func run() throws {
            _ = try checkPeriod(period)
            let db = try store.open()
            let stored = try db.read { db in try Rubrics.require(db, id: rubric) }
            let progress = Progress(label: "sessions")
            let summary = try AutoInspections.run(db, rubric: stored.rubric, period: period, rescore: rescore,
                                                  actor: store.actorName) { done, total in
                progress.update(done, total: total)
            }
            progress.finish()
            let rate = summary.seconds > 0 ? Int(Double(summary.scored) / summary.seconds) : 0
            print("automatic inspection \(period) with \(summary.rubricID) v\(summary.rubricVersion): scored \(summary.scored) sessions (\(summary.alreadyScored) already scored), \(summary.findings) findings, \(String(format: "%.1f", summary.seconds)) s (\(rate) sessions/s)")
            if !summary.alreadyScoredOlder.isEmpty {
                let older = summary.alreadyScoredOlder.sorted { $0.key < $1.key }.map { "\($0.value) with v\($0.key)" }.joined(separator: ", ")
                print("note: of the sessions already scored, \(older) keep that version's scores (the month's qa averages them with v\(summary.rubricVersion)'s); `--rescore` applies v\(summary.rubricVersion) to every session")
            }
            if summary.reviewsCarried + summary.reviewsDropped > 0 {
                print("  review decisions kept through the rescore: \(summary.reviewsCarried); dropped (the finding is not found again): \(summary.reviewsDropped)")
            }
            if summary.rescoresLogged > 0 {
                print("  sessions whose score or answers changed (one audit entry each, before and after): \(summary.rescoresLogged)")
            }
            if summary.responsesDiscarded > 0 {
                print("  agents' acknowledgements and disputes of the old automatic inspections discarded: \(summary.responsesDiscarded)")
            }
            for (note, count) in summary.skippedRules.sorted(by: { $0.key < $1.key }) {
                print("  not applied in \(count) sessions: \(note)")
            }
        }
    }
}
