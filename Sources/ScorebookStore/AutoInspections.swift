import Foundation
import GRDB
import ScorebookCore

/// What a full-coverage run did.
public struct AutoRunSummary: Equatable {
    public var period: String
    public var rubricID: String
    public var rubricVersion: Int
    /// Sessions scored by this run.
    public var scored: Int
    /// Sessions of the period already scored with the rubric before this run (left alone).
    public var alreadyScored: Int
    /// Of those, how many per older version of the rubric (version → sessions): they keep their scores
    /// until `--rescore` applies this version to them.
    public var alreadyScoredOlder: [Int: Int] = [:]
    public var findings: Int
    /// "item/rule: reason" → number of sessions where that rule could not be applied (item N/A there).
    public var skippedRules: [String: Int]
    public var seconds: Double
    /// `--rescore`: review decisions put back on the same findings of the new run, and those dropped because
    /// the new run did not find the same evidence again.
    public var reviewsCarried = 0
    public var reviewsDropped = 0
    /// `--rescore`: agents' acknowledgements and disputes of the deleted automatic inspections.
    public var responsesDiscarded = 0
    /// `--rescore`: sessions whose score, red-line flag or answers changed (one audit entry each).
    public var rescoresLogged = 0
}

/// Raised by `AutoInspections.run(interruptAfter:)` to simulate a kill in tests.
public struct AutoRunInterrupted: Error {}

/// A session the run could not evaluate (its stored transcript does not decode): the run stops there, the
/// windows before it stay written, and a rerun starts again from that window.
public struct AutoRunSessionError: Error, CustomStringConvertible, Equatable {
    public var sessionID: String
    public var reason: String
    public var description: String { "session \(sessionID): \(reason)" }
}

/// Full-coverage automatic inspection: every `auto` rule of a rubric over every session of a period,
/// one automatic inspection per session (mode `auto`, no inspector), findings with their evidence.
///
/// The period streams through in rowid windows, each window scored and written in its own transaction, so
/// memory stays flat however large the period, and an interrupted run loses at most one window: a rerun
/// picks up the sessions that have no automatic inspection with this rubric yet (the unique index on
/// (session, rubric) for auto inspections makes double counting impossible). A rescore keeps the review
/// decisions (`CarriedReviews`) and puts them back when the run completes.
public enum AutoInspections {
    public static func run(_ store: Store, rubric: Rubric, period: String, rescore: Bool, actor: String,
                           window: Int64 = 4096, interruptAfter: Int? = nil,
                           lockWait: Int32 = Store.busyTimeoutMilliseconds, lockAttempts: Int = 30,
                           progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> AutoRunSummary {
        guard rubric.items.contains(where: { $0.auto != nil }) else {
            throw StoreError("rubric \(rubric.id) v\(rubric.version) has no automatic items (no item has an `auto:` rule): a full-coverage run would store an all-N/A inspection of every session — score it by hand (`scorebook sample`, `scorebook inspect`)")
        }
        let started = Date()
        let scorer = ParallelScorer(rubric: rubric, threads: max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)))

