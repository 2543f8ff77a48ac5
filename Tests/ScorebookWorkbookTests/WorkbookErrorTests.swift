import Foundation
import XCTest
@testable import ScorebookWorkbook

final class WorkbookErrorTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func libraryMessage(_ error: Error) -> String? {
        if case .library(_, _, let message)? = error as? WorkbookError { return message }
        return nil
    }

    func testArgumentAndLibraryErrors() throws {
        let wb = try Workbook(path: dir.appendingPathComponent("e.xlsx").path)
        let ws = try wb.addWorksheet("表一")
        XCTAssertThrowsError(try ws.writeString(row: 1_048_576, column: 0, "x")) {
            XCTAssertEqual($0 as? WorkbookError, .outOfBounds(row: 1_048_576, column: 0))
        }
        XCTAssertThrowsError(try ws.writeNumber(row: 0, column: 16_384, 1)) {
            XCTAssertEqual($0 as? WorkbookError, .outOfBounds(row: 0, column: 16_384))
        }
        XCTAssertThrowsError(try ws.writeNumber(row: -1, column: 0, 1))
        try ws.writeNumber(row: 1_048_575, column: 16_383, 1)   // the last cell is fine
        XCTAssertThrowsError(try ws.writeNumber(row: 0, column: 0, .nan))
        XCTAssertThrowsError(try ws.writeNumber(row: 0, column: 0, .infinity))
        XCTAssertThrowsError(try ws.writeString(row: 0, column: 0, "a\u{0}b"))
        XCTAssertThrowsError(try ws.writeString(row: 0, column: 0, String(repeating: "x", count: 32_768)))

        // Sheet names: libxlsxwriter's own errors, with its message.
        XCTAssertThrowsError(try wb.addWorksheet("表一")) { XCTAssertNotNil(self.libraryMessage($0)) }
        XCTAssertThrowsError(try wb.addWorksheet("a/b")) { XCTAssertNotNil(self.libraryMessage($0)) }
        XCTAssertThrowsError(try wb.addWorksheet(String(repeating: "名", count: 32))) {
            XCTAssertTrue(self.libraryMessage($0)?.contains("31") ?? false, "\($0)")
        }
        XCTAssertEqual(wb.sheetNames, ["表一"])

        // Tables.
        XCTAssertThrowsError(try ws.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: 2, lastColumn: 1),
                                             TableOptions(headers: ["a"])))
        XCTAssertThrowsError(try ws.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: 2, lastColumn: 1),
                                             TableOptions(headers: ["a", "A"])))
        XCTAssertThrowsError(try ws.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: 2, lastColumn: 1),
                                             TableOptions(name: "has space", headers: ["a", "b"])))
        XCTAssertThrowsError(try ws.addTable(CellRange(firstRow: 2, firstColumn: 0, lastRow: 0, lastColumn: 1),
                                             TableOptions(headers: ["a", "b"])))
        try ws.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: 2, lastColumn: 1), TableOptions(name: "T1", headers: ["a", "b"]))
        XCTAssertThrowsError(try ws.addTable(CellRange(firstRow: 1, firstColumn: 1, lastRow: 3, lastColumn: 2),
                                             TableOptions(headers: ["c", "d"])))
        XCTAssertThrowsError(try ws.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: 5, lastColumn: 0)))

        // Validation.
        let r = CellRange(column: 5, rows: 1...3)
        XCTAssertThrowsError(try ws.addDataValidation(r, DataValidation(.list(["a,b"]))))
        XCTAssertThrowsError(try ws.addDataValidation(r, DataValidation(.list([]))))
        XCTAssertThrowsError(try ws.addDataValidation(r, DataValidation(.list(Array(repeating: "优秀优秀优秀", count: 40)))))
        XCTAssertThrowsError(try ws.addDataValidation(r, DataValidation(.whole(1...5), errorTitle: String(repeating: "t", count: 33)))) {
            XCTAssertNotNil(self.libraryMessage($0), "\($0)")
        }

        // Headers longer than Excel's 255 characters.
        XCTAssertThrowsError(try ws.setHeader(String(repeating: "h", count: 256))) { XCTAssertNotNil(self.libraryMessage($0)) }

        // Charts: no series, literal '=' names, foreign objects.
        let chart = try wb.addChart(.column)
        XCTAssertThrowsError(try ws.insertChart(chart, row: 10, column: 0))
        XCTAssertThrowsError(try chart.setTitle("=Sheet1!$A$1"))
        let other = try Workbook(path: dir.appendingPathComponent("o.xlsx").path)
        let otherFormat = try other.format(CellFormat(bold: true))
        XCTAssertThrowsError(try ws.writeString(row: 0, column: 3, "x", format: otherFormat)) {
            XCTAssertEqual($0 as? WorkbookError, .foreignObject("format"))
        }
        let otherSheet = try other.addWorksheet("S")
        XCTAssertThrowsError(try chart.addSeries(name: nil, sheet: otherSheet, categories: r, values: r))
        // `other` is never closed: deinit frees it and writes nothing.
        try wb.close()
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("e.xlsx").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("o.xlsx").path))
    }

    func testCloseIntoMissingDirectoryThrowsLibraryError() throws {
        let wb = try Workbook(path: dir.appendingPathComponent("no/such/dir/x.xlsx").path)
        _ = try wb.addWorksheet("A")
        XCTAssertThrowsError(try wb.close()) { error in
            guard case .library(let function, _, let message)? = error as? WorkbookError else { return XCTFail("\(error)") }
            XCTAssertEqual(function, "workbook_close")
            XCTAssertTrue(message.contains("x.xlsx"), message)
        }
        XCTAssertTrue(wb.isClosed)
    }

    func testHeaderOnlyTable() throws {
        // An HR Import with no agents: the table still has its header row.
        let path = dir.appendingPathComponent("empty.xlsx").path
        let wb = try Workbook(path: path)
        let ws = try wb.addWorksheet("HR Import")
        try ws.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 1), TableOptions(headers: ["工号", "姓名"]))
        try wb.close()
        let rows = try XLSXReader(path: path).rows(sheet: "HR Import")
        XCTAssertEqual(rows.first?.cells, [.string("工号"), .string("姓名")])
    }

    func testVersion() {
        XCTAssertTrue(XLSXLibrary.version.hasPrefix("1."), XLSXLibrary.version)
    }
}

final class AbandonedWorkbookTests: XCTestCase {
    /// A workbook dropped without close() writes nothing and releases its constant-memory temp files.
    func testAbandonedConstantMemoryWorkbookReleasesTemporaryFiles() throws {
        let dir = try temporaryDirectory()
        // only the files open in this test's folder: other tests' threads may open and close files meanwhile
        func openFiles() -> Int {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return fds.filter { fd in
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) ?? "").hasPrefix(dir.path)
            }.count
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("never.xlsx").path
        let before = openFiles()
        do {
            let wb = try Workbook(path: path, options: .init(constantMemory: true, temporaryDirectory: dir.path))
            let a = try wb.addWorksheet("A")
            _ = try wb.addWorksheet("B")
            for i in 0..<1000 { try a.writeString(row: i, column: 0, "行\(i)") }
            XCTAssertGreaterThan(openFiles(), before)
        }
        XCTAssertEqual(openFiles(), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }
}
