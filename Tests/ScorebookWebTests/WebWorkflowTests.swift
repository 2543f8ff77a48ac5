import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
import ScorebookCore
import ScorebookStore
import ScorebookWorkbook
@testable import ScorebookWeb

/// The inspector's and the center lead's work in the browser, on `WebAppTests`' database: scoring a drawn
/// session by hand, and running, finalizing and downloading the month's appraisal.
extension WebAppTests {
    static let schemeYAML = """
    id: web-monthly
    version: 1
    components:
      self: {weight: 1, scale: [1, 5]}
      qa: {weight: 1, modes: {manual: 1}}
    bands:
      - {grade: A, label: 优秀, min: 90, bonus: 1.2}
      - {grade: B, label: 良好, min: 80, bonus: 1.0}
      - {grade: C, label: 合格, min: 60, bonus: 0.8}
      - {grade: D, label: 不合格, min: 0, bonus: 0.0}
    """

    static let annualSchemeYAML = """
    id: web-annual
    version: 1
    kind: annual
    monthly_scheme: web-monthly
    min_months: 1
    bands:
      - {grade: A, label: 优秀, min: 90, bonus: 1.5}
      - {grade: D, label: 不合格, min: 0, bonus: 0.0}
    """

    /// A session of A2 with a transcript, drawn for inspector Q1.
    func addAssignedSession() throws {
        try store.write { db in
            try SessionWriter(db).insert(Session(sessionID: "V4", agentID: "A2", channel: .video,
                                                 startedAt: "2026-10-05T10:00:00+08:00", endedAt: "2026-10-05T10:04:00+08:00",
                                                 handleSeconds: 240, csat: 4), turns: [
                Turn(at: 1.5, speaker: .agent, text: "您好，视频客服为您服务"),
                Turn(at: 6, speaker: .customer, text: "我想挂失<b>银行卡</b>"),
            ])
            try Assignments.save(db, period: "2026-10", rubricID: "mini", [
                SampleAssignment(sessionID: "V4", agentID: "A2", channel: .video, inspectorID: "Q1", targeted: false),
            ])
        }
    }

    func inspectionsOfV4() throws -> [InspectionRecord] {
        var filter = InspectionFilter(mode: .manual)
        filter.sessionID = "V4"
        return try store.read { db in try Inspections.list(db, filter) }
    }

