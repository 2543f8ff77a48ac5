import Foundation
import GRDB
import XCTest
import ScorebookCore
@testable import ScorebookStore

final class AutoInspectionsTests: XCTestCase {
    static let rubricYAML = """
    id: mini-auto
    version: 1
    name: 自动质检
    sections:
      - id: etiquette
        name: 礼仪
        dimension: etiquette
        weight: 1
        items:
          - {id: greet, text: 问候, type: yes_no, points: 5, auto: {greeting_within: {phrases: [您好], seconds: 5}}}
          - {id: banned, text: 禁语, type: deduction, points: 10, per: 5, auto: {phrases_forbidden: {phrases: [不知道]}}}
          - {id: manual_only, text: 着装, type: yes_no, points: 5}
    """

    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("scorebook-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A store with one agent and `count` sessions: every third agent greets late, every fifth says 不知道 twice.
    func makeStore(_ name: String, count: Int) throws -> (Store, Rubric) {
        let store = try Store(path: dir.appendingPathComponent(name).path)
        let rubric = try RubricParser.parse(Self.rubricYAML, file: "mini.yaml")
        try store.write { db in
            try Employees.upsert(db, [Employee(employeeID: "A1", name: "张伟", team: "一组", role: .agent)])
            try Rubrics.add(db, rubric, source: Self.rubricYAML, file: "mini.yaml")
            let writer = try SessionWriter(db)
            for i in 0..<count {
                let greetAt = i % 3 == 0 ? 8.0 : 1.0
                var turns = [Turn(at: greetAt, end: greetAt + 2, speaker: .agent, text: "您好，工号1024"),
                             Turn(at: 11, end: 13, speaker: .customer, text: "我想问一下")]
                if i % 5 == 0 { turns.append(Turn(at: 14, end: 16, speaker: .agent, text: "不知道，真不知道")) }
                let session = Session(sessionID: String(format: "S%03d", i), agentID: "A1", channel: .video,
                                      startedAt: "2026-10-01T09:00:00+08:00", endedAt: "2026-10-01T09:05:00+08:00",
                                      handleSeconds: 300)
                try writer.insert(session, turns: turns)
            }
        }
        return (store, rubric)
    }

    /// A scheme of the automatic inspections alone, stored.
    func addQAOnlyScheme(_ store: Store) throws -> Scheme {
        let schemeYAML = """
        id: qa-only
        version: 1
        components:
          qa: {weight: 1, modes: {auto: 1}}
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: D, label: 不合格, min: 0, bonus: 0}
        """
        let scheme = try SchemeParser.parse(schemeYAML, file: "qa-only.yaml")
        try store.write { db in _ = try Schemes.add(db, scheme, source: schemeYAML, file: "qa-only.yaml") }
        return scheme
    }

    func snapshot(_ store: Store) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT i.session_id || '|' || printf('%.6f', i.score) || '|' || i.answers || '|' ||
                       (SELECT COUNT(*) FROM findings f WHERE f.inspection_id = i.id)
                FROM inspections i WHERE i.mode = 'auto' ORDER BY i.session_id
                """)
        }
    }

    func testScoresEverySessionWithHandComputedResults() throws {
        let (store, rubric) = try makeStore("a.db", count: 15)
        let summary = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        XCTAssertEqual(summary.scored, 15)
        let rows = try snapshot(store)
        // S000: late greeting (8 s > 5 s) → greet no (0/5); 不知道 twice → banned 10 − 2×5 = 0; manual_only N/A → 0/15 = 0
        XCTAssertEqual(rows[0], #"S000|0.000000|{"banned":"2","greet":"no","manual_only":"na"}|3"#)
        // S001: greeted at 1 s, nothing forbidden → 15/15 = 100
        XCTAssertEqual(rows[1], #"S001|100.000000|{"banned":"0","greet":"yes","manual_only":"na"}|0"#)
        // S003: late greeting only → (0 + 10)/15 = 66.666667
        XCTAssertEqual(rows[3], #"S003|66.666667|{"banned":"0","greet":"no","manual_only":"na"}|1"#)
        // S005: greeted, 不知道 twice → (5 + 0)/15 = 33.333333
        XCTAssertEqual(rows[5], #"S005|33.333333|{"banned":"2","greet":"yes","manual_only":"na"}|2"#)
    }

    func testRunningTwiceDuplicatesNothingAndNewSessionsAreScoredOnce() throws {
        let (store, rubric) = try makeStore("b.db", count: 10)
        XCTAssertEqual(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t").scored, 10)
        let again = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        XCTAssertEqual(again.scored, 0)
        XCTAssertEqual(again.alreadyScored, 10)
        try store.write { db in
            let session = Session(sessionID: "S999", agentID: "A1", channel: .chat, startedAt: "2026-10-02T09:00:00",
                                  endedAt: "2026-10-02T09:01:00")
            try SessionWriter(db).insert(session, turns: [Turn(at: 1, end: 2, speaker: .agent, text: "您好")])
        }
        XCTAssertEqual(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t").scored, 1)
        XCTAssertEqual(try store.count("inspections"), 11)
        let redo = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: true, actor: "t")
        XCTAssertEqual(redo.scored, 11)
        XCTAssertEqual(try store.count("inspections"), 11)
        // every run has its one audit entry, the one that found nothing new included
        let runs = try store.read { db in try AuditLog.entries(db, entity: "period", action: "auto-inspect") }
        XCTAssertEqual(runs.compactMap { $0.after?.contains(#""scored":"0""#) }, [false, true, false, false])
        XCTAssertTrue(runs[1].after?.contains(#""already_scored":"10""#) ?? false, runs[1].after ?? "")
    }

    func testInterruptedRunResumesToTheSameResultAsACleanRun() throws {
        let (clean, rubric) = try makeStore("clean.db", count: 23)
        _ = try AutoInspections.run(clean, rubric: rubric, period: "2026-10", rescore: false, actor: "t")

        let (killed, _) = try makeStore("killed.db", count: 23)
        // windows of 4 rowids; stop while scoring the 11th session: windows 1–2 (8 sessions) are committed,
        // the third window's 2 scored sessions roll back with its transaction
        XCTAssertThrowsError(try AutoInspections.run(killed, rubric: rubric, period: "2026-10", rescore: false, actor: "t",
                                                     window: 4, interruptAfter: 10)) { error in
            XCTAssertTrue(error is AutoRunInterrupted)
        }
        XCTAssertEqual(try killed.count("inspections"), 8)
        let resumed = try AutoInspections.run(killed, rubric: rubric, period: "2026-10", rescore: false, actor: "t", window: 4)
        XCTAssertEqual(resumed.scored, 15)
        XCTAssertEqual(resumed.alreadyScored, 8)
        XCTAssertEqual(try snapshot(killed), try snapshot(clean))
        XCTAssertEqual(try killed.count("findings"), try clean.count("findings"))
    }

    func testACorruptStoredTranscriptStopsTheRunNamingTheSessionAndARerunResumes() throws {
        let (store, rubric) = try makeStore("corrupt.db", count: 23)
        let good = try store.read { db in try Data.fetchOne(db, sql: "SELECT data FROM transcripts WHERE session_id = 'S010'") }
        try store.write { db in try db.execute(sql: "UPDATE transcripts SET data = x'0105' WHERE session_id = 'S010'") }
        // windows of 4 rowids: S010 is in the third; the two before it are written
        XCTAssertThrowsError(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t", window: 4)) { error in
            XCTAssertEqual((error as? AutoRunSessionError)?.sessionID, "S010")
            XCTAssertTrue("\(error)".hasPrefix("session S010: corrupt encoded transcript:"), "\(error)")
        }
        XCTAssertEqual(try store.count("inspections"), 8)
        try store.write { db in try db.execute(sql: "UPDATE transcripts SET data = ? WHERE session_id = 'S010'", arguments: [good]) }
        let resumed = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t", window: 4)
        XCTAssertEqual(resumed.scored, 15)
        XCTAssertEqual(try store.count("inspections"), 23)
    }

    /// Windows of one session: 23 transactions and two WAL restart checkpoints (every 8 windows) while the
    /// reader thread reads ahead — the same rows as one window, and the log does not keep growing.
    func testManyWindowsWithLogRestartsGiveTheSameResult() throws {
        let (clean, rubric) = try makeStore("one-window.db", count: 23)
        _ = try AutoInspections.run(clean, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        let (windowed, _) = try makeStore("windowed.db", count: 23)
        let summary = try AutoInspections.run(windowed, rubric: rubric, period: "2026-10", rescore: false, actor: "t", window: 1)
        XCTAssertEqual(summary.scored, 23)
        XCTAssertEqual(try snapshot(windowed), try snapshot(clean))
        XCTAssertEqual(try windowed.count("findings"), try clean.count("findings"))
    }

    /// Another process reading the database (an open read transaction) keeps the WAL from restarting; the run
    /// must neither fail nor wait out the store's 10 s busy timeout at each restart attempt (it did: 10 s per
    /// 8 windows). Not a speed measurement: the bound only separates "waits 200 ms once" from "waits 10 s".
    func testAnOutsideReaderNeitherBreaksNorStallsTheRun() throws {
        let (clean, rubric) = try makeStore("alone.db", count: 23)
        _ = try AutoInspections.run(clean, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        let (store, _) = try makeStore("watched.db", count: 23)
        let outsider = try DatabaseQueue(path: store.path)
        let started = Date()
        try outsider.read { db in
            _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions") // holds its snapshot until the block ends
            let summary = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t", window: 1)
            XCTAssertEqual(summary.scored, 23)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(try snapshot(store), try snapshot(clean))
    }

    /// The export's passes walk a period's id range (`periodScan`); rows of another period inside that range
    /// must be left out, and the order must stay by id.
    func testAnswersTextIsTheSortedJSONOfEveryItem() throws {
        let text = AnswersText(itemIDs: ["greet", "banned", "manual_only"])
        let bytes = text.encode([.yes, .number(2), .na])
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), #"{"banned":"2","greet":"yes","manual_only":"na"}"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String]
        XCTAssertEqual(decoded, ["banned": "2", "greet": "yes", "manual_only": "na"])
        // numbers are written as Answer.description writes them
        for value in [0, 5, 10, 105, 1234567, 2.5, -3, 0.1, 1e15, 1e16, -0.0] {
            var out: [UInt8] = []
            AnswersText.appendNumber(value, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), Answer.number(value).description, "\(value)")
        }
    }

    func testWindowQueryReadsTheRowidRangeNotThePeriodIndex() throws {
        // Each window must read only its rowid range; through the period index it read (and sorted) every
        // session of the period for every window, which made a million-session run quadratic.
        let (store, _) = try makeStore("plan.db", count: 5)
        for unscoredOnly in [false, true] {
            let plan = try store.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + AutoInspections.windowSQL(unscoredOnly: unscoredOnly),
                                 arguments: ["2026-10", "mini-auto", 1, 4097]).map { $0["detail"] as String }
            }
            XCTAssertTrue(plan.contains { $0.contains("SEARCH s USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)") }, "\(plan)")
            XCTAssertFalse(plan.contains { $0.contains("sessions_by_period_agent") || $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    func testExportPassesKeepToThePeriodWhenPeriodsInterleave() throws {
        let (store, rubric) = try makeStore("two-months.db", count: 0)
        try store.write { db in
            let writer = try SessionWriter(db)
            for i in 0..<10 {
                let month = i % 2 == 0 ? "10" : "11"
                let turns = [Turn(at: 1, end: 2, speaker: .agent, text: i % 4 == 0 ? "您好" : "喂")]
                try writer.insert(Session(sessionID: String(format: "M%02d", i), agentID: "A1", channel: .phone,
                                          startedAt: "2026-\(month)-03T09:00:00+08:00", endedAt: "2026-\(month)-03T09:05:00+08:00"),
                                  turns: turns)
            }
        }
        // October: 2 rows, then all of November, then the rest of October: ids 1–2, 3–7, 8–10.
        XCTAssertThrowsError(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t",
                                                     window: 1, interruptAfter: 2))
        _ = try AutoInspections.run(store, rubric: rubric, period: "2026-11", rescore: false, actor: "t")
        _ = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")

        try store.read { db in
            var october: [(Int64, String)] = []
            try Inspections.forEachLine(db, period: "2026-10") { october.append(($0.id, $0.sessionID)) }
            XCTAssertEqual(october.map(\.1), ["M00", "M02", "M04", "M06", "M08"])
            XCTAssertEqual(october.map(\.0), [1, 2, 8, 9, 10])
            var year: [String] = []
            try Inspections.forEachLine(db, period: "2026") { year.append($0.sessionID) }
            XCTAssertEqual(year.count, 10)
            // greet: 您好 in M00, M04, M08 (October) → yes 3, no 2; November has none → no 5
            let october_greet = try Inspections.answerCounts(db, period: "2026-10").filter { $0.itemID == "greet" }
            XCTAssertEqual(october_greet.map { "\($0.answer)=\($0.count)" }, ["no=2", "yes=3"])
            let november_greet = try Inspections.answerCounts(db, period: "2026-11").filter { $0.itemID == "greet" }
            XCTAssertEqual(november_greet.map { "\($0.answer)=\($0.count)" }, ["no=5"])
            XCTAssertEqual(try Inspections.rubricVersions(db, period: "2026-11").map(\.id), ["mini-auto"])
            XCTAssertTrue(try Inspections.rubricVersions(db, period: "2025-01").isEmpty)
        }
    }

    /// Risky sessions for `--targeted` are exactly issue 3's: a failed automatic red-line item, csat ≤ 2, a long
    /// handle time. A low automatic score alone is none of them.
    func testALowAutomaticScoreAloneIsNotRisky() throws {
        let (store, rubric) = try makeStore("risk.db", count: 6)
        _ = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        // S000 scores 0, S005 33.33, S003 66.67 (see above); the rubric has no red line, no session has a csat,
        // every one takes 300 s
        let low = try store.read { db in
            try Double.fetchAll(db, sql: "SELECT score FROM inspections WHERE mode = 'auto' AND score < 60 ORDER BY session_id")
        }
        XCTAssertEqual(low.count, 2)
        func draw(longHandle: Double) throws -> SampleResult {
            try store.read { db in
                try Assignments.draw(db, period: "2026-10", rubricID: rubric.id, longHandleSeconds: longHandle,
                                     plan: SamplingPlan(size: .perAgent(2), targetedShare: 1, seed: 1))
            }
        }
        let sample = try draw(longHandle: 600)
        XCTAssertEqual(sample.agents.map(\.targeted), [0])
        XCTAssertEqual(sample.assignments.filter(\.targeted).count, 0)
        // a handle time above the limit is risky: then the whole sample (2 of 2) is targeted
        XCTAssertEqual(try draw(longHandle: 299).agents.map(\.targeted), [2])
    }

    func testReviewRejectionRecomputesTheScore() throws {
        let (store, rubric) = try makeStore("c.db", count: 1)
        try store.write { db in
            try Employees.upsert(db, [Employee(employeeID: "Q1", name: "李质检", team: "质检组", role: .inspector)])
        }
        _ = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        let findings = try store.read { db in try Findings.list(db, FindingFilter(period: "2026-10")) }
        XCTAssertEqual(findings.count, 3) // late greeting + two 不知道
        let banned = findings.filter { $0.itemID == "banned" }
        // reject one 不知道: banned = 10 − 5 = 5; greet still no → (0 + 5)/15 = 33.33
        let first = try store.write { db in
            try Findings.review(db, id: banned[0].id, status: .rejected, reason: "客户原话", reviewerID: "Q1", actor: "Q1")
        }
        XCTAssertEqual(first.inspection.score!, 100.0 * 5 / 15, accuracy: 1e-9)
        // reject the late-greeting finding too: greet yes → (5 + 5)/15 = 66.67
        let greet = findings.first { $0.itemID == "greet" }!
        let second = try store.write { db in
            try Findings.review(db, id: greet.id, status: .rejected, reason: "录音开头缺失", reviewerID: "Q1", actor: "Q1")
        }
        XCTAssertEqual(second.inspection.score!, 100.0 * 10 / 15, accuracy: 1e-9)
        XCTAssertThrowsError(try store.write { db in
            try Findings.review(db, id: banned[1].id, status: .rejected, reason: nil, reviewerID: "Q1", actor: "Q1")
        })
        let stats = try store.read { db in try Findings.ruleStats(db, period: "2026-10", rubricID: nil) }
        let bannedStat = stats.first { $0.itemID == "banned" }!
        XCTAssertEqual(bannedStat.findings, 2)
        XCTAssertEqual(bannedStat.rejected, 1)
        XCTAssertEqual(bannedStat.rejectedShare, 1.0)
        let audit = try store.read { db in try AuditLog.entries(db, entity: "finding") }
        XCTAssertEqual(audit.map(\.action), ["reject", "reject"])
        // each re-score is logged with the answers that scored it: the reviewed ones, before and after
        let rescores = try store.read { db in try AuditLog.entries(db, entity: "inspection", action: "rescore") }
        XCTAssertEqual(rescores.count, 2)
        XCTAssertTrue(rescores[0].before?.contains(#""answers":{"banned":"2","greet":"no","manual_only":"na"}"#) ?? false, rescores[0].before ?? "")
        XCTAssertTrue(rescores[0].after?.contains(#""answers":{"banned":"1","greet":"no","manual_only":"na"}"#) ?? false, rescores[0].after ?? "")
        XCTAssertTrue(rescores[1].before?.contains(#""answers":{"banned":"1","greet":"no","manual_only":"na"}"#) ?? false, rescores[1].before ?? "")
        XCTAssertTrue(rescores[1].after?.contains(#""answers":{"banned":"1","greet":"yes","manual_only":"na"}"#) ?? false, rescores[1].after ?? "")
        // The workbook's item failures count the answers after review: greet is yes now, banned 1 occurrence;
        // the rules' own answers stay stored (review is recomputed from them).
        let counts = try store.read { db in try Inspections.answerCounts(db, period: "2026-10") }
            .filter { $0.mode == "auto" }.map { "\($0.itemID)=\($0.answer)×\($0.count)" }
        XCTAssertEqual(counts, ["banned=1×1", "greet=yes×1", "manual_only=na×1"])
        XCTAssertEqual(try snapshot(store), [#"S000|66.666667|{"banned":"2","greet":"no","manual_only":"na"}|3"#])
    }

    /// Two runs of one month at once: the one that meets a session the other already wrote stops with a
    /// message saying so (it printed SQLite's UNIQUE constraint text), keeping what it wrote.
    func testARunMeetingAnotherRunsInspectionSaysSo() throws {
        let (store, rubric) = try makeStore("twice.db", count: 5)
        var inserted = false
        XCTAssertThrowsError(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t",
                                                     window: 1, progress: { _, _ in
            guard !inserted else { return }
            inserted = true
            // "the other run" writes the last session while this one is still at the first
            try? store.write { db in
                try db.execute(sql: """
                    INSERT INTO inspections (session_id, agent_id, period, rubric_id, rubric_version, mode, status, score,
                                             answers, created_at, updated_at)
                    SELECT 'S004', agent_id, period, rubric_id, rubric_version, 'auto', 'submitted', score, answers,
                           created_at, updated_at FROM inspections LIMIT 1
                    """)
            }
        })) { error in
            XCTAssertTrue("\(error)".hasPrefix("session S004 already has an automatic inspection with mini-auto: another automatic run of 2026-10 is writing at the same time"), "\(error)")
        }
        XCTAssertEqual(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inspections") }, 5,
                       "S000–S003 written by this run, S004 by the other")
    }

    /// `--rescore` keeps an inspector's decisions on the findings the new run finds again (same session, item,
    /// rule, turn, matched text) — one decision per finding — and drops the others; agents' responses to the
    /// deleted inspections are counted.
    func testRescoreKeepsReviewDecisionsOnTheSameEvidence() throws {
        let (store, rubric) = try makeStore("carry.db", count: 1)
        try store.write { db in
            try Employees.upsert(db, [Employee(employeeID: "Q1", name: "李质检", team: "质检组", role: .inspector)])
        }
        _ = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        let findings = try store.read { db in try Findings.list(db, FindingFilter(period: "2026-10")) }
        let banned = findings.filter { $0.itemID == "banned" }
        let greet = findings.first { $0.itemID == "greet" }!
        XCTAssertEqual(banned.count, 2) // 不知道 twice in turn 2: two findings with the same evidence
        try store.write { db in
            try Findings.review(db, id: banned[0].id, status: .rejected, reason: "客户原话", reviewerID: "Q1", actor: "Q1")
            try Findings.review(db, id: greet.id, status: .confirmed, reason: nil, reviewerID: "Q1", actor: "Q1")
            try InspectionResponses.respond(db, inspectionID: greet.inspectionID, agentID: "A1", dispute: nil, actor: "A1")
        }
        // greet no (0 of 5), banned 10 − 1 × 5 = 5 → 5/15
        let reviewedScore = 100.0 * 5 / 15

        let oldInspectionID = greet.inspectionID, oldFindingIDs = findings.map(\.id)
        let redo = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: true, actor: "t")
        XCTAssertEqual(redo.scored, 1)
        // the rescored inspection and its findings have new ids: the audit entries above name the old ones
        let renewed = try store.read { db in try Findings.list(db, FindingFilter(period: "2026-10")) }
        XCTAssertEqual(renewed.count, 3)
        XCTAssertTrue(renewed.allSatisfy { $0.inspectionID > oldInspectionID && $0.id > oldFindingIDs.max()! })
        XCTAssertEqual(redo.reviewsCarried, 2)
        XCTAssertEqual(redo.reviewsDropped, 0)
        XCTAssertEqual(redo.responsesDiscarded, 1)
        let after = try store.read { db in try Findings.list(db, FindingFilter(period: "2026-10")) }
        XCTAssertEqual(after.map { "\($0.itemID):\($0.status.rawValue):\($0.reason ?? "")" }.sorted(),
                       ["banned:open:", "banned:rejected:客户原话", "greet:confirmed:"])
        let score = try store.read { db in try Double.fetchOne(db, sql: "SELECT score FROM inspections WHERE mode = 'auto'") }
        XCTAssertEqual(score!, reviewedScore, accuracy: 1e-9)
        XCTAssertEqual(try store.count("carried_reviews"), 0)
        XCTAssertEqual(try store.count("inspection_responses"), 0)

        // Version 2 forbids 真不知道 instead: one finding, matched 真不知道 — the rejection of a 不知道 does not
        // apply to it and is dropped; the greeting's confirmation still does.
        let v2source = Self.rubricYAML.replacingOccurrences(of: "version: 1", with: "version: 2")
            .replacingOccurrences(of: "phrases: [不知道]", with: "phrases: [真不知道]")
        let v2 = try RubricParser.parse(v2source, file: "mini.yaml")
        try store.write { db in _ = try Rubrics.add(db, v2, source: v2source, file: "mini.yaml") }
        let v2run = try AutoInspections.run(store, rubric: v2, period: "2026-10", rescore: true, actor: "t")
        XCTAssertEqual(v2run.reviewsCarried, 1)
        XCTAssertEqual(v2run.reviewsDropped, 1)
        let v2findings = try store.read { db in try Findings.list(db, FindingFilter(period: "2026-10")) }
        XCTAssertEqual(v2findings.map { "\($0.itemID):\($0.matched ?? ""):\($0.status.rawValue)" }.sorted(),
                       ["banned:真不知道:open", "greet::confirmed"])
        let carried = try store.read { db in try AuditLog.entries(db, entity: "period") }.filter { $0.action == "carry-reviews" }
        XCTAssertEqual(carried.count, 2)

        // Version 3 changes the greeting rule (早上好 within 3 s): its finding has the same session, item, rule
        // kind and (empty) evidence, but it is another finding — its message says so. The confirmation of
        // "您好 within 5 s" does not carry over to it.
        let v3source = v2source.replacingOccurrences(of: "version: 2", with: "version: 3")
            .replacingOccurrences(of: "phrases: [您好], seconds: 5", with: "phrases: [早上好], seconds: 3")
        let v3 = try RubricParser.parse(v3source, file: "mini.yaml")
        try store.write { db in _ = try Rubrics.add(db, v3, source: v3source, file: "mini.yaml") }
        let v3run = try AutoInspections.run(store, rubric: v3, period: "2026-10", rescore: true, actor: "t")
        XCTAssertEqual(v3run.reviewsCarried, 0)
        XCTAssertEqual(v3run.reviewsDropped, 1)
        let v3findings = try store.read { db in try Findings.list(db, FindingFilter(period: "2026-10")) }
        XCTAssertEqual(v3findings.map { "\($0.itemID):\($0.status.rawValue):\($0.message)" }.sorted(),
                       ["banned:open:\(v2findings.first { $0.itemID == "banned" }!.message)",
                        "greet:open:\(v3findings.first { $0.itemID == "greet" }!.message)"])
        XCTAssertTrue(v3findings.first { $0.itemID == "greet" }!.message.contains("早上好"))
    }

    /// A rescore logs each session whose score changed, with the old inspection's score and answers before
    /// and the new one's after; sessions that come out the same are not logged one by one.
    func testARescoreLogsEachChangedScoreWithBeforeAndAfter() throws {
        let (store, rubric) = try makeStore("rescore-audit.db", count: 3)
        _ = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        let old = try store.read { db in try Inspections.list(db, InspectionFilter(mode: .auto)) }
        let oldS000 = try XCTUnwrap(old.first { $0.sessionID == "S000" })
        XCTAssertEqual(oldS000.score, 0) // greeted at 8 s (late for 5 s), 不知道 twice: 10 − 2 × 5 = 0 → 0 of 15
        // version 2 allows 10 s: S000's greeting is in time now (5 of 15); S001 and S002 stay as they were
        let v2source = Self.rubricYAML.replacingOccurrences(of: "version: 1", with: "version: 2")
            .replacingOccurrences(of: "seconds: 5", with: "seconds: 10")
        let v2 = try RubricParser.parse(v2source, file: "mini.yaml")
        try store.write { db in _ = try Rubrics.add(db, v2, source: v2source, file: "mini.yaml") }
        let summary = try AutoInspections.run(store, rubric: v2, period: "2026-10", rescore: true, actor: "lead")
        XCTAssertEqual(summary.scored, 3)
        XCTAssertEqual(summary.rescoresLogged, 1)
        let new = try store.read { db in try Inspections.list(db, InspectionFilter(mode: .auto)) }
        let newS000 = try XCTUnwrap(new.first { $0.sessionID == "S000" })
        XCTAssertEqual(newS000.score ?? -1, 100.0 * 5 / 15, accuracy: 1e-9)
        let entries = try store.read { db in try AuditLog.entries(db, entity: "inspection", action: "rescore") }
        XCTAssertEqual(entries.map(\.entityID), [String(newS000.id)])
        XCTAssertEqual(entries.first?.actor, "lead")
        let before = try JSONSerialization.jsonObject(with: Data((entries.first?.before ?? "").utf8)) as? [String: Any]
        let after = try JSONSerialization.jsonObject(with: Data((entries.first?.after ?? "").utf8)) as? [String: Any]
        XCTAssertEqual(before?["inspection_id"] as? Int, Int(oldS000.id))
        XCTAssertEqual(before?["score"] as? Double, 0)
        XCTAssertEqual(before?["rubric_version"] as? Int, 1)
        XCTAssertEqual(before?["critical_failed"] as? Bool, false)
        XCTAssertEqual((before?["answers"] as? [String: String])?["greet"], "no")
        XCTAssertEqual(after?["score"] as? Double ?? -1, 100.0 * 5 / 15, accuracy: 1e-9)
        XCTAssertEqual((after?["answers"] as? [String: String])?["greet"], "yes")
        XCTAssertEqual(after?["rubric_version"] as? Int, 2)
        XCTAssertEqual(try store.count("rescored_auto"), 0)
    }

    /// A month whose latest automatic run has not finished is not finalized (its automatic inspections are
    /// half there); a rerun completes it. A period finalized during a run (by another process) stops the run
    /// at its next window: nothing is written under the lock.
    func testFinalizeWaitsForAnUnfinishedRunAndARunStopsAtALock() throws {
        let (store, rubric) = try makeStore("locks.db", count: 10)
        let scheme = try addQAOnlyScheme(store)
        XCTAssertThrowsError(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t",
                                                     window: 4, interruptAfter: 5))
        try store.write { db in
            try Appraisals.run(db, key: "2026-10", kind: .monthly, scheme: scheme, actor: "t")
            XCTAssertThrowsError(try Appraisals.finalize(db, period: "2026-10", actor: "t")) { error in
                XCTAssertTrue("\(error)".contains("the automatic inspection of 2026-10 with mini-auto (run 1, started "), "\(error)")
                XCTAssertTrue("\(error)".contains("has not finished"), "\(error)")
            }
        }
        XCTAssertEqual(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t").scored, 6)
        try store.write { db in
            XCTAssertThrowsError(try Appraisals.finalize(db, period: "2026-10", actor: "t")) { error in
                XCTAssertTrue("\(error)".contains("the appraisals of 2026-10 are out of date"), "\(error)")
            }
            try Appraisals.run(db, key: "2026-10", kind: .monthly, scheme: scheme, actor: "t")
            try Appraisals.finalize(db, period: "2026-10", actor: "t")
            try PeriodLocks.reopen(db, period: "2026-10", actor: "t", reason: "重跑")
        }

        // finalized after the first window of a rescore: the second window is not written
        XCTAssertThrowsError(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: true, actor: "t",
                                                     window: 4, progress: { done, _ in
            if done == 4 { try? store.write { db in try PeriodLocks.finalize(db, period: "2026-10", actor: "lead") } }
        })) { error in
            XCTAssertTrue("\(error)".contains("period 2026-10 is finalized: cannot run automatic inspection"), "\(error)")
        }
        XCTAssertEqual(try store.count("inspections"), 4)
    }

    /// Another program writing while the run goes on (an import of another month holds the lock for its
    /// whole file): the window waits for it instead of stopping the run; with no waits left it stops as before,
    /// keeping the windows written (a rerun resumes).
    func testARunWaitsForAnotherProgramsWriteInsteadOfStopping() throws {
        for (attempts, completes) in [(20, true), (1, false)] {
            let (store, rubric) = try makeStore("wait-\(attempts).db", count: 10)
            let other = try DatabaseQueue(path: store.path)
            let done = DispatchSemaphore(value: 0)
            var started = false
            let run = { try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t",
                                                window: 2, lockWait: 100, lockAttempts: attempts, progress: { _, _ in
                guard !started else { return }
                started = true
                // after the first window: another program takes the write lock for 0.8 s
                let holding = DispatchSemaphore(value: 0)
                Thread {
                    try? other.inTransaction(.immediate) { db in
                        try db.execute(sql: "INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES ('t', 'import', 'x', 'period', '2026-11')")
                        holding.signal()
                        Thread.sleep(forTimeInterval: 0.8)
                        return .commit
                    }
                    done.signal()
                }.start()
                holding.wait()
            }) }
            if completes {
                XCTAssertEqual(try run().scored, 10)
            } else {
                XCTAssertThrowsError(try run()) { error in XCTAssertNotNil(StoreError.busy(error), "\(error)") }
                XCTAssertEqual(try store.count("inspections"), 2, "the first window stays written")
            }
            done.wait()
            XCTAssertEqual(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t").scored,
                           completes ? 0 : 8)
            XCTAssertEqual(try store.count("inspections"), 10)
        }
    }

    /// A rubric without a single `auto:` rule has nothing to run: refused, nothing stored.
    func testARubricWithoutAutomaticItemsIsRefused() throws {
        let (store, _) = try makeStore("manual-only.db", count: 2)
        let yaml = """
        id: manual-only
        version: 1
        name: 人工表
        sections:
          - id: s
            name: 礼仪
            dimension: etiquette
            weight: 1
            items:
              - {id: polite, text: 礼貌, type: yes_no, points: 5}
        """
        let manual = try RubricParser.parse(yaml, file: "manual-only.yaml")
        XCTAssertThrowsError(try AutoInspections.run(store, rubric: manual, period: "2026-10", rescore: false, actor: "t")) { error in
            XCTAssertTrue("\(error)".hasPrefix("rubric manual-only v1 has no automatic items"), "\(error)")
        }
        XCTAssertEqual(try store.count("inspections"), 0)
        XCTAssertEqual(try store.count("auto_runs"), 0)
    }

    /// Full coverage is every session of the month: a session imported after the run keeps the month from
    /// being finalized until a run scores it (the appraisal would pay on an automatic mean without it).
    /// A promotion off the agent role counts for a month when the roster came on or after the month's first
    /// day — the log's times are UTC and the month is the center's local date: a roster imported at 02:00 on
    /// 1 October in Beijing (30 September 18:00 UTC) is October's, so the agent still gets October's result.
    func testAPromotionLoggedJustBeforeTheMonthInUTCIsTheMonthsInLocalTime() throws {
        let (store, _) = try makeStore("promoted.db", count: 2)
        try store.write { db in
            try Employees.upsert(db, [Employee(employeeID: "A1", name: "张伟", team: "质检组", role: .inspector)])
            func change(_ at: String) throws {
                try db.execute(sql: "DELETE FROM audit_log WHERE entity = 'employee'")
                try db.execute(sql: """
                    INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after)
                    VALUES (?, 't', 'change', 'employee', 'A1', '{"role":"agent","active":"1"}', '{"role":"inspector","active":"1"}')
                    """, arguments: [at])
            }
            try change("2026-09-30T18:00:00Z")
            XCTAssertEqual(try Appraisals.monthlyInputs(db, period: "2026-10").map(\.employeeID), ["A1"])
            try change("2026-09-29T18:00:00Z")  // a day earlier: September's change, not October's
            XCTAssertEqual(try Appraisals.monthlyInputs(db, period: "2026-10").map(\.employeeID), [])
        }
    }

    func testFinalizeWaitsForSessionsImportedAfterTheRun() throws {
        let (store, rubric) = try makeStore("uncovered.db", count: 4)
        let scheme = try addQAOnlyScheme(store)
        XCTAssertEqual(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t").scored, 4)
        try store.write { db in
            for id in ["S100", "S101"] {
                try SessionWriter(db).insert(Session(sessionID: id, agentID: "A1", channel: .video,
                                                     startedAt: "2026-10-20T09:00:00+08:00", endedAt: "2026-10-20T09:05:00+08:00",
                                                     handleSeconds: 300), turns: [])
            }
            try Appraisals.run(db, key: "2026-10", kind: .monthly, scheme: scheme, actor: "t")
            XCTAssertThrowsError(try Appraisals.finalize(db, period: "2026-10", actor: "t")) { error in
                XCTAssertEqual("\(error)", "2 sessions of 2026-10 have no automatic inspection with mini-auto (imported after its last run): run `scorebook inspect auto --period 2026-10 --rubric mini-auto` (it scores only those), then `scorebook appraise --period 2026-10`, then finalize")
            }
            XCTAssertFalse(try PeriodLocks.isFinalized(db, period: "2026-10"))
        }
        XCTAssertEqual(try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t").scored, 2)
        try store.write { db in
            try Appraisals.run(db, key: "2026-10", kind: .monthly, scheme: scheme, actor: "t")
            try Appraisals.finalize(db, period: "2026-10", actor: "t")
            XCTAssertTrue(try PeriodLocks.isFinalized(db, period: "2026-10"))
        }
    }

    /// The run's summary counts sessions: an item whose two conditions both need the missing transcript
    /// counts its session once.
    func testSkippedRulesAreCountedOncePerSession() throws {
        let yaml = """
        id: two-conditions
        version: 1
        name: 两个条件
        sections:
          - id: closing
            name: 结束
            dimension: etiquette
            weight: 1
            items:
              - id: farewell
                text: 道别
                type: yes_no
                points: 5
                auto:
                  all_of:
                    - {phrases_required: {phrases: [感谢], window: last 30s}}
                    - {phrases_required: {phrases: [再见], window: last 30s}}
        """
        let store = try Store(path: dir.appendingPathComponent("skip.db").path)
        let rubric = try RubricParser.parse(yaml, file: "two.yaml")
        try store.write { db in
            try Employees.upsert(db, [Employee(employeeID: "A1", name: "张伟", team: "一组", role: .agent)])
            try Rubrics.add(db, rubric, source: yaml, file: "two.yaml")
            let writer = try SessionWriter(db)
            for id in ["N1", "N2"] {
                try writer.insert(Session(sessionID: id, agentID: "A1", channel: .phone, startedAt: "2026-10-01T09:00:00",
                                          endedAt: "2026-10-01T09:05:00"), turns: nil)
            }
        }
        let summary = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        XCTAssertEqual(summary.scored, 2)
        XCTAssertEqual(summary.skippedRules.count, 1, "\(summary.skippedRules)")
        XCTAssertEqual(summary.skippedRules.values.first, 2, "two sessions, not four conditions")
    }
}
