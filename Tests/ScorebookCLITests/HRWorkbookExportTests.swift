import Foundation
import XCTest
import ZIPFoundation
import ScorebookCore
import ScorebookStore
import ScorebookWorkbook

/// The HR workbook and the ratings template, end to end through the built `scorebook` binary, read back with
/// the project's XLSXReader.
final class HRWorkbookExportTests: XCTestCase {
    static let injected = ["=1+1", "+SUM(A1)", "-2+3", "@cmd"]

    static let roster = """
    employee_id,name,team,role,supervisor_id,active
    S01,王主管,视频客服一组,supervisor,,1
    Q01,李质检,质检组,inspector,S01,1
    A01,=1+1,视频客服一组,agent,S01,1
    A02,+SUM(A1),视频客服一组,agent,S01,1
    A03,-2+3,视频客服一组,agent,S01,1
    A04,@cmd,视频客服二组,agent,S01,1
    """

    static let sessions = """
    session_id,agent_id,channel,started_at,ended_at,wait_seconds,first_response_seconds,handle_seconds,resolved,transferred,csat
    C1,A01,phone,2026-10-03T09:15:00+08:00,2026-10-03T09:20:00+08:00,12,3.5,300,1,0,5
    C2,A02,chat,2026-10-04 10:00:00,2026-10-04 10:08:00,,,480,0,1,
    C3,A03,video,2026-10-05 10:00:00,2026-10-05 10:07:00,5,4,420,1,0,4
    C4,A04,video,2026-10-06 11:00:00,2026-10-06 11:09:00,5,9,540,0,0,3
    """

    /// Peer ratings of A01 by A02, A03 and A04 (A04, of another team, is rated by no one: its id must never show
    /// in Ratings).
    static let ratings = """
    period,employee_id,source,rater_id,criterion,score
    2026-10,A01,self,A01,服务态度,4
    2026-10,A01,supervisor,S01,服务态度,4.5
    2026-10,A01,peer,A02,服务态度,3
    2026-10,A01,peer,A03,服务态度,4
    2026-10,A01,peer,A04,服务态度,5
    2026-10,A02,supervisor,S01,=1+1,3.5
    2026-10,A03,customer,-2+3,服务满意度,5
    """

