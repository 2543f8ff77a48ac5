import XCTest
import ScorebookWorkbook

final class AppraisalCLITests: XCTestCase {
    static let ratings = """
    period,employee_id,source,rater_id,criterion,score
    2026-10,A01,supervisor,S01,服务态度,4
    2026-10,A01,supervisor,S01,业务能力,5
    2026-10,A01,self,A01,服务态度,3
    2026-10,A01,peer,A02,团队协作,5
    """

    /// Seeded database + one submitted manual inspection of V1 (score 70, see InspectCLITests) + ratings.
    func prepared() throws -> CLIHarness {
        let cli = try CLIHarness().seeded()
        let answers = try cli.write("answers.json", #"""
        {"verify_identity": "yes", "customer_present": "na", "no_info_leak": "yes", "answer_correct": 15,
         "no_forbidden_phrases": 1, "greeting_in_time": "yes", "video_appearance": "na", "polite_words": 3}
        """#)
        try cli.ok(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01", "--answers", answers, "--submit"])
        try cli.ok(["import", "ratings", cli.write("ratings.csv", Self.ratings)])
        return cli
    }

    func testMonthlyAppraisalMatchesHandComputation() throws {
        let cli = try prepared()
        let out = try cli.ok(["appraise", "--period", "2026-10"])
        XCTAssertTrue(out.contains("appraised 2 agents"), out)
        let rows = try cli.json(["appraisals", "--period", "2026-10"])
        let a01 = try XCTUnwrap(rows.first { $0["employee_id"] as? String == "A01" })
        let components = try XCTUnwrap(a01["components"] as? [String: Any])
        // qa: one manual inspection, 70 (manual alone gets full weight)
        XCTAssertEqual(components["qa"] as? Double ?? -1, 70, accuracy: 1e-9)
        // supervisor: S01's mean of normalized criteria = (100×3/4 + 100×4/4)/2 = 87.5
        XCTAssertEqual(components["supervisor"] as? Double ?? -1, 87.5, accuracy: 1e-9)
        // self: 100×(3−1)/4 = 50
        XCTAssertEqual(components["self"] as? Double ?? -1, 50, accuracy: 1e-9)
        // customer: 2 csat responses < 10 → missing; peer: 1 rater < 3 → missing
        XCTAssertTrue(components["customer"] is NSNull)
        XCTAssertTrue(components["peer"] is NSNull)
        // fcr: 2/2 = 1.0 → 133.3 → clamped 100; response: (3.5+2)/2 = 2.75 s → 109 → 100
        XCTAssertEqual(components["fcr"] as? Double ?? -1, 100, accuracy: 1e-9)
        XCTAssertEqual(components["response"] as? Double ?? -1, 100, accuracy: 1e-9)
        // handle: (300+360)/2 = 330 s → 100×(330−900)/(300−900) = 95
        XCTAssertEqual(components["handle"] as? Double ?? -1, 95, accuracy: 1e-9)
        // final = (30·70 + 15·87.5 + 5·50 + 10·100 + 5·100 + 5·95)/70 = 5637.5/70 = 80.5357… → 80.54 → B
        XCTAssertEqual(a01["final_score"] as? Double, 80.54)
        XCTAssertEqual(a01["final_score_unrounded"] as? Double ?? -1, 5637.5 / 70, accuracy: 1e-9)
        XCTAssertEqual(a01["grade"] as? String, "B")
        XCTAssertEqual(a01["bonus_coefficient"] as? Double, 1.0)
        XCTAssertEqual(a01["missing"] as? [String], ["customer", "peer"])
        XCTAssertEqual(a01["period"] as? String, "2026-10")
        // CSV: one column per component in the scheme's order, unrounded, missing ones empty.
        let csv = try cli.ok(["appraisals", "--period", "2026-10", "--format", "csv"]).split(separator: "\n").map(String.init)
        XCTAssertEqual(csv.first, "employee_id,name,team,period,status,qa,customer,supervisor,peer,self,fcr,response,handle,"
                       + "final_score,final_score_unrounded,grade,grade_label,bonus_coefficient,missing,forced_distribution,scheme")
        let a01csv = try XCTUnwrap(csv.first { $0.hasPrefix("A01,") })
        XCTAssertTrue(a01csv.contains(",graded,70,,87.5,,50,100,100,95,80.54,"), a01csv)

        let explain = try cli.ok(["explain", "--agent", "A01", "--period", "2026-10"])
        XCTAssertTrue(explain.contains("80.54"), explain)
        XCTAssertTrue(explain.contains("B"), explain)
        XCTAssertFalse(explain.contains("A02"), "peer raters are never shown to the ratee: \(explain)")
        // someone who is never appraised is said so, not "run appraise first"
        let lead = try cli.run(["explain", "--agent", "S01", "--period", "2026-10"])
        XCTAssertTrue(lead.stderr.contains("--agent: 'S01' is a supervisor on the roster, not an agent: only agents are appraised"), lead.stderr)
        let nobody = try cli.run(["explain", "--agent", "ZZ", "--period", "2026-10"])
        XCTAssertTrue(nobody.stderr.contains("--agent: unknown employee 'ZZ' (not on the roster)"), nobody.stderr)
        // the table rounds numbers to 2 places; its unrounded column shows 6: 5637.5/70 = 80.535714…
        let table = try cli.ok(["appraisals", "--period", "2026-10"])
        XCTAssertTrue(table.contains("80.535714"), table)
    }

    /// `--scheme FILE` uses the file as written, even when it reuses the id and version of a stored scheme
    /// (DESIGN's example is `monthly` v1, like the shipped one); it is kept as a variant, the appraisal and
    /// its workbook follow it, and it does not become the default of later runs.
    func testASchemeFileReusingAStoredVersionIsUsedAsWrittenAndNotKeptAsTheDefault() throws {
        let cli = try prepared()
        let scheme = try cli.write("two.yaml", """
        id: monthly
        version: 1
        components:
          qa:         {weight: 50, modes: {manual: 0.7, auto: 0.3}}
          supervisor: {weight: 50, scale: [1, 5]}
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: B, label: 良好, min: 80, bonus: 1.0}
          - {grade: C, label: 合格, min: 60, bonus: 0.8}
          - {grade: D, label: 不合格, min: 0, bonus: 0.0}
        """)
        let variant = try cli.ok(["appraise", "--period", "2026-10", "--scheme", scheme])
        // init stored the shipped monthly v1: this file is another content under the same id and version
        XCTAssertTrue(variant.contains("differs from the monthly v1 already stored: it was kept as another variant"), variant)
        XCTAssertFalse(try cli.ok(["appraise", "--period", "2026-10", "--scheme", scheme]).contains("note:"), "stored now")
        func a01() throws -> [String: Any] {
            try XCTUnwrap(try cli.json(["appraisals", "--period", "2026-10"]).first { $0["employee_id"] as? String == "A01" })
        }
        // (50·70 + 50·87.5)/100 = 78.75 → C
        XCTAssertEqual(try a01()["final_score"] as? Double, 78.75)
        XCTAssertEqual(try a01()["grade"] as? String, "C")
        try cli.ok(["export", "--period", "2026-10", "--out", "two.xlsx", "--draft"])
        let header = try XLSXReader(path: cli.path("two-DRAFT.xlsx")).rows(sheet: "HR Import").first?.cells.map { $0.string ?? "" }
        XCTAssertEqual(header?.contains("supervisor"), true)
        XCTAssertEqual(header?.contains("customer"), false, "\(header ?? [])")

        // a plain run of the month computes it again with the scheme of its stored results, and says so (it
        // moved the month back to the shipped scheme without a word: a re-appraisal after a late rating changed
        // 25 B grades to 12)
        let plain = try cli.ok(["appraise", "--period", "2026-10"])
        XCTAssertTrue(plain.contains("note: 2026-10 is computed again with monthly v1, the scheme of its stored results (--scheme to use another)"), plain)
        XCTAssertEqual(try a01()["final_score"] as? Double, 78.75)
        // the shipped Reports/monthly.yaml, chosen as a file: 80.54 → B (see the test above)
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Reports/monthly.yaml").path
        try cli.ok(["appraise", "--period", "2026-10", "--scheme", shipped])
        XCTAssertEqual(try a01()["final_score"] as? Double, 80.54)
        XCTAssertEqual(try a01()["grade"] as? String, "B")
        // both workbooks say "monthly v1"; About's scheme_digest tells the two contents apart
        try cli.ok(["export", "--period", "2026-10", "--out", "plain.xlsx", "--draft"])
        func digest(_ file: String) throws -> String? {
            try XLSXReader(path: cli.path(file)).rows(sheet: "About").first { $0[0].string == "scheme_digest" }?[1].string
        }
        let variantDigest = try XCTUnwrap(try digest("two-DRAFT.xlsx")), plainDigest = try XCTUnwrap(try digest("plain-DRAFT.xlsx"))
        XCTAssertFalse(variantDigest.isEmpty)
        XCTAssertNotEqual(variantDigest, plainDigest)
        // `scheme add` (the registry) still refuses a changed content under a stored version
        let three = try cli.write("three.yaml", try String(contentsOfFile: scheme, encoding: .utf8)
            .replacingOccurrences(of: "weight: 50, scale", with: "weight: 40, scale"))
        let refused = try cli.run(["scheme", "add", three])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("already stored with different content"), refused.stderr)
        let audit = try cli.ok(["audit", "--entity", "scheme"])
        XCTAssertTrue(audit.contains("add-variant"), audit)
    }

    /// Tables round half-up like the workbook: a self rating of 1.005 on 1–5 is 0.125 exactly, shown 0.13
    /// (printf's %.2f shows 0.12).
    func testTablesRoundHalfUpAsTheWorkbook() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["import", "ratings", cli.write("self.csv", "period,employee_id,source,rater_id,criterion,score\n2026-10,A01,self,A01,服务态度,1.005\n")])
        let scheme = try cli.write("self.yaml", """
        id: self-only
        version: 1
        components:
          self: {weight: 1, scale: [1, 5]}
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: D, label: 不合格, min: 0, bonus: 0.0}
        """)
        try cli.ok(["appraise", "--period", "2026-10", "--scheme", scheme])
        let a01 = try XCTUnwrap(try cli.json(["appraisals", "--period", "2026-10"]).first { $0["employee_id"] as? String == "A01" })
        XCTAssertEqual((a01["components"] as? [String: Any])?["self"] as? Double, 0.125)
        let table = try cli.ok(["appraisals", "--period", "2026-10"])
        let row = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("A01") })
        XCTAssertEqual(row.components(separatedBy: "0.13").count - 1, 2, "self and final score: \(row)")
        // the unrounded final shows what the rounding hides, to 6 places as in the workbook
        XCTAssertTrue(row.split(separator: " ").contains("0.125000"), String(row))
        XCTAssertFalse(row.split(separator: " ").contains("0.12"), String(row))
    }

    /// An agent who worked the month and left since keeps the month's appraisal when it is computed again
    /// (it used to vanish — a finalized result included, after a reopen); one who has neither sessions nor
    /// ratings in the month goes, and the removal is audited with the result it had.
    func testAnAgentWhoLeftKeepsTheMonthTheyWorkedAndAResultNoLongerComputedIsAudited() throws {
        let cli = try prepared()
        let roster = CLIHarness.roster + "\nA03,周敏,视频客服一组,agent,S01,1"
        try cli.ok(["import", "roster", cli.write("roster2.csv", roster)])
        try cli.ok(["appraise", "--period", "2026-10"])
        let first = try cli.json(["appraisals", "--period", "2026-10"])
        XCTAssertEqual(first.map { $0["employee_id"] as? String }, ["A01", "A02", "A03"])
        XCTAssertEqual(first.last?["status"] as? String, "no_data", "A03 has no sessions or ratings in October")
        // A02 (sessions in October) and A03 (none) leave; the month is appraised again.
        let left = roster.replacingOccurrences(of: "A02,刘洋,视频客服一组,agent,S01,1", with: "A02,刘洋,视频客服一组,agent,S01,0")
            .replacingOccurrences(of: "A03,周敏,视频客服一组,agent,S01,1", with: "A03,周敏,视频客服一组,agent,S01,0")
        try cli.ok(["import", "roster", cli.write("roster3.csv", left)])
        try cli.ok(["appraise", "--period", "2026-10"])
        let again = try cli.json(["appraisals", "--period", "2026-10"])
        XCTAssertEqual(again.map { $0["employee_id"] as? String }, ["A01", "A02"])
        XCTAssertEqual(again[1]["final_score"] as? Double, first[1]["final_score"] as? Double, "A02's October is unchanged")
        let removed = try cli.json(["audit", "--entity", "appraisal"]).filter { $0["action"] as? String == "remove" }
        XCTAssertEqual(removed.map { $0["entity_id"] as? String }, ["2026-10/A03"])
        XCTAssertNotNil(removed.first?["before"] as? String, "the removed result is kept in the audit log")

        // An agent who had left before the month was first appraised and worked it (sessions in it) is
        // appraised too: whether a leaver is paid for their last month no longer depends on whether a draft
        // appraisal ran before the roster import.
        try cli.ok(["import", "roster", cli.write("roster4.csv", left + "\nA04,吴昊,视频客服一组,agent,S01,0")])
        try cli.ok(["import", "sessions", cli.write("a04.csv", "session_id,agent_id,channel,started_at,ended_at,wait_seconds,first_response_seconds,handle_seconds,resolved,transferred,csat\nX4,A04,phone,2026-10-08T09:00:00+08:00,2026-10-08T09:05:00+08:00,5,2,300,1,0,4\n")])
        try cli.ok(["appraise", "--period", "2026-10"])
        XCTAssertEqual(try cli.json(["appraisals", "--period", "2026-10"]).map { $0["employee_id"] as? String }, ["A01", "A02", "A04"])

        // Finalized, reopened for someone else's correction, appraised again: A02's finalized result stays.
        try cli.ok(["finalize", "--period", "2026-10"])
        try cli.ok(["reopen", "--period", "2026-10", "--reason", "A01 自评漏录"])
        try cli.ok(["import", "ratings", cli.write("late.csv", "period,employee_id,source,rater_id,criterion,score\n2026-10,A01,self,A01,沟通表达,5\n")])
        try cli.ok(["appraise", "--period", "2026-10"])
        XCTAssertEqual(try cli.json(["appraisals", "--period", "2026-10"]).map { $0["employee_id"] as? String }, ["A01", "A02", "A04"])
        try cli.ok(["finalize", "--period", "2026-10"])
    }

    /// An agent moved off the agent role (promoted to inspector) after working a month: re-appraising the
    /// month (as finalize asks after a reopen) deleted their result — HR Import lost a paid row. They keep
    /// the month they worked; a month that starts after the roster change does not appraise them.
    func testAPromotedAgentKeepsTheMonthTheyWorked() throws {
        let cli = try prepared()
        let promoted = CLIHarness.roster.replacingOccurrences(of: "A02,刘洋,视频客服一组,agent,S01,1", with: "A02,刘洋,质检组,inspector,S01,1")
        try cli.ok(["import", "roster", cli.write("promoted.csv", promoted)])
        try cli.ok(["appraise", "--period", "2026-10"])  // the first appraisal comes after the promotion
        let october = try cli.json(["appraisals", "--period", "2026-10"])
        XCTAssertEqual(october.map { $0["employee_id"] as? String }, ["A01", "A02"], "A02 handled C2 and V2 in October as an agent")
        XCTAssertEqual(october[1]["status"] as? String, "graded")
        try cli.ok(["finalize", "--period", "2026-10"])
        // a session of the inspector in a month that starts after the promotion was imported: not appraised
        try cli.ok(["import", "sessions", cli.write("later.csv", "session_id,agent_id,channel,started_at,ended_at,wait_seconds,first_response_seconds,handle_seconds,resolved,transferred,csat\nL1,A02,phone,2099-01-08T09:00:00+08:00,2099-01-08T09:05:00+08:00,5,2,300,1,0,4\nL2,A01,phone,2099-01-08T10:00:00+08:00,2099-01-08T10:05:00+08:00,5,2,300,1,0,4\n")])
        try cli.ok(["appraise", "--period", "2099-01"])
        XCTAssertEqual(try cli.json(["appraisals", "--period", "2099-01"]).map { $0["employee_id"] as? String }, ["A01"])
    }

    /// The year averages its months as they were computed; `appraise --year` says when a month was not
    /// computed with the monthly scheme the annual scheme names, or when the months mix schemes.
    func testTheAnnualAppraisalNamesMonthsComputedWithAnotherScheme() throws {
        let cli = try prepared()
        let trial = try cli.write("trial.yaml", """
        id: trial
        version: 1
        components:
          qa: {weight: 1, modes: {manual: 1}}
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: D, label: 不合格, min: 0, bonus: 0.0}
        """)
        try cli.ok(["appraise", "--period", "2026-10", "--scheme", trial])
        let out = try cli.ok(["appraise", "--year", "2026"])
        XCTAssertTrue(out.contains("note: 2026-10 was appraised with scheme trial v1, not monthly (the monthly scheme of annual v1)"), out)
        try cli.ok(["appraise", "--period", "2026-10", "--scheme", "monthly"])
        let again = try cli.ok(["appraise", "--year", "2026"])
        XCTAssertFalse(again.contains("was appraised with scheme"), again)
        XCTAssertTrue(again.contains("note: 2026 is computed again with annual v1, the scheme of its stored results"), again)
        // a misspelled monthly_scheme is named as such (every month would otherwise read "another scheme")
        let typo = try cli.write("annual2.yaml", """
        id: annual2
        kind: annual
        version: 1
        min_months: 1
        monthly_scheme: montly
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: D, label: 不合格, min: 0, bonus: 0.0}
        """)
        let misspelled = try cli.ok(["appraise", "--year", "2026", "--scheme", typo])
        XCTAssertTrue(misspelled.contains("note: annual2 v1 names monthly_scheme 'montly', which is not a stored monthly scheme (stored: monthly, trial) — is it misspelled?"), misspelled)
    }

    /// A year is finalized only on finalized months (one whose data changed after it was appraised cannot
    /// be); a month of a finalized year is not reopened alone (the year would still lock it).
    func testAYearIsFinalizedOnlyOnFinalizedMonthsAndItsMonthsReopenThroughIt() throws {
        let cli = try prepared()
        try cli.ok(["appraise", "--period", "2026-10"])
        try cli.ok(["appraise", "--year", "2026"])   // one month of six: every agent incomplete, still a result to lock
        let early = try cli.run(["finalize", "--period", "2026"])
        XCTAssertNotEqual(early.status, 0)
        XCTAssertTrue(early.stderr.contains("year 2026 averages months that are not finalized (2026-10)"), early.stderr)
        XCTAssertFalse(try cli.ok(["audit", "--entity", "period"]).contains("finalize"))

        try cli.ok(["finalize", "--period", "2026-10"])
        try cli.ok(["finalize", "--period", "2026"])
        let month = try cli.run(["reopen", "--period", "2026-10", "--reason", "更正"])
        XCTAssertNotEqual(month.status, 0)
        XCTAssertTrue(month.stderr.contains("year 2026 is finalized and its annual appraisal is built from 2026-10: reopen the year first"), month.stderr)
        try cli.ok(["reopen", "--period", "2026", "--reason", "更正十月"])
        try cli.ok(["reopen", "--period", "2026-10", "--reason", "更正"])
        let audit = try cli.json(["audit", "--entity", "period"]).map { "\($0["action"] as? String ?? "") \($0["entity_id"] as? String ?? "")" }
        XCTAssertEqual(audit, ["finalize 2026-10", "finalize 2026", "reopen 2026", "reopen 2026-10"])
    }

    func testRatingsBadInputIsRefusedWithLine() throws {
        let cli = try CLIHarness().seeded()
        let header = "period,employee_id,source,rater_id,criterion,score\n"
        let cases: [(String, String)] = [
            ("2026-10,A01,supervisor,S01,服务态度,6\n", "bad.csv:2: score: 6 is outside the supervisor scale 1–5"),
            ("2026-10,A01,self,A02,服务态度,3\n", "bad.csv:2: rater_id: a self rating's rater must be the ratee 'A01', found 'A02'"),
            ("2026-10,A01,peer,A01,团队协作,3\n", "bad.csv:2: rater_id: a peer rating of oneself ('A01') is not allowed"),
            ("2026-10,A01,peer,Z99,团队协作,3\n", "bad.csv:2: rater_id: unknown rater 'Z99' (not on the roster)"),
            // Swift's Double("0x2") is 2: a score must be a plain decimal
            ("2026-10,A01,supervisor,S01,服务态度,0x2\n", "bad.csv:2: score: '0x2' is not a number"),
            // peer ratings come from fellow agents; only agents are rated (a rating of anyone else is never used)
            ("2026-10,A01,peer,Q01,团队协作,1\n", "bad.csv:2: rater_id: 'Q01' is an inspector on the roster, not an agent: peer ratings are given by fellow agents"),
            ("2026-10,A01,peer,S01,团队协作,1\n", "bad.csv:2: rater_id: 'S01' is a supervisor on the roster, not an agent: peer ratings are given by fellow agents"),
            ("2026-10,Q01,self,Q01,服务态度,5\n", "bad.csv:2: employee_id: 'Q01' is an inspector on the roster, not an agent: only agents are appraised and rated"),
            ("2026-10,A01,supervisor,S01,服务态度,4\n2026-10,A01,supervisor,S01,服务态度,5\n", "bad.csv:3: rater_id: duplicate rating"),
            ("2026-13,A01,supervisor,S01,服务态度,4\n", "bad.csv:2: period: '2026-13' is not a period YYYY-MM"),
            ("2026-10,A01,boss,S01,服务态度,4\n", "bad.csv:2: source: 'boss' is not self, peer, supervisor or customer"),
        ]
        for (body, message) in cases {
            let result = try cli.run(["import", "ratings", cli.write("bad.csv", header + body)])
            XCTAssertNotEqual(result.status, 0, body)
            XCTAssertTrue(result.stderr.contains(message), "expected \(message) in: \(result.stderr)")
        }
        XCTAssertEqual(try cli.count("ratings"), 0)
        // a customer row's rater is a survey response id, not an employee
        try cli.ok(["import", "ratings", cli.write("ok.csv", header + "2026-10,A01,customer,S-0001,服务满意度,5\n")])
        XCTAssertEqual(try cli.count("ratings"), 1)
    }

    /// What is finalized is what HR pays on: appraisals computed before a re-score (or a rating, a roster
    /// change) are refused until appraised again; after finalizing, a roster change does not reach the workbook.
    func testFinalizeRefusesOutOfDateAppraisalsAndTheFinalizedWorkbookKeepsItsNames() throws {
        let cli = try prepared()
        try cli.ok(["appraise", "--period", "2026-10"])
        let before = try cli.json(["appraisals", "--period", "2026-10"]).first { $0["employee_id"] as? String == "A01" }!
        // V1 re-scored 70 → 75 (answer_correct 15 → 20 of 20): A01's qa and final change
        try cli.ok(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01", "--answer", "answer_correct=20"])
        let stale = try cli.run(["finalize", "--period", "2026-10"])
        XCTAssertNotEqual(stale.status, 0)
        XCTAssertTrue(stale.stderr.contains("the appraisals of 2026-10 are out of date"), stale.stderr)
        XCTAssertTrue(stale.stderr.contains("A01: \(before["final_score"]!) \(before["grade"]!) → "), stale.stderr)
        XCTAssertTrue(stale.stderr.contains("run `scorebook appraise --period 2026-10` again"), stale.stderr)
        XCTAssertFalse(stale.stderr.contains("A02:"), "A02's result is unchanged")
        XCTAssertEqual(try cli.json(["audit", "--entity", "period"]).count, 0, "nothing finalized")

        // a rename on the roster alone also makes the results out of date (the workbook shows the name)
        try cli.ok(["appraise", "--period", "2026-10"])
        let renamed = CLIHarness.roster.replacingOccurrences(of: "A02,刘洋", with: "A02,刘洋洋")
        try cli.ok(["import", "roster", cli.write("renamed.csv", renamed)])
        let rename = try cli.run(["finalize", "--period", "2026-10"])
        XCTAssertTrue(rename.stderr.contains("A02: renamed 刘洋 → 刘洋洋 on the roster"), rename.stderr)
        try cli.ok(["appraise", "--period", "2026-10"])
        try cli.ok(["finalize", "--period", "2026-10"])

        // finalized: the roster changes again, the workbook keeps the names and teams it was finalized with
        try cli.ok(["export", "--period", "2026-10", "--out", "first.xlsx"])
        let moved = renamed.replacingOccurrences(of: "A01,张伟,视频客服一组", with: "A01,张伟伟,视频客服二组")
        try cli.ok(["import", "roster", cli.write("moved.csv", moved)])
        try cli.ok(["export", "--period", "2026-10", "--out", "second.xlsx"])
        // the listing shows the finalized names too, as the workbook does
        let listed = try cli.ok(["appraisals", "--period", "2026-10", "--format", "csv"])
        XCTAssertTrue(listed.contains("A01,张伟,视频客服一组,"), listed)
        XCTAssertFalse(listed.contains("张伟伟"), listed)
        for name in ["first.xlsx", "second.xlsx"] {
            let book = try XLSXReader(path: cli.path(name))
            let hr = try book.rows(sheet: "HR Import").dropFirst().map { $0.cells.prefix(3).map { $0.string ?? "" } }
            XCTAssertEqual(hr, [["A01", "张伟", "视频客服一组"], ["A02", "刘洋洋", "视频客服一组"]], name)
            let ratings = try book.rows(sheet: "Ratings").dropFirst().filter { $0.cells[1].string == "A01" }
            XCTAssertFalse(ratings.isEmpty)
            XCTAssertTrue(ratings.allSatisfy { $0.cells[2].string == "张伟" && $0.cells[3].string == "视频客服一组" }, name)
        }
        let hashes = try ["first.xlsx", "second.xlsx"].map { name in
            try XLSXReader(path: cli.path(name)).rows(sheet: "About").first { $0.cells.first?.string == "hr_import_sha256" }?
                .cells[1].string
        }
        XCTAssertNotNil(hashes[0] ?? nil)
        XCTAssertEqual(hashes[0], hashes[1], "a finalized period's HR Import does not change")
    }

    /// Ratings imported with another scheme's scale are refused by the appraisal (a 10 on a 1–5 scale would
    /// normalize to 225); supervisor ratings come from supervisors, never from the ratee.
    func testRatingsOutsideTheAppraisalScaleAndSupervisorRatersAreRefused() throws {
        let cli = try prepared()
        let ten = try cli.write("ten.yaml", """
        id: tenpoint
        version: 1
        components:
          qa:         {weight: 50, modes: {manual: 1}}
          supervisor: {weight: 50, scale: [1, 10]}
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: D, label: 不合格, min: 0, bonus: 0.0}
        """)
        let header = "period,employee_id,source,rater_id,criterion,score\n"
        try cli.ok(["import", "ratings", cli.write("ten.csv", header + "2026-10,A02,supervisor,S01,服务态度,10\n"), "--scheme", ten])
        let refused = try cli.run(["appraise", "--period", "2026-10"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("A02's supervisor rating by S01 (服务态度) is 10, outside the supervisor scale 1–5 of scheme 'monthly'"),
                      refused.stderr)
        XCTAssertEqual(try cli.count("appraisals"), 0)
        XCTAssertEqual(try cli.count("schemes"), 2, "the bundled monthly and annual (stored by init); nothing more")
        try cli.ok(["appraise", "--period", "2026-10", "--scheme", ten]) // its own scale: fine

        for (row, reason) in [("2026-10,A01,supervisor,A01,服务态度,4", "a supervisor rating of oneself ('A01') is not allowed"),
                              ("2026-10,A01,supervisor,A02,服务态度,4", "'A02' is an agent on the roster, not a supervisor"),
                              ("2026-10,A01,supervisor,Q01,服务态度,4", "'Q01' is an inspector on the roster, not a supervisor")] {
            let bad = try cli.run(["import", "ratings", cli.write("bad.csv", header + "2026-10,A02,self,A02,服务态度,4\n" + row + "\n")])
            XCTAssertNotEqual(bad.status, 0)
            XCTAssertTrue(bad.stderr.contains("bad.csv:3: rater_id: \(reason)"), bad.stderr)
        }
        XCTAssertEqual(try cli.count("ratings"), 5, "the four of prepared() and the ten-point one")
    }

    /// A refused `appraise --scheme FILE` (the month is finalized) stores nothing, not even the scheme; numbers
    /// a scheme cannot carry (1e-300, 1e308, hexadecimal, quoted) are refused with the file and line, not a crash.
    func testARefusedAppraisalStoresNoSchemeAndOutOfRangeSchemeNumbersAreRefused() throws {
        let cli = try prepared()
        try cli.ok(["appraise", "--period", "2026-10"])
        try cli.ok(["finalize", "--period", "2026-10"])
        let schemes = try cli.count("schemes"), audit = try cli.count("audit_log")
        let other = try cli.write("other.yaml", """
        id: other
        version: 1
        components:
          qa: {weight: 1, modes: {manual: 1}}
        bands:
          - {grade: A, label: 优秀, min: 0, bonus: 1.0}
        """)
        let locked = try cli.run(["appraise", "--period", "2026-10", "--scheme", other])
        XCTAssertTrue(locked.stderr.contains("period 2026-10 is finalized"), locked.stderr)
        XCTAssertEqual(try cli.count("schemes"), schemes)
        XCTAssertEqual(try cli.count("audit_log"), audit)

        for (value, reason) in [("1e-300", "1e-300 is out of range"), ("1e308", "1e308 is out of range"),
                                ("0x10", "expected a number, found '0x10'"),
                                ("\"30\"", "expected a number, found the quoted text '30' (write the number without quotes)")] {
            let file = try cli.write("bad.yaml", """
            id: bad
            version: 1
            components:
              qa: {weight: \(value), modes: {manual: 1}}
            bands:
              - {grade: A, label: 优秀, min: 0, bonus: 1.0}
            """)
            let check = try cli.run(["scheme", "check", file])
            XCTAssertEqual(check.status, 1, value)
            XCTAssertTrue(check.stderr.contains("bad.yaml:4:") && check.stderr.contains(reason), check.stderr)
        }
        let bonus = try cli.write("bonus.yaml", """
        id: bonus
        version: 1
        components:
          qa: {weight: 1, modes: {manual: 1}}
        bands:
          - {grade: A, label: 优秀, min: 0, bonus: 1e300}
        """)
        let check = try cli.run(["scheme", "check", bonus])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stderr.contains("bonus.yaml:6:") && check.stderr.contains("1e300 is out of range"), check.stderr)
    }

    /// Imported ratings are logged one by one; the log is filtered by who, what and when; the actor is never blank.
    func testAuditFiltersAndImportedRatingsByValue() throws {
        let cli = try prepared()
        let imported = try cli.json(["audit", "--entity", "rating", "--action", "import"])
        XCTAssertEqual(imported.map { $0["entity_id"] as? String ?? "" },
                       ["2026-10/A01/supervisor/S01/服务态度", "2026-10/A01/supervisor/S01/业务能力", "2026-10/A01/self/A01/服务态度",
                        "2026-10/A01/peer/A02/团队协作"])
        XCTAssertEqual(imported.first?["after"] as? String, #"{"score":4}"#)
        XCTAssertEqual(imported.first?["reason"] as? String, "ratings.csv line 2")

        try cli.ok(["appraise", "--period", "2026-10", "--actor", "S01"])
        let bySupervisor = try cli.json(["audit", "--by", "S01"])
        XCTAssertEqual(Set(bySupervisor.map { $0["actor"] as? String ?? "" }), ["S01"])
        XCTAssertEqual(bySupervisor.count, 2, "one create per appraised agent")
        XCTAssertEqual(try cli.json(["audit", "--since", "2999-01-01"]).count, 0)
        XCTAssertEqual(try cli.json(["audit", "--until", "2000-12-31"]).count, 0)
        let all = try cli.json(["audit"]).count
        XCTAssertEqual(try cli.json(["audit", "--since", "2000-01-01", "--until", "2999-12-31"]).count, all)

        let bogus = try cli.run(["audit", "--entity", "ratting"])
        XCTAssertNotEqual(bogus.status, 0)
        XCTAssertTrue(bogus.stderr.contains("--entity must be one of appraisal, employee, finding, inspection, period, rating, ratings, scheme"),
                      bogus.stderr)
        let badDate = try cli.run(["audit", "--since", "yesterday"])
        XCTAssertNotEqual(badDate.status, 0)
        let blank = try cli.run(["appraise", "--period", "2026-10", "--actor", "  "])
        XCTAssertNotEqual(blank.status, 0)
        XCTAssertTrue(blank.stderr.contains("--actor must name who is acting"), blank.stderr)
        // a blank SCOREBOOK_USER is passed over for USER
        let file = try cli.write("one.csv", "period,employee_id,source,rater_id,criterion,score\n2026-10,A02,self,A02,服务态度,4\n")
        let asOps = try cli.run(["import", "ratings", file], env: ["SCOREBOOK_USER": "  ", "USER": "ops"])
        XCTAssertEqual(asOps.status, 0, asOps.stderr)
        let last = try cli.json(["audit", "--entity", "rating", "--id", "2026-10/A02/self/A02/服务态度"])
        XCTAssertEqual(last.map { $0["actor"] as? String }, ["ops"])
    }

    func testFinalizeLocksAndReopenIsAudited() throws {
        let cli = try prepared()
        let early = try cli.run(["finalize", "--period", "2026-10"])
        XCTAssertNotEqual(early.status, 0, "nothing to finalize before appraising")
        try cli.ok(["inspect", "--session", "C1", "--rubric", "video-service", "--inspector", "Q01", "--answer", "verify_identity=yes"])
        try cli.ok(["appraise", "--period", "2026-10"])
        let finalized = try cli.ok(["finalize", "--period", "2026-10"])
        XCTAssertTrue(finalized.contains("note: 1 draft inspection of 2026-10 did not count and stay drafts"), finalized)
        let before = try cli.json(["appraisals", "--period", "2026-10"])

        let ratings = try cli.run(["import", "ratings", cli.write("more.csv", "period,employee_id,source,rater_id,criterion,score\n2026-10,A02,self,A02,服务态度,5\n")])
        XCTAssertNotEqual(ratings.status, 0)
        XCTAssertTrue(ratings.stderr.contains("period 2026-10 is finalized"), ratings.stderr)
        let rescore = try cli.run(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01", "--answer", "answer_correct=20"])
        XCTAssertTrue(rescore.stderr.contains("period 2026-10 is finalized"), rescore.stderr)
        let again = try cli.run(["appraise", "--period", "2026-10"])
        XCTAssertTrue(again.stderr.contains("period 2026-10 is finalized"), again.stderr)
        XCTAssertEqual(try cli.json(["appraisals", "--period", "2026-10"]).count, before.count)

        let noReason = try cli.run(["reopen", "--period", "2026-10", "--reason", " "])
        XCTAssertNotEqual(noReason.status, 0)
        try cli.ok(["reopen", "--period", "2026-10", "--reason", "主管复核后更正评分"])
        try cli.ok(["inspect", "--session", "V1", "--rubric", "video-service", "--inspector", "Q01", "--answer", "answer_correct=20"])
        let audit = try cli.json(["audit", "--entity", "period"])
        XCTAssertEqual(audit.map { $0["action"] as? String }, ["finalize", "reopen"])
        XCTAssertEqual(audit[1]["reason"] as? String, "主管复核后更正评分")
    }

    func testSchemeCheck() throws {
        let cli = try CLIHarness()
        let bad = try cli.write("bad.yaml", "id: m\nversion: 1\ncomponents:\n  qa: {weight: -1, modes: {manual: 1}}\nbands:\n  - {grade: A, label: 优秀, min: 0, bonus: 1}\n")
        let result = try cli.run(["scheme", "check", bad])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("bad.yaml:4"), result.stderr)
    }
}
