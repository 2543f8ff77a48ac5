import CXLSXWriter
import Foundation

/// Document properties (File ▸ Properties in Excel).
public struct DocumentProperties: Sendable {
    public var title: String?
    public var subject: String?
    public var author: String?
    public var company: String?
    public var category: String?
    public var keywords: String?
    public var comments: String?
    public var status: String?
    /// Creation time stored in the file; `nil` means "now". Fix it for byte-comparable output.
    public var created: Date?
    public init(title: String? = nil, subject: String? = nil, author: String? = nil, company: String? = nil,
                category: String? = nil, keywords: String? = nil, comments: String? = nil,
                status: String? = nil, created: Date? = nil) {
        self.title = title; self.subject = subject; self.author = author; self.company = company
        self.category = category; self.keywords = keywords; self.comments = comments; self.status = status
        self.created = created
    }
}

/// An .xlsx file being written with libxlsxwriter. Nothing is written to `path` until `close()`.
///
/// Usage: `let wb = try Workbook(path:)`, add sheets/formats/charts, write cells, then `try wb.close()`.
/// After `close()` (successful or not) every `Worksheet`, `Format` and `Chart` of this workbook is dead and
/// their methods throw `.closed`. If a workbook is deallocated without `close()`, its C objects are freed
/// and no file is written.
///
/// Not thread-safe: use one workbook from one thread at a time.
public final class Workbook {
    public struct Options: Sendable {
        /// libxlsxwriter's constant-memory mode: each sheet keeps only the current row in memory and
        /// streams earlier rows to a temporary file. Restrictions (libxlsxwriter's, enforced here where
        /// possible):
        /// - cells must be written row by row in ascending row order per sheet (a write to an earlier row
        ///   throws `.rowOrder`); within a row any column order is fine;
        /// - strings are written inline (`t="inlineStr"`), not to the shared-string table;
        /// - Excel tables (`addTable`) are not supported: libxlsxwriter rejects them (thrown as `.library`
        ///   from `worksheet_add_table`); use `autofilter` + `freezePanes` on big sheets instead;
        /// - `setRowHeight` counts as writing that row;
        /// - column widths, freeze panes, autofilter, validation, protection, header/footer and charts work.
        public var constantMemory: Bool
        /// Directory for the temporary files (default: the system temp dir). Choose a disk-backed directory
        /// for large sheets on systems where /tmp is in memory.
        public var temporaryDirectory: String?
        /// Allow ZIP64 for files over 4 GB uncompressed.
        public var useZip64: Bool
        public init(constantMemory: Bool = false, temporaryDirectory: String? = nil, useZip64: Bool = false) {
            self.constantMemory = constantMemory; self.temporaryDirectory = temporaryDirectory
            self.useZip64 = useZip64
        }
    }

    public let path: String
    public let options: Options
    private(set) var handle: UnsafeMutablePointer<lxw_workbook>?
    let arena = CArena()
    private var formats: [CellFormat: Format] = [:]
    /// Names of the sheets added so far, in order.
    public private(set) var sheetNames: [String] = []

    public var isClosed: Bool { handle == nil }
    /// Unique per workbook in this process (an ObjectIdentifier could be reused after deallocation).
    let serial: UInt64

    private static let serialLock = NSLock()
    nonisolated(unsafe) private static var lastSerial: UInt64 = 0
    private static func nextSerial() -> UInt64 {
        serialLock.lock(); defer { serialLock.unlock() }
        lastSerial += 1
        return lastSerial
    }

    public init(path: String, options: Options = Options()) throws {
        guard !path.isEmpty else { throw WorkbookError.invalidArgument("empty path") }
        self.path = path
        self.options = options
        self.serial = Workbook.nextSerial()
        let opts = arena.zeroed(lxw_workbook_options.self)
        opts.pointee.constant_memory = flag(options.constantMemory)
        opts.pointee.use_zip64 = flag(options.useZip64)
        opts.pointee.tmpdir = try arena.optionalString(options.temporaryDirectory, what: "temporary directory")
        let cPath = try arena.string(path, what: "path")
        guard let wb = workbook_new_opt(cPath, opts) else {
            throw WorkbookError.library(function: "workbook_new_opt", code: LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue,
                                        message: "could not create the workbook for \(path)")
        }
        handle = wb
    }

    /// The sheets' C objects, to release their temporary files if the workbook is abandoned.
    private var sheetHandles: [UnsafeMutablePointer<lxw_worksheet>] = []

    deinit {
        if let handle {
            // Abandoned without close(): free without writing. libxlsxwriter 1.1.4's lxw_workbook_free does
            // not fclose the constant-memory temporary files (measured: one fd per sheet leaked), so close
            // them here first and clear the field.
            for ws in sheetHandles {
                if let f = ws.pointee.optimize_tmpfile {
                    fclose(f)
                    ws.pointee.optimize_tmpfile = nil
                }
            }
            lxw_workbook_free(handle)
        }
        arena.freeAll()
    }