    func seeded() throws -> CLIHarness {
        let h = try CLIHarness()
        try h.ok(["init"])
        try h.ok(["import", "roster", h.write("roster.csv", Self.roster)])
        try h.ok(["import", "sessions", h.write("sessions.csv", Self.sessions)])
        try h.ok(["import", "ratings", h.write("ratings.csv", Self.ratings)])
        let answers = try h.write("answers.json", #"{"verify_identity": "no", "answer_correct": 15, "greeting_in_time": "yes"}"#)
        try h.ok(["inspect", "--session", "C1", "--rubric", "video-service", "--inspector", "Q01", "--answers", answers, "--submit"])
        try h.ok(["appraise", "--period", "2026-10"])
        return h
    }

    func testDraftRefusalNamingAndFinalExportReadBack() throws {
        let h = try seeded()
        // Not finalized: refused without --draft, nothing written.
        let refused = try h.run(["export", "--period", "2026-10", "--out", "hr.xlsx"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("not finalized"), refused.stderr)
        XCTAssertFalse(h.exists("hr.xlsx"))

        // --draft: DRAFT in the name, in About and in every sheet's header and footer.
        try h.ok(["export", "--period", "2026-10", "--out", "hr.xlsx", "--draft"])
        XCTAssertFalse(h.exists("hr.xlsx"))
        XCTAssertTrue(h.exists("hr-DRAFT.xlsx"))
        try h.ok(["export", "--period", "2026-10", "--out", "my-draft.xlsx", "--draft"])
        XCTAssertTrue(h.exists("my-draft.xlsx"))
        let draft = try XLSXReader(path: h.path("hr-DRAFT.xlsx"))
        for name in draft.sheetNames {
            let xml = String(decoding: try draft.sheetXML(name), as: UTF8.self)
            XCTAssertTrue(xml.contains("<oddHeader>") && xml.contains("<oddFooter>"), name)
            let headerFooter = xml.components(separatedBy: "<headerFooter").last ?? ""
            XCTAssertEqual(headerFooter.components(separatedBy: "DRAFT").count - 1, 3, "\(name): \(headerFooter)")
        }
        XCTAssertTrue(try about(draft)["status"]?.string?.hasPrefix("DRAFT") ?? false)

        // Finalized: the plain export works and is final.
        try h.ok(["finalize", "--period", "2026-10"])
        try h.ok(["export", "--period", "2026-10", "--out", "hr.xlsx"])
        let book = try XLSXReader(path: h.path("hr.xlsx"))
        XCTAssertEqual(book.sheetNames, ["HR Import", "Team Summary", "Components", "Inspections", "Item Failures",
                                         "Ratings", "About"])
        let info = try about(book)
        XCTAssertEqual(info["status"]?.string, "finalized 已定稿")
        XCTAssertEqual(info["scheme_id"]?.string, "monthly")
        XCTAssertEqual(info["rubrics"]?.string, "video-service v1")
        for name in book.sheetNames {
            XCTAssertFalse(String(decoding: try book.sheetXML(name), as: UTF8.self).contains("DRAFT"), name)
        }

        // HR Import: header = hr_columns ids, one row per agent, numbers numeric, equal to the appraisals.
        let ids = ["employee_id", "name", "team", "period", "qa", "customer", "supervisor", "peer", "self", "fcr",
                   "response", "handle", "final_score", "grade", "bonus_coefficient", "missing"]
        let rows = try book.rows(sheet: "HR Import")
        XCTAssertEqual(rows.first?.cells.map { $0.string ?? "" }, ids)
        XCTAssertEqual(rows.count, 1 + 4)
        XCTAssertEqual(rows.map(\.number), Array(1...5))
        let hrXML = String(decoding: try book.sheetXML("HR Import"), as: UTF8.self)
        XCTAssertFalse(hrXML.contains("<f>") || hrXML.contains("<f "), "a formula in HR Import")
        XCTAssertFalse(hrXML.contains("<mergeCell"))
        XCTAssertTrue(hrXML.contains("<tableParts"), "HR Import is an Excel table")

        let appraisals = try h.json(["appraisals", "--period", "2026-10"])
        XCTAssertEqual(appraisals.count, 4)
        for (row, json) in zip(rows.dropFirst(), appraisals) {
            func cell(_ id: String) -> XLSXValue { row[ids.firstIndex(of: id)!] }
            XCTAssertEqual(cell("employee_id").string, json["employee_id"] as? String)
            XCTAssertEqual(cell("name").string, json["name"] as? String)
            XCTAssertEqual(cell("period"), .string("2026-10"))
            XCTAssertEqual(cell("grade").string, json["grade"] as? String)
            XCTAssertEqual(cell("final_score").number, json["final_score"] as? Double)
            XCTAssertNotNil(cell("final_score").number)
            XCTAssertEqual(cell("bonus_coefficient").number, json["bonus_coefficient"] as? Double)
            let components = json["components"] as? [String: Any] ?? [:]
            for id in ["qa", "customer", "supervisor", "peer", "self", "fcr", "response", "handle"] {
                if let value = components[id] as? Double {
                    XCTAssertEqual(cell(id), .number(DecimalMath.roundHalfUp(value, places: 2)), "\(id) of \(row.number)")
                } else {
                    XCTAssertEqual(cell(id), .empty, "\(id) of \(row.number)")
                }
            }
            XCTAssertEqual(cell("missing").string ?? "", (json["missing"] as? [String] ?? []).joined(separator: ","))
        }

        // Text from people, however it begins, reads back as the exact text.
        let names = rows.dropFirst().map { $0[1].string }
        XCTAssertEqual(names, Self.injected)
        let ratingRows = try book.rows(sheet: "Ratings")
        XCTAssertTrue(ratingRows.contains { $0[6] == .string("=1+1") })
        XCTAssertTrue(ratingRows.contains { $0[5] == .string("-2+3") })

        // About's SHA-256 is the hash of the canonical HR Import text, recomputed here with sha256sum.
        var canonical: [String] = []
        for row in rows {
            canonical.append((0..<ids.count).map { c -> String in
                switch row[c] {
                case .string(let s): return s
                case .number(let x): return DecimalMath.fixed(x, 2)
                default: return ""
                }
            }.joined(separator: "\t"))
        }
        XCTAssertEqual(info["hr_import_sha256"]?.string, try sha256sum(canonical.joined(separator: "\n")))

        // Peer raters never appear: peer rows carry only counts and the trimmed mean.
        let peers = ratingRows.filter { $0[4] == .string("peer") }
        XCTAssertEqual(peers.count, 1)
        XCTAssertEqual(peers.first?[5], .empty)
        XCTAssertEqual(peers.first?[7], .number(4))
        XCTAssertEqual(peers.first?[8], .number(3))
        for row in ratingRows {
            XCTAssertFalse(row.cells.contains(.string("A04")), "peer rater A04 shown in Ratings row \(row.number)")
            if row[4] == .string("peer") {
                for id in ["A02", "A03"] { XCTAssertFalse(row.cells.contains(.string(id))) }
            }
        }

        // Inspections and item failures.
        let inspections = try book.rows(sheet: "Inspections")
        XCTAssertEqual(inspections.count, 2)
        XCTAssertEqual(inspections[1][2], .string("A01"))
        XCTAssertEqual(inspections[1][3], .string("Q01"))
        XCTAssertEqual(inspections[1][12], .bool(true))
        let items = try book.rows(sheet: "Item Failures")
        let verify = items.first { $0[3] == .string("verify_identity") }
        XCTAssertEqual(verify?[7], .number(1))
        XCTAssertEqual(verify?[8], .number(1))
        XCTAssertEqual(verify?[9], .number(1))
        let greeting = items.first { $0[3] == .string("greeting_in_time") }
        XCTAssertEqual(greeting?[8], .number(0))
        XCTAssertEqual(info["rows: HR Import"], .number(4))
        XCTAssertEqual(info["rows: Inspections"], .number(1))
    }

    /// `--out` naming a folder writes the default file name inside it and leaves the folder's files alone;
    /// `--out` naming the database is refused and the database still works; an existing workbook is replaced.
    func testOutputToAFolderOrOverTheDatabase() throws {
        let h = try seeded()
        try FileManager.default.createDirectory(atPath: h.path("reports"), withIntermediateDirectories: true)
        _ = try h.write("reports/keep.txt", "规划")
        let out = try h.ok(["export", "--period", "2026-10", "--out", h.path("reports"), "--draft"])
        XCTAssertTrue(out.contains("reports/appraisal-2026-10-DRAFT.xlsx"), out)
        XCTAssertTrue(h.exists("reports/keep.txt"))
        XCTAssertEqual(try XLSXReader(path: h.path("reports/appraisal-2026-10-DRAFT.xlsx")).sheetNames.first, "HR Import")

        // a second export replaces the first in place
        let first = try FileManager.default.attributesOfItem(atPath: h.path("reports/appraisal-2026-10-DRAFT.xlsx"))
        try h.ok(["export", "--period", "2026-10", "--out", h.path("reports/appraisal-2026-10-DRAFT.xlsx"), "--draft"])
        let second = try FileManager.default.attributesOfItem(atPath: h.path("reports/appraisal-2026-10-DRAFT.xlsx"))
        XCTAssertNotEqual(first[.systemFileNumber] as? Int, second[.systemFileNumber] as? Int, "a new file took the name")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: h.path("reports")).sorted(),
                       ["appraisal-2026-10-DRAFT.xlsx", "keep.txt"], "no temporary file left")

        // a final export (no -DRAFT added to the name) over the database file is refused
        try h.ok(["finalize", "--period", "2026-10"])
        let overDatabase = try h.run(["export", "--period", "2026-10", "--out", h.db])
        XCTAssertNotEqual(overDatabase.status, 0)
        XCTAssertTrue(overDatabase.stderr.contains("it is the database"), overDatabase.stderr)
        XCTAssertTrue(try h.ok(["appraisals", "--period", "2026-10", "--format", "csv"]).contains("A01"))
    }

