import CXLSXWriter

/// A value for `Worksheet.write(row:column:_:format:)` and `writeRow`.
public enum CellValue: Equatable, Sendable {
    /// Always a string cell with exactly this text, even when it starts with `=`, `+`, `-` or `@`.
    /// The empty string writes a blank cell (libxlsxwriter's rule).
    case string(String)
    /// A numeric cell; must be finite. Use a `numberFormat` such as `"0.00"` for fixed decimals.
    case number(Double)
    case bool(Bool)
    /// No value; with a format a formatted blank cell is written (e.g. an unlocked input cell),
    /// without a format nothing is written.
    case blank
}

/// A calendar date and time, written as an Excel serial number; give it a date number format.
public struct DateTimeValue: Hashable, Sendable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Double = 0) {
        self.year = year; self.month = month; self.day = day; self.hour = hour; self.minute = minute; self.second = second
    }
}

public enum TableStyle: Hashable, Sendable {
    /// Excel's "Table Style Light n" (1...21), "Medium n" (1...28), "Dark n" (1...11).
    case light(Int), medium(Int), dark(Int)
    /// Excel's default table style, Medium 9.
    public static let `default` = TableStyle.medium(9)
}

/// An Excel table ("Format as Table") without a totals row. The table's first row is its header row;
/// libxlsxwriter writes the `headers` into that row itself (with `headerFormat`), so do not write
/// the header cells separately. A table has its own autofilter: do not also call `autofilter` on it.
public struct TableOptions: Sendable {
    /// Excel name such as `HRImport` (letters, digits, `_`, `.`; no spaces; not like a cell reference).
    /// `nil` gives `Table1`, `Table2`, ...
    public var name: String?
    /// One unique, non-empty header per column of the range.
    public var headers: [String]
    public var style: TableStyle
    public var bandedRows: Bool
    public var autofilter: Bool
    public init(name: String? = nil, headers: [String], style: TableStyle = .default,
                bandedRows: Bool = true, autofilter: Bool = true) {
        self.name = name; self.headers = headers; self.style = style
        self.bandedRows = bandedRows; self.autofilter = autofilter
    }
}

/// Excel data validation on a range.
public struct DataValidation: Sendable {
    public enum Rule: Sendable {
        /// A dropdown of literal values. Values may not contain `,` or `"`, and all values joined by
        /// commas must fit in 255 characters (Excel's limit).
        case list([String])
        /// A decimal number between the bounds (inclusive).
        case decimal(ClosedRange<Double>)
        /// A whole number between the bounds (inclusive).
        case whole(ClosedRange<Int>)
        /// Text whose length is between the bounds.
        case textLength(ClosedRange<Int>)
    }
    public enum ErrorStyle: Sendable { case stop, warning, information }

    public var rule: Rule
    public var ignoreBlank: Bool
    /// Titles ≤ 32 characters, messages ≤ 255 (Excel's limits, checked by libxlsxwriter).
    public var inputTitle: String?
    public var inputMessage: String?
    public var errorTitle: String?
    public var errorMessage: String?
    public var errorStyle: ErrorStyle

    public init(_ rule: Rule, ignoreBlank: Bool = true, inputTitle: String? = nil, inputMessage: String? = nil,
                errorTitle: String? = nil, errorMessage: String? = nil, errorStyle: ErrorStyle = .stop) {
        self.rule = rule; self.ignoreBlank = ignoreBlank; self.inputTitle = inputTitle
        self.inputMessage = inputMessage; self.errorTitle = errorTitle; self.errorMessage = errorMessage
        self.errorStyle = errorStyle
    }
}