        var responsesDiscarded = 0
        let (total, already, lo, hi, runID) = try store.write { db -> (Int, Int, Int64, Int64, Int64) in
            try PeriodLocks.ensureOpen(db, period: period, doing: "run automatic inspection")
            if rescore {
                let removed = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM inspections WHERE period = ? AND rubric_id = ? AND mode = 'auto'
                    """, arguments: [period, rubric.id]) ?? 0
                responsesDiscarded = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM inspection_responses r JOIN inspections i ON i.id = r.inspection_id
                    WHERE i.period = ? AND i.rubric_id = ? AND i.mode = 'auto'
                    """, arguments: [period, rubric.id]) ?? 0
                let kept = try CarriedReviews.keep(db, period: period, rubricID: rubric.id)
                try RescoredInspections.keep(db, period: period, rubricID: rubric.id)
                try db.execute(sql: "DELETE FROM inspections WHERE period = ? AND rubric_id = ? AND mode = 'auto'",
                               arguments: [period, rubric.id])
                if removed > 0 {
                    try AuditLog.append(db, actor: actor, action: "rescore-auto", entity: "period", entityID: period,
                                        before: ["auto_inspections": String(removed), "rubric": rubric.id,
                                                 "reviews_kept": String(kept), "responses_discarded": String(responsesDiscarded)],
                                        after: ["rubric": "\(rubric.id) v\(rubric.version)"])
                }
            }
            let total = try Sessions.count(db, period: period)
            let already = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM inspections WHERE period = ? AND rubric_id = ? AND mode = 'auto'
                """, arguments: [period, rubric.id]) ?? 0
            let range = try Row.fetchOne(db, sql: "SELECT MIN(rowid) AS lo, MAX(rowid) AS hi FROM sessions WHERE period = ?",
                                         arguments: [period])
            try db.execute(sql: """
                INSERT INTO auto_runs (period, rubric_id, rubric_version, started_at) VALUES (?, ?, ?, ?)
                """, arguments: [period, rubric.id, rubric.version, Clock.now()])
            return (total, already, range?["lo"] ?? 0, range?["hi"] ?? -1, db.lastInsertedRowID)
        }

        var summary = AutoRunSummary(period: period, rubricID: rubric.id, rubricVersion: rubric.version, scored: 0,
                                     alreadyScored: already, findings: 0, skippedRules: [:], seconds: 0)
        if already > 0 {
            summary.alreadyScoredOlder = try store.read { db in
                var older: [Int: Int] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT rubric_version, COUNT(*) AS n FROM inspections
                    WHERE period = ? AND rubric_id = ? AND mode = 'auto' AND rubric_version != ? GROUP BY rubric_version
                    """, arguments: [period, rubric.id, rubric.version]) {
                    older[row["rubric_version"]] = row["n"]
                }
                return older
            }
        }
        summary.responsesDiscarded = responsesDiscarded
        let todo = total - already
        // Three stages overlap: a reader thread reads the windows on a second connection (WAL), the workers
        // evaluate window k+1, and this thread writes window k in its own transaction.
        typealias Window = (sessions: [Session], transcripts: TranscriptBatch)
        let windows = BoundedQueue<Swift.Result<Window, Error>>(capacity: 2)
        let reader = try store.makeReader()
        let readerThread = Thread {
            var start = lo
            do {
                while start <= hi {
                    let end = start + window
                    let batch = try ((reader as (any DatabaseReader)?) ?? store.writer).read { db in
                        try readWindow(db, from: start, to: end, period: period, rubricID: rubric.id, unscoredOnly: already > 0)
                    }
                    if !batch.sessions.isEmpty { guard windows.put(.success(batch)) else { return } }
                    start = end
                }
            } catch {
                _ = windows.put(.failure(error))
            }
            windows.finish()
        }
        readerThread.stackSize = 1 << 22
        readerThread.start()
        defer { windows.cancel() }

        var inFlight: (sessions: [Session], pending: ParallelScorer.Pending)?
        var windowsWritten = 0
        var restartEvery = 8
        if reader != nil {
            // The RESTART checkpoints below do the log's work; SQLite's own (every 1,000 pages, about every
            // window) would copy the same index pages into the database again and again, each with an fsync.
            // 8 windows write ≈ 6,000 pages; past 16,000 the automatic checkpoint still keeps the log bounded.
            try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 16000") }
        }
        defer { try? store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") } }
        while true {
            let next = try windows.take()?.get()
            var results: [ParallelScorer.Result] = []
            if let current = inFlight { results = try current.pending.wait() }
            let writing = inFlight
            inFlight = next.map { ($0.sessions, scorer.start($0.sessions, $0.transcripts)) }
            if let writing {
                // Another program writing — an import of another month holds the lock for its whole file —
                // makes the window wait (up to `lockAttempts` waits of `lockWait` ms, 5 minutes by default)
                // rather than stop the run. The lock is taken first (BEGIN IMMEDIATE), so a wait that runs
                // out has written nothing of the window; the summary is put back all the same.
                var attempt = 1
                while true {
                    let before = summary
                    do {
                        try store.attempt(waitingAtMost: lockWait) { db in
                            try db.inTransaction(.immediate) {
                                try writeResults(db, writing.sessions, results, period: period, rubric: rubric, runID: runID,
                                                 interruptAfter: interruptAfter, summary: &summary)
                                return .commit
                            }
                        }
                        break
                    } catch where attempt < lockAttempts && StoreError.busy(error) != nil {
                        summary = before
                        attempt += 1
                    }
                }
                progress?(summary.scored, todo)
                windowsWritten += 1
                if reader != nil, windowsWritten % restartEvery == 0, !restartLog(store) {
                    restartEvery *= 4 // someone else is reading: try less often
                }
            }
            if next == nil { break }
        }
        summary.seconds = Date().timeIntervalSince(started)
        let notes = summary.skippedRules
        try store.write { db in
            try db.execute(sql: "UPDATE auto_runs SET finished_at = ?, scored = ?, notes = ? WHERE id = ?",
                           arguments: [Clock.now(), summary.scored, AuditLog.json(notes), runID])
            (summary.reviewsCarried, summary.reviewsDropped) = try CarriedReviews.apply(db, period: period, rubricID: rubric.id,
                                                                                        actor: actor)
            // each session whose score a rescore changed, with before and after
            summary.rescoresLogged = try RescoredInspections.audit(db, period: period, rubricID: rubric.id, runID: runID, actor: actor)
            // every run, in one entry — one that found nothing new to score too (issue 3: "every automatic run
            // has one entry"); its inspections are listed by `inspections --mode auto`
            try AuditLog.append(db, actor: actor, action: "auto-inspect", entity: "period", entityID: period,
                                before: Nothing?.none,
                                after: ["rubric": "\(rubric.id) v\(rubric.version)", "run": String(runID),
                                        "scored": String(summary.scored), "already_scored": String(summary.alreadyScored),
                                        "findings": String(summary.findings)])
        }
        return summary
    }

    /// Checkpoints the WAL and lets the next write start it over. With the reader thread always a window
    /// ahead, SQLite's automatic (passive) checkpoints never find a moment to restart the log, which then
    /// grows with the run (≈ 600 MB over 1M sessions) and slows every read and write; a RESTART checkpoint
    /// waits for the reader to finish its window. It waits at most `restartWait` ms, not the store's 10 s
    /// busy timeout: another process holding a read transaction (an analyst's query) would otherwise stall
    /// the run 10 s per attempt. False when the log could not be restarted; that only costs speed.
    private static func restartLog(_ store: Store) -> Bool {
        let restarted = try? store.attempt(waitingAtMost: restartWait) { db in try db.checkpoint(.restart) }
        return restarted != nil
    }

    static let restartWait: Int32 = 200

    /// The query of one window (parameters: period, rubric, first rowid, end rowid). `+s.period` keeps the
    /// planner on the rowid range: with the period index it read every session of the period for every
    /// window and sorted them (quadratic: a million sessions took twice as long per session as 100,000).
    static func windowSQL(unscoredOnly: Bool) -> String {
        let unscored = unscoredOnly ? """
              AND NOT EXISTS (SELECT 1 FROM inspections i
                              WHERE i.session_id = s.session_id AND i.rubric_id = ?2 AND i.mode = 'auto')
            """ : ""
        return """
            SELECT s.session_id, s.agent_id, s.channel, s.started_at, s.ended_at, s.wait_seconds,
                   s.first_response_seconds, s.handle_seconds, s.resolved, s.transferred, s.csat, t.data
            FROM sessions s LEFT JOIN transcripts t ON t.session_id = s.session_id
            WHERE s.rowid >= ?3 AND s.rowid < ?4 AND +s.period = ?1 \(unscored)
            ORDER BY s.rowid
            """
    }

    /// The sessions of one rowid window that have no automatic inspection with the rubric yet, with their
    /// encoded transcripts. `unscoredOnly: false` skips that check when the run started with none scored.
    private static func readWindow(_ db: Database, from start: Int64, to end: Int64, period: String,
                                   rubricID: String, unscoredOnly: Bool) throws -> (sessions: [Session], transcripts: TranscriptBatch) {
        let select = RawStatement(try db.cachedStatement(sql: windowSQL(unscoredOnly: unscoredOnly)))
        select.reset()
        select.bind(0, period)
        if unscoredOnly { select.bind(1, rubricID) }
        select.bind(2, start)
        select.bind(3, end)
        var sessions: [Session] = []
        var transcripts = TranscriptBatch()
        while try select.next() {
            sessions.append(Session(
                sessionID: select.text(0), agentID: select.text(1), channel: Channel(rawValue: select.text(2)) ?? .phone,
                startedAt: select.text(3), endedAt: select.text(4), waitSeconds: select.double(5),
                firstResponseSeconds: select.double(6), handleSeconds: select.double(7), resolved: select.bool(8),
                transferred: select.bool(9), csat: select.int(10)))
            let start = transcripts.bytes.count
            transcripts.spans.append(select.appendBlob(11, to: &transcripts.bytes).map { (start, $0) } ?? (start, -1))
        }
        select.reset()
        return (sessions, transcripts)
    }

    /// Writes one window's automatic inspections and findings, in session order.
    private static func writeResults(_ db: Database, _ sessions: [Session], _ results: [ParallelScorer.Result],
                                     period: String, rubric: Rubric, runID: Int64, interruptAfter: Int?,
                                     summary: inout AutoRunSummary) throws {
        // the period may have been finalized since the run started (by another process): nothing is written
        // under a lock — the run stops here, and `finalize` refuses a period whose latest run has not finished
        try PeriodLocks.ensureOpen(db, period: period, doing: "run automatic inspection")
        let insertInspection = RawStatement(try db.cachedStatement(sql: """
            INSERT INTO inspections (session_id, agent_id, period, rubric_id, rubric_version, inspector_id, mode,
                status, score, compliance, accuracy, etiquette, critical_failed, answers, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, NULL, 'auto', 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)
            """))
        let insertFinding = RawStatement(try db.cachedStatement(sql: """
            INSERT INTO findings (inspection_id, item_id, rule, turn_index, at, matched, measured, severity, message, rule_name)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """))
        insertInspection.reset()
        insertFinding.reset()
        let now = Clock.now()
        // the same for every row of the window
        insertInspection.bind(2, period)
        insertInspection.bind(3, rubric.id)
        insertInspection.bind(4, rubric.version)
        insertInspection.bind(11, now)
        insertInspection.bind(12, now)
        // by index: copying each session and result out of the arrays would retain and release their strings
        for i in sessions.indices {
            if let limit = interruptAfter, summary.scored >= limit { throw AutoRunInterrupted() }
            insertInspection.bind(0, sessions[i].sessionID)
            insertInspection.bind(1, sessions[i].agentID)
            insertInspection.bind(5, results[i].score.score)
            insertInspection.bind(6, results[i].score.dimension(.compliance))
            insertInspection.bind(7, results[i].score.dimension(.accuracy))
            insertInspection.bind(8, results[i].score.dimension(.etiquette))
            insertInspection.bind(9, results[i].score.criticalFailed)
            results[i].answersText.withUnsafeBufferPointer { insertInspection.bindText(10, $0) }
            do {
                try insertInspection.execute()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // the unique (session, rubric) index of automatic inspections: another run wrote it meanwhile
                throw StoreError("session \(sessions[i].sessionID) already has an automatic inspection with \(rubric.id): another automatic run of \(period) is writing at the same time (a second `inspect auto`, or one started from the web); this run stops here — let the other finish, then `inspect auto` again resumes whatever is left")
            }
            let inspectionID = db.lastInsertedRowID
            for f in results[i].outcome.findings {
                insertFinding.bind(0, inspectionID)
                insertFinding.bind(1, f.itemID)
                insertFinding.bind(2, f.rule)
                insertFinding.bind(3, f.turnIndex)
                insertFinding.bind(4, f.at)
                insertFinding.bind(5, f.matchedText)
                insertFinding.bind(6, f.measured)
                insertFinding.bind(7, f.severity?.rawValue)
                insertFinding.bind(8, f.message)
                insertFinding.bind(9, f.ruleName)
                try insertFinding.execute()
            }
            summary.findings += results[i].outcome.findings.count
            let skipped = results[i].outcome.skipped
            if !skipped.isEmpty {
                // once per session: an item whose conditions skip twice for one reason is one session
                var seen = Set<String>()
                for s in skipped {
                    let note = "\(s.itemID)/\(s.rule): \(s.reason)"
                    if seen.insert(note).inserted { summary.skippedRules[note, default: 0] += 1 }
                }
            }
            summary.scored += 1
        }
        insertInspection.reset()
        try db.execute(sql: "UPDATE auto_runs SET scored = ? WHERE id = ?", arguments: [summary.scored, runID])
    }

}

