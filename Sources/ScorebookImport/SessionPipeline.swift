import Foundation
import ScorebookCore
import ScorebookStore

/// Reads a sessions file on a second thread — parsing each record (CSV through CSV.swift, JSONL through
/// `SessionLineParser`), validating its fields and turns, encoding the transcript — while the caller's thread
/// stores the records. Batches flow through a small bounded queue, so memory stays flat; records and the first
/// error arrive in line order, exactly as a sequential read would report them.
enum SessionPipeline {
    struct Record {
        var line: Int
        var session: Session
        var transcript: EncodedTranscript?
    }

    private struct Batch {
        var records: [Record] = []
        /// The first bad record of the batch (it ends the file).
        var failure: Error?
    }

    /// Ends a producer whose consumer has stopped (it already has its error).
    private struct Stopped: Error {}

    static let batchSize = 512

    /// `produce` runs on the reading thread and hands each record to `emit`; it throws the first bad record
    /// as an `ImportFailure`. `store` runs on the caller's thread.
    static func run(produce: @escaping (_ emit: (Record) throws -> Void) throws -> Void,
                    store: (Record) throws -> Void) throws {
        let queue = BoundedQueue<Batch>(capacity: 8)
        let producer = Thread {
            var batch = Batch()
            do {
                try produce { record in
                    batch.records.append(record)
                    if batch.records.count == batchSize {
                        guard queue.put(batch) else { throw Stopped() }
                        batch = Batch()
                    }
                }
            } catch {
                batch.failure = error
            }
            _ = queue.put(batch)
            queue.finish()
        }
        producer.stackSize = 1 << 22
        producer.start()
        defer { queue.cancel() }
        while let batch = queue.take() {
            for record in batch.records { try store(record) }
            if let failure = batch.failure { throw failure }
        }
    }

    /// The records of a JSON Lines file (metadata plus `turns`).
    static func jsonl(_ path: String) throws -> (_ emit: (Record) throws -> Void) throws -> Void {
        let reader = try LineReader(path: path)
        return { emit in
            // A line may leave out a field that has no value (JSON writers leave out nulls) and may carry keys
            // of its own (an export's extra columns). But a field that no line of the file has, beside a key no
            // session has, is a misspelling (`handle_time`, `satisfaction`) whose values would be lost without a
            // word — handle times, csat, and the pay computed from them: decided once the file is read (a
            // writer that drops nulls still has the field on the lines with a value), the import then refused.
            var seen = [Bool](repeating: false, count: SessionRecord.columns.count)
            var unseen = seen.count
            var unknownFirstLine: [String: Int] = [:]
            while var bytes = reader.next() {
                let line = reader.lineNumber
                if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) } // a UTF-8 BOM
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                guard String(validating: bytes, as: UTF8.self) != nil else {
                    throw ImportFailure(file: path, line: line, reason: "not valid UTF-8 text")
                }
                let record: Record
                do {
                    let decoded = try bytes.withUnsafeBufferPointer { try SessionLineParser.parse($0) }
                    if unseen > 0 {
                        for (k, column) in SessionRecord.columns.enumerated() where !seen[k] && decoded.fields[column] != nil {
                            seen[k] = true
                            unseen -= 1
                        }
                    }
                    for key in decoded.unknownKeys where unknownFirstLine[key] == nil { unknownFirstLine[key] = line }
                    // first-contact resolution counts every session: every line has the key (a CSV the column)
                    if decoded.fields["resolved"] == nil {
                        throw FieldError(field: "resolved", reason: "is missing: every line needs it (1 solved on this first contact, 0 not)")
                    }
                    let (session, length) = try SessionRecord.parseTimed(RecordFields(decoded.fields))
                    let turns = try decoded.turns.map { try SessionImporter.validateTurns($0, length: length) }
                    record = Record(line: line, session: session, transcript: turns.map(EncodedTranscript.init))
                } catch {
                    throw ImportFailure(file: path, line: line, error)
                }
                try emit(record)
            }
            if unseen > 0, let (key, line) = unknownFirstLine.min(by: { $0.value < $1.value }) {
                let absent = SessionRecord.columns.enumerated().filter { !seen[$0.offset] }.map(\.element)
                throw ImportFailure(file: path, line: line, FieldError(field: key, reason: "is no session field, and no line of the file has \(absent.joined(separator: ", ")) — misspelled? (the fields are \(SessionRecord.columns.joined(separator: ", ")) and turns; nothing was imported)"))
            }
        }
    }

    /// The records of a CSV file (metadata only).
    static func csv(_ path: String) -> (_ emit: (Record) throws -> Void) throws -> Void {
        return { emit in
            try CSVTable.read(path: path, columns: SessionRecord.columns) { line, fields in
                try emit(Record(line: line, session: try SessionRecord.parse(fields), transcript: nil))
            }
        }
    }
}
