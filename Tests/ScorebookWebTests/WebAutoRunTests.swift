import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
import ScorebookCore
import ScorebookStore
@testable import ScorebookWeb

/// Full-coverage automatic inspection started from the browser (`/auto-runs`), on `WebAppTests`' database.
extension WebAppTests {
    /// One rule: handle time at most 240 s. Every session of the fixture takes 300 s, so each automatic
    /// inspection fails `fast` (0 of 5 points; `dress` has no rule and is N/A): score 0, one finding each.
    static let autoRubricYAML = """
    id: mini-auto
    version: 1
    name: 自动质检
    sections:
      - id: efficiency
        name: 效率
        dimension: accuracy
        weight: 1
        items:
          - {id: fast, text: 处理时长, type: yes_no, points: 5, auto: {handle_time: {max_seconds: 240}}}
          - {id: dress, text: 着装, type: yes_no, points: 5}
    """

    func addAutoRubric() throws {
        let rubric = try RubricParser.parse(Self.autoRubricYAML, file: "mini-auto.yaml")
        try store.write { db in _ = try Rubrics.add(db, rubric, source: Self.autoRubricYAML, file: "mini-auto.yaml") }
    }

    func testOnlyInspectorsSeeOrStartAutomaticRuns() async throws {
        try addAutoRubric()
        try await withApp { client in
            for id in ["A1", "S0", "S1", "H1"] {
                var someone = Browser(client: client)
                _ = try await someone.signIn(id)
                let page = try await someone.get("/auto-runs")
                XCTAssertEqual(page.status, .forbidden, id)
                let post = try await someone.post("/auto-runs", [("period", "2026-10"), ("rubric", "mini-auto")])
                XCTAssertEqual(post.status, .forbidden, id)
            }
            var anonymous = Browser(client: client)
            let page = try await anonymous.get("/auto-runs")
            XCTAssertEqual(page.status, .seeOther)
            XCTAssertEqual(page.headers[.location], "/login")
        }
        XCTAssertEqual(try store.count("auto_runs"), 0)
        XCTAssertEqual(try store.count("inspections"), 4, "only the fixture's manual inspections")
    }

