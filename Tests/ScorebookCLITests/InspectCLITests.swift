import XCTest

final class InspectCLITests: XCTestCase {
    func testManualInspectionScoresAndLists() throws {
        let cli = try CLIHarness().seeded()
        let answers = try cli.write("answers.json", #"""
        {"verify_identity": "yes", "customer_present": "na", "no_info_leak": "yes", "answer_correct": 15,
         "no_forbidden_phrases": 1, "greeting_in_time": "yes", "video_appearance": "na"}
        """#)
        try cli.ok(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01",
                    "--answers", answers, "--answer", "polite_words=3", "--submit"])
        // unanswered items count in neither sum; submitting with some says which (the web form refuses it)
        let again = try cli.run(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01",
                                 "--answers", answers, "--answer", "polite_words=3", "--submit"])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("warning: inspection 1 is submitted with ") && again.stderr.contains(" items unanswered"),
                      again.stderr)
        XCTAssertFalse(again.stderr.contains("verify_identity"), "answered items are not named")
        let rows = try cli.json(["inspections", "--period", "2026-10"])
        XCTAssertEqual(rows.count, 1)
        let row = rows[0]
        // identity (compliance, w20): verify 10/10 + leak 10/10, customer_present N/A → 100
        // accuracy (accuracy, w30): answer_correct 15/20 → 75
        // opening (etiquette, w10): greeting 5/5, appearance N/A → 100
        // manner (etiquette, w15): polite 3/5 + forbidden (10 − 5)/10 → failed critical: section → 0
        // score = (20·100 + 30·75 + 10·100 + 15·0) / (20+30+10+15) = 5250/75 = 70
        // etiquette = (10·100 + 15·0)/25 = 40
        XCTAssertEqual(row["score"] as? Double ?? -1, 70, accuracy: 1e-9)
        XCTAssertEqual(row["compliance"] as? Double ?? -1, 100, accuracy: 1e-9)
        XCTAssertEqual(row["accuracy"] as? Double ?? -1, 75, accuracy: 1e-9)
        XCTAssertEqual(row["etiquette"] as? Double ?? -1, 40, accuracy: 1e-9)
        XCTAssertEqual(row["critical_failed"] as? Bool, false)
        XCTAssertEqual(row["status"] as? String, "submitted")
        XCTAssertEqual(row["mode"] as? String, "manual")
        XCTAssertEqual(row["agent_id"] as? String, "A01")
        XCTAssertEqual(row["rubric_version"] as? Int, 1)
        for key in ["id", "session_id", "rubric_id", "inspector_id"] { XCTAssertNotNil(row[key], key) }
    }

    func testRescoreIsAuditedAndFormCriticalZeroes() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["inspect", "--session", "V2", "--rubric", "video-service", "--inspector", "Q01",
                    "--answer", "verify_identity=yes", "--answer", "answer_correct=20"])
        var row = try cli.json(["inspections", "--period", "2026-10"])[0]
        XCTAssertEqual(row["status"] as? String, "draft")
        XCTAssertEqual(row["score"] as? Double ?? -1, 100, accuracy: 1e-9)
        XCTAssertTrue(row["etiquette"] is NSNull, "etiquette has no answered section: null")
        try cli.ok(["inspect", "--session", "V2", "--rubric", "video-service", "--inspector", "Q01",
                    "--answer", "no_info_leak=no", "--submit"])
        let rows = try cli.json(["inspections", "--period", "2026-10"])
        XCTAssertEqual(rows.count, 1, "re-scoring updates the inspection")
        row = rows[0]
        XCTAssertEqual(row["score"] as? Double ?? -1, 0, accuracy: 1e-9)
        XCTAssertEqual(row["critical_failed"] as? Bool, true)
        // identity = 100 × (10 + 0)/20 = 50; accuracy kept 100
        XCTAssertEqual(row["compliance"] as? Double ?? -1, 50, accuracy: 1e-9)
        XCTAssertEqual(row["accuracy"] as? Double ?? -1, 100, accuracy: 1e-9)
        let audit = try cli.json(["audit", "--entity", "inspection"])
        XCTAssertEqual(audit.map { $0["action"] as? String }, ["create", "rescore"])
        XCTAssertEqual(audit[1]["actor"] as? String, "tester")
        XCTAssertTrue((audit[1]["before"] as? String ?? "").contains(#""score":100"#))
        XCTAssertTrue((audit[1]["after"] as? String ?? "").contains(#""score":0"#))
    }

    func testBadAnswersAreRefusedAndNothingWritten() throws {
        let cli = try CLIHarness().seeded()
        let cases: [([String], String)] = [
            (["--answer", "answer_correct=12"], "item 'answer_correct': value 12 not allowed: levels are 0, 10, 15, 20"),
            (["--answer", "no_such_item=yes"], "item 'no_such_item': unknown item id (rubric video-service v1)"),
            (["--answer", "greeting_in_time=na"], "item 'greeting_in_time': N/A is not allowed for this item"),
        ]
        for (args, message) in cases {
            let result = try cli.run(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01"] + args)
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }
        let file = try cli.write("bad.json", #"{"answer_correct": 12}"#)
        let result = try cli.run(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01", "--answers", file])
        XCTAssertTrue(result.stderr.contains("bad.json: item 'answer_correct': value 12 not allowed"), result.stderr)
        // a key given twice (the last copy would silently win), and a value shown as written
        for (body, message) in [(#"{"answer_correct": 15, "polite": "yes", "answer_correct": 0}"#, "twice.json: answer_correct: is given twice in the same object"),
                                (#"{"answer_correct": true}"#, #"twice.json: answer_correct: true is not "yes", "no", "na" or a number"#),
                                (#"{"answer_correct": [15]}"#, #"twice.json: answer_correct: [15] is not "yes", "no", "na" or a number"#)] {
            let refused = try cli.run(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01",
                                       "--answers", cli.write("twice.json", body)])
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertTrue(refused.stderr.contains(message), refused.stderr)
        }
        // a bad --answer given beside a good file is blamed on the flag, not the file
        let good = try cli.write("good.json", #"{"answer_correct": 15}"#)
        let mixed = try cli.run(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01", "--answers", good,
                                 "--answer", "polite_words=7"])
        XCTAssertTrue(mixed.stderr.contains("--answer polite_words=7: item 'polite_words': value 7 not allowed"), mixed.stderr)
        let own = try cli.run(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "A01", "--answer", "greeting_in_time=yes"])
        XCTAssertTrue(own.stderr.contains("is an agent, not an inspector or supervisor"), own.stderr)
        XCTAssertEqual(try cli.count("inspections"), 0)
        // only the roster import's entries (one `add` per employee): nothing from the refused inspections
        XCTAssertEqual(try cli.json(["audit"]).filter { $0["entity"] as? String != "employee" }.count, 0)
    }

    func testRubricCommands() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        let list = try cli.json(["rubric", "list"])
        XCTAssertEqual(list.first?["rubric_id"] as? String, "video-service")
        XCTAssertGreaterThanOrEqual(list.first?["items"] as? Int ?? 0, 15)
        let show = try cli.ok(["rubric", "show", "video-service"])
        XCTAssertTrue(show.contains("办理账户类业务前核实客户身份"))
        // a deduction's points per occurrence read as such, and a spreadsheet gets it without a formula guard
        let csv = try cli.ok(["rubric", "show", "video-service", "--format", "csv"])
        XCTAssertTrue(csv.contains(",deduction,") && csv.contains(",per "), csv)
        XCTAssertFalse(csv.contains("'-"), csv)

        let v1 = try cli.write("r.yaml", Self.rubric(version: 1, points: 5))
        try cli.ok(["rubric", "add", v1])
        XCTAssertTrue(try cli.ok(["rubric", "add", v1]).contains("unchanged"))
        let changed = try cli.run(["rubric", "add", cli.write("r2.yaml", Self.rubric(version: 1, points: 10))])
        XCTAssertNotEqual(changed.status, 0)
        XCTAssertTrue(changed.stderr.contains("already stored with different content"), changed.stderr)
        try cli.ok(["rubric", "add", cli.write("r3.yaml", Self.rubric(version: 2, points: 10))])
        let versions = try cli.json(["rubric", "list"]).filter { $0["rubric_id"] as? String == "mini" }.map { $0["version"] as? Int }
        XCTAssertEqual(versions, [1, 2])

        // the table shows the form as written: a weight of 12.5 showed as 13, points 2.5 as 3; a deduction item's
        // severity table (the rule's findings cost by severity) showed as its derived "per"
        try cli.ok(["rubric", "add", cli.write("half.yaml", """
        id: half
        version: 1
        name: 半分表
        sections:
          - id: s
            name: S
            dimension: etiquette
            weight: 12.5
            items:
              - {id: greet, text: 问候, type: yes_no, points: 2.5}
              - {id: thanks, text: 致谢, type: yes_no, points: 1.12}
              - {id: ban, text: 禁语, type: deduction, points: 10, severity: {light: 1, moderate: 3, severe: 5}}
        """)])
        let half = try cli.ok(["rubric", "show", "half"])
        XCTAssertTrue(half.contains("  12.50  ") && half.contains("  2.50  ") && half.contains("  1.12  ") && half.contains("  10.00  "), half)
        XCTAssertFalse(half.contains(" 13 "), half)
        XCTAssertTrue(half.contains("per light 1 / moderate 3 / severe 5"), half)
    }

    /// After a rubric upgrade a plain run scores only new sessions: it says how many keep the old version's
    /// automatic scores, and `--rescore` applies the new one.
    func testAutomaticRunAfterARubricUpgradeNamesTheSessionsKeptOnTheOldVersion() throws {
        let cli = try CLIHarness().seeded()
        func auto(_ version: Int, _ phrase: String) -> String {
            Self.rubric(version: version, points: 5).replacingOccurrences(of: "points: 5}", with: "points: 5, auto: {keywords: {phrases: [\(phrase)]}}}")
        }
        try cli.ok(["rubric", "add", cli.write("a1.yaml", auto(1, "您好"))])
        let first = try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "mini"])
        XCTAssertTrue(first.contains("with mini v1: scored 4 sessions (0 already scored)"), first)
        XCTAssertFalse(first.contains("note:"), first)
        try cli.ok(["rubric", "add", cli.write("a2.yaml", auto(2, "早上好"))])
        let plain = try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "mini"])
        XCTAssertTrue(plain.contains("with mini v2: scored 0 sessions (4 already scored)"), plain)
        XCTAssertTrue(plain.contains("note: of the sessions already scored, 4 with v1 keep that version's scores"), plain)
        let redo = try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "mini", "--rescore"])
        XCTAssertFalse(redo.contains("note: of the sessions"), redo)
        let versions = Set(try cli.json(["inspections", "--period", "2026-10", "--mode", "auto"]).map { $0["rubric_version"] as? Int })
        XCTAssertEqual(versions, [2])
    }

    func testRubricCheckReportsFileLineReason() throws {
        let cli = try CLIHarness()
        let bad = try cli.write("bad.yaml", Self.rubric(version: 1, points: 5).replacingOccurrences(of: "weight: 1", with: "weight: 0"))
        let good = try cli.write("good.yaml", Self.rubric(version: 1, points: 5))
        let result = try cli.run(["rubric", "check", good, bad])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("ok \(good)"), result.stdout)
        XCTAssertTrue(result.stderr.contains("bad.yaml:8: sections[0].weight: section 's': weight must be positive, found 0"), result.stderr)
        let syntax = try cli.run(["rubric", "check", cli.write("syntax.yaml", "id: x\nname: [oops\n")])
        XCTAssertNotEqual(syntax.status, 0)
        XCTAssertTrue(syntax.stderr.contains("syntax.yaml:") && syntax.stderr.contains("YAML syntax error"), syntax.stderr)
    }

    static func rubric(version: Int, points: Int) -> String {
        """
        id: mini
        version: \(version)
        name: 迷你表
        sections:
          - id: s
            name: S
            dimension: etiquette
            weight: 1
            items:
              - {id: greet, text: 问候, type: yes_no, points: \(points)}
        """
    }

    func testCSVOutputGuardsFormulas() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["import", "roster", cli.write("r.csv", """
        employee_id,name,team,role,supervisor_id,active
        Q01,=1+1,质检组,inspector,,1
        """)])
        try cli.ok(["rubric", "add", cli.write("r.yaml", Self.rubric(version: 1, points: 5).replacingOccurrences(of: "name: 迷你表", with: "name: \"@SUM(A1)\""))])
        let csv = try cli.ok(["rubric", "list", "--format", "csv"])
        XCTAssertTrue(csv.contains("'@SUM(A1)"), csv)
    }
}
