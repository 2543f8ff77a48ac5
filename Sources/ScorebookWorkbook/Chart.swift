import CXLSXWriter

public enum ChartType: Sendable {
    case column, bar, line, pie
    var lxw: UInt32 {
        switch self {
        case .column: return LXW_CHART_COLUMN.rawValue
        case .bar: return LXW_CHART_BAR.rawValue
        case .line: return LXW_CHART_LINE.rawValue
        case .pie: return LXW_CHART_PIE.rawValue
        }
    }
}

/// A zero-based, inclusive rectangle of cells.
public struct CellRange: Hashable, Sendable {
    public var firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int
    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow; self.firstColumn = firstColumn; self.lastRow = lastRow; self.lastColumn = lastColumn
    }
    /// A single column `column`, rows `rows`.
    public init(column: Int, rows: ClosedRange<Int>) {
        self.init(firstRow: rows.lowerBound, firstColumn: column, lastRow: rows.upperBound, lastColumn: column)
    }

    func checked() throws -> (lxw_row_t, lxw_col_t, lxw_row_t, lxw_col_t) {
        let (r1, c1) = try cell(firstRow, firstColumn)
        let (r2, c2) = try cell(lastRow, lastColumn)
        guard r1 <= r2, c1 <= c2 else {
            throw WorkbookError.invalidArgument("range rows \(firstRow)...\(lastRow), columns \(firstColumn)...\(lastColumn) is reversed")
        }
        return (r1, c1, r2, c2)
    }

    func overlaps(_ o: CellRange) -> Bool {
        firstRow <= o.lastRow && o.firstRow <= lastRow && firstColumn <= o.lastColumn && o.firstColumn <= lastColumn
    }
}

/// A chart of one workbook (from `Workbook.addChart`). Series refer to cell ranges of a sheet; the
/// data are read by Excel from those cells (libxlsxwriter also caches them when it can).
///
/// Names and titles are literal text; libxlsxwriter would treat a leading `=` as a cell reference,
/// so such text is rejected.
public final class Chart {
    let workbook: Workbook
    let handle: UnsafeMutablePointer<lxw_chart>
    private(set) var seriesCount = 0
    var inserted = false

    init(workbook: Workbook, handle: UnsafeMutablePointer<lxw_chart>) {
        self.workbook = workbook; self.handle = handle
    }

    private func literal(_ s: String, _ what: String) throws -> UnsafeMutablePointer<CChar> {
        if s.hasPrefix("=") { throw WorkbookError.invalidArgument("\(what) may not start with '=' (it would be a cell reference)") }
        return try workbook.arena.string(s, what: what)
    }

    /// Adds a series: `categories` (labels, e.g. team names) and `values` (numbers) are ranges on `sheet`.
    public func addSeries(name: String?, sheet: Worksheet, categories: CellRange, values: CellRange) throws {
        _ = try workbook.live()
        guard sheet.workbook === workbook else { throw WorkbookError.foreignObject("sheet") }
        let (cr1, cc1, cr2, cc2) = try categories.checked()
        let (vr1, vc1, vr2, vc2) = try values.checked()
        guard let series = chart_add_series(handle, nil, nil) else {
            throw WorkbookError.library(function: "chart_add_series", code: LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue,
                                        message: "could not add a series")
        }
        let sheetName = try workbook.arena.string(sheet.name, what: "sheet name")
        chart_series_set_categories(series, sheetName, cr1, cc1, cr2, cc2)
        chart_series_set_values(series, sheetName, vr1, vc1, vr2, vc2)
        if let name { chart_series_set_name(series, try literal(name, "series name")) }
        seriesCount += 1
    }

    public func setTitle(_ title: String) throws {
        _ = try workbook.live()
        chart_title_set_name(handle, try literal(title, "chart title"))
    }

    /// Axis titles (ignored by pie charts). `x` is the category axis, `y` the value axis.
    public func setAxisNames(x: String?, y: String?) throws {
        _ = try workbook.live()
        if let x, let axis = handle.pointee.x_axis { chart_axis_set_name(axis, try literal(x, "axis name")) }
        if let y, let axis = handle.pointee.y_axis { chart_axis_set_name(axis, try literal(y, "axis name")) }
    }

    /// Value-axis bounds, e.g. 0...100 for scores.
    public func setValueAxisRange(min: Double?, max: Double?) throws {
        _ = try workbook.live()
        guard let axis = handle.pointee.y_axis else { return }
        if let min { chart_axis_set_min(axis, min) }
        if let max { chart_axis_set_max(axis, max) }
    }

    /// Removes the legend (useful with a single series).
    public func hideLegend() throws {
        _ = try workbook.live()
        chart_legend_set_position(handle, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
    }
}
