import GRDB
import ScorebookCore
import ScorebookStore

/// The one error an import reports: file, line, field and reason (see `DefinitionError`).
typealias ImportFailure = DefinitionError

extension DefinitionError {
    init(file: String, line: Int, _ error: Error) {
        if let field = error as? FieldError {
            self.init(file: file, line: line, field: field.field, reason: Self.shortened(field.reason))
        } else if let definition = error as? DefinitionError {
            self = definition
        } else if let busy = StoreError.busy(error) {
            // the database, not this line: another program held it past the wait
            self.init(file: file, reason: busy.description)
        } else {
            self.init(file: file, line: line, reason: "\(error)")
        }
    }
}

extension DefinitionError {
    /// A reason quoting a huge value (a 200 KB field, or a CSV quote left open that swallowed the rest of the
    /// file) is cut to its start: one line a person can read.
    static func shortened(_ reason: String) -> String {
        guard reason.count > 300 else { return reason }
        let start = String(reason.prefix(200)).replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎")
        let hint = reason.contains("\n") ? "; the value runs over several lines — is a quote left open on this line?" : ""
        return start + "… (cut: \(reason.count) characters\(hint))"
    }
}

/// What an import loaded.
public struct ImportSummary: Equatable {
    public var file: String
    public var records: Int
    public var transcripts: Int
    public var periods: [String]
    /// Rows of a ratings template left without a score (skipped, not imported).
    public var skippedBlank = 0
    /// Sessions imported whose `agent_id` is on the roster but not an agent, and who those are
    /// ("E1046 (inspector)"): appraisal and sampling leave them out.
    public var notAgentSessions = 0
    public var notAgents: [String] = []
    /// A roster import: active employees already on the roster that the file does not list (left as they are).
    public var notInFile: [String] = []

    public init(file: String, records: Int, transcripts: Int, periods: [String], skippedBlank: Int = 0) {
        self.file = file; self.records = records; self.transcripts = transcripts; self.periods = periods
        self.skippedBlank = skippedBlank
    }

    public var description: String {
        var text = "imported \(records) record\(records == 1 ? "" : "s") from \(file)"
        if transcripts > 0 { text += " (\(transcripts) with transcripts)" }
        if skippedBlank > 0 { text += " (\(skippedBlank) row\(skippedBlank == 1 ? "" : "s") with a blank score skipped)" }
        if !periods.isEmpty { text += "; periods \(periods.joined(separator: ", "))" }
        if !notInFile.isEmpty {
            let shown = notInFile.prefix(8).joined(separator: ", ") + (notInFile.count > 8 ? ", …" : "")
            text += "\nnote: \(notInFile.count) active employee\(notInFile.count == 1 ? " is" : "s are") on the roster but not in this file (\(shown)): left as they are — list a leaver with active 0"
        }
        if notAgentSessions > 0 {
            let shown = notAgents.prefix(5).joined(separator: ", ") + (notAgents.count > 5 ? ", …" : "")
            text += "\nnote: \(notAgentSessions) session\(notAgentSessions == 1 ? " is" : "s are") handled by employees who are not agents on the roster (\(shown)): kept, but appraisal and sampling leave them out"
        }
        return text
    }
}

/// Checks, once per period a file touches, that the period is not finalized; reported on the record's line.
struct OpenPeriods {
    private var seen = Set<String>()
    let doing: String
    let field: String

    init(doing: String, field: String) {
        self.doing = doing
        self.field = field
    }

    var periods: [String] { seen.sorted() }

    mutating func check(_ db: Database, _ period: String) throws {
        guard seen.insert(period).inserted else { return }
        do {
            try PeriodLocks.ensureOpen(db, period: period, doing: doing)
        } catch let error as StoreError {
            throw FieldError(field: field, reason: error.description)
        }
    }
}
