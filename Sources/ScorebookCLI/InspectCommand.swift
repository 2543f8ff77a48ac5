import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookImport
import ScorebookStore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Score sessions: manually (default) or every session automatically (`inspect auto`).",
        subcommands: [Manual.self],
        defaultSubcommand: Manual.self)

    struct Manual: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record (or re-score) a manual inspection of one session.",
            discussion: """
            answers.json is one JSON object from item id to "yes", "no", "na" or a number (the level of a \
            scale item, the occurrence count of a deduction item). --answer item=value may be repeated and \
            overrides the file. Without --submit the inspection is a draft.
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
            }
            guard !given.isEmpty else { throw ValidationError("give answers with --answers FILE or --answer item=value") }
            let input = ManualInspection(sessionID: session, rubricID: rubric, rubricVersion: rubricVersion,
                                         inspectorID: inspector, answers: given, submit: submit, comment: comment)
            let record: InspectionRecord
            do {
                record = try store.open().write { db in try Inspections.saveManual(db, input, actor: store.actorName) }
            } catch let error as AnswerError {
                throw CLIError("\(answers ?? "--answer"): \(error)")
            }
            InspectionListing.make([record]).print(output.format)
        }
    }
}