/// What users may still do on a protected sheet. Defaults: select cells, edit unlocked cells, nothing else.
public struct ProtectionOptions: Sendable {
    public var selectLockedCells = true
    public var selectUnlockedCells = true
    public var formatCells = false
    public var formatColumns = false
    public var formatRows = false
    public var insertRows = false
    public var deleteRows = false
    public var sort = false
    public var autofilter = false
    public init(selectLockedCells: Bool = true, selectUnlockedCells: Bool = true, formatCells: Bool = false,
                formatColumns: Bool = false, formatRows: Bool = false, insertRows: Bool = false,
                deleteRows: Bool = false, sort: Bool = false, autofilter: Bool = false) {
        self.selectLockedCells = selectLockedCells; self.selectUnlockedCells = selectUnlockedCells
        self.formatCells = formatCells; self.formatColumns = formatColumns; self.formatRows = formatRows
        self.insertRows = insertRows; self.deleteRows = deleteRows; self.sort = sort; self.autofilter = autofilter
    }
}

/// A sheet of a `Workbook`. Rows and columns are zero-based (row 0 is Excel's row 1, column 0 is `A`).
/// There is deliberately no formula API: every text is written with `worksheet_write_string`.
public final class Worksheet {
    public let name: String
    public let workbook: Workbook
    let handle: UnsafeMutablePointer<lxw_worksheet>
    private let constantMemory: Bool
    private var currentRow = 0
    private var tables: [CellRange] = []
    private var autofilterRange: CellRange?

    init(name: String, workbook: Workbook, handle: UnsafeMutablePointer<lxw_worksheet>, constantMemory: Bool) {
        self.name = name; self.workbook = workbook; self.handle = handle
        self.constantMemory = constantMemory
    }

    @inline(__always)
    private func live() throws -> UnsafeMutablePointer<lxw_worksheet> {
        if workbook.isClosed { throw WorkbookError.closed }
        return handle
    }

    @inline(__always)
    private func target(_ row: Int, _ column: Int) throws -> (lxw_row_t, lxw_col_t) {
        let rc = try cell(row, column)
        if constantMemory {
            if row < currentRow { throw WorkbookError.rowOrder(row: row, currentRow: currentRow) }
            currentRow = row
        }
        return rc
    }

    // MARK: Cells

    /// Writes `text` as a string cell, whatever it starts with (never a formula). At most 32,767 characters;
    /// no NUL. An empty string writes a blank cell. A literal `_xHHHH_` in the text is stored escaped
    /// (`_x005F_xHHHH_`) so every reader returns the exact text.
    public func writeString(row: Int, column: Int, _ text: String, format: Format? = nil) throws {
        let ws = try live()
        let (r, c) = try target(row, column)
        try checkCellText(text)
        let f = try workbook.resolve(format)
        let stored = escapeOOXMLLiterals(text)
        try stored.withCString { try check(worksheet_write_string(ws, r, c, $0, f), "worksheet_write_string") }
    }

    /// Writes a numeric cell. NaN and infinities are rejected (they would corrupt the file).
    public func writeNumber(row: Int, column: Int, _ value: Double, format: Format? = nil) throws {
        let ws = try live()
        let (r, c) = try target(row, column)
        guard value.isFinite else { throw WorkbookError.invalidArgument("number \(value) at row \(row), column \(column) is not finite") }
        try check(worksheet_write_number(ws, r, c, value, try workbook.resolve(format)), "worksheet_write_number")
    }

    public func writeBool(row: Int, column: Int, _ value: Bool, format: Format? = nil) throws {
        let ws = try live()
        let (r, c) = try target(row, column)
        try check(worksheet_write_boolean(ws, r, c, value ? 1 : 0, try workbook.resolve(format)), "worksheet_write_boolean")
    }

    /// A formatted blank cell (nothing is written without a format).
    public func writeBlank(row: Int, column: Int, format: Format? = nil) throws {
        let ws = try live()
        let (r, c) = try target(row, column)
        try check(worksheet_write_blank(ws, r, c, try workbook.resolve(format)), "worksheet_write_blank")
    }

    /// A date/time as an Excel serial number; `format` should carry a date number format (`"yyyy-mm-dd"`).
    public func writeDateTime(row: Int, column: Int, _ value: DateTimeValue, format: Format) throws {
        let ws = try live()
        let (r, c) = try target(row, column)
        var dt = lxw_datetime(year: Int32(clamping: value.year), month: Int32(clamping: value.month),
                              day: Int32(clamping: value.day), hour: Int32(clamping: value.hour),
                              min: Int32(clamping: value.minute), sec: value.second)
        try check(worksheet_write_datetime(ws, r, c, &dt, try workbook.resolve(format)), "worksheet_write_datetime")
    }