    func testRatingsTemplateFillAndImport() throws {
        let h = try seeded()
        try h.ok(["template", "ratings", "--period", "2026-11", "--team", "视频客服一组", "--out", "t.xlsx",
                  "--criteria", "服务态度,业务能力"])
        let template = try XLSXReader(path: h.path("t.xlsx"))
        XCTAssertEqual(template.sheetNames, ["评分", "填写说明"])
        let rows = try template.rows(sheet: "评分")
        XCTAssertEqual(rows[0].cells.map { $0.string ?? "" },
                       ["period", "employee_id", "name", "source", "rater_id", "criterion", "score"])
        // 3 agents × 2 criteria × (self 1 + supervisor 1 + peer 2 raters)
        XCTAssertEqual(rows.count - 1, 3 * 2 * 4)
        let xml = String(decoding: try template.sheetXML("评分"), as: UTF8.self)
        XCTAssertTrue(xml.contains("<sheetProtection"))
        XCTAssertTrue(xml.contains("<dataValidation"))
        XCTAssertTrue(try template.rows(sheet: "填写说明").contains { $0[0].string?.contains("留空") ?? false })

        // A lead fills some scores (written as a user's file would be: numbers in the score column).
        func filled(_ name: String, _ score: (XLSXRow) -> Double?) throws -> String {
            let wb = try Workbook(path: h.path(name))
            let ws = try wb.addWorksheet("评分")
            for row in rows {
                for (c, v) in row.cells.enumerated() {
                    if case .string(let s) = v { try ws.writeString(row: row.number - 1, column: c, s) }
                }
                if row.number > 1, let s = score(row) { try ws.writeNumber(row: row.number - 1, column: 6, s) }
            }
            try wb.close()
            return h.path(name)
        }
        let before = try h.count("ratings")
        let good = try filled("good.xlsx") { row in
            row[3] == .string("self") ? 4 : row[3] == .string("peer") && row[1] == .string("A01") ? 3.5 : nil
        }
        let out = try h.ok(["import", "ratings", good])
        XCTAssertTrue(out.contains("imported 10 records"), out)   // self 3×2, peer of A01 2×2
        // the other 14 rows (supervisor 3×2, peers of A02 and A03 2×2×2) were left blank: said so
        XCTAssertTrue(out.contains("(14 rows with a blank score skipped)"), out)
        XCTAssertEqual(try h.count("ratings"), before + 10)

        // A bad score: error names the file, the row and the reason; nothing is written.
        let badRow = rows.first { $0[3] == .string("supervisor") }!.number
        let bad = try filled("bad.xlsx") { row in row.number == badRow ? 7 : (row[3] == .string("supervisor") ? 4 : nil) }
        let result = try h.run(["import", "ratings", bad])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("bad.xlsx:\(badRow): score: 7 is outside the supervisor scale 1–5"), result.stderr)
        XCTAssertEqual(try h.count("ratings"), before + 10)

