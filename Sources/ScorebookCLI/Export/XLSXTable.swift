import Foundation
import ScorebookCore
import ScorebookWorkbook

/// Reads a table from an .xlsx file (one Scorebook wrote, possibly edited and re-saved by Excel or
/// LibreOffice) as named text fields, the way `CSVTable` reads a CSV: the first sheet whose first non-blank
/// row holds every required column is the table; each later non-blank row is a record, numbered with its
/// spreadsheet row number (what a user sees in Excel). Numbers become their shortest decimal text
/// (4 → "4", 4.5 → "4.5"); blank rows are skipped; an error value or a formula without a saved result in
/// a named column is refused, naming the row and the column, and so is a value in a column without a
/// header (typed beside the table, it would be lost).
enum XLSXTable {
    static func read(path: String, columns required: [String],
                     body: @escaping (_ row: Int, _ fields: RecordFields) throws -> Void) throws {
        let reader: XLSXReader
        do {
            reader = try XLSXReader(path: path)
        } catch {
            throw DefinitionError(file: path, reason: "cannot read the workbook: \(error)")
        }
        for sheet in reader.sheets {
            var header: [String]?
            var matched = false
            try reader.forEachRow(sheet: sheet.name) { row in
                if row.isBlank { return }
                guard let columns = header else {
                    let names = row.cells.map { text($0).trimmingCharacters(in: .whitespaces) }
                    header = names
                    matched = required.allSatisfy(names.contains)
                    var named = Set<String>()
                    for name in names where matched && !name.isEmpty && !named.insert(name).inserted {
                        throw DefinitionError(file: path, line: row.number, reason: "sheet '\(sheet.name)': the header has column '\(name)' twice")
                    }
                    return
                }
                guard matched else { return }
                var values: [String: String] = [:]
                for (i, name) in columns.enumerated() where !name.isEmpty {
                    let value = row[i]
                    if case .error(let code) = value {
                        throw DefinitionError(file: path, line: row.number, field: name, reason: "the cell holds the error \(code)")
                    }
                    if value == .uncalculated {
                        throw DefinitionError(file: path, line: row.number, field: name, reason: """
                            the cell holds a formula whose result was not saved in the file (open and save it in \
                            Excel or LibreOffice, or type the value)
                            """)
                    }
                    values[name] = text(value)
                }
                // a value typed beside the table (a score one column too far right) would be lost: refused
                for i in row.cells.indices where i >= columns.count || columns[i].isEmpty {
                    let value = row.cells[i]
                    if value == .empty { continue }
                    if case .string(let s) = value, s.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                    throw DefinitionError(file: path, line: row.number, reason: """
                        sheet '\(sheet.name)', cell \(columnLetters(i))\(row.number): '\(text(value))' is in a column without a \
                        header — values go under the table's columns (\(required.joined(separator: ", ")))
                        """)
                }
                try body(row.number, RecordFields(values))
            }
            if matched { return }
        }
        throw DefinitionError(file: path, line: 1, reason: "no sheet has a header row with the columns \(required.joined(separator: ","))")
    }

    /// Spreadsheet column letters of a 0-based column index (0 → A, 26 → AA).
    static func columnLetters(_ index: Int) -> String {
        var n = index + 1, letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    static func text(_ value: XLSXValue) -> String {
        switch value {
        case .empty: return ""
        case .string(let s): return s
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .error(let e): return e
        case .uncalculated: return ""
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
            return DecimalMath.plain(n)
        }
    }
}