    public func write(row: Int, column: Int, _ value: CellValue, format: Format? = nil) throws {
        switch value {
        case .string(let s): try writeString(row: row, column: column, s, format: format)
        case .number(let n): try writeNumber(row: row, column: column, n, format: format)
        case .bool(let b): try writeBool(row: row, column: column, b, format: format)
        case .blank: try writeBlank(row: row, column: column, format: format)
        }
    }

    /// Writes `values` left to right from `startColumn`. `formats[i]` (if present) styles `values[i]`.
    public func writeRow(_ row: Int, startColumn: Int = 0, _ values: [CellValue], formats: [Format?] = []) throws {
        for (i, v) in values.enumerated() {
            try write(row: row, column: startColumn + i, v, format: i < formats.count ? formats[i] : nil)
        }
    }

    // MARK: Layout

    /// Column width in Excel character units (0...255) for `columns`, optionally with a default format.
    public func setColumnWidth(_ columns: ClosedRange<Int>, width: Double, format: Format? = nil) throws {
        let ws = try live()
        let (_, c1) = try cell(0, columns.lowerBound)
        let (_, c2) = try cell(0, columns.upperBound)
        guard width >= 0, width <= 255 else { throw WorkbookError.invalidArgument("column width \(width)") }
        try check(worksheet_set_column(ws, c1, c2, width, try workbook.resolve(format)), "worksheet_set_column")
    }

    public func setColumnWidth(_ column: Int, width: Double, format: Format? = nil) throws {
        try setColumnWidth(column...column, width: width, format: format)
    }

    /// Row height in points. In constant-memory mode call it before writing the row's cells.
    public func setRowHeight(_ row: Int, height: Double, format: Format? = nil) throws {
        let ws = try live()
        let (r, _) = try target(row, 0)
        guard height >= 0, height <= 409 else { throw WorkbookError.invalidArgument("row height \(height)") }
        try check(worksheet_set_row(ws, r, height, try workbook.resolve(format)), "worksheet_set_row")
    }

    /// Freezes the rows above `row` and the columns left of `column`: `freezePanes(row: 1, column: 0)`
    /// freezes the header row.
    public func freezePanes(row: Int, column: Int) throws {
        let ws = try live()
        let (r, c) = try cell(row, column)
        worksheet_freeze_panes(ws, r, c)
    }

    /// An autofilter on `range` (header row first). One per sheet; may not overlap a table.
    public func autofilter(_ range: CellRange) throws {
        let ws = try live()
        let (r1, c1, r2, c2) = try range.checked()
        if tables.contains(where: { $0.overlaps(range) }) {
            throw WorkbookError.invalidArgument("autofilter overlaps a table (tables have their own autofilter)")
        }
        try check(worksheet_autofilter(ws, r1, c1, r2, c2), "worksheet_autofilter")
        autofilterRange = range
    }