/// Evaluates, scores and serializes a window of sessions on several threads, one `RuleEvaluator` each
/// (the compiled `RuleEngine` is immutable and shared).
final class ParallelScorer {
    struct Result {
        var outcome: AutoOutcome
        var score: InspectionScore
        var answersText: [UInt8]
    }

    private final class Worker {
        var evaluator: RuleEvaluator
        init(_ engine: RuleEngine) { evaluator = engine.makeEvaluator() }
    }

    private let rubric: Rubric
    private let workers: [Worker]
    private let answersText: AnswersText

    init(rubric: Rubric, threads: Int) {
        self.rubric = rubric
        let engine = RuleEngine(rubric: rubric)
        workers = (0..<threads).map { _ in Worker(engine) }
        answersText = AnswersText(itemIDs: rubric.items.map(\.id))
    }

    /// A window being scored in the background.
    final class Pending {
        fileprivate let group = DispatchGroup()
        fileprivate var result: Swift.Result<[Result], Error> = .success([])

        func wait() throws -> [Result] {
            group.wait()
            return try result.get()
        }
    }

    /// Starts scoring a window on a background thread (which fans out over the workers); one at a time.
    func start(_ sessions: [Session], _ transcripts: TranscriptBatch) -> Pending {
        let pending = Pending()
        pending.group.enter()
        DispatchQueue.global().async {
            pending.result = Swift.Result { try self.score(sessions, transcripts) }
            pending.group.leave()
        }
        return pending
    }

