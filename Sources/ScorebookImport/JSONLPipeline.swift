import Foundation
import ScorebookCore
import ScorebookStore

/// Reads a JSONL sessions file on a second thread — parsing each line (`SessionLineParser`), validating its
/// fields and turns, encoding the transcript — while the caller's thread stores the records. Batches flow
/// through a small bounded queue, so memory stays flat; records and the first error arrive in line order,
/// exactly as a sequential read would report them.
enum JSONLPipeline {
    struct Record {
        var line: Int
        var session: Session
        var transcript: EncodedTranscript?
    }

    private struct Batch {
        var records: [Record] = []
        /// The first bad line of the batch (it ends the file).
        var failure: Error?
    }

    static let batchSize = 512

    static func run(_ path: String, store: (Record) throws -> Void) throws {
        let reader = try LineReader(path: path)
        let queue = BoundedQueue<Batch>(capacity: 8)
        let producer = Thread {
            var batch = Batch()
            while let bytes = reader.next() {
                let line = reader.lineNumber
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                do {
                    let decoded = try bytes.withUnsafeBufferPointer { try SessionLineParser.parse($0) }
                    let turns = try decoded.turns.map(SessionImporter.validateTurns)
                    let session = try SessionRecord.parse(RecordFields(decoded.fields))
                    batch.records.append(Record(line: line, session: session, transcript: turns.map(EncodedTranscript.init)))
                } catch {
                    batch.failure = ImportFailure(file: path, line: line, error)
                    break
                }
                if batch.records.count == batchSize {
                    guard queue.put(batch) else { return }
                    batch = Batch()
                }
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
}