    /// Adds an Excel table over `range` (header row + data rows). Not available in constant-memory mode.
    /// Tables may not overlap each other or the sheet's autofilter. Excel needs at least one data row:
    /// a header-only range (no data yet) is extended by one empty row, as Excel itself does.
    public func addTable(_ range: CellRange, _ options: TableOptions) throws {
        let ws = try live()
        var range = range
        if range.firstRow == range.lastRow && range.lastRow + 1 < Limits.maxRows { range.lastRow += 1 }
        let (r1, c1, r2, c2) = try range.checked()
        let width = Int(c2) - Int(c1) + 1
        guard options.headers.count == width else {
            throw WorkbookError.invalidArgument("table has \(width) columns but \(options.headers.count) headers")
        }
        var seen = Set<String>()
        for h in options.headers {
            guard !h.isEmpty else { throw WorkbookError.invalidArgument("empty table header") }
            guard seen.insert(h.lowercased()).inserted else { throw WorkbookError.invalidArgument("duplicate table header \(h)") }
            try checkCellText(h)
        }
        if let n = options.name, n.isEmpty || n.contains(where: { $0.isWhitespace }) {
            throw WorkbookError.invalidArgument("table name \"\(n)\" is empty or contains spaces")
        }
        if tables.contains(where: { $0.overlaps(range) }) { throw WorkbookError.invalidArgument("table overlaps another table") }
        if let a = autofilterRange, a.overlaps(range) { throw WorkbookError.invalidArgument("table overlaps the sheet's autofilter") }

        let arena = workbook.arena
        let columns = arena.zeroed(UnsafeMutablePointer<lxw_table_column>?.self, count: width + 1)
        for (i, h) in options.headers.enumerated() {
            let col = arena.zeroed(lxw_table_column.self)
            col.pointee.header = try arena.string(h, what: "table header")
            columns[i] = col
        }
        columns[width] = nil
        let opts = arena.zeroed(lxw_table_options.self)
        opts.pointee.name = try arena.optionalString(options.name, what: "table name")
        opts.pointee.no_banded_rows = flag(!options.bandedRows)
        opts.pointee.no_autofilter = flag(!options.autofilter)
        switch options.style {
        case .light(let n):
            opts.pointee.style_type = UInt8(LXW_TABLE_STYLE_TYPE_LIGHT.rawValue); opts.pointee.style_type_number = UInt8(clamping: n)
        case .medium(let n):
            opts.pointee.style_type = UInt8(LXW_TABLE_STYLE_TYPE_MEDIUM.rawValue); opts.pointee.style_type_number = UInt8(clamping: n)
        case .dark(let n):
            opts.pointee.style_type = UInt8(LXW_TABLE_STYLE_TYPE_DARK.rawValue); opts.pointee.style_type_number = UInt8(clamping: n)
        }
        opts.pointee.columns = columns
        try check(worksheet_add_table(ws, r1, c1, r2, c2, opts), "worksheet_add_table")
        tables.append(range)
    }

    // MARK: Header, footer, protection, validation

    /// Excel header/footer text uses `&` codes (`&C` centre, `&P` page number, `&A` sheet name ...).
    /// Wrap literal text with this to double its ampersands.
    public static func literalHeaderFooterText(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&&")
    }

    /// Sets the page header (≤ 255 characters including codes), e.g. `"&C草稿 DRAFT"`.
    public func setHeader(_ text: String) throws {
        let ws = try live()
        try check(worksheet_set_header(ws, try workbook.arena.string(text, what: "header")), "worksheet_set_header")
    }

    public func setFooter(_ text: String) throws {
        let ws = try live()
        try check(worksheet_set_footer(ws, try workbook.arena.string(text, what: "footer")), "worksheet_set_footer")
    }

    /// Protects the sheet: cells are locked unless their format has `locked: false`. The password only
    /// deters casual edits (Excel's legacy 16-bit hash); `nil` protects without a password.
    public func protect(password: String? = nil, options: ProtectionOptions = ProtectionOptions()) throws {
        let ws = try live()
        let o = workbook.arena.zeroed(lxw_protection.self)
        o.pointee.no_select_locked_cells = flag(!options.selectLockedCells)
        o.pointee.no_select_unlocked_cells = flag(!options.selectUnlockedCells)
        o.pointee.format_cells = flag(options.formatCells)
        o.pointee.format_columns = flag(options.formatColumns)
        o.pointee.format_rows = flag(options.formatRows)
        o.pointee.insert_rows = flag(options.insertRows)
        o.pointee.delete_rows = flag(options.deleteRows)
        o.pointee.sort = flag(options.sort)
        o.pointee.autofilter = flag(options.autofilter)
        worksheet_protect(ws, try workbook.arena.optionalString(password, what: "password"), o)
    }