    func score(_ sessions: [Session], _ transcripts: TranscriptBatch) throws -> [Result] {
        let count = sessions.count
        var results = [Result?](repeating: nil, count: count)
        var failure: Error?
        let lock = NSLock()
        let chunks = min(workers.count, count)
        results.withUnsafeMutableBufferPointer { out in
            let out = out
            transcripts.bytes.withUnsafeBytes { bytes in
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let worker = workers[chunk]
                var i = chunk
                while i < count {
                    do {
                        let span = transcripts.spans[i]
                        let encoded = span.count < 0 ? nil : UnsafeRawBufferPointer(rebasing: bytes[span.start ..< span.start + span.count])
                        let outcome = try worker.evaluator.evaluate(session: sessions[i], encodedTranscript: encoded)
                        let score = InspectionScoring.score(rubric, itemAnswers: outcome.itemAnswers,
                                                            itemDeductions: outcome.itemDeductions, details: false)
                        out[i] = Result(outcome: outcome, score: score, answersText: answersText.encode(outcome.itemAnswers))
                    } catch {
                        let named = AutoRunSessionError(sessionID: sessions[i].sessionID, reason: "\(error)")
                        lock.lock(); failure = failure ?? named; lock.unlock()
                    }
                    i += chunks
                }
            }
            }
        }
        if let failure { throw failure }
        return results.map { $0! }
    }
}

