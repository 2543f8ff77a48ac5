import XCTest
import ScorebookStore

final class ReviewCLITests: XCTestCase {
    func autoInspection(_ cli: CLIHarness, session: String) throws -> [String: Any] {
        try XCTUnwrap(try cli.json(["inspections", "--period", "2026-10", "--mode", "auto"])
            .first { $0["session_id"] as? String == session })
    }

    /// RULES.md: a rule's `name:` is "shown on findings", and a finding carries the named condition that fired
    /// — it was kept nowhere, so an inspector could not tell which condition of a composite rule fired.
    func testFindingsNameTheRuleOrTheNamedConditionThatFired() throws {
        let cli = try CLIHarness().seeded()
        let rubric = try cli.write("named.yaml", """
        id: named
        version: 1
        name: 命名规则
        conditions:
          self_intro: {phrases_required: {phrases: [我是客服小王]}}
        sections:
          - id: manner
            name: 礼仪
            dimension: etiquette
            weight: 1
            items:
              - {id: banned, text: 禁语, type: deduction, points: 10, per: 5, auto: {name: 服务禁语, phrases_forbidden: {phrases: [视频客服]}}}
              - {id: intro, text: 自我介绍, type: yes_no, points: 5, auto: {all_of: [{ref: self_intro}, {phrases_required: {phrases: [您好]}}]}}
        """)
        try cli.ok(["rubric", "add", rubric])
        try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "named"])
        let v1 = try cli.json(["findings", "--period", "2026-10", "--rubric", "named"]).filter { $0["session_id"] as? String == "V1" }
        XCTAssertEqual(Set(v1.map { "\($0["item_id"] as? String ?? "") \($0["rule"] as? String ?? "") \($0["rule_name"] as? String ?? "-")" }),
                       ["banned phrases_forbidden 服务禁语", "intro phrases_required self_intro"])
        let id = try XCTUnwrap(v1.first?["inspection_id"] as? Int)
        let shown = try cli.json(["inspection", "show", String(id)]).first { $0["item"] as? String == "banned" }
        let evidence = try XCTUnwrap(shown?["findings"] as? [[String: Any]])
        XCTAssertEqual(evidence.first?["rule_name"] as? String, "服务禁语")
    }

    /// The CLI let a team lead review another team's findings and answer its disputes (the web refused
    /// both); a reason that is only a line break passed as given; a second rejection overwrote the first
    /// reviewer and reason.
    func testReviewsAndDisputeAnswersFollowTheWebsRules() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["import", "roster", cli.write("teams.csv", CLIHarness.roster + "\nS02,陈主管,视频客服二组,supervisor,,1\nA03,周敏,视频客服二组,agent,S02,1\n")])
        try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "video-service"])
        let finding = try XCTUnwrap(try cli.json(["findings", "--period", "2026-10", "--agent", "A01"]).first)
        let id = String(try XCTUnwrap(finding["id"] as? Int))
        let other = try cli.run(["review", id, "--confirm", "--inspector", "S02"])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.stderr.contains("'S02' is a team lead of another team than A01's"), other.stderr)
        let blank = try cli.run(["review", id, "--reject", "--reason", "\n", "--inspector", "Q01"])
        XCTAssertTrue(blank.stderr.contains("rejecting a finding needs a reason"), blank.stderr)
        let long = try cli.run(["review", id, "--reject", "--reason", String(repeating: "长", count: 2001), "--inspector", "Q01"])
        XCTAssertTrue(long.stderr.contains("reason: 2001 characters, at most 2000"), long.stderr)
        try cli.ok(["review", id, "--reject", "--reason", "客户原话", "--inspector", "S01"])  // their own person's
        let auditBefore = try cli.json(["audit"]).count
        try cli.ok(["review", id, "--reject", "--reason", "再驳回", "--inspector", "Q01"])  // repeating is harmless
        XCTAssertEqual(try cli.json(["audit"]).count, auditBefore, "nothing changed, nothing logged")
        let after = try XCTUnwrap(try cli.json(["findings", "--period", "2026-10"]).first { String($0["id"] as? Int ?? -1) == id })
        XCTAssertEqual(after["reviewer_id"] as? String, "S01")
        XCTAssertEqual(after["reason"] as? String, "客户原话")

        let inspection = Int64(try XCTUnwrap(finding["inspection_id"] as? Int))
        try Store(path: cli.db, migrate: false).write { db in
            try InspectionResponses.respond(db, inspectionID: inspection, agentID: "A01", dispute: "有问候", actor: "A01")
        }
        let answer = try cli.run(["dispute", String(inspection), "--uphold", "--answer", "维持", "--inspector", "S02"])
        XCTAssertTrue(answer.stderr.contains("'S02' is a team lead of another team than A01's"), answer.stderr)
        let own = try cli.run(["dispute", String(inspection), "--uphold", "--answer", "维持", "--inspector", "A01"])
        XCTAssertTrue(own.stderr.contains("'A01' (an agent) cannot answer a dispute"), own.stderr)
        try cli.ok(["dispute", String(inspection), "--uphold", "--answer", "维持", "--inspector", "S01"])

        try cli.ok(["appraise", "--period", "2026-10"])
        try cli.ok(["finalize", "--period", "2026-10"])
        let reopen = try cli.run(["reopen", "--period", "2026-10", "--reason", "\n"])
        XCTAssertTrue(reopen.stderr.contains("needs a reason"), reopen.stderr)
    }

    func testRejectingAnItemsFindingsRecomputesTheAutomaticInspection() throws {
        let cli = try CLIHarness().seeded()
        let run = try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "video-service"])
        XCTAssertTrue(run.contains("scored 4 sessions"), run)
        XCTAssertTrue(try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "video-service"]).contains("scored 0 sessions"))
        let before = try autoInspection(cli, session: "V1")
        let id = try XCTUnwrap(before["id"] as? Int)
        // V1's transcript never asks whether anything else is needed: ask_more_needs fails with evidence
        let findings = try cli.json(["findings", "--period", "2026-10", "--item", "ask_more_needs"])
            .filter { $0["inspection_id"] as? Int == id }
        XCTAssertFalse(findings.isEmpty)

        let refused = try cli.run(["review", "--inspection", String(id), "--item", "ask_more_needs", "--reject"])
        XCTAssertNotEqual(refused.status, 0, "a rejection needs a reason")
        try cli.ok(["review", "--inspection", String(id), "--item", "ask_more_needs", "--reject",
                    "--reason", "视频结束语在画面提示中", "--inspector", "Q01"])
        let after = try autoInspection(cli, session: "V1")
        XCTAssertGreaterThan(after["score"] as? Double ?? -1, before["score"] as? Double ?? 100)
        let statuses = try cli.json(["findings", "--period", "2026-10", "--item", "ask_more_needs"])
            .filter { $0["inspection_id"] as? Int == id }.map { $0["status"] as? String }
        XCTAssertEqual(Set(statuses), ["rejected"])
        let stats = try cli.json(["rules", "stats", "--period", "2026-10"]).first { $0["item_id"] as? String == "ask_more_needs" }
        XCTAssertEqual(stats?["rejected"] as? Int, findings.count)
        let audit = try cli.json(["audit", "--entity", "finding"])
        XCTAssertEqual(audit.count, findings.count)
        XCTAssertEqual(audit.first?["reason"] as? String, "视频结束语在画面提示中")
        let again = try cli.run(["review", "--inspection", String(id), "--item", "ask_more_needs", "--reject", "--reason", "x"])
        XCTAssertTrue(again.stderr.contains("no open finding"), again.stderr)
    }

    /// The issue's own command, `scorebook review FINDING --reject --reason "..."`, works without naming an
    /// inspector: the acting user (SCOREBOOK_USER, here `tester`, not on the roster) is recorded as the
    /// reviewer. A named `--inspector` must be an inspector or supervisor on the roster.
    func testReviewByFindingIdRecordsTheActingUser() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "video-service"])
        let finding = try XCTUnwrap(try cli.json(["findings", "--period", "2026-10"]).first)
        let id = String(try XCTUnwrap(finding["id"] as? Int))
        let agent = try cli.run(["review", id, "--reject", "--reason", "误报", "--inspector", "A01"])
        XCTAssertNotEqual(agent.status, 0)
        XCTAssertTrue(agent.stderr.contains("'A01' is not an inspector or supervisor"), agent.stderr)
        // the acting user, when on the roster, must be an inspector or supervisor — and never the agent
        let asAgent = try cli.run(["review", id, "--reject", "--reason", "误报", "--actor", "A01"])
        XCTAssertNotEqual(asAgent.status, 0)
        XCTAssertTrue(asAgent.stderr.contains("the acting user 'A01' is an agent on the roster"), asAgent.stderr)
        let out = try cli.ok(["review", id, "--reject", "--reason", "误报"])
        XCTAssertTrue(out.contains("finding \(id) rejected"), out)
        let after = try XCTUnwrap(try cli.json(["findings", "--period", "2026-10"]).first { String($0["id"] as? Int ?? -1) == id })
        XCTAssertEqual(after["status"] as? String, "rejected")
        XCTAssertEqual(after["reviewer_id"] as? String, "tester")
    }

    /// `inspection show ID` shows why an item failed: in json, one array of objects (one per rubric item)
    /// carrying the inspection's fields and the item's findings with their evidence.
    func testInspectionShowCarriesTheEvidenceInOneJSONArray() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "video-service"])
        let finding = try XCTUnwrap(try cli.json(["findings", "--period", "2026-10", "--item", "ask_more_needs"]).first)
        let inspectionID = try XCTUnwrap(finding["inspection_id"] as? Int)
        let rows = try cli.json(["inspection", "show", String(inspectionID)])
        XCTAssertEqual(Set(rows.compactMap { $0["inspection_id"] as? Int }), [inspectionID])
        XCTAssertEqual(Set(rows.compactMap { $0["mode"] as? String }), ["auto"])
        XCTAssertTrue(rows.allSatisfy { $0["score"] is Double && $0["critical_failed"] is Bool })
        let item = try XCTUnwrap(rows.first { $0["item"] as? String == "ask_more_needs" })
        XCTAssertEqual(item["answer"] as? String, "no")
        let evidence = try XCTUnwrap((item["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(evidence["id"] as? Int, finding["id"] as? Int)
        XCTAssertEqual(evidence["rule"] as? String, finding["rule"] as? String)
        XCTAssertEqual(evidence["message"] as? String, finding["message"] as? String)
        XCTAssertEqual(evidence["status"] as? String, "open")
        let manualOnly = try XCTUnwrap(rows.first { $0["item"] as? String == "video_appearance" })
        XCTAssertEqual(manualOnly["answer"] as? String, "na", "an item without a rule is N/A")
        XCTAssertEqual((manualOnly["findings"] as? [Any])?.count, 0)
        let csv = try cli.ok(["inspection", "show", String(inspectionID), "--format", "csv"])
        XCTAssertTrue(csv.hasPrefix("inspection_id,session_id,agent_id,rubric_id,rubric_version,mode,status,score,critical_failed,section,item,"), csv)
        let table = try cli.ok(["inspection", "show", String(inspectionID)])
        XCTAssertTrue(table.contains("findings (evidence of the automatic rules):"), table)
    }
}
