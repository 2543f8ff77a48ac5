import CXLSXWriter

/// Errors thrown by the workbook writer.
public enum WorkbookError: Error, Equatable, CustomStringConvertible {
    /// A libxlsxwriter call returned an `lxw_error` other than `LXW_NO_ERROR`.
    /// `message` is the library's own text (`lxw_strerror`).
    case library(function: String, code: UInt32, message: String)
    /// A row or column outside Excel's grid (rows 0..<1_048_576, columns 0..<16_384; zero-based).
    case outOfBounds(row: Int, column: Int)
    /// An argument this wrapper rejects before calling C (with the reason).
    case invalidArgument(String)
    /// The workbook was already closed (or failed to close); its C objects are gone.
    case closed
    /// Constant-memory mode only: a row before the current one was written (rows must ascend).
    case rowOrder(row: Int, currentRow: Int)
    /// A `Format` or `Chart` created by another workbook was passed in.
    case foreignObject(String)

    public var description: String {
        switch self {
        case let .library(function, code, message):
            return "libxlsxwriter \(function) failed (lxw_error \(code)): \(message)"
        case let .outOfBounds(row, column):
            return "cell (row \(row), column \(column)) is outside the sheet (max \(Limits.maxRows) rows, \(Limits.maxColumns) columns)"
        case let .invalidArgument(reason):
            return "invalid argument: \(reason)"
        case .closed:
            return "the workbook is closed"
        case let .rowOrder(row, currentRow):
            return "constant-memory mode writes rows in order: row \(row) is before the current row \(currentRow)"
        case let .foreignObject(what):
            return "\(what) belongs to another workbook"
        }
    }
}

/// Excel's grid limits.
public enum Limits {
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384
    /// Excel's maximum characters in a cell.
    public static let maxStringLength = 32_767
}

@inline(__always)
func check(_ result: lxw_error, _ function: StaticString) throws {
    if result != LXW_NO_ERROR {
        throw WorkbookError.library(function: "\(function)", code: result.rawValue,
                                    message: String(cString: lxw_strerror(result)))
    }
}

@inline(__always)
func cell(_ row: Int, _ column: Int) throws -> (lxw_row_t, lxw_col_t) {
    guard row >= 0, row < Limits.maxRows, column >= 0, column < Limits.maxColumns else {
        throw WorkbookError.outOfBounds(row: row, column: column)
    }
    return (lxw_row_t(row), lxw_col_t(column))
}

@inline(__always)
func flag(_ value: Bool) -> UInt8 { value ? 1 : 0 }

/// Owns every C string and C struct handed to libxlsxwriter for one workbook.
///
/// libxlsxwriter keeps some `char *` fields (table names, column headers, validation lists, chart and
/// series names, document properties, tmpdir) or copies them only later; the arena keeps them alive until
/// `workbook_close` (or `lxw_workbook_free`) has returned, then frees everything at once.
final class CArena {
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var blocks: [UnsafeMutableRawPointer] = []

    /// A NUL-terminated copy of `s`. Throws if `s` contains NUL (C would silently truncate it).
    func string(_ s: String, what: String = "text") throws -> UnsafeMutablePointer<CChar> {
        if s.utf8.contains(0) { throw WorkbookError.invalidArgument("\(what) contains a NUL character") }
        let utf8 = Array(s.utf8CString)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        p.initialize(from: utf8, count: utf8.count)
        strings.append(p)
        return p
    }

    func optionalString(_ s: String?, what: String = "text") throws -> UnsafeMutablePointer<CChar>? {
        guard let s else { return nil }
        return try string(s, what: what)
    }

    /// Zero-filled storage for `count` values of `T` (a C struct or pointer array).
    func zeroed<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        let bytes = MemoryLayout<T>.stride * max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryLayout<T>.alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        blocks.append(raw)
        return raw.bindMemory(to: T.self, capacity: max(count, 1))
    }

    func freeAll() {
        for p in strings { p.deallocate() }
        for b in blocks { b.deallocate() }
        strings.removeAll()
        blocks.removeAll()
    }

    deinit { freeAll() }
}

/// Checks a string for a cell: no NUL, at most 32,767 characters (UTF-16 units, as Excel counts).
@inline(__always)
func checkCellText(_ s: String) throws {
    if s.utf16.count > Limits.maxStringLength {
        throw WorkbookError.invalidArgument("string of \(s.utf16.count) characters exceeds Excel's \(Limits.maxStringLength)")
    }
    if s.utf8.contains(0) { throw WorkbookError.invalidArgument("string contains a NUL character") }
}

/// Protects literal `_xHHHH_` sequences: OOXML readers (Excel, LibreOffice, openpyxl, `XLSXReader`) decode
/// them as escaped characters, and libxlsxwriter writes them unchanged, so `"_x0041_"` would read back as
/// `"A"`. Excel's own escape is `_x005F_` for the underscore; this applies it only where needed.
func escapeOOXMLLiterals(_ s: String) -> String {
    let u = Array(s.utf8)
    guard u.count >= 7 else { return s }
    func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
    }
    var out: [UInt8] = []
    var changed = false
    var i = 0
    while i < u.count {
        if u[i] == UInt8(ascii: "_"), i + 6 < u.count, u[i + 1] == UInt8(ascii: "x"), u[i + 6] == UInt8(ascii: "_"),
           isHex(u[i + 2]), isHex(u[i + 3]), isHex(u[i + 4]), isHex(u[i + 5]) {
            if !changed { out.reserveCapacity(u.count + 7); out.append(contentsOf: u[0..<i]); changed = true }
            out.append(contentsOf: Array("_x005F".utf8))
        }
        if changed { out.append(u[i]) }
        i += 1
    }
    return changed ? String(decoding: out, as: UTF8.self) : s
}
