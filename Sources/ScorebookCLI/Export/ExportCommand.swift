import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookReports
import ScorebookStore

/// `scorebook export`: the HR workbook of a month or a year (see `HRWorkbook`).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the HR workbook (.xlsx) of a finalized month or year.",
        discussion: """
        Sheets: HR Import (HR's import contract: header = the scheme's hr_columns ids, one row per agent), Team \
        Summary, Components, Inspections, Item Failures, Ratings (peer raters never named), About (versions, \
        row counts, SHA-256 of the HR Import rows). A period that is not finalized is refused unless --draft is \
        given; a draft says DRAFT in its file name (-DRAFT is inserted before .xlsx unless the name has it), \
        in About and in every sheet's page header and footer. A finalized period is always exported as final.
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var when: PeriodOrYear
    @Option(help: "Output file, or a folder to write the default name in (default appraisal-<period>.xlsx).") var out: String?
    @Flag(help: "Allow a period that is not finalized; the workbook is marked DRAFT.") var draft = false
    @Option(help: "Use constant-memory mode above this many inspections.")
    var constantMemoryAbove: Int = 20_000
    @Option(help: .hidden) var inspectionRowsPerSheet: Int = HRWorkbook.maxDataRows

    func run() throws {
        let (key, kind) = try when.resolve()
        let db = try store.open()
        let finalized = try db.read { db in try PeriodLocks.isFinalized(db, period: key) }
        // a folder given as --out gets the default file name inside it
        var isFolder: ObjCBool = false
        let name = "appraisal-\(key).xlsx"
        let chosen = out.map { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue
                                ? ($0 as NSString).appendingPathComponent(name) : $0 } ?? name
        let path = Self.outputPath(chosen, draft: !finalized && draft)
        // Ctrl-C or a kill mid-export: the half-written hidden file goes too (the output is never touched)
        let cleanup = InterruptCleanup(removing: HRWorkbook.temporaryPath(for: path),
                                       saying: "interrupted: \(path) was not written")
        defer { cleanup.end() }
        let summary = try HRWorkbook.write(db, HRWorkbook.Request(
            key: key, kind: kind, draft: draft, out: path, constantMemoryThreshold: constantMemoryAbove,
            inspectionRowsPerSheet: inspectionRowsPerSheet))
        let rows = summary.sheets.filter { $0.name != "About" }.map { "\($0.name) \($0.rows)" }.joined(separator: ", ")
        print("wrote \(summary.path)\(summary.finalized ? "" : " (DRAFT: \(key) is not finalized)")")
        print("  rows: \(rows)")
        print("  HR Import SHA-256: \(summary.sha256)")
        if summary.constantMemory { print("  large export: constant-memory mode (HR Import is still an Excel table)") }
    }

    /// The file name of a draft carries DRAFT: `-DRAFT` goes before the extension unless the name has it.
    static func outputPath(_ path: String, draft: Bool) -> String {
        guard draft else { return path }
        let file = (path as NSString).lastPathComponent
        if file.uppercased().contains("DRAFT") { return path }
        let ext = (file as NSString).pathExtension
        let dir = (path as NSString).deletingLastPathComponent
        let stem = ext.isEmpty ? file : (file as NSString).deletingPathExtension
        let name = "\(stem)-DRAFT.\(ext.isEmpty ? "xlsx" : ext)"
        return dir.isEmpty ? name : (dir as NSString).appendingPathComponent(name)
    }
}