    func live() throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let handle else { throw WorkbookError.closed }
        return handle
    }

    /// Adds a worksheet. Excel's name rules are checked by libxlsxwriter (≤ 31 characters, none of
    /// `[ ] : * ? / \`, no leading/trailing apostrophe, unique case-insensitively, not "History").
    /// Adds a sheet. In a constant-memory workbook, `inMemory: true` keeps this one sheet in memory as in
    /// normal mode — for a small sheet that needs what constant-memory mode cannot do (an Excel table, rows
    /// in any order, shared strings) while the large sheets stream to disk.
    ///
    /// How: libxlsxwriter 1.1.4 decides per sheet through the sheet's public `optimize` field, which
    /// `workbook_add_worksheet` copies from the workbook's option (the table check, the cell paths, the sheet
    /// XML writer and the string table all read the sheet's field). Turning it off is safe only before
    /// anything touches the sheet (done here, at once), and the temporary file the library already opened for
    /// the sheet must be closed here: the library closes it only when it writes an optimized sheet.
    public func addWorksheet(_ name: String, inMemory: Bool = false) throws -> Worksheet {
        let ws = try addWorksheetHandle(name)
        let streamed = options.constantMemory && !inMemory
        if options.constantMemory && inMemory {
            ws.pointee.optimize = 0
            if let file = ws.pointee.optimize_tmpfile {
                fclose(file)
                ws.pointee.optimize_tmpfile = nil
                ws.pointee.file = nil // the same FILE; the packager sets it before writing the sheet
            }
        }
        return Worksheet(name: name, workbook: self, handle: ws, constantMemory: streamed)
    }

    private func addWorksheetHandle(_ name: String) throws -> UnsafeMutablePointer<lxw_worksheet> {
        let wb = try live()
        let cName = try arena.string(name, what: "sheet name")
        try check(workbook_validate_sheet_name(wb, cName), "workbook_validate_sheet_name")
        guard let ws = workbook_add_worksheet(wb, cName) else {
            let reason = options.constantMemory ? " (constant-memory mode: could not create its temporary file)" : ""
            throw WorkbookError.library(function: "workbook_add_worksheet", code: LXW_ERROR_CREATING_TMPFILE.rawValue,
                                        message: "could not add sheet \(name)\(reason)")
        }
        sheetNames.append(name)
        sheetHandles.append(ws)
        return ws
    }

    /// The format for `spec`, created on first use and shared afterwards.
    public func format(_ spec: CellFormat) throws -> Format {
        if let f = formats[spec] { return f }
        let wb = try live()
        guard let p = workbook_add_format(wb) else {
            throw WorkbookError.library(function: "workbook_add_format", code: LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue,
                                        message: "could not add a format")
        }
        try spec.apply(to: p, arena: arena)
        let f = Format(spec: spec, pointer: p, owner: serial)
        formats[spec] = f
        return f
    }

    func resolve(_ format: Format?) throws -> UnsafeMutablePointer<lxw_format>? {
        guard let format else { return nil }
        guard format.owner == serial else { throw WorkbookError.foreignObject("format") }
        return format.pointer
    }

    /// Adds a chart; fill it with series and insert it on a sheet with `Worksheet.insertChart`.
    /// A chart must be inserted exactly once and have at least one series.
    public func addChart(_ type: ChartType) throws -> Chart {
        let wb = try live()
        guard let c = workbook_add_chart(wb, UInt8(type.lxw)) else {
            throw WorkbookError.library(function: "workbook_add_chart", code: LXW_ERROR_MEMORY_MALLOC_FAILED.rawValue,
                                        message: "could not add a chart")
        }
        return Chart(workbook: self, handle: c)
    }

    public func setProperties(_ p: DocumentProperties) throws {
        let wb = try live()
        let props = arena.zeroed(lxw_doc_properties.self)
        props.pointee.title = try arena.optionalString(p.title)
        props.pointee.subject = try arena.optionalString(p.subject)
        props.pointee.author = try arena.optionalString(p.author)
        props.pointee.company = try arena.optionalString(p.company)
        props.pointee.category = try arena.optionalString(p.category)
        props.pointee.keywords = try arena.optionalString(p.keywords)
        props.pointee.comments = try arena.optionalString(p.comments)
        props.pointee.status = try arena.optionalString(p.status)
        if let created = p.created { props.pointee.created = time_t(created.timeIntervalSince1970) }
        try check(workbook_set_properties(wb, props), "workbook_set_properties")
    }

    /// A custom document property (File ▸ Properties ▸ Custom), e.g. `("Draft", "yes")`.
    public func setCustomProperty(_ name: String, _ value: String) throws {
        let wb = try live()
        try check(workbook_set_custom_property_string(wb, try arena.string(name), try arena.string(value)),
                  "workbook_set_custom_property_string")
    }

    /// Writes the file and frees all C objects. Throws the library's error (e.g. the directory is not
    /// writable, or a chart has no series). Calling it again throws `.closed`.
    public func close() throws {
        let wb = try live()
        handle = nil   // workbook_close frees the workbook whatever it returns
        sheetHandles.removeAll()
        let result = workbook_close(wb)
        arena.freeAll()
        formats.removeAll()
        if result != LXW_NO_ERROR {
            throw WorkbookError.library(function: "workbook_close", code: result.rawValue,
                                        message: String(cString: lxw_strerror(result)) + " (\(path))")
        }
    }
}