    /// Adds data validation to `range`.
    public func addDataValidation(_ range: CellRange, _ validation: DataValidation) throws {
        let ws = try live()
        let (r1, c1, r2, c2) = try range.checked()
        let arena = workbook.arena
        let v = arena.zeroed(lxw_data_validation.self)
        switch validation.rule {
        case .list(let values):
            guard !values.isEmpty else { throw WorkbookError.invalidArgument("empty validation list") }
            for s in values where s.isEmpty || s.contains(",") || s.contains("\"") {
                throw WorkbookError.invalidArgument("validation list value \"\(s)\" is empty or contains ',' or '\"'")
            }
            let joined = values.joined(separator: ",").utf16.count
            guard joined <= 255 else {
                throw WorkbookError.invalidArgument("validation list is \(joined) characters; Excel allows 255")
            }
            let list = arena.zeroed(UnsafeMutablePointer<CChar>?.self, count: values.count + 1)
            for (i, s) in values.enumerated() { list[i] = try arena.string(s, what: "validation value") }
            list[values.count] = nil
            v.pointee.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
            v.pointee.value_list = list
        case .decimal(let r):
            guard r.lowerBound.isFinite, r.upperBound.isFinite else { throw WorkbookError.invalidArgument("non-finite bound") }
            v.pointee.validate = UInt8(LXW_VALIDATION_TYPE_DECIMAL.rawValue)
            v.pointee.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
            v.pointee.minimum_number = r.lowerBound; v.pointee.maximum_number = r.upperBound
        case .whole(let r):
            v.pointee.validate = UInt8(LXW_VALIDATION_TYPE_INTEGER.rawValue)
            v.pointee.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
            v.pointee.minimum_number = Double(r.lowerBound); v.pointee.maximum_number = Double(r.upperBound)
        case .textLength(let r):
            v.pointee.validate = UInt8(LXW_VALIDATION_TYPE_LENGTH.rawValue)
            v.pointee.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
            v.pointee.minimum_number = Double(r.lowerBound); v.pointee.maximum_number = Double(r.upperBound)
        }
        v.pointee.ignore_blank = UInt8(validation.ignoreBlank ? LXW_VALIDATION_ON.rawValue : LXW_VALIDATION_OFF.rawValue)
        switch validation.errorStyle {
        case .stop: v.pointee.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_STOP.rawValue)
        case .warning: v.pointee.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_WARNING.rawValue)
        case .information: v.pointee.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_INFORMATION.rawValue)
        }
        v.pointee.input_title = try arena.optionalString(validation.inputTitle)
        v.pointee.input_message = try arena.optionalString(validation.inputMessage)
        v.pointee.error_title = try arena.optionalString(validation.errorTitle)
        v.pointee.error_message = try arena.optionalString(validation.errorMessage)
        try check(worksheet_data_validation_range(ws, r1, c1, r2, c2, v), "worksheet_data_validation_range")
    }

    // MARK: Charts and view

    /// Inserts `chart` with its top-left corner at the cell; scale 1 is 480×288 pixels.
    /// A chart must have at least one series and can be inserted once.
    public func insertChart(_ chart: Chart, row: Int, column: Int, xScale: Double = 1, yScale: Double = 1) throws {
        let ws = try live()
        let (r, c) = try cell(row, column)
        guard chart.workbook === workbook else { throw WorkbookError.foreignObject("chart") }
        guard chart.seriesCount > 0 else { throw WorkbookError.invalidArgument("chart has no series") }
        guard !chart.inserted else { throw WorkbookError.invalidArgument("chart is already inserted") }
        guard xScale > 0, yScale > 0 else { throw WorkbookError.invalidArgument("chart scale must be positive") }
        let o = workbook.arena.zeroed(lxw_chart_options.self)
        o.pointee.x_scale = xScale; o.pointee.y_scale = yScale
        try check(worksheet_insert_chart_opt(ws, r, c, chart.handle, o), "worksheet_insert_chart_opt")
        chart.inserted = true
    }

    /// Makes this the sheet shown when the file opens.
    public func activate() throws { worksheet_activate(try live()) }

    /// Selects `range` (the cursor position when the file opens).
    public func setSelection(_ range: CellRange) throws {
        let ws = try live()
        let (r1, c1, r2, c2) = try range.checked()
        worksheet_set_selection(ws, r1, c1, r2, c2)
    }

    public func setLandscape() throws { worksheet_set_landscape(try live()) }
}
