import Foundation
import ScorebookCore

/// One cell of a listing: text, a number (unrounded; tables show `decimals` places), or null.
enum Cell {
    case text(String)
    case int(Int)
    case number(Double)
    case bool(Bool)
    case null
    /// JSON array; shown comma-joined in tables and CSV.
    case list([Cell])
    /// JSON object with ordered keys; shown as `key=value; …` in tables and CSV.
    case object([(String, Cell)])

    static func optional(_ value: Double?) -> Cell { value.map(Cell.number) ?? .null }
    static func optional(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }
    static func optional(_ value: Int?) -> Cell { value.map(Cell.int) ?? .null }
}

/// Every listing command renders through this: a table for people, CSV for spreadsheets (cells that a
/// spreadsheet would run as a formula are prefixed with `'`, as OWASP advises), JSON for scripts (one array
/// of objects, keys in column order, numbers unrounded, null for missing).
struct Listing {
    var columns: [String]
    var rows: [[Cell]] = []
    /// Decimal places shown in table output (CSV and JSON keep full precision).
    var decimals = 2

    init(columns: [String]) { self.columns = columns }

    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "listing row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return table()
        case .csv: return csv()
        case .json: return json()
        }
    }

    func print(_ format: OutputFormat) {
        Swift.print(render(format))
    }

    // MARK: table

    private func tableText(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return Self.visible(s)
        case .int(let i): return String(i)
        // half-up, as the workbook rounds (3.125 → 3.13; printf's %.2f would show 3.12)
        case .number(let d): return d.isFinite ? DecimalMath.fixed(d, decimals) : String(format: "%.\(decimals)f", d)
        case .bool(let b): return b ? "yes" : "no"
        case .null: return "-"
        case .list(let cells): return cells.map(tableText).joined(separator: ",")
        case .object(let pairs): return pairs.map { "\($0.0)=\(tableText($0.1))" }.joined(separator: "; ")
        }
    }

    /// Text for a terminal: control characters (a line break in a comment, an escape sequence in a name)
    /// are shown as their Control Pictures symbols (␊, ␛) — printed raw they would break the table into fake
    /// rows or drive the terminal. CSV and JSON keep the text as it is, escaped.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x20: out.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: out.append("\u{2421}")
            case 0x80...0x9F: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    func table() -> String {
        let texts = rows.map { $0.map(tableText) }
        var widths = columns.map(displayWidth)
        for row in texts { for (i, text) in row.enumerated() { widths[i] = max(widths[i], displayWidth(text)) } }
        func line(_ cells: [String], numeric: [Bool]) -> String {
            cells.enumerated().map { i, text in
                let pad = String(repeating: " ", count: widths[i] - displayWidth(text))
                return numeric[i] ? pad + text : text + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let numeric = columns.indices.map { i in
            !rows.isEmpty && rows.allSatisfy { row in
                switch row[i] {
                case .int, .number, .null: return true
                default: return false
                }
            }
        }
        var out = [line(columns, numeric: numeric), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += texts.map { line($0, numeric: numeric) }
        if rows.isEmpty { out.append("(none)") }
        return out.joined(separator: "\n")
    }

    // MARK: csv

    static func csvField(_ text: String, guardFormula: Bool) -> String {
        var value = text
        if guardFormula, let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            value = "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    /// A list or object inside one CSV cell: like the table's text, but numbers unrounded and null empty.
    private func csvText(_ cell: Cell) -> String {
        switch cell {
        case .number(let d): return jsonNumber(d)
        case .null: return ""
        case .list(let cells): return cells.map(csvText).joined(separator: ",")
        case .object(let pairs): return pairs.map { "\($0.0)=\(csvText($0.1))" }.joined(separator: "; ")
        default: return tableText(cell)
        }
    }

    func csv() -> String {
        var out = [columns.map { Listing.csvField($0, guardFormula: true) }.joined(separator: ",")]
        for row in rows {
            out.append(row.map { cell -> String in
                switch cell {
                case .text(let s): return Listing.csvField(s, guardFormula: true)
                case .int(let i): return String(i)
                case .number(let d): return jsonNumber(d)
                case .bool(let b): return b ? "1" : "0"
                case .null: return ""
                case .list, .object: return Listing.csvField(csvText(cell), guardFormula: true)
                }
            }.joined(separator: ","))
        }
        return out.joined(separator: "\n")
    }

    // MARK: json

    func json() -> String {
        if rows.isEmpty { return "[]" }
        let objects = rows.map { row in
            "  {" + zip(columns, row).map { key, cell in "\(jsonString(key)): \(jsonValue(cell))" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]"
    }

    private func jsonValue(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return jsonString(s)
        case .int(let i): return String(i)
        case .number(let d): return jsonNumber(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .list(let cells): return "[" + cells.map(jsonValue).joined(separator: ", ") + "]"
        case .object(let pairs): return "{" + pairs.map { "\(jsonString($0.0)): \(jsonValue($0.1))" }.joined(separator: ", ") + "}"
        }
    }
}

/// Shortest round-trip form of a number, without exponent for ordinary magnitudes (`85.5`, `100`, `0.1`).
func jsonNumber(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    let text = "\(value)"
    if text.contains("e") { return String(format: "%.17g", value) }
    return text
}

func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

/// Terminal columns a string occupies: East Asian wide characters count two.
func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
        let v = scalar.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
        return width + (wide ? 2 : 1)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