/// One window's encoded transcripts in one buffer: one allocation per window rather than one per session.
struct TranscriptBatch {
    var bytes: [UInt8] = []
    /// Per session of the window: where its transcript is in `bytes`; count -1 when it has none.
    var spans: [(start: Int, count: Int)] = []
}

/// The `answers` column: a JSON object of item id → answer text, keys sorted, as UTF-8 bytes. Item ids are
/// validated identifiers and answers are yes/no/na/numbers, so no escaping is needed; written by hand because
/// this runs once per session in full-coverage inspection.
struct AnswersText {
    /// For each item id in sorted order: its position in `rubric.items`.
    private let positions: [Int]
    /// `"id":"` of each item id in sorted order (`,"id":"` after the first), one after another.
    private let prefixes: [UInt8]
    private let prefixEnds: [Int]

    /// `itemIDs` in `rubric.items` order (the order of `AutoOutcome.itemAnswers`).
    init(itemIDs: [String]) {
        let sorted = itemIDs.enumerated().sorted { $0.element < $1.element }
        positions = sorted.map(\.offset)
        var prefixes: [UInt8] = [], ends: [Int] = []
        for (k, item) in sorted.enumerated() {
            prefixes.append(contentsOf: "\(k > 0 ? "," : "")\"\(item.element)\":\"".utf8)
            ends.append(prefixes.count)
        }
        self.prefixes = prefixes
        prefixEnds = ends
    }

    func encode(_ answers: [Answer]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(prefixes.count + positions.count * 6 + 2)
        out.append(UInt8(ascii: "{"))
        prefixes.withUnsafeBufferPointer { prefix in
            var from = 0
            for k in positions.indices {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: prefix[from..<prefixEnds[k]]))
                from = prefixEnds[k]
                switch answers[positions[k]] {
                case .yes: out.append(0x79); out.append(0x65); out.append(0x73) // yes
                case .no: out.append(0x6E); out.append(0x6F) // no
                case .na: out.append(0x6E); out.append(0x61) // na
                case .number(let value): Self.appendNumber(value, to: &out)
                }
                out.append(UInt8(ascii: "\""))
            }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The digits `Answer.description` gives (a whole number without `.0`), without building a String for
    /// the whole numbers answers are (levels, occurrence counts).
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value == value.rounded(), abs(value) < 1e15 else {
            out.append(contentsOf: Answer.number(value).description.utf8)
            return
        }
        var n = Int(value)
        if n < 0 { out.append(UInt8(ascii: "-")); n = -n }
        var divisor = 1
        while divisor <= n / 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(n / divisor % 10))
            divisor /= 10
        }
    }
}
