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
        let isJSONL = path.lowercased().hasSuffix(".jsonl") || path.lowercased().hasSuffix(".ndjson")
        return try store.write { db in
            var loader = try Loader(db: db, file: path, progress: progress)
            if isJSONL {
                try readJSONL(path) { line, fields, turns in try loader.add(line: line, fields: fields, turns: turns) }
            } else {
                try CSVTable.read(path: path, columns: SessionRecord.columns) { line, fields in
                    try loader.add(line: line, fields: fields, turns: nil)
                }
            }
            return ImportSummary(file: path, records: loader.count, transcripts: loader.transcripts,
                                 periods: loader.periods.sorted())
        }
    }

    private struct Loader {
        let db: Database
        let file: String
        let roster: [String: Role]
        let writer: SessionWriter
        let progress: ((Int) -> Void)?
        var count = 0
        var transcripts = 0
        var periods = Set<String>()

        init(db: Database, file: String, progress: ((Int) -> Void)?) throws {
            self.db = db
            self.file = file
            self.progress = progress
            roster = try Employees.ids(db)
            writer = try SessionWriter(db)
        }

        mutating func add(line: Int, fields: RecordFields, turns: [Turn]?) throws {
            let session = try SessionRecord.parse(fields)
            guard roster[session.agentID] != nil else {
                throw FieldError(field: "agent_id", reason: "unknown agent '\(session.agentID)' (not on the roster)")
            }
            if periods.insert(session.period).inserted {
                do {
                    try PeriodLocks.ensureOpen(db, period: session.period, doing: "import sessions into it")
                } catch let error as StoreError {
                    throw FieldError(field: "started_at", reason: error.description)
                }
            }
            do {
                try writer.insert(session, turns: turns)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw FieldError(field: "session_id", reason: "duplicate session id '\(session.sessionID)' (earlier in this file or already imported)")
            }
            count += 1
            if turns != nil { transcripts += 1 }
            if count % 10_000 == 0 { progress?(count) }
        }
    }

    /// Reads JSON Lines: one object per line with the session fields and an optional `turns` array.
    static func readJSONL(_ path: String, body: (Int, RecordFields, [Turn]?) throws -> Void) throws {
        let reader = try LineReader(path: path)
        while let bytes = reader.next() {
            let line = reader.lineNumber
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            do {
                let object: Any
                do {
                    object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
                } catch {
                    throw FieldError(field: "", reason: "malformed JSON line")
                }
                guard let dictionary = object as? [String: Any] else {
                    throw FieldError(field: "", reason: "a line must be one JSON object")
                }
                var values: [String: String] = [:]
                for column in SessionRecord.columns {
                    values[column] = try scalarText(dictionary[column], field: column)
                }
                let turns = try dictionary["turns"].map { try parseTurns($0) }
                try body(line, RecordFields(values), turns)
            } catch {
                throw ImportFailure(file: path, line: line, error)
            }
        }
    }

    private static func scalarText(_ value: Any?, field: String) throws -> String {
        switch value {
        case nil, is NSNull: return ""
        case let string as String: return string
        case let number as NSNumber: return JSONScalar.isBoolean(number) ? (number.boolValue ? "1" : "0") : number.stringValue
        default: throw FieldError(field: field, reason: "must be a string or a number")
        }
    }

    static func parseTurns(_ value: Any) throws -> [Turn] {
        guard let array = value as? [Any] else { throw FieldError(field: "turns", reason: "must be an array") }
        var turns: [Turn] = []
        turns.reserveCapacity(array.count)
        var previous = -Double.infinity
        for (index, element) in array.enumerated() {
            let field = "turns[\(index)]"
            guard let turn = element as? [String: Any] else { throw FieldError(field: field, reason: "must be an object") }
            guard let at = (turn["at"] as? NSNumber)?.doubleValue, at.isFinite, at >= 0 else {
                throw FieldError(field: "\(field).at", reason: "must be a number of seconds ≥ 0")
            }
            guard at >= previous else {
                throw FieldError(field: "\(field).at", reason: "turns must be in time order (\(at) after \(previous))")
            }
            previous = at
            var end: Double?
            if let endValue = turn["end"], !(endValue is NSNull) {
                guard let value = (endValue as? NSNumber)?.doubleValue, value.isFinite, value >= at else {
                    throw FieldError(field: "\(field).end", reason: "must be a number of seconds ≥ at")
                }
                end = value
            }
            guard let speakerText = turn["speaker"] as? String, let speaker = Speaker(rawValue: speakerText) else {
                throw FieldError(field: "\(field).speaker", reason: "must be \"agent\" or \"customer\"")
            }
            guard let text = turn["text"] as? String else {
                throw FieldError(field: "\(field).text", reason: "must be a string")
            }
            turns.append(Turn(at: at, end: end, speaker: speaker, text: text))
        }
        return turns
    }
}
