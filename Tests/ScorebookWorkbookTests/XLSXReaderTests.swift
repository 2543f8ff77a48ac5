import Foundation
import XCTest
import ZIPFoundation
@testable import ScorebookWorkbook

/// The reader on files it did not write: hand-made parts shaped like LibreOffice/Excel re-saves.
final class XLSXReaderTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func makeZip(_ name: String, _ parts: [String: String]) throws -> URL {
        let url = dir.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
    let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    func libreOfficeLike() throws -> URL {
        try makeZip("lo.xlsx", [
            "[Content_Types].xml": "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
            "_rels/.rels": """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="\(relNS)/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """,
            "xl/_rels/workbook.xml.rels": """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId3" Type="\(relNS)/sharedStrings" Target="sharedStrings.xml"/>
                <Relationship Id="rId2" Type="\(relNS)/worksheet" Target="/xl/worksheets/second.xml"/>
                <Relationship Id="rId1" Type="\(relNS)/worksheet" Target="worksheets/sheet1.xml"/>
                </Relationships>
                """,
            "xl/workbook.xml": """
                <?xml version="1.0" encoding="UTF-8"?>
                <x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="\(relNS)">
                <x:sheets><x:sheet name="评分" sheetId="1" rel:id="rId1"/><x:sheet name="Other &amp; more" sheetId="2" state="hidden" rel:id="rId2"/></x:sheets>
                </x:workbook>
                """,
            "xl/sharedStrings.xml": """
                <?xml version="1.0" encoding="UTF-8"?>
                <sst \(ns) count="4" uniqueCount="4">
                <si><t xml:space="preserve">工号</t></si>
                <si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>
                <si><t>=1+1</t></si>
                <si><t>line_x000D_
                two _x005F_x0041_</t></si>
                </sst>
                """,
            "xl/worksheets/sheet1.xml": """
                <?xml version="1.0" encoding="UTF-8"?>
                <worksheet \(ns)><sheetData>
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>2</v></c></row>
                <row r="3" spans="1:6"><c r="A3" t="s"><v>1</v></c><c r="B3" s="2"><v>8.75E1</v></c><c r="C3" t="b"><v>1</v></c>
                  <c r="D3" t="str"><f>A3&amp;"x"</f><v>张三 x</v></c><c r="E3" t="inlineStr"><is><r><t>内</t></r><r><t>联</t></r></is></c><c r="F3" t="e"><v>#N/A</v></c></row>
                <row><c><v>1</v></c><c/><c t="s"><v>3</v></c><c s="1"/></row>
                <row r="6"><c r="XFD6"><v>-1.5e-3</v></c></row>
                <row r="7"><c r="A7" s="3"/></row>
                </sheetData></worksheet>
                """,
            "xl/worksheets/second.xml": "<worksheet \(ns)><sheetData><row r=\"2\"><c r=\"B2\"><v>42</v></c></row></sheetData></worksheet>",
        ])
    }

    func testReadsLibreOfficeShapedWorkbook() throws {
        let reader = try XLSXReader(url: try libreOfficeLike())
        XCTAssertEqual(reader.sheetNames, ["评分", "Other & more"])
        XCTAssertEqual(reader.sheets[1].state, "hidden")
        XCTAssertEqual(reader.sheets[1].part, "xl/worksheets/second.xml")
        XCTAssertEqual(try reader.sharedStrings()[1], "张三 ", "runs joined, phonetic run skipped, spaces kept")

        let rows = try reader.rows(sheet: "评分")
        XCTAssertEqual(rows.map(\.number), [1, 3, 4, 6, 7])
        XCTAssertEqual(rows[0].cells, [.string("工号"), .empty, .string("=1+1")])
        XCTAssertEqual(rows[1].cells, [.string("张三 "), .number(87.5), .bool(true), .string("张三 x"), .string("内联"), .error("#N/A")])
        XCTAssertEqual(rows[2].cells, [.number(1), .empty, .string("line\r\ntwo _x0041_")], "cells without r by position")
        XCTAssertEqual(rows[3].cells.count, 16_384)
        XCTAssertEqual(rows[3][16_383], .number(-0.0015))
        XCTAssertEqual(rows[3][0], .empty)
        XCTAssertEqual(rows[3][99_999], .empty, "out of range subscript is empty")
        XCTAssertTrue(rows[4].isBlank)
        XCTAssertEqual(try reader.rows(sheet: "Other & more"), [XLSXRow(number: 2, cells: [.empty, .number(42)])])
    }