    func testAnInspectorScoresADrawnSessionDraftThenSubmit() async throws {
        try addAssignedSession()
        try await withApp { client in
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let list = Self.text(try await inspector.get("/assignments?period=2026-10"))
            XCTAssertTrue(list.contains("href=\"/sessions/V4/score?rubric=mini\""), list)
            XCTAssertTrue(list.contains("to do"))
            XCTAssertTrue(list.contains("0 of 1 submitted"))
            let home = Self.text(try await inspector.get("/"))
            XCTAssertTrue(home.contains("1 drawn session(s) not yet submitted"), home)

            let form = try await inspector.get("/sessions/V4/score?rubric=mini")
            XCTAssertEqual(form.status, .ok)
            let html = Self.text(form)
            XCTAssertTrue(html.contains("您好，视频客服为您服务"), "the transcript is shown")
            XCTAssertTrue(html.contains("我想挂失&lt;b&gt;银行卡&lt;/b&gt;"), "escaped")
            XCTAssertTrue(html.contains(#"name="item.greet" value="yes""#))
            XCTAssertFalse(html.contains(#"name="item.greet" value="na""#), "greet does not allow N/A")
        }
        // Each refusal names the field and writes nothing.
        try await withApp { client in
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            _ = try await inspector.get("/sessions/V4/score?rubric=mini")
            let incomplete = try await inspector.post("/sessions/V4/score", [("rubric", "mini"), ("item.greet", "yes"), ("action", "submit")])
            XCTAssertEqual(incomplete.status, .badRequest)
            XCTAssertTrue(Self.text(incomplete).contains("item.polite: answer every item before submitting"), Self.text(incomplete))
            let word = try await inspector.post("/sessions/V4/score", [("rubric", "mini"), ("item.greet", "maybe")])
            XCTAssertEqual(word.status, .badRequest)
            XCTAssertTrue(Self.text(word).contains("item.greet: &#39;maybe&#39; is not yes, no, na or a number")
                          || Self.text(word).contains("item.greet: 'maybe' is not yes, no, na or a number"), Self.text(word))
            let na = try await inspector.post("/sessions/V4/score", [("rubric", "mini"), ("item.greet", "na")])
            XCTAssertEqual(na.status, .badRequest)
            XCTAssertTrue(Self.text(na).contains("item.greet: N/A is not allowed for this item"), Self.text(na))
            let nothing = try await inspector.post("/sessions/V4/score", [("rubric", "mini")])
            XCTAssertEqual(nothing.status, .badRequest)
            let forged = try await inspector.post("/sessions/V4/score", [("rubric", "mini"), ("item.greet", "yes")], csrf: false)
            XCTAssertEqual(forged.status, .forbidden)
            let unknownRubric = try await inspector.post("/sessions/V4/score", [("rubric", "nope"), ("item.greet", "yes")])
            XCTAssertEqual(unknownRubric.status, .badRequest)
            XCTAssertTrue(Self.text(unknownRubric).contains("rubric: no rubric"))
        }
        XCTAssertEqual(try inspectionsOfV4().count, 0, "no refused form wrote anything")

        let store = self.store!
        try await withApp { client in
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            _ = try await inspector.get("/sessions/V4/score?rubric=mini")
            let draft = try await inspector.post("/sessions/V4/score", [("rubric", "mini"), ("item.greet", "yes"), ("action", "save")])
            XCTAssertEqual(draft.status, .seeOther)
            let saved = try XCTUnwrap(try self.inspectionsOfV4().first)
            XCTAssertEqual(draft.headers[.location], "/inspections/\(saved.id)")
            XCTAssertEqual(saved.status, .draft)
            XCTAssertEqual(saved.answers, ["greet": "yes"])
            let drafted = Self.text(try await inspector.get("/assignments?period=2026-10"))
            XCTAssertTrue(drafted.contains("<td>draft</td>"))
            let again = Self.text(try await inspector.get("/sessions/V4/score?rubric=mini"))
            XCTAssertTrue(again.contains(#"name="item.greet" value="yes" checked"#), "the draft's answers fill the form")

            // The draft's answer carries over; submitting with the other item completes it.
            let submitted = try await inspector.post("/sessions/V4/score", [("rubric", "mini"), ("item.polite", "no"),
                                                                           ("comment", "未使用礼貌用语"), ("action", "submit")])
            XCTAssertEqual(submitted.status, .seeOther)
            let done = Self.text(try await inspector.get("/assignments?period=2026-10"))
            XCTAssertTrue(done.contains("1 of 1 submitted"))
        }
        let record = try XCTUnwrap(try inspectionsOfV4().first)
        XCTAssertEqual(record.status, .submitted)
        XCTAssertEqual(record.inspectorID, "Q1")
        XCTAssertEqual(record.answers, ["greet": "yes", "polite": "no"])
        // One section; earned 5 of 10 points → 5/10 × 100 = 50.
        XCTAssertEqual(record.score, 50)
        XCTAssertEqual(record.comment, "未使用礼貌用语")
        let audit = try store.read { db in try AuditLog.entries(db, entity: "inspection", entityID: String(record.id)) }
        XCTAssertEqual(audit.map(\.action), ["create", "rescore"])
        XCTAssertEqual(audit.map(\.actor), ["Q1", "Q1"])
    }

    func testOnlyThoseWhoMayScoreASessionGetItsForm() async throws {
        try addAssignedSession()
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A2")
            let own = try await agent.get("/sessions/V4/score?rubric=mini")
            XCTAssertEqual(own.status, .notFound, "an agent scores nothing, not even to see the form")
            let r1 = try await agent.get("/assignments")
            XCTAssertEqual(r1.status, .forbidden)
            let r2 = try await agent.post("/sessions/V4/score", [("rubric", "mini"), ("item.greet", "yes")])
            XCTAssertEqual(r2.status, .notFound)

            var lead = Browser(client: client)
            _ = try await lead.signIn("S1")
            let r3 = try await lead.get("/sessions/V4/score?rubric=mini")
            XCTAssertEqual(r3.status, .ok, "A2's team lead may score A2's session")
            var otherLead = Browser(client: client)
            _ = try await otherLead.signIn("S2")
            let r4 = try await otherLead.get("/sessions/V4/score?rubric=mini")
            XCTAssertEqual(r4.status, .notFound, "another team's lead may not")
            var hr = Browser(client: client)
            _ = try await hr.signIn("H1")
            let r5 = try await hr.get("/sessions/V4/score")
            XCTAssertEqual(r5.status, .notFound)

            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let r6 = try await inspector.get("/sessions/NOPE/score?rubric=mini")
            XCTAssertEqual(r6.status, .notFound)
            let r7 = try await inspector.get("/sessions/V4/score")
            XCTAssertEqual(r7.status, .ok, "the only stored rubric is the default")
        }
        try store.write { db in try PeriodLocks.finalize(db, period: "2026-10", actor: "S0") }
        try await withApp { client in
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let form = Self.text(try await inspector.get("/sessions/V4/score?rubric=mini"))
            XCTAssertFalse(form.contains("action=\"/sessions/V4/score\""), "a finalized period shows no form")
            let refused = try await inspector.post("/sessions/V4/score", [("rubric", "mini"), ("item.greet", "yes")])
            XCTAssertEqual(refused.status, .conflict)
            XCTAssertTrue(Self.text(refused).contains("period 2026-10 is finalized"))
        }
        XCTAssertEqual(try inspectionsOfV4().count, 0)
    }

    func testTheCenterLeadRunsFinalizesAndDownloadsAndHRDownloadsTheFinalWorkbook() async throws {
        let scheme = try SchemeParser.parse(Self.schemeYAML, file: "web-monthly.yaml")
        try store.write { db in
            _ = try Schemes.add(db, scheme, source: Self.schemeYAML, file: "web-monthly.yaml")
            // A2's inspection re-scored to full marks: A2 100 (A), A1 and A3 50 (D).
            try Inspections.saveManual(db, ManualInspection(sessionID: "V2", rubricID: "mini", inspectorID: "Q1",
                                                            answers: ["polite": .yes], submit: true), actor: "Q1")
        }
        let store = self.store!
        let settings = WebSettings(scales: [.self: 1...5, .supervisor: 1...5], bcryptCost: 4, monthlyScheme: scheme)
        let (router, _) = try WebApp.build(store: store, settings: settings)
        let folder = dir!
        try await Application(router: router).test(.router) { client in
            var teamLead = Browser(client: client)
            _ = try await teamLead.signIn("S1")
            let teamPage = Self.text(try await teamLead.get("/appraisals?period=2026-10"))
            XCTAssertFalse(teamPage.contains("/appraisals/run"))
            let r1 = try await teamLead.post("/appraisals/run", [("period", "2026-10")])
            XCTAssertEqual(r1.status, .forbidden, "a team lead does not recompute the other teams")
            let r2 = try await teamLead.get("/appraisals/workbook?period=2026-10")
            XCTAssertEqual(r2.status, .forbidden)
            XCTAssertEqual(try store.read { db in try Appraisals.list(db, period: "2026-10") }.count, 0)

            var head = Browser(client: client)
            _ = try await head.signIn("S0")
            let page = Self.text(try await head.get("/appraisals?period=2026-10"))
            XCTAssertTrue(page.contains("action=\"/appraisals/run\""))
            XCTAssertFalse(page.contains("action=\"/appraisals/finalize\""), "nothing to finalize before a run")
            let r3 = try await head.post("/appraisals/finalize", [("period", "2026-10")])
            XCTAssertEqual(r3.status, .conflict)
            XCTAssertTrue(Self.text(r3).contains("has no appraisals"))
            let r4 = try await head.post("/appraisals/run", [("period", "2026-13")])
            XCTAssertEqual(r4.status, .badRequest)
            let ran = try await head.post("/appraisals/run", [("period", "2026-10")])
            XCTAssertEqual(ran.status, .seeOther)
            XCTAssertEqual(ran.headers[.location], "/appraisals?period=2026-10")

            let results = try store.read { db in try Appraisals.list(db, period: "2026-10") }
            XCTAssertEqual(results.map(\.employeeID), ["A1", "A2", "A3"], "every active agent, not A9")
            // nobody has a self-rating: `self` is missing and the final is qa alone
            XCTAssertEqual(results.map(\.missing), [["self"], ["self"], ["self"]])
            // the columns in the scheme's order (self before qa), not alphabetical
            let computed = Self.text(try await head.get("/appraisals?period=2026-10"))
            XCTAssertTrue(computed.contains("<th>Status</th><th>self</th><th>qa</th><th>Final</th>"), computed)
            XCTAssertEqual(results.map(\.finalScore), [50, 100, 50])
            XCTAssertEqual(results.map(\.grade), ["D", "A", "D"])
            let audit = try store.read { db in try AuditLog.entries(db, entity: "appraisal") }
            XCTAssertEqual(audit.map(\.actor), ["S0", "S0", "S0"])

            // The month recomputed from the CLI with another scheme (v2: D from 60) is recomputed on the web
            // with that scheme, as the page says — not moved back to the scheme the web app was started with.
            let v2YAML = Self.schemeYAML.replacingOccurrences(of: "version: 1", with: "version: 2")
                .replacingOccurrences(of: "min: 60, bonus: 0.8", with: "min: 40, bonus: 0.8")
            let v2 = try SchemeParser.parse(v2YAML, file: "web-monthly-2.yaml")
            try store.write { db in
                _ = try Schemes.add(db, v2, source: v2YAML, file: "web-monthly-2.yaml")
                _ = try Appraisals.run(db, key: "2026-10", kind: .monthly, scheme: v2, actor: "S0")
            }
            let v2Page = Self.text(try await head.get("/appraisals?period=2026-10"))
            XCTAssertTrue(v2Page.contains("with scheme web-monthly v2"))
            _ = try await head.post("/appraisals/run", [("period", "2026-10")])
            let keptScheme = try store.read { db in try Appraisals.list(db, period: "2026-10") }
            XCTAssertEqual(keptScheme.map(\.schemeVersion), [2, 2, 2])
            XCTAssertEqual(keptScheme.map(\.grade), ["C", "A", "C"], "50 is a C from 40 in v2")
            try store.write { db in _ = try Appraisals.run(db, key: "2026-10", kind: .monthly, scheme: scheme, actor: "S0") }

            var hr = Browser(client: client)
            _ = try await hr.signIn("H1")
            let hrPage = Self.text(try await hr.get("/appraisals?period=2026-10"))
            XCTAssertTrue(hrPage.contains("once the month is finalized"))
            let early = try await hr.get("/appraisals/workbook?period=2026-10")
            XCTAssertEqual(early.status, .forbidden, "HR takes only a finalized month's workbook")

            let draft = try await head.get("/appraisals/workbook?period=2026-10")
            XCTAssertEqual(draft.status, .ok)
            XCTAssertEqual(draft.headers[.contentDisposition], "attachment; filename=\"appraisal-2026-10-DRAFT.xlsx\"")
            XCTAssertEqual(draft.headers[.contentType], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

            let finalized = try await head.post("/appraisals/finalize", [("period", "2026-10")])
            XCTAssertEqual(finalized.status, .seeOther)
            let rerun = try await head.post("/appraisals/run", [("period", "2026-10")])
            XCTAssertEqual(rerun.status, .conflict, "a finalized month is not recomputed")

            // Reopening: the center's lead only, with a reason; then finalized again.
            let finalPage = Self.text(try await head.get("/appraisals?period=2026-10"))
            XCTAssertTrue(finalPage.contains("action=\"/appraisals/reopen\""))
            let teamFinal = Self.text(try await teamLead.get("/appraisals?period=2026-10"))
            XCTAssertFalse(teamFinal.contains("/appraisals/reopen"))
            let leadReopen = try await teamLead.post("/appraisals/reopen", [("period", "2026-10"), ("reason", "更正")])
            XCTAssertEqual(leadReopen.status, .forbidden)
            let noReason = try await head.post("/appraisals/reopen", [("period", "2026-10"), ("reason", "  ")])
            XCTAssertEqual(noReason.status, .badRequest)
            XCTAssertTrue(Self.text(noReason).contains("reason"), Self.text(noReason))
            XCTAssertTrue(try store.read { db in try PeriodLocks.isFinalized(db, period: "2026-10") })
            let reopened = try await head.post("/appraisals/reopen", [("period", "2026-10"), ("reason", "HR 发现 A3 班组有误")])
            XCTAssertEqual(reopened.status, .seeOther)
            XCTAssertFalse(try store.read { db in try PeriodLocks.isFinalized(db, period: "2026-10") })
            let notFinal = try await head.post("/appraisals/reopen", [("period", "2026-10"), ("reason", "again")])
            XCTAssertEqual(notFinal.status, .conflict, "an open month is not reopened")
            let again = try await head.post("/appraisals/finalize", [("period", "2026-10")])
            XCTAssertEqual(again.status, .seeOther)

            let final = try await hr.get("/appraisals/workbook?period=2026-10")
            XCTAssertEqual(final.status, .ok)
            XCTAssertEqual(final.headers[.contentDisposition], "attachment; filename=\"appraisal-2026-10.xlsx\"")
            let path = folder.appendingPathComponent("downloaded.xlsx").path
            try Data(buffer: final.body).write(to: URL(fileURLWithPath: path))
            let rows = try XLSXReader(path: path).rows(sheet: "HR Import")
            let header = rows[0].cells.compactMap(\.string)
            let id = try XCTUnwrap(header.firstIndex(of: "employee_id")), grade = try XCTUnwrap(header.firstIndex(of: "grade"))
            let score = try XCTUnwrap(header.firstIndex(of: "final_score"))
            XCTAssertEqual(rows.dropFirst().map { $0[id].string }, ["A1", "A2", "A3"])
            XCTAssertEqual(rows.dropFirst().map { $0[score].number }, [50, 100, 50])
            XCTAssertEqual(rows.dropFirst().map { $0[grade].string }, ["D", "A", "D"])

            // The year: computed from the months by the CLI (`appraise --year`); seen, finalized and
            // downloaded in the browser like a month.
            try store.write { db in
                let annual = try SchemeParser.parse(Self.annualSchemeYAML, file: "web-annual.yaml")
                _ = try Schemes.add(db, annual, source: Self.annualSchemeYAML, file: "web-annual.yaml")
                _ = try Appraisals.run(db, key: "2026", kind: .annual, scheme: annual, actor: "cli")
            }
            let hrYear = Self.text(try await hr.get("/appraisals?period=2026"))
            XCTAssertTrue(hrYear.contains("年度考核 Annual appraisal 2026"), hrYear)
            XCTAssertTrue(hrYear.contains("can be downloaded once the year is finalized"), hrYear)
            XCTAssertTrue(hrYear.contains("<td class=\"num\">100.00</td>"), hrYear)
            let earlyYear = try await hr.get("/appraisals/workbook?period=2026")
            XCTAssertEqual(earlyYear.status, .forbidden)
            XCTAssertTrue(Self.text(earlyYear).contains("once the year is finalized"))
            let headYear = Self.text(try await head.get("/appraisals?period=2026"))
            XCTAssertFalse(headYear.contains("action=\"/appraisals/run\""), "the year is computed by the CLI")
            XCTAssertTrue(headYear.contains("action=\"/appraisals/finalize\""))
            let badPeriod = try await head.get("/appraisals?period=26")
            XCTAssertEqual(badPeriod.status, .badRequest)
            let yearDone = try await head.post("/appraisals/finalize", [("period", "2026")])
            XCTAssertEqual(yearDone.status, .seeOther)
            let finalYear = try await hr.get("/appraisals/workbook?period=2026")
            XCTAssertEqual(finalYear.status, .ok)
            XCTAssertEqual(finalYear.headers[.contentDisposition], "attachment; filename=\"appraisal-2026.xlsx\"")
            let yearPath = folder.appendingPathComponent("year.xlsx").path
            try Data(buffer: finalYear.body).write(to: URL(fileURLWithPath: yearPath))
            let yearRows = try XLSXReader(path: yearPath).rows(sheet: "HR Import")
            let yearHeader = yearRows[0].cells.compactMap(\.string)
            let yearScore = try XCTUnwrap(yearHeader.firstIndex(of: "final_score"))
            let period = try XCTUnwrap(yearHeader.firstIndex(of: "period"))
            XCTAssertEqual(yearRows.dropFirst().map { $0[yearScore].number }, [50, 100, 50], "one month each: its final")
            XCTAssertEqual(yearRows.dropFirst().map { $0[period].string }, ["2026", "2026", "2026"])

            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            // the finalized year locks its months: November's self-rating form is not offered
            let november = Self.text(try await agent.get("/ratings?period=2026-11"))
            XCTAssertTrue(november.contains("2026-11 is finalized (or its year is)"), november)
            XCTAssertFalse(november.contains("method=\"post\" action=\"/ratings\""), "no form to post")
            let agentYear = Self.text(try await agent.get("/appraisals?period=2026"))
            XCTAssertTrue(agentYear.contains("A1 "), agentYear)
            XCTAssertFalse(agentYear.contains("A2 "), "an agent sees only their own year")
            let r5 = try await agent.get("/appraisals/workbook?period=2026-10")
            XCTAssertEqual(r5.status, .forbidden)
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let r6 = try await inspector.get("/appraisals/workbook?period=2026-10")
            XCTAssertEqual(r6.status, .forbidden)
        }
        XCTAssertTrue(try store.read { db in try PeriodLocks.isFinalized(db, period: "2026-10") })
        let finalize = try store.read { db in try AuditLog.entries(db, entity: "period", entityID: "2026-10") }
        XCTAssertEqual(finalize.map { "\($0.action) by \($0.actor)" }, ["finalize by S0", "reopen by S0", "finalize by S0"])
        XCTAssertEqual(finalize[1].reason, "HR 发现 A3 班组有误")
    }

    func testAnInspectorReviewsAutomaticFindingsAndTheScoreFollows() async throws {
        let yaml = """
        id: auto-mini
        version: 1
        name: 自动质检
        sections:
          - id: manner
            name: 礼仪
            dimension: etiquette
            weight: 1
            items:
              - id: no_forbidden
                text: 无服务禁语
                type: deduction
                points: 10
                per: 5
                auto: {phrases_forbidden: {phrases: [不知道, 没办法]}}
        """
        let rubric = try RubricParser.parse(yaml, file: "auto-mini.yaml")
        try store.write { db in
            try Rubrics.add(db, rubric, source: yaml, file: "auto-mini.yaml")
            try SessionWriter(db).insert(Session(sessionID: "V5", agentID: "A1", channel: .phone,
                                                 startedAt: "2026-10-06T09:00:00+08:00", endedAt: "2026-10-06T09:03:00+08:00"), turns: [
                Turn(at: 2, speaker: .agent, text: "这个我不知道"),
                Turn(at: 9, speaker: .customer, text: "那怎么办"),
                Turn(at: 12, speaker: .agent, text: "没办法"),
            ])
        }
        _ = try AutoInspections.run(store, rubric: rubric, period: "2026-10", rescore: false, actor: "test")
        var filter = InspectionFilter(rubricID: "auto-mini", mode: .auto)
        filter.sessionID = "V5"
        let inspection = try XCTUnwrap(try store.read { db in try Inspections.list(db, filter) }.first)
        // Two occurrences × 5 points = 10 of 10 lost: 0.
        XCTAssertEqual(inspection.score, 0)
        let findings = try store.read { db in try Findings.list(db, FindingFilter(inspectionID: inspection.id)) }
        XCTAssertEqual(findings.map(\.matched), ["不知道", "没办法"])
        let (first, second) = (findings[0].id, findings[1].id)

        let store = self.store!
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let own = Self.text(try await agent.get("/inspections/\(inspection.id)"))
            XCTAssertTrue(own.contains("这个我不知道") || own.contains("不知道"), "the agent sees the evidence")
            XCTAssertTrue(own.contains("<td>deduction</td><td class=\"num\">10.00</td><td>2</td>"), own)
            XCTAssertFalse(own.contains("/findings/"), "but no review forms")
            let r1 = try await agent.post("/findings/\(first)/review", [("decision", "reject"), ("reason", "我没说")])
            XCTAssertEqual(r1.status, .forbidden)
            var otherLead = Browser(client: client)
            _ = try await otherLead.signIn("S2")
            let r2 = try await otherLead.post("/findings/\(first)/review", [("decision", "confirm")])
            XCTAssertEqual(r2.status, .notFound, "another team's finding")

            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let page = Self.text(try await inspector.get("/inspections/\(inspection.id)"))
            XCTAssertTrue(page.contains("action=\"/findings/\(first)/review\""))
            let noReason = try await inspector.post("/findings/\(first)/review", [("decision", "reject")])
            XCTAssertEqual(noReason.status, .badRequest)
            XCTAssertTrue(Self.text(noReason).contains("reason: is required to reject a finding"))
            let badDecision = try await inspector.post("/findings/\(first)/review", [("decision", "maybe")])
            XCTAssertEqual(badDecision.status, .badRequest)
            let r3 = try await inspector.post("/findings/999999/review", [("decision", "confirm")])
            XCTAssertEqual(r3.status, .notFound)
            XCTAssertEqual(try store.read { db in try Inspections.find(db, id: inspection.id) }?.score, 0, "nothing changed yet")

            let rejected = try await inspector.post("/findings/\(first)/review", [("decision", "reject"), ("reason", "客户原话，不是坐席")])
            XCTAssertEqual(rejected.status, .seeOther)
            XCTAssertEqual(rejected.headers[.location], "/inspections/\(inspection.id)")
            let confirmed = try await inspector.post("/findings/\(second)/review", [("decision", "confirm")])
            XCTAssertEqual(confirmed.status, .seeOther)
            // the page shows the answer after review (1 occurrence standing), as the score — not the rules' 2
            let shown = Self.text(try await agent.get("/inspections/\(inspection.id)"))
            XCTAssertTrue(shown.contains("<td>deduction</td><td class=\"num\">10.00</td><td>1</td>"), shown)
        }
        // One occurrence still standing: 10 − 5 = 5 of 10 → 50.
        let after = try XCTUnwrap(try store.read { db in try Inspections.find(db, id: inspection.id) })
        XCTAssertEqual(after.score, 50)
        let reviewed = try store.read { db in try Findings.list(db, FindingFilter(inspectionID: inspection.id)) }
        XCTAssertEqual(reviewed.map(\.status), [.rejected, .confirmed])
        XCTAssertEqual(reviewed.map(\.reviewerID), ["Q1", "Q1"])
        XCTAssertEqual(reviewed[0].reason, "客户原话，不是坐席")
        let audit = try store.read { db in try AuditLog.entries(db, entity: "finding") }
        XCTAssertEqual(audit.map { "\($0.action) by \($0.actor)" }, ["reject by Q1", "confirm by Q1"])
    }

    func testAnInspectorDrawsASampleInTheBrowser() async throws {
        // V0–V3 are already inspected with `mini`; W1, W2 (A1) and W3 (A3) are not.
        try store.write { db in
            let writer = try SessionWriter(db)
            for (id, agent, day) in [("W1", "A1", 11), ("W2", "A1", 12), ("W3", "A3", 13)] {
                try writer.insert(Session(sessionID: id, agentID: agent, channel: .chat, startedAt: "2026-10-\(day)T09:00:00+08:00",
                                          endedAt: "2026-10-\(day)T09:05:00+08:00"), turns: [])
            }
        }
        let store = self.store!
        @Sendable func assigned() throws -> [AssignmentRecord] { try store.read { db in try Assignments.list(db, period: "2026-10", inspectorID: nil) } }
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let r1 = try await agent.post("/assignments/draw", [("period", "2026-10"), ("rubric", "mini"), ("per_agent", "1"), ("inspector.Q1", "1")])
            XCTAssertEqual(r1.status, .forbidden)

            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let page = Self.text(try await inspector.get("/assignments?period=2026-10"))
            XCTAssertTrue(page.contains("action=\"/assignments/draw\""))
            XCTAssertTrue(page.contains("name=\"inspector.Q1\""))
            let base = [("period", "2026-10"), ("rubric", "mini")]
            let zero = try await inspector.post("/assignments/draw", base + [("per_agent", "0"), ("inspector.Q1", "1")])
            XCTAssertEqual(zero.status, .badRequest)
            XCTAssertTrue(Self.text(zero).contains("per_agent: must be a whole number of at least 1"))
            let margin = try await inspector.post("/assignments/draw", base + [("margin", "2"), ("confidence", "0.95"), ("inspector.Q1", "1")])
            XCTAssertEqual(margin.status, .badRequest)
            XCTAssertTrue(Self.text(margin).contains("margin: margin must be between 0 and 1"), Self.text(margin))
            for (field, value, message) in [("targeted", "2", "targeted: targeted share must be between 0 and 1"),
                                            ("long_handle", "-5", "long_handle: long handle time must be a positive number"),
                                            ("long_handle", "0x10", "long_handle: &#39;0x10&#39; is not a number")] {
                let refused = try await inspector.post("/assignments/draw", base + [("per_agent", "1"), (field, value), ("inspector.Q1", "1")])
                XCTAssertEqual(refused.status, .badRequest)
                XCTAssertTrue(Self.text(refused).contains(message), Self.text(refused))
            }
            let nobody = try await inspector.post("/assignments/draw", base + [("per_agent", "1")])
            XCTAssertEqual(nobody.status, .badRequest)
            XCTAssertTrue(Self.text(nobody).contains("inspector: choose at least one inspector"))
            let notInspector = try await inspector.post("/assignments/draw", base + [("per_agent", "1"), ("inspector.A2", "1")])
            XCTAssertEqual(notInspector.status, .badRequest)
            XCTAssertTrue(Self.text(notInspector).contains("inspector.A2: is not an active inspector"), Self.text(notInspector))
            let unknown = try await inspector.post("/assignments/draw", base + [("per_agent", "1"), ("inspector.Q1", "1"), ("inspector.ZZ", "1")])
            XCTAssertEqual(unknown.status, .badRequest)
            XCTAssertTrue(Self.text(unknown).contains("inspector.ZZ: is not an active inspector"), Self.text(unknown))
            XCTAssertEqual(try assigned().count, 0, "no refused draw wrote anything")

            let drawn = try await inspector.post("/assignments/draw", base + [("per_agent", "1"), ("seed", "7"), ("inspector.Q1", "1")])
            XCTAssertEqual(drawn.status, .created)
            XCTAssertTrue(Self.text(drawn).contains("Drew 2 session(s)"), Self.text(drawn))
            let first = try assigned()
            XCTAssertEqual(first.map(\.agentID), ["A1", "A3"], "one each; A2's only session is already inspected")
            XCTAssertEqual(first.first { $0.agentID == "A3" }?.sessionID, "W3")
            XCTAssertEqual(Set(first.map(\.inspectorID)), ["Q1"])

            // Drawn sessions are never drawn again: a second draw takes A1's other session only.
            let again = try await inspector.post("/assignments/draw", base + [("per_agent", "1"), ("seed", "7"), ("inspector.Q1", "1")])
            XCTAssertTrue(Self.text(again).contains("Drew 1 session(s)"), Self.text(again))
            XCTAssertEqual(Set(try assigned().filter { $0.agentID == "A1" }.map(\.sessionID)), ["W1", "W2"])
        }
        try store.write { db in try PeriodLocks.finalize(db, period: "2026-10", actor: "S0") }
        try await withApp { client in
            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let page = Self.text(try await inspector.get("/assignments?period=2026-10"))
            XCTAssertFalse(page.contains("action=\"/assignments/draw\""), "no form in a finalized period")
            let refused = try await inspector.post("/assignments/draw", [("period", "2026-10"), ("rubric", "mini"), ("per_agent", "1"), ("inspector.Q1", "1")])
            XCTAssertEqual(refused.status, .conflict)
        }
        XCTAssertEqual(try assigned().count, 3)
    }
}
