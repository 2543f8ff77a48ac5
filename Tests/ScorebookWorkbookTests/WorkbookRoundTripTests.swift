import Foundation
import XCTest
@testable import ScorebookWorkbook

/// Strings that would be formulas (or DDE) if written carelessly; they must come back as exact text.
let injected = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\",\"点我\")", "-", "=", "@"]

func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scorebook-wb-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

final class WorkbookRoundTripTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try temporaryDirectory() }
    override func tearDownWithError() throws {
        // SCOREBOOK_KEEP_XLSX=/some/dir keeps the written workbooks for checking by hand.
        if let keep = ProcessInfo.processInfo.environment["SCOREBOOK_KEEP_XLSX"],
           let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            for f in files where f.hasSuffix(".xlsx") {
                let to = URL(fileURLWithPath: keep).appendingPathComponent(f)
                try? FileManager.default.removeItem(at: to)
                try? FileManager.default.copyItem(at: dir.appendingPathComponent(f), to: to)
            }
        }
        try? FileManager.default.removeItem(at: dir)
    }

    struct Agent { let id: String; let name: String; let team: String; let score: Double; let grade: String; let coef: Double; let note: String }
    let agents = [
        Agent(id: "E001", name: "张三", team: "信用卡一组", score: 91.256, grade: "A", coef: 1.2, note: "=1+1"),
        Agent(id: "E002", name: "李四", team: "信用卡一组", score: 78.5, grade: "B", coef: 1.0, note: "+SUM(A1)"),
        Agent(id: "E003", name: "王五", team: "理财二组", score: 65, grade: "C", coef: 0.8, note: "-2+3"),
        Agent(id: "E004", name: "赵六", team: "理财二组", score: 88.125, grade: "A", coef: 1.2, note: "@cmd"),
    ]
    let headers = ["工号", "姓名", "团队", "期间", "最终得分", "等级", "奖金系数", "备注"]

    /// Writes an HR-workbook-shaped file with every feature, returns its path.
    func writeFullWorkbook() throws -> String {
        let path = dir.appendingPathComponent("appraisal-2026-10-DRAFT.xlsx").path
        let wb = try Workbook(path: path)
        try wb.setProperties(DocumentProperties(title: "绩效考核 2026-10 (DRAFT)", author: "Scorebook",
                                                comments: "scheme monthly-v1", created: Date(timeIntervalSince1970: 1_790_000_000)))
        try wb.setCustomProperty("Draft", "yes")
        let header = try wb.format(CellFormat(bold: true, backgroundColor: .lightGray, border: .thin))
        let twoDecimals = try wb.format(CellFormat(numberFormat: CellFormat.decimals(2)))
        let wrap = try wb.format(CellFormat(verticalAlignment: .top, wrapText: true))
        XCTAssertTrue(try wb.format(CellFormat(numberFormat: "0.00")) === twoDecimals, "formats are shared")
        let draft = "&C" + Worksheet.literalHeaderFooterText("草稿 DRAFT & 未定稿")

        // HR Import: one header row (written by the table), data rows, no formulas.
        let hr = try wb.addWorksheet("HR Import")
        try hr.setHeader(draft); try hr.setFooter(draft + "&R&P / &N")
        for (i, a) in agents.enumerated() {
            let r = i + 1
            try hr.writeRow(r, [.string(a.id), .string(a.name), .string(a.team), .string("2026-10"),
                                .number(a.score), .string(a.grade), .number(a.coef), .string(a.note)],
                            formats: [nil, nil, nil, nil, twoDecimals, nil, twoDecimals, wrap])
        }
        try hr.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: agents.count, lastColumn: headers.count - 1),
                        TableOptions(name: "HRImport", headers: headers, style: .medium(2)))
        try hr.freezePanes(row: 1, column: 0)
        try hr.setColumnWidth(0...3, width: 12)
        try hr.setColumnWidth(7, width: 30)
        try hr.setSelection(CellRange(firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: 0))
        try hr.activate()

        // Team Summary with a chart.
        let team = try wb.addWorksheet("Team Summary")
        try team.setHeader(draft)
        try team.writeRow(0, [.string("团队"), .string("人数"), .string("平均分")], formats: [header, header, header])
        try team.writeRow(1, [.string("信用卡一组"), .number(2), .number(84.88)], formats: [nil, nil, twoDecimals])
        try team.writeRow(2, [.string("理财二组"), .number(2), .number(76.56)], formats: [nil, nil, twoDecimals])
        try team.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: 2, lastColumn: 2))
        let chart = try wb.addChart(.column)
        try chart.addSeries(name: "平均分", sheet: team, categories: CellRange(column: 0, rows: 1...2),
                            values: CellRange(column: 2, rows: 1...2))
        try chart.setTitle("各团队平均分")
        try chart.setAxisNames(x: "团队", y: "分数")
        try chart.setValueAxisRange(min: 0, max: 100)
        try chart.hideLegend()
        try team.insertChart(chart, row: 4, column: 0, xScale: 1.2)
        XCTAssertThrowsError(try team.insertChart(chart, row: 20, column: 0))

        // Ratings template: protected, unlocked input cells, validation.
        let ratings = try wb.addWorksheet("Ratings")
        try ratings.setHeader(draft)
        let input = try wb.format(CellFormat(numberFormat: "0.0", backgroundColor: .lightYellow, locked: false))
        try ratings.writeRow(0, [.string("工号"), .string("标准"), .string("评分"), .string("等级")], formats: [header, header, header, header])
        for (i, a) in agents.enumerated() {
            try ratings.writeRow(i + 1, [.string(a.id), .string("服务态度"), .blank, .blank], formats: [nil, nil, input, input])
        }
        try ratings.addDataValidation(CellRange(column: 2, rows: 1...agents.count),
                                      DataValidation(.decimal(0...5), inputTitle: "评分", inputMessage: "0 到 5",
                                                     errorTitle: "无效评分", errorMessage: "请输入 0 到 5 之间的数字"))
        try ratings.addDataValidation(CellRange(column: 3, rows: 1...agents.count),
                                      DataValidation(.list(["优秀", "良好", "合格", "不合格"]), errorMessage: "请从列表中选择"))
        try ratings.addDataValidation(CellRange(column: 4, rows: 1...agents.count), DataValidation(.whole(1...10)))
        try ratings.protect(options: ProtectionOptions(sort: true, autofilter: true))

        // About: every injected string, plain, as text.
        let about = try wb.addWorksheet("About")
        try about.setHeader(draft)
        for (i, s) in injected.enumerated() { try about.writeString(row: i, column: 0, s) }
        try about.writeBool(row: 0, column: 1, true)
        try about.writeNumber(row: 1, column: 1, 1e-7)
        try about.writeNumber(row: 2, column: 1, 123_456_789_012)
        try about.writeDateTime(row: 3, column: 1, DateTimeValue(year: 2026, month: 10, day: 31),
                                format: try wb.format(CellFormat(numberFormat: "yyyy-mm-dd")))
        try about.writeString(row: 4, column: 1, "")                 // empty string → blank
        try about.writeString(row: 5, column: 1, "行一\n行二\t制表")
        try about.writeString(row: 6, column: 1, "literal _x0041_ text")
        try about.writeString(row: 7, column: 1, String(repeating: "字", count: 32_767))

        try wb.close()
        XCTAssertTrue(wb.isClosed)
        XCTAssertThrowsError(try hr.writeString(row: 9, column: 0, "late")) { XCTAssertEqual($0 as? WorkbookError, .closed) }
        XCTAssertThrowsError(try wb.close()) { XCTAssertEqual($0 as? WorkbookError, .closed) }
        return path
    }

    func testFullWorkbookRoundTrip() throws {
        let path = try writeFullWorkbook()
        let reader = try XLSXReader(path: path)
        XCTAssertEqual(reader.sheetNames, ["HR Import", "Team Summary", "Ratings", "About"])

        let rows = try reader.rows(sheet: "HR Import")
        XCTAssertEqual(rows.map(\.number), [1, 2, 3, 4, 5])
        XCTAssertEqual(rows[0].cells, headers.map { .string($0) })
        for (i, a) in agents.enumerated() {
            let r = rows[i + 1]
            XCTAssertEqual(r.cells, [.string(a.id), .string(a.name), .string(a.team), .string("2026-10"),
                                     .number(a.score), .string(a.grade), .number(a.coef), .string(a.note)])
        }
        let hrXML = String(decoding: try reader.sheetXML("HR Import"), as: UTF8.self)
        XCTAssertFalse(hrXML.contains("<f>") || hrXML.contains("<f "), "no formula elements")
        XCTAssertTrue(hrXML.contains("<pane ") && hrXML.contains("state=\"frozen\""))
        XCTAssertTrue(hrXML.contains("<tableParts count=\"1\">"))
        XCTAssertTrue(hrXML.contains("<oddHeader>&amp;C草稿 DRAFT &amp;&amp; 未定稿</oddHeader>"))
        let table = String(decoding: try reader.partData("xl/tables/table1.xml"), as: UTF8.self)
        XCTAssertTrue(table.contains("ref=\"A1:H5\"") && table.contains("name=\"HRImport\"") && table.contains("TableStyleMedium2"))
        XCTAssertTrue(table.contains("<tableColumn id=\"1\" name=\"工号\"/>"))
        XCTAssertTrue(table.contains("<autoFilter ref=\"A1:H5\"/>"))

        let team = try reader.rows(sheet: "Team Summary")
        XCTAssertEqual(team[2].cells, [.string("理财二组"), .number(2), .number(76.56)])
        let chart = String(decoding: try reader.partData("xl/charts/chart1.xml"), as: UTF8.self)
        XCTAssertTrue(chart.contains("<c:barDir val=\"col\"/>"))
        XCTAssertTrue(chart.contains("'Team Summary'!$A$2:$A$3") && chart.contains("'Team Summary'!$C$2:$C$3"))
        XCTAssertTrue(chart.contains("各团队平均分") && chart.contains("平均分"))

        let ratingsXML = String(decoding: try reader.sheetXML("Ratings"), as: UTF8.self)
        XCTAssertTrue(ratingsXML.contains("<sheetProtection"))
        XCTAssertTrue(ratingsXML.contains("type=\"decimal\"") && ratingsXML.contains("<formula1>0</formula1><formula2>5</formula2>"))
        XCTAssertTrue(ratingsXML.contains("<formula1>\"优秀,良好,合格,不合格\"</formula1>"))
        XCTAssertTrue(ratingsXML.contains("type=\"whole\"") && ratingsXML.contains("请输入 0 到 5 之间的数字"))
        let ratings = try reader.rows(sheet: "Ratings")
        XCTAssertEqual(ratings.count, 5)
        XCTAssertEqual(ratings[1].cells, [.string("E001"), .string("服务态度")], "formatted blanks read as empty")
        let styles = String(decoding: try reader.partData("xl/styles.xml"), as: UTF8.self)
        XCTAssertTrue(styles.contains("<protection locked=\"0\"/>"))

        let about = try reader.rows(sheet: "About")
        XCTAssertEqual(about.map { $0[0] }, injected.map { .string($0) })
        XCTAssertEqual(about[0][1], .bool(true))
        XCTAssertEqual(about[1][1], .number(1e-7))
        XCTAssertEqual(about[2][1], .number(123_456_789_012))
        XCTAssertEqual(about[3][1], .number(46326))   // 2026-10-31 as an Excel serial
        XCTAssertEqual(about[4][1], .empty)
        XCTAssertEqual(about[5][1], .string("行一\n行二\t制表"))
        XCTAssertEqual(about[6][1], .string("literal _x0041_ text"))
        XCTAssertEqual(about[7][1].string?.count, 32_767)
        for name in reader.sheetNames {
            let xml = String(decoding: try reader.sheetXML(name), as: UTF8.self)
            XCTAssertFalse(xml.contains("<f>") || xml.contains("<f "), "\(name) has a formula")
            XCTAssertTrue(xml.contains("<oddHeader>"), "\(name) has the DRAFT header")
        }
        let core = String(decoding: try reader.partData("docProps/core.xml"), as: UTF8.self)
        XCTAssertTrue(core.contains("<dc:title>绩效考核 2026-10 (DRAFT)</dc:title>") && core.contains("<dc:creator>Scorebook</dc:creator>"))
        XCTAssertTrue(core.contains("2026-09-21T"), "fixed creation date")

        try runOpenpyxlCheck(path)
    }

    /// Runs Tests/tools/check_xlsx.py when python3 with openpyxl is available (CI installs it).
    func runOpenpyxlCheck(_ path: String) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tools/check_xlsx.py").path
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import openpyxl"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            print("note: openpyxl not installed; skipping check_xlsx.py")
            return
        }
        let spec: [String: Any] = [
            "sheets": ["HR Import", "Team Summary", "Ratings", "About"],
            "checks": [
                ["sheet": "HR Import", "header": headers, "rows": agents.count, "numeric_columns": ["最终得分", "奖金系数"],
                 "no_formulas": true, "no_blank_rows": true, "texts": ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "张三"],
                 "cells": ["B2": "张三", "E2": 91.256]],
                ["sheet": "About", "no_formulas": true, "texts": injected],
            ],
        ]
        let specURL = dir.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: spec).write(to: specURL)
        func run(_ args: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", script] + args
            try p.run(); p.waitUntilExit()
            return p.terminationStatus
        }
        XCTAssertEqual(try run([path, "--spec", specURL.path]), 0, "openpyxl check")
        // And the checker really fails on a mismatch.
        XCTAssertEqual(try run([path, "--sheet", "HR Import", "--rows", "99"]), 1)
    }

    func testConstantMemoryHundredThousandRows() throws {
        let path = dir.appendingPathComponent("big.xlsx").path
        let wb = try Workbook(path: path, options: .init(constantMemory: true, temporaryDirectory: dir.path))
        let ws = try wb.addWorksheet("Inspections")
        let num = try wb.format(CellFormat(numberFormat: "0.00"))
        try ws.setColumnWidth(0...4, width: 14)
        try ws.freezePanes(row: 1, column: 0)
        try ws.writeRow(0, [.string("会话"), .string("质检员"), .string("分数"), .string("致命错误"), .string("备注")])
        let n = 100_000
        for i in 1...n {
            try ws.writeString(row: i, column: 0, "S\(i)")
            try ws.writeString(row: i, column: 1, "质检员\(i % 17)")
            try ws.writeNumber(row: i, column: 2, Double(i % 10_000) / 100, format: num)
            try ws.writeBool(row: i, column: 3, i % 97 == 0)
            if i % 1000 == 0 { try ws.writeString(row: i, column: 4, "=cmd|'/c calc'!A0") }
        }
        XCTAssertThrowsError(try ws.writeString(row: 5, column: 0, "back")) {
            XCTAssertEqual($0 as? WorkbookError, .rowOrder(row: 5, currentRow: n))
        }
        XCTAssertThrowsError(try ws.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: 3, lastColumn: 0),
                                             TableOptions(headers: ["x"]))) { error in
            guard case .library(let function, _, _)? = error as? WorkbookError else { return XCTFail("\(error)") }
            XCTAssertEqual(function, "worksheet_add_table")
        }
        try wb.close()

        let reader = try XLSXReader(path: path)
        var count = 0
        var last: XLSXRow?
        try reader.forEachRow(sheet: "Inspections") { count += 1; last = $0 }
        XCTAssertEqual(count, n + 1)
        XCTAssertEqual(last?.number, n + 1)
        XCTAssertEqual(last?.cells, [.string("S\(n)"), .string("质检员\(n % 17)"), .number(0), .bool(false), .string("=cmd|'/c calc'!A0")])
        let xml = String(decoding: try reader.sheetXML("Inspections"), as: UTF8.self)
        XCTAssertTrue(xml.contains("t=\"inlineStr\""), "constant-memory strings are inline")
        XCTAssertFalse(xml.contains("<f>"))
    }
}