    /// A formula whose result was not saved (a program that writes formulas without calculating them) is
    /// not a blank cell: its value is unknown. A formula with its saved result reads as that result.
    func testAFormulaWithoutItsSavedResultIsUncalculatedNotBlank() throws {
        let url = try makeZip("f.xlsx", [
            "xl/workbook.xml": "<workbook \(ns)><sheets><sheet name=\"S\" sheetId=\"1\"/></sheets></workbook>",
            "xl/worksheets/sheet1.xml": """
                <worksheet \(ns)><sheetData><row r="1"><c r="A1"><f>1+3</f></c><c r="B1"><f>1+3</f><v>4</v></c>\
                <c r="C1" t="str"><f>"a"&amp;"b"</f><v></v></c><c r="D1" s="1"/><c r="E1"><f>2+2</f><v/></c>\
                </row></sheetData></worksheet>
                """,
        ])
        let rows = try XLSXReader(url: url).rows(sheet: "S")
        // E1 as openpyxl writes a formula: an empty saved value is no value (a string result is typed `str`)
        XCTAssertEqual(rows.first?.cells, [.uncalculated, .number(4), .string(""), .empty, .uncalculated])
        XCTAssertEqual(rows.first?.isBlank, false)
    }

    func testErrors() throws {
        XCTAssertThrowsError(try XLSXReader(path: dir.appendingPathComponent("missing.xlsx").path)) {
            guard case .fileNotFound? = $0 as? XLSXReaderError else { return XCTFail("\($0)") }
        }
        let text = dir.appendingPathComponent("roster.xlsx")
        try Data("工号,姓名\nE001,张三\n".utf8).write(to: text)
        XCTAssertThrowsError(try XLSXReader(url: text)) { error in
            guard case .notAnXLSX(_, let reason)? = error as? XLSXReaderError else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "not a zip archive")
            XCTAssertTrue("\(error)".contains("is not an .xlsx workbook"))
        }
        let zip = try makeZip("other.zip", ["readme.txt": "hello"])
        XCTAssertThrowsError(try XLSXReader(url: zip)) { error in
            guard case .notAnXLSX? = error as? XLSXReaderError else { return XCTFail("\(error)") }
        }
        let reader = try XLSXReader(url: try libreOfficeLike())
        XCTAssertThrowsError(try reader.rows(sheet: "Ratings")) { error in
            XCTAssertEqual(error as? XLSXReaderError, .missingSheet("Ratings", available: ["评分", "Other & more"]))
            XCTAssertTrue("\(error)".contains("no sheet \"Ratings\""))
        }
        let bad = try makeZip("bad.xlsx", [
            "xl/workbook.xml": "<workbook \(ns)><sheets><sheet name=\"S\" sheetId=\"1\"/></sheets></workbook>",
            "xl/worksheets/sheet1.xml": "<worksheet \(ns)><sheetData><row r=\"2\"><c r=\"A2\" t=\"s\"><v>7</v></c></row></sheetData></worksheet>",
        ])
        let badReader = try XLSXReader(url: bad)
        XCTAssertThrowsError(try badReader.rows(sheet: "S")) { error in
            XCTAssertTrue("\(error)".contains("shared string index"), "\(error)")
        }
        // Oversized parts are refused (zip-bomb guard).
        let sheetSize = try reader.partData("xl/worksheets/sheet1.xml").count
        XCTAssertGreaterThan(sheetSize, try reader.partData("xl/workbook.xml").count)
        let small = try XLSXReader(url: dir.appendingPathComponent("lo.xlsx"), maxPartBytes: sheetSize - 1)
        XCTAssertEqual(small.sheetNames.count, 2)
        XCTAssertThrowsError(try small.rows(sheet: "评分")) { error in
            XCTAssertTrue("\(error)".contains("inflates to more than \(sheetSize - 1) bytes"), "\(error)")
        }
        // Errors from the row callback stop the parse and come back unchanged.
        struct Stop: Error {}
        XCTAssertThrowsError(try reader.forEachRow(sheet: "评分") { _ in throw Stop() }) { XCTAssertTrue($0 is Stop) }
    }

    func testHelpers() {
        XCTAssertEqual(columnIndex(fromReference: "A1"), 0)
        XCTAssertEqual(columnIndex(fromReference: "$AB$12"), 27)
        XCTAssertEqual(columnIndex(fromReference: "XFD1"), 16_383)
        XCTAssertNil(columnIndex(fromReference: "XFE1"))
        XCTAssertNil(columnIndex(fromReference: "12"))
        XCTAssertEqual(decodeOOXMLEscapes("a_x000D_b_x005F_x0041_"), "a\rb_x0041_")
        XCTAssertEqual(decodeOOXMLEscapes("_xZZZZ_"), "_xZZZZ_")
        XCTAssertEqual(XLSXReader.resolve("../media/x.png", base: "xl/worksheets"), "xl/media/x.png")
        XCTAssertEqual(XLSXReader.resolve("/xl/a.xml", base: "xl"), "xl/a.xml")
    }
}

final class EscapeTests: XCTestCase {
    func testLiteralEscapesRoundTrip() {
        for s in ["plain", "_x0041_", "a_x000D_b", "__x1234__", "_x12_", "_xGGGG_", "中文_x4E2D_"] {
            XCTAssertEqual(decodeOOXMLEscapes(escapeOOXMLLiterals(s)), s, s)
        }
        XCTAssertEqual(escapeOOXMLLiterals("_x0041_"), "_x005F_x0041_")
        XCTAssertEqual(escapeOOXMLLiterals("_xGGGG_"), "_xGGGG_")
    }
}
