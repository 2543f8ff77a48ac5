import Foundation
import XCTest
@testable import ScorebookWorkbook

/// 1,000,000 rows × 10 cells in constant-memory mode. Off by default (slow in debug builds); run with
/// `SCOREBOOK_BIG_XLSX=/path/out.xlsx swift test --filter LargeSheetTests` (the file is kept for checking,
/// e.g. with Tests/tools/check_xlsx.py).
final class LargeSheetTests: XCTestCase {
    func testMillionRowsTenColumns() throws {
        guard let path = ProcessInfo.processInfo.environment["SCOREBOOK_BIG_XLSX"] else {
            throw XCTSkip("set SCOREBOOK_BIG_XLSX=/path/out.xlsx to run")
        }
        let started = Date()
        let wb = try Workbook(path: path, options: .init(constantMemory: true))
        let ws = try wb.addWorksheet("Inspections")
        let num = try wb.format(CellFormat(numberFormat: "0.00"))
        try ws.writeRow(0, (0..<10).map { .string("列\($0)") })
        try ws.freezePanes(row: 1, column: 0)
        try ws.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: 1_000_000, lastColumn: 9))
        for i in 1...1_000_000 {
            try ws.writeString(row: i, column: 0, "S\(i)")
            try ws.writeString(row: i, column: 1, "质检员")
            try ws.writeString(row: i, column: 2, "rubric-v3")
            for c in 3..<9 { try ws.writeNumber(row: i, column: c, Double(i % 10_000) / 100, format: num) }
            try ws.writeBool(row: i, column: 9, i % 97 == 0)
        }
        let written = Date()
        try wb.close()
        print("wrote 1,000,000 × 10 cells: \(written.timeIntervalSince(started)) s writing, \(Date().timeIntervalSince(written)) s close")
    }
}
