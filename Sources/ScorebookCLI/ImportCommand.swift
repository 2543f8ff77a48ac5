import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookImport
import ScorebookStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import roster, sessions or ratings files (each file in one transaction).",
        subcommands: [Roster.self, Sessions.self, Ratings.self])

    struct Roster: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import roster.csv (employee_id,name,team,role,supervisor_id,active).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The roster CSV file.") var file: String

        func run() throws {
            let summary = try RosterImporter.importFile(file, into: try store.open(), actor: store.actorName)
            print(summary.description)
        }
    }

    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import sessions from CSV (metadata) or JSONL (metadata and transcript turns).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "A .csv or .jsonl file.") var file: String

        func run() throws {
            let progress = Progress(label: "sessions")
            let summary = try SessionImporter.importFile(file, into: try store.open()) { progress.update($0) }
            progress.finish()
            print(summary.description)
        }
    }
}

extension ImportCommand {
    struct Ratings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import ratings (period,employee_id,source,rater_id,criterion,score); scales per source from the scheme.",
            discussion: """
            A .csv file, or an .xlsx file such as the one `scorebook template ratings` writes (also after Excel or \
            LibreOffice re-saved it): the first sheet whose header row has those columns is read, errors name the \
            spreadsheet row. In an .xlsx, rows whose score is blank are skipped (a team lead may leave some \
            empty); in a CSV a blank score is an error. Either way the file is imported whole or not at all.
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: "Scheme file or stored scheme id (default: monthly).") var scheme: String?
        @Argument(help: "A ratings .csv or .xlsx file.") var file: String

        func run() throws {
            let db = try store.open()
            let chosen = try SchemeChoice.resolve(scheme, kind: .monthly, db: db, storeIt: false)
            let scales = SchemeChoice.ratingScales(chosen)
            let summary: ImportSummary
            if file.lowercased().hasSuffix(".xlsx") {
                let path = file
                summary = try RatingsImporter.importRecords(path, into: db, scales: scales, actor: store.actorName,
                                                            skipBlankScores: true) { body in
                    try withoutActuallyEscaping(body) { body in
                        try XLSXTable.read(path: path, columns: RatingRecord.columns, body: body)
                    }
                }
            } else {
                summary = try RatingsImporter.importFile(file, into: db, scales: scales, actor: store.actorName)
            }
            print(summary.description)
        }
    }
}

/// Progress on a terminal (count and rate); silent when standard error is not a terminal.
final class Progress {
    private let label: String
    private var total: Int?
    private let start = Date()
    private let enabled = isatty(STDERR_FILENO) != 0
    private var shown = false

    init(label: String, total: Int? = nil) {
        self.label = label
        self.total = total
    }

    func update(_ done: Int, total: Int? = nil) {
        guard enabled else { return }
        if let total { self.total = total }
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed
        var text = "\r\(done) \(label), \(Int(rate))/s"
        if let total, total > 0, rate > 0 {
            let remaining = Double(total - done) / rate
            text = "\r\(done)/\(total) \(label) (\(Int(100 * Double(done) / Double(total)))%), \(Int(rate))/s, ETA \(Int(remaining.rounded()))s"
        }
        FileHandle.standardError.write(Data((text + "   ").utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