    func testAnInspectorRunsAutomaticInspectionOfAMonthFromTheBrowser() async throws {
        try addAutoRubric()
        try await withApp { client in
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let form = Self.text(try await inspector.get("/auto-runs?period=2026-10"))
            XCTAssertTrue(form.contains(#"action="/auto-runs""#), form)
            XCTAssertTrue(form.contains("(4 sessions)"), form)
            XCTAssertTrue(form.contains("No run yet."))

            // Each refusal names the field and starts nothing.
            let noToken = try await inspector.post("/auto-runs", [("period", "2026-10"), ("rubric", "mini-auto")], csrf: false)
            XCTAssertEqual(noToken.status, .forbidden)
            let cases: [([(String, String)], String)] = [
                ([("period", "2026-13"), ("rubric", "mini-auto")], "period: &#39;2026-13&#39; is not a period YYYY-MM"),
                ([("rubric", "mini-auto")], "period: is required"),
                ([("period", "2026-10"), ("rubric", "nope")], "rubric: no rubric &#39;nope&#39; is stored"),
                ([("period", "2026-09"), ("rubric", "mini-auto")], "period: there are no sessions in 2026-09"),
                ([("period", "2026-10"), ("rubric", "mini-auto"), ("rescore", "yes")], "rescore: takes 1, found &#39;yes&#39;"),
            ]
            for (fields, message) in cases {
                let refused = try await inspector.post("/auto-runs", fields)
                XCTAssertEqual(refused.status, .badRequest, message)
                XCTAssertTrue(Self.text(refused).contains(message), Self.text(refused))
            }
            XCTAssertEqual(try self.store.count("auto_runs"), 0)

            let started = try await inspector.post("/auto-runs", [("period", "2026-10"), ("rubric", "mini-auto")])
            XCTAssertEqual(started.status, .seeOther)
            XCTAssertEqual(started.headers[.location], "/auto-runs?period=2026-10")
            var page = ""
            for _ in 0..<600 {  // up to 30 s on a loaded machine
                page = Self.text(try await inspector.get("/auto-runs?period=2026-10"))
                if page.contains("Last run") { break }
                XCTAssertTrue(page.contains(#"http-equiv="refresh""#), "a running run's page reloads itself")
                try await Task.sleep(for: .milliseconds(50))
            }
            XCTAssertTrue(page.contains("Scored 4 sessions (0 already scored), 4 findings"), page)
            XCTAssertTrue(page.contains("started by Q1"))
            XCTAssertFalse(page.contains(#"http-equiv="refresh""#))
            XCTAssertTrue(page.contains("<td>mini-auto v1</td>"), page)
        }
        let auto = try store.read { db in try Inspections.list(db, InspectionFilter(mode: .auto)) }
        XCTAssertEqual(auto.map(\.sessionID).sorted(), ["V0", "V1", "V2", "V3"])
        XCTAssertTrue(auto.allSatisfy { $0.score == 0 && $0.answers == ["dress": "na", "fast": "no"] && $0.rubricID == "mini-auto" },
                      "\(auto)")
        XCTAssertEqual(try store.count("findings"), 4)
        let audit = try store.read { db in try AuditLog.entries(db, entity: "period") }.filter { $0.action == "auto-inspect" }
        XCTAssertEqual(audit.map(\.actor), ["Q1"])

        // A finalized month shows no form and refuses a run (409).
        try store.write { db in try PeriodLocks.finalize(db, period: "2026-10", actor: "S0") }
        try await withApp { client in
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let page = Self.text(try await inspector.get("/auto-runs?period=2026-10"))
            XCTAssertFalse(page.contains(#"action="/auto-runs""#))
            XCTAssertTrue(page.contains("2026-10 is finalized"))
            let refused = try await inspector.post("/auto-runs", [("period", "2026-10"), ("rubric", "mini-auto"), ("rescore", "1")])
            XCTAssertEqual(refused.status, .conflict)
        }
        XCTAssertEqual(try store.count("auto_runs"), 1)
    }
}

/// What follows an agent's response: an overturned dispute is re-scored on the disputed inspection itself
/// (also by someone other than its inspector); a re-score after an acknowledgement withdraws it.
extension WebAppTests {
    func testAnOverturnedInspectionIsReScoredInPlaceAndARescoreWithdrawsAnAcknowledgement() async throws {
        let (mine, other) = (a1Submitted, a3Submitted)
        let store = self.store!
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            _ = try await agent.post("/inspections/\(mine)/dispute", [("reason", "我说了礼貌用语")])
            var lead = Browser(client: client)
            _ = try await lead.signIn("S1")
            _ = try await lead.post("/inspections/\(mine)/answer", [("decision", "overturn"), ("answer", "已改判")])
            let page = Self.text(try await lead.get("/inspections/\(mine)"))
            let link = "/sessions/V0/score?rubric=mini&amp;inspection=\(mine)"
            XCTAssertTrue(page.contains(link), page)
            let form = Self.text(try await lead.get("/sessions/V0/score?rubric=mini&inspection=\(mine)"))
            XCTAssertTrue(form.contains(#"name="inspection" value="\#(mine)""#), form)
            let saved = try await lead.post("/sessions/V0/score", [("rubric", "mini"), ("inspection", String(mine)),
                                                                    ("item.greet", "yes"), ("item.polite", "yes"), ("action", "submit")])
            XCTAssertEqual(saved.status, .seeOther, Self.text(saved))
            // someone else's inspection that is not overturned cannot be re-scored through the field
            let refused = try await lead.post("/sessions/V1/score", [("rubric", "mini"), ("inspection", String(self.a1Draft)),
                                                                      ("item.greet", "yes")])
            XCTAssertEqual(refused.status, .notFound)

            var a3 = Browser(client: client)
            _ = try await a3.signIn("A3")
            _ = try await a3.post("/inspections/\(other)/acknowledge", [])
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            _ = try await inspector.get("/sessions/V3/score?rubric=mini")
            // the same answers again: nothing changes, nothing is audited, the acknowledgement stands
            let same = try await inspector.post("/sessions/V3/score", [("rubric", "mini"), ("item.greet", "yes"), ("item.polite", "no")])
            XCTAssertEqual(same.status, .seeOther)
            XCTAssertEqual(try store.read { db in try InspectionResponses.find(db, inspectionID: other) }?.status, .acknowledged)
            let changed = try await inspector.post("/sessions/V3/score", [("rubric", "mini"), ("item.polite", "yes")])
            XCTAssertEqual(changed.status, .seeOther)
            XCTAssertNil(try store.read { db in try InspectionResponses.find(db, inspectionID: other) }, "acknowledged 50, now 100")
            let again = try await a3.post("/inspections/\(other)/dispute", [("reason", "分数变了")])
            XCTAssertEqual(again.status, .seeOther, "the agent responds to the new score")
        }
        let records = try store.read { db in try Inspections.list(db, InspectionFilter(mode: .manual)) }
        XCTAssertEqual(records.count, 4, "no second inspection of V0")
        let v0 = try XCTUnwrap(records.first { $0.id == mine })
        XCTAssertEqual(v0.score, 100)
        XCTAssertEqual(v0.inspectorID, "Q1", "re-scored under its inspector's name")
        let v0Audit = try store.read { db in try AuditLog.entries(db, entity: "inspection", entityID: String(mine)) }
        // the overturned answer is withdrawn by the re-score it asked for: the agent answers the new score
        XCTAssertEqual(v0Audit.map { "\($0.action):\($0.actor)" },
                       ["create:Q1", "dispute:A1", "answer-dispute:S1", "rescore:S1", "withdraw-dispute-answer:S1"])
        let v3Audit = try store.read { db in try AuditLog.entries(db, entity: "inspection", entityID: String(other)) }
        XCTAssertEqual(v3Audit.map(\.action), ["create", "acknowledge", "rescore", "withdraw-acknowledgement", "dispute"])
        XCTAssertEqual(v3Audit[3].reason, "re-scored from 50.00 to 100.00 after the agent acknowledged it: the agent answers the new score")
    }
}

/// Bad requests answer with the status that names them: 400 for a bad field, 413 for an oversized form,
/// and a finding one may not see answers exactly as one that does not exist.
extension WebAppTests {
    func testBadFieldsAre400AnOversizedFormIs413AndHiddenFindingsLookMissing() async throws {
        try addAutoRubric()
        let rubric = try RubricParser.parse(Self.autoRubricYAML, file: "mini-auto.yaml")
        _ = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "t")
        let a3Finding = try XCTUnwrap(try store.read { db in try Findings.list(db, FindingFilter(agentID: "A3")) }.first)
        try await withApp { client in
            var lead = Browser(client: client)
            _ = try await lead.signIn("S1") // leads 一组; A3 is in 二组
            let hidden = try await lead.post("/findings/\(a3Finding.id)/review", [("decision", "confirm")])
            let missing = try await lead.post("/findings/99999/review", [("decision", "confirm")])
            XCTAssertEqual(hidden.status, .notFound)
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertTrue(Self.text(hidden).contains("no finding \(a3Finding.id) that you can see"), Self.text(hidden))
            XCTAssertFalse(Self.text(hidden).contains("inspection"), "the finding's inspection is not named")
            let malformed = try await lead.post("/ratings", [("period", "2026-10"), ("score:A1", "4")])
            XCTAssertEqual(malformed.status, .badRequest)
            XCTAssertTrue(Self.text(malformed).contains("score:A1: a score field is score:&lt;employee id&gt;:&lt;criterion&gt;"),
                          Self.text(malformed))

            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let long = try await agent.post("/inspections/\(self.a1Submitted)/dispute", [("reason", String(repeating: "长", count: 2001))])
            XCTAssertEqual(long.status, .badRequest)
            XCTAssertTrue(Self.text(long).contains("reason: 2001 characters, at most 2000"), Self.text(long))
            let huge = try await agent.post("/inspections/\(self.a1Submitted)/dispute", [("reason", String(repeating: "x", count: 300_000))])
            XCTAssertEqual(huge.status, .contentTooLarge)

            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let draw = try await inspector.post("/assignments/draw", [("period", "2026-10"), ("rubric", "nope"), ("per_agent", "1"),
                                                                      ("inspector.Q1", "1")])
            XCTAssertEqual(draw.status, .badRequest)
            XCTAssertTrue(Self.text(draw).contains("rubric: no rubric &#39;nope&#39; is stored"), Self.text(draw))
        }
        XCTAssertNil(try store.read { db in try InspectionResponses.find(db, inspectionID: self.a1Submitted) })
    }
}
