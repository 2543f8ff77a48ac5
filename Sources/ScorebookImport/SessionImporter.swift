import Foundation
import GRDB
import ScorebookCore
import ScorebookStore

/// Imports sessions from CSV (metadata) or JSON Lines (metadata plus `turns`), streaming the file into one
/// transaction: a bad line rolls back the whole file.
public enum SessionImporter {
    @discardableResult
    public static func importFile(_ path: String, into store: Store,
                                  progress: ((Int) -> Void)? = nil) throws -> ImportSummary {
        let lower = path.lowercased()
        let isJSONL = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
        if lower.hasSuffix(".json") || lower.hasSuffix(".xlsx") || lower.hasSuffix(".xls") {
            throw ImportFailure(file: path, reason: "sessions are read from a .csv file (metadata) or a .jsonl file (one JSON object per line, with turns): name the file .csv or .jsonl")
        }
        return try store.withBulkWrites { try store.write { db in
            var loader = try Loader(db: db, file: path, progress: progress)
            let records = isJSONL ? try SessionPipeline.jsonl(path) : SessionPipeline.csv(path)
            try SessionPipeline.run(produce: records) { record in
                do {
                    try loader.store(record.session, transcript: record.transcript)
                } catch {
                    throw ImportFailure(file: path, line: record.line, error)
                }
            }
            // an empty CSV is refused by its missing header; an empty JSONL file has no line to blame
            if isJSONL, loader.count == 0 {
                throw ImportFailure(file: path, line: 1, reason: "the file is empty: expected one JSON object per line")
            }
            var summary = ImportSummary(file: path, records: loader.count, transcripts: loader.transcripts,
                                        periods: loader.periods.periods)
            summary.notAgentSessions = loader.notAgentSessions
            summary.notAgents = loader.notAgents.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.rawValue))" }
            return summary
        } }
    }

    private struct Loader {
        let db: Database
        let file: String
        let roster: [String: Role]
        let writer: SessionWriter
        let progress: ((Int) -> Void)?
        var count = 0
        var transcripts = 0
        /// Sessions handled by someone on the roster who is not an agent (a team lead who took calls): kept,
        /// but appraisal and sampling look at agents only — the summary says so.
        var notAgentSessions = 0
        var notAgents: [String: Role] = [:]
        var periods = OpenPeriods(doing: "import sessions into it", field: "started_at")

        init(db: Database, file: String, progress: ((Int) -> Void)?) throws {
            self.db = db
            self.file = file
            self.progress = progress
            roster = try Employees.ids(db)
            writer = try SessionWriter(db)
        }

        /// Checks what needs the database (roster, period lock, duplicates) and inserts.
        mutating func store(_ session: Session, transcript: EncodedTranscript?) throws {
            guard let role = roster[session.agentID] else {
                throw FieldError(field: "agent_id", reason: "unknown agent '\(session.agentID)' (not on the roster)")
            }
            if role != .agent {
                notAgentSessions += 1
                notAgents[session.agentID] = role
            }
            try periods.check(db, session.period)
            do {
                try writer.insert(session, transcript: transcript)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw FieldError(field: "session_id", reason: "duplicate session id '\(session.sessionID)' (earlier in this file or already imported)")
            }
            count += 1
            if transcript != nil { transcripts += 1 }
            if count % 10_000 == 0 { progress?(count) }
        }
    }

    /// `length`: the session's length in seconds (ended_at − started_at); no turn starts or ends past it
    /// (beyond `SessionRecord.latestTime`: a recording may run a little past `ended_at`).
    static func validateTurns(_ lines: [TurnLine], length: Double) throws -> [Turn] {
        let last = SessionRecord.latestTime(length: length)
        var turns: [Turn] = []
        turns.reserveCapacity(lines.count)
        var previous = -Double.infinity
        for (index, turn) in lines.enumerated() {
            var field: String { "turns[\(index)]" } // only built for an error message
            guard turn.at.isFinite, turn.at >= 0 else {
                throw FieldError(field: "\(field).at", reason: "must be a number of seconds ≥ 0")
            }
            guard turn.at >= previous else {
                throw FieldError(field: "\(field).at", reason: "turns must be in time order (\(turn.at) after \(previous))")
            }
            previous = turn.at
            if let end = turn.end, !(end.isFinite && end >= turn.at) {
                throw FieldError(field: "\(field).end", reason: "must be a number of seconds ≥ at")
            }
            // a transcript in milliseconds, or one of another session: silences of hours, greetings too late
            if turn.at > last { throw SessionRecord.pastTheEnd("\(field).at", turn.at, length: length) }
            if let end = turn.end, end > last { throw SessionRecord.pastTheEnd("\(field).end", end, length: length) }
            guard let speaker = Speaker(rawValue: turn.speaker) else {
                throw FieldError(field: "\(field).speaker", reason: "must be \"agent\" or \"customer\"")
            }
            turns.append(Turn(at: turn.at, end: turn.end, speaker: speaker, text: turn.text))
        }
        return turns
    }
}

struct TurnLine {
    var at: Double
    var end: Double?
    var speaker: String
    var text: String
}