        // A score typed as a formula by a program that does not calculate (no saved result): it used to read
        // as a blank score and the row was skipped without a word. Refused, naming the row and the column.
        let formulaRow = rows.first { $0[3] == .string("supervisor") }!.number
        let typed = try filled("formula.xlsx") { row in row[3] == .string("supervisor") ? 4 : nil }
        try Self.replaceInSheet(typed, #"<c r="G\#(formulaRow)"[^>]*><v>4</v></c>"#, with: #"<c r="G\#(formulaRow)"><f>2+2</f></c>"#)
        XCTAssertEqual(try XLSXReader(path: typed).rows(sheet: "评分").first { $0.number == formulaRow }?[6], .uncalculated)
        let uncalculated = try h.run(["import", "ratings", typed])
        XCTAssertNotEqual(uncalculated.status, 0)
        XCTAssertTrue(uncalculated.stderr.contains("formula.xlsx:\(formulaRow): score: the cell holds a formula whose result was not saved"),
                      uncalculated.stderr)
        XCTAssertEqual(try h.count("ratings"), before + 10)

        // A score typed one column too far right (H, which has no header): it was skipped as a blank score.
        let beside = try filled("beside.xlsx") { row in row[3] == .string("supervisor") ? 4 : nil }
        try Self.replaceInSheet(beside, #"<c r="G\#(formulaRow)"[^>]*><v>4</v></c>"#, with: #"<c r="H\#(formulaRow)"><v>5</v></c>"#)
        let lost = try h.run(["import", "ratings", beside])
        XCTAssertNotEqual(lost.status, 0)
        XCTAssertTrue(lost.stderr.contains("beside.xlsx:\(formulaRow): sheet '评分', cell H\(formulaRow): '5' is in a column without a header"),
                      lost.stderr)
        XCTAssertEqual(try h.count("ratings"), before + 10)
    }

    /// Rewrites the first worksheet of an .xlsx in place (regular expression → template), as another
    /// program editing the file would.
    static func replaceInSheet(_ path: String, _ pattern: String, with template: String) throws {
        let part = "xl/worksheets/sheet1.xml"
        var xml = ""
        do {
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
            var data = Data()
            _ = try archive.extract(archive[part]!) { data.append($0) }
            xml = String(decoding: data, as: UTF8.self)
        }
        let regex = try NSRegularExpression(pattern: pattern)
        let edited = regex.stringByReplacingMatches(in: xml, range: NSRange(xml.startIndex..., in: xml), withTemplate: template)
        XCTAssertNotEqual(edited, xml, "the pattern matched nothing")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .update)
        try archive.remove(archive[part]!)
        let data = Data(edited.utf8)
        try archive.addEntry(with: part, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
            position, size in data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    func testAnnualDraftExport() throws {
        let h = try seeded()
        try h.ok(["appraise", "--year", "2026"])
        // a year given as --period is the same annual listing as --year
        let byYear = try h.ok(["appraisals", "--year", "2026", "--format", "json"])
        XCTAssertEqual(try h.ok(["appraisals", "--period", "2026", "--format", "json"]), byYear)
        XCTAssertTrue(byYear.contains("\"period\": \"2026\""), byYear)
        let out = try h.ok(["export", "--year", "2026", "--draft"])
        XCTAssertTrue(out.contains("appraisal-2026-DRAFT.xlsx"), out)
        let book = try XLSXReader(path: h.path("appraisal-2026-DRAFT.xlsx"))
        let rows = try book.rows(sheet: "HR Import")
        XCTAssertEqual(rows.first?.cells.map { $0.string ?? "" },
                       ["employee_id", "name", "team", "period"] + AnnualAppraisal.monthKeys
                       + ["months", "final_score", "grade", "bonus_coefficient", "missing"])
        XCTAssertEqual(rows.count, 5)
        XCTAssertEqual(rows[1][3], .string("2026"))
        XCTAssertEqual(rows[1][13], .number(try XCTUnwrap(try monthly(h)["A01"])))   // m10
        XCTAssertEqual(rows[1][16], .number(1))                                      // months
        XCTAssertEqual(try about(book)["kind"], .string("annual"))
        // HR sees which scheme each month it averages was computed with (the CLI only printed it)
        let months = try XCTUnwrap(try about(book)["monthly_schemes"]?.string)
        XCTAssertTrue(months.hasPrefix("2026-10 monthly v1 ("), months)  // with the variant's digest
        XCTAssertNotNil(try about(book)["hr_import_sha256_input"])
    }

    private func monthly(_ h: CLIHarness) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for row in try h.json(["appraisals", "--period", "2026-10"]) {
            if let id = row["employee_id"] as? String, let score = row["final_score_unrounded"] as? Double {
                out[id] = DecimalMath.roundHalfUp(score, places: 2)
            }
        }
        return out
    }

    func testConstantMemoryModeAndContinuationSheets() throws {
        let h = try seeded()
        let answers = try h.write("more.json", #"{"verify_identity": "yes", "answer_correct": 20}"#)
        for session in ["C2", "C3"] {
            try h.ok(["inspect", "--session", session, "--rubric", "video-service", "--inspector", "Q01",
                      "--answers", answers, "--submit"])
        }
        try h.ok(["appraise", "--period", "2026-10"])
        try h.ok(["finalize", "--period", "2026-10"])
        try h.ok(["export", "--period", "2026-10", "--out", "normal.xlsx"])
        let out = try h.ok(["export", "--period", "2026-10", "--out", "big.xlsx", "--constant-memory-above", "0",
                            "--inspection-rows-per-sheet", "2"])
        XCTAssertTrue(out.contains("constant-memory"), out)
        let normal = try XLSXReader(path: h.path("normal.xlsx"))
        let big = try XLSXReader(path: h.path("big.xlsx"))
        XCTAssertEqual(big.sheetNames, ["HR Import", "Team Summary", "Components", "Inspections", "Inspections (2)",
                                        "Item Failures", "Ratings", "About"])
        // HR Import is the same Excel table as in a normal export (the cells are compared below)
        let hrXML = String(decoding: try big.sheetXML("HR Import"), as: UTF8.self)
        XCTAssertTrue(hrXML.contains("<tableParts count=\"1\">"), hrXML)
        XCTAssertTrue(hrXML.contains("state=\"frozen\""))
        let table = String(decoding: try big.partData("xl/tables/table1.xml"), as: UTF8.self)
        XCTAssertTrue(table.contains("name=\"HRImport\"") && table.contains("ref=\"A1:P5\""), table)
        XCTAssertEqual(table, String(decoding: try normal.partData("xl/tables/table1.xml"), as: UTF8.self))
        // the streamed sheets keep their inline strings
        XCTAssertTrue(String(decoding: try big.sheetXML("Inspections"), as: UTF8.self).contains("t=\"inlineStr\""))
        XCTAssertEqual(try big.rows(sheet: "HR Import"), try normal.rows(sheet: "HR Import"))
        XCTAssertEqual(try about(big)["hr_import_sha256"], try about(normal)["hr_import_sha256"])
        let first = try big.rows(sheet: "Inspections"), second = try big.rows(sheet: "Inspections (2)")
        XCTAssertEqual(first.count, 3)
        XCTAssertEqual(second.count, 2)
        XCTAssertEqual(first[0], second[0])   // the same header row
        XCTAssertEqual(Array(first.dropFirst()) + Array(second.dropFirst()).map { XLSXRow(number: $0.number + 2, cells: $0.cells) },
                       Array(try normal.rows(sheet: "Inspections").dropFirst()))
        XCTAssertEqual(try about(big)["rows: Inspections (2)"], .number(1))
    }

    // MARK: helpers

    private func about(_ book: XLSXReader) throws -> [String: XLSXValue] {
        var out: [String: XLSXValue] = [:]
        for row in try book.rows(sheet: "About").dropFirst() { if let k = row[0].string { out[k] = row[1] } }
        return out
    }

    private func sha256sum(_ text: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
