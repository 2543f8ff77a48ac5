import Crypto
import Foundation
import GRDB
import ScorebookCore
import ScorebookStore
import ScorebookWorkbook

/// The HR workbook of a month or a year (DESIGN.md "The HR workbook"; README "HR workbook").
///
/// Sheets, in order: `HR Import` (HR's import contract), `Team Summary` (with a chart), `Components`,
/// `Inspections` (continued in `Inspections (2)`, … past Excel's 1,048,576 rows), `Item Failures`,
/// `Ratings`, `About`. Everything is read in one read transaction (a consistent snapshot) and written
/// through the ScorebookWorkbook API, which never writes a formula: text from people is always a string
/// cell with its exact text.
///
/// `HR Import`: row 1 holds the scheme's `hr_columns` **ids** (the machine contract; the Chinese labels are
/// listed in `About`), then one row per agent in employee-id order. Numbers are numeric cells rounded
/// half-up (decimal arithmetic) to the decimals they are shown with — 2 for scores and the bonus
/// coefficient, 0 for `months`, 6 for `final_score_unrounded` — so the stored value is the displayed one.
/// The sheet is an Excel table (autofilter, banded rows) with a frozen header.
///
/// Large exports: when the period has more than `constantMemoryThreshold` inspections (default 20,000), the
/// workbook is written in libxlsxwriter's constant-memory mode (rows stream to temporary files; peak memory
/// stays ≈ 50 MB for a million inspection rows). Without it libxlsxwriter holds every cell until `close()`
/// (measured ≈ 1.6 KB per inspection row), so the default keeps every export under 100 MB. `HR Import` (one
/// row per agent) is kept in memory even then (`Workbook.addWorksheet(_:inMemory:)`), so it is an Excel
/// table in every export.
///
/// The SHA-256 in `About` is computed over the HR Import rows serialized canonically: the header row and
/// then each data row, each row's cells joined by a tab (U+0009), rows joined by a line feed (U+000A), no
/// trailing line feed, UTF-8; a text cell is its exact text, a number is printed with its column's fixed
/// decimals (e.g. `87.50`), an empty cell is the empty string.
public enum HRWorkbook {
    public struct Request {
        public var key: String
        public var kind: SchemeKind
        public var draft: Bool
        public var out: String
        public var generatedAt = Date()
        public var constantMemoryThreshold = 20_000
        /// Data rows per Inspections sheet (Excel's limit; lowered only by tests of the continuation sheets).
        public var inspectionRowsPerSheet = HRWorkbook.maxDataRows

        public init(key: String, kind: SchemeKind, draft: Bool, out: String, generatedAt: Date = Date(),
                    constantMemoryThreshold: Int = 20_000, inspectionRowsPerSheet: Int = HRWorkbook.maxDataRows) {
            self.key = key
            self.kind = kind
            self.draft = draft
            self.out = out
            self.generatedAt = generatedAt
            self.constantMemoryThreshold = constantMemoryThreshold
            self.inspectionRowsPerSheet = inspectionRowsPerSheet
        }
    }

    public struct Summary {
        public var path: String
        public var finalized: Bool
        public var sheets: [(name: String, rows: Int)]
        public var sha256: String
        public var constantMemory: Bool
    }

    static let sheetNames = ["HR Import", "Team Summary", "Components", "Inspections", "Item Failures", "Ratings", "About"]
    /// Data rows per `Inspections` sheet: Excel's 1,048,576 rows less the header.
    public static let maxDataRows = 1_048_575

    /// Where `write` builds the workbook before renaming it to `out`: a hidden file beside it, named after this
    /// process (so an interrupted export can be cleaned up, and two exports never share one).
    public static func temporaryPath(for out: String) -> String {
        let outURL = URL(fileURLWithPath: out)
        return outURL.deletingLastPathComponent()
            .appendingPathComponent(".\(outURL.deletingPathExtension().lastPathComponent).\(getpid()).tmp.xlsx").path
    }

    /// Decimals of an HR Import number column.
    static func decimals(_ column: String) -> Int {
        switch column {
        case "months": return 0
        case "final_score_unrounded": return 6
        default: return 2
        }
    }

    /// The HR Import cells of one result, numbers already rounded half-up to the column's decimals.
    static func hrRow(_ result: AppraisalResult, columns: [HRColumn], name: String) -> [HRCell] {
        columns.map { column in
            switch result.hrValue(column.id, name: name) {
            case .number(let x): return .number(DecimalMath.roundHalfUp(x, places: decimals(column.id)))
            case let other: return other
            }
        }
    }

    /// The canonical serialization hashed into `About` (see the type's documentation).
    static func canonical(columns: [HRColumn], rows: [[HRCell]]) -> String {
        var lines = [columns.map(\.id).joined(separator: "\t")]
        for row in rows {
            lines.append(zip(columns, row).map { column, cell in
                switch cell {
                case .text(let s): return s
                case .number(let x): return DecimalMath.fixed(x, decimals(column.id))
                case .empty: return ""
                }
            }.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n")
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the workbook to `request.out` (through a temporary file in the same folder, renamed at the end,
    /// so a failed export leaves no partial file). Throws when there are no appraisals, or when the period is
    /// not finalized and `draft` is false.
    public static func write(_ store: Store, _ request: Request) throws -> Summary {
        try store.read { db in
            // One pass over a large period needs no big page cache (the store's default is 64 MiB): keep the
            // export's peak memory small, and restore the setting afterwards.
            let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -4096")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
            return try write(db, request, databasePath: store.path)
        }
    }

    private static func write(_ db: Database, _ request: Request, databasePath: String) throws -> Summary {
        let key = request.key
        let results = try Appraisals.list(db, period: key)
        guard let first = results.first else {
            throw ExportError("no appraisals for \(key): run `scorebook appraise \(request.kind == .annual ? "--year" : "--period") \(key)` first")
        }
        let finalized = try PeriodLocks.isFinalized(db, period: key)
        guard finalized || request.draft else {
            throw ExportError("period \(key) is not finalized: finalize it (`scorebook finalize --period \(key)`) or pass --draft for a DRAFT workbook")
        }
        let schemeDigest = try Appraisals.schemeDigest(db, period: key)
        guard let scheme = try Schemes.find(db, id: first.schemeID, version: first.schemeVersion, digest: schemeDigest)?.scheme else {
            throw ExportError("scheme \(first.schemeID) v\(first.schemeVersion) of the \(key) appraisals is not stored")
        }
        // Every sheet shows each appraised employee's name and team as the appraisal was computed with them:
        // a roster change after finalizing must not change the finalized workbook.
        var employees = Dictionary(uniqueKeysWithValues: try Employees.all(db).map { ($0.employeeID, $0) })
        let names = try Appraisals.names(db, period: key)
        for r in results where employees[r.employeeID] != nil {
            employees[r.employeeID]!.team = r.team
            if let name = names[r.employeeID] { employees[r.employeeID]!.name = name }
        }
        let inspectionCount = try Inspections.count(db, period: key)
        let constantMemory = inspectionCount > request.constantMemoryThreshold
        let draft = !finalized

        let fm = FileManager.default
        let outURL = URL(fileURLWithPath: request.out)
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: outURL.deletingLastPathComponent().path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExportError("cannot write \(request.out): the folder \(outURL.deletingLastPathComponent().path) does not exist")
        }
        try checkOutput(request.out, databasePath: databasePath)
        // (written beside the output under a hidden name, then renamed: a reader never sees half a workbook)
        let temp = temporaryPath(for: request.out)
        defer { try? fm.removeItem(atPath: temp) }

        let wb = try Workbook(path: temp, options: .init(constantMemory: constantMemory))
        let writer = try SheetWriter(wb, draft: draft, title: "\(scheme.name ?? scheme.id) \(key)")
        try wb.setProperties(DocumentProperties(
            title: "\(draft ? "DRAFT " : "")绩效考核 \(key)", subject: "HR workbook \(key)", author: "Scorebook",
            keywords: "scorebook, \(scheme.id) v\(scheme.version), \(key)", status: draft ? "DRAFT" : "Final",
            created: request.generatedAt))
        try wb.setCustomProperty("Scorebook status", draft ? "DRAFT" : "finalized")

        // Sheets are added up front so they keep their order (Inspections continuation sheets included).
        let perSheet = max(1, min(request.inspectionRowsPerSheet, maxDataRows))
        let inspectionSheets = max(1, (inspectionCount + perSheet - 1) / perSheet)
        let hrSheet = try writer.add("HR Import", inMemory: true) // an Excel table even in constant-memory mode
        let teamSheet = try writer.add("Team Summary")
        let componentSheet = try writer.add("Components")
        var inspectionSheetList: [Worksheet] = []
        for i in 0..<inspectionSheets {
            inspectionSheetList.append(try writer.add(i == 0 ? "Inspections" : "Inspections (\(i + 1))"))
        }
        let itemSheet = try writer.add("Item Failures")
        let ratingSheet = try writer.add("Ratings")
        let aboutSheet = try writer.add("About")
        var counts: [(String, Int)] = []

        // HR Import
        let columns = scheme.hrColumns
        let hrRows = results.map { hrRow($0, columns: columns, name: employees[$0.employeeID]?.name ?? "") }
        let sha = sha256Hex(canonical(columns: columns, rows: hrRows))
        try writeHRImport(hrSheet, writer: writer, columns: columns, rows: hrRows)
        counts.append(("HR Import", hrRows.count))

        counts.append(("Team Summary", try writeTeamSummary(teamSheet, writer: writer, scheme: scheme, results: results)))
        counts.append(("Components", try writeComponents(componentSheet, writer: writer, scheme: scheme, results: results,
                                                         employees: employees)))
        let written = try writeInspections(db, sheets: inspectionSheetList, writer: writer, key: key, perSheet: perSheet)
        for (i, sheet) in inspectionSheetList.enumerated() {
            counts.append((sheet.name, min(perSheet, max(0, written - i * perSheet))))
        }
        counts.append(("Item Failures", try writeItemFailures(db, itemSheet, writer: writer, key: key)))
        counts.append(("Ratings", try writeRatings(db, ratingSheet, writer: writer, key: key, scheme: scheme,
                                                   employees: employees)))

        let rubrics = try Inspections.rubricVersions(db, period: key)
        // a year averages its months as they were computed: which scheme each month was
        let monthSchemes = scheme.kind == .annual
            ? try Appraisals.monthSchemes(db, year: key).map { month -> String in
                // the digest tells apart two variants stored under one id and version (as `scheme_digest` does)
                let digest = try Appraisals.schemeDigest(db, period: month.period).map { " (\($0.prefix(12)))" } ?? ""
                return "\(month.period) \(month.schemeID) v\(month.version)\(digest)"
            } : []
        try writeAbout(aboutSheet, writer: writer, scheme: scheme, schemeDigest: schemeDigest ?? "", key: key, rubrics: rubrics,
                       monthSchemes: monthSchemes, draft: draft,
                       generatedAt: request.generatedAt, counts: counts, sha: sha, constantMemory: constantMemory)
        counts.append(("About", 0))
        try hrSheet.activate()
        try wb.close()

        // one atomic step: an existing workbook is replaced whole, never removed first
        guard rename(temp, request.out) == 0 else {
            throw ExportError("cannot write \(request.out): \(String(cString: strerror(errno)))")
        }
        return Summary(path: request.out, finalized: finalized, sheets: counts.map { (name: $0.0, rows: $0.1) },
                       sha256: sha, constantMemory: constantMemory)
    }

    /// Refuses an output path that is a folder, or the database itself (or its WAL/journal files).
    static func checkOutput(_ out: String, databasePath: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ExportError("cannot write \(out): it is a folder; give the workbook's file name")
        }
        let target = URL(fileURLWithPath: out).resolvingSymlinksInPath().standardizedFileURL.path
        let database = URL(fileURLWithPath: databasePath).resolvingSymlinksInPath().standardizedFileURL.path
        if [database, database + "-wal", database + "-shm", database + "-journal"].contains(target) {
            throw ExportError("cannot write \(out): it is the database")
        }
    }

    // MARK: Sheets

    private static func writeHRImport(_ ws: Worksheet, writer: SheetWriter, columns: [HRColumn], rows: [[HRCell]]) throws {
        var widths = columns.map { displayWidth($0.id) }
        // an Excel table over the header and every row (a header-only table gets one empty row, as Excel's)
        try ws.addTable(CellRange(firstRow: 0, firstColumn: 0, lastRow: rows.count, lastColumn: columns.count - 1),
                        TableOptions(name: "HRImport", headers: columns.map(\.id)))
        for (r, row) in rows.enumerated() {
            for (c, cell) in row.enumerated() {
                switch cell {
                case .text(let s):
                    try ws.writeString(row: r + 1, column: c, s)
                    widths[c] = max(widths[c], displayWidth(s))
                case .number(let x):
                    try ws.writeNumber(row: r + 1, column: c, x, format: writer.number(decimals(columns[c].id)))
                    widths[c] = max(widths[c], 8)
                case .empty:
                    break
                }
            }
        }
        for (c, w) in widths.enumerated() { try ws.setColumnWidth(c, width: Double(min(max(w + 3, 9), 40))) }
        try ws.freezePanes(row: 1, column: 0)
    }

    private static func writeTeamSummary(_ ws: Worksheet, writer: SheetWriter, scheme: Scheme,
                                         results: [AppraisalResult]) throws -> Int {
        let grades = scheme.bands.map(\.grade)
        try writer.header(ws, ["team", "headcount", "graded", "mean_final_score"] + grades.map { "grade_\($0)" } + ["not_graded"])
        try writer.labels(ws, row: 1, ["班组", "人数", "已评级人数", "平均综合得分"]
                          + scheme.bands.map { "\($0.grade) \($0.label)" } + ["未评级"])
        let teams = Dictionary(grouping: results, by: \.team)
        let names = teams.keys.sorted()
        var row = 2
        for team in names + ["(全部 all)"] {
            let members = team == "(全部 all)" ? results : teams[team]!
            let scores = members.compactMap(\.finalScore).map(DecimalMath.decimal)
            try ws.writeString(row: row, column: 0, team)
            try ws.writeNumber(row: row, column: 1, Double(members.count), format: writer.number(0))
            try ws.writeNumber(row: row, column: 2, Double(scores.count), format: writer.number(0))
            if !scores.isEmpty {
                let mean = scores.reduce(0, +) / Decimal(scores.count)
                try ws.writeNumber(row: row, column: 3, DecimalMath.double(DecimalMath.roundHalfUp(mean)), format: writer.number(2))
            }
            for (i, g) in grades.enumerated() {
                try ws.writeNumber(row: row, column: 4 + i, Double(members.filter { $0.grade == g }.count), format: writer.number(0))
            }
            try ws.writeNumber(row: row, column: 4 + grades.count, Double(members.filter { $0.grade == nil }.count),
                               format: writer.number(0))
            row += 1
        }
        try ws.setColumnWidth(0, width: 18)
        try ws.setColumnWidth(1...(4 + grades.count), width: 14)
        try ws.freezePanes(row: 2, column: 0)
        if !names.isEmpty {
            let chart = try ws.workbook.addChart(.column)
            for (i, band) in scheme.bands.enumerated() {
                try chart.addSeries(name: "\(band.grade) \(band.label)", sheet: ws,
                                    categories: CellRange(column: 0, rows: 2...(1 + names.count)),
                                    values: CellRange(column: 4 + i, rows: 2...(1 + names.count)))
            }
            try chart.setTitle("各班组等级分布 Grade distribution")
            try chart.setAxisNames(x: "班组 team", y: "人数 agents")
            try ws.insertChart(chart, row: row + 1, column: 0, xScale: 1.5, yScale: 1.2)
        }
        return names.count + 1
    }

    private static func writeComponents(_ ws: Worksheet, writer: SheetWriter, scheme: Scheme, results: [AppraisalResult],
                                        employees: [String: Employee]) throws -> Int {
        try writer.header(ws, ["employee_id", "name", "team", "component", "label", "value", "weight", "n",
                               "manual_inspections", "auto_inspections", "raters", "responses", "sessions", "missing_reason"])
        try writer.labels(ws, row: 1, ["工号", "姓名", "班组", "考核项", "名称", "得分(0–100)", "权重", "样本数",
                                       "人工质检数", "自动质检数", "评价人数", "客户评价数", "会话数", "缺失原因"])
        var row = 2
        for r in results {
            let name = employees[r.employeeID]?.name ?? ""
            func start(_ component: String, _ label: String, _ value: Double?) throws {
                try ws.writeString(row: row, column: 0, r.employeeID)
                try ws.writeString(row: row, column: 1, name)
                try ws.writeString(row: row, column: 2, r.team)
                try ws.writeString(row: row, column: 3, component)
                try ws.writeString(row: row, column: 4, label)
                if let value { try ws.writeNumber(row: row, column: 5, value, format: writer.number(2)) }
            }
            func int(_ column: Int, _ value: Int?) throws {
                if let value { try ws.writeNumber(row: row, column: column, Double(value), format: writer.number(0)) }
            }
            if r.kind == .annual {
                for key in AnnualAppraisal.monthKeys {
                    let value = r.components[key] ?? nil
                    try start(key, HRColumn.defaultLabel(key) ?? key, value)
                    row += 1
                }
                continue
            }
            for c in r.explanation.components {
                try start(c.name, c.label, c.value)
                if let w = r.explanation.weights.first(where: { $0.component == c.name }) {
                    try ws.writeNumber(row: row, column: 6, w.weight, format: writer.plain)
                }
                var n: Int?
                if let qa = c.qa {
                    let manual = qa.modes.first { $0.mode == .manual }?.count ?? 0
                    let auto = qa.modes.first { $0.mode == .auto }?.count ?? 0
                    n = qa.modes.filter(\.counted).map(\.count).reduce(0, +)
                    try int(8, manual); try int(9, auto)
                }
                if let rating = c.rating {
                    if rating.source == .customer {
                        n = rating.responses ?? 0
                        try int(11, rating.responses ?? 0)
                    } else {
                        n = rating.raters.count
                        try int(10, rating.raters.count)
                    }
                }
                if let kpi = c.kpi {
                    n = kpi.parts.map(\.count).reduce(0, +)
                    try int(12, n)
                }
                try int(7, n)
                if let reason = c.missingReason { try ws.writeString(row: row, column: 13, reason) }
                row += 1
            }
        }
        try ws.setColumnWidth(0...2, width: 14)
        try ws.setColumnWidth(3, width: 12)
        try ws.setColumnWidth(4, width: 18)
        try ws.setColumnWidth(5...12, width: 12)
        try ws.setColumnWidth(13, width: 40)
        try ws.freezePanes(row: 2, column: 2)
        try ws.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: max(row - 1, 1), lastColumn: 13))
        return row - 2
    }

    /// Streams the period's inspections into the sheet(s); returns the number of rows written.
    private static func writeInspections(_ db: Database, sheets: [Worksheet], writer: SheetWriter, key: String,
                                         perSheet: Int) throws -> Int {
        let headers = ["id", "session_id", "agent_id", "inspector_id", "mode", "rubric_id", "rubric_version", "status",
                       "score", "compliance", "accuracy", "etiquette", "critical_failed"]
        for ws in sheets {
            try writer.header(ws, headers)
            try ws.setColumnWidth(0, width: 10)
            try ws.setColumnWidth(1, width: 22)
            try ws.setColumnWidth(2...7, width: 13)
            try ws.setColumnWidth(8...12, width: 12)
            try ws.freezePanes(row: 1, column: 0)
        }
        let two = try writer.number(2), zero = try writer.number(0)
        var n = 0
        try Inspections.forEachLine(db, period: key) { line in
            guard n / perSheet < sheets.count else {
                throw ExportError("more inspections than counted at the start of the export (written concurrently?)")
            }
            let ws = sheets[n / perSheet]
            let r = n % perSheet + 1
            try ws.writeNumber(row: r, column: 0, Double(line.id), format: zero)
            try ws.writeString(row: r, column: 1, line.sessionID)
            try ws.writeString(row: r, column: 2, line.agentID)
            if let inspector = line.inspectorID { try ws.writeString(row: r, column: 3, inspector) }
            try ws.writeString(row: r, column: 4, line.mode)
            try ws.writeString(row: r, column: 5, line.rubricID)
            try ws.writeNumber(row: r, column: 6, Double(line.rubricVersion), format: zero)
            try ws.writeString(row: r, column: 7, line.status)
            if let v = line.score { try ws.writeNumber(row: r, column: 8, v, format: two) }
            if let v = line.compliance { try ws.writeNumber(row: r, column: 9, v, format: two) }
            if let v = line.accuracy { try ws.writeNumber(row: r, column: 10, v, format: two) }
            if let v = line.etiquette { try ws.writeNumber(row: r, column: 11, v, format: two) }
            try ws.writeBool(row: r, column: 12, line.criticalFailed)
            n += 1
        }
        for (i, ws) in sheets.enumerated() {
            let rows = min(perSheet, max(0, n - i * perSheet))
            try ws.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: max(rows, 1), lastColumn: headers.count - 1))
        }
        return n
    }

    private static func writeItemFailures(_ db: Database, _ ws: Worksheet, writer: SheetWriter, key: String) throws -> Int {
        try writer.header(ws, ["rubric_id", "rubric_version", "section", "item_id", "item", "critical", "max_points",
                               "manual_answered", "manual_failed", "manual_failure_rate",
                               "auto_answered", "auto_failed", "auto_failure_rate"])
        try writer.labels(ws, row: 1, ["评分表", "版本", "环节", "条目", "条目内容", "红线", "满分",
                                       "人工质检作答数", "人工不达标数", "人工不达标率", "自动质检作答数", "自动不达标数", "自动不达标率"])
        // (rubric, version) → item → mode → (answered, failed); N/A answers count in neither.
        var tallies: [String: [String: [String: (Int, Int)]]] = [:]
        var rubrics: [String: Rubric] = [:]
        var order: [(String, Int)] = []
        for c in try Inspections.answerCounts(db, period: key) {
            let rk = "\(c.rubricID)\u{0}\(c.rubricVersion)"
            if rubrics[rk] == nil {
                rubrics[rk] = try Rubrics.require(db, id: c.rubricID, version: c.rubricVersion).rubric
                order.append((c.rubricID, c.rubricVersion))
            }
            guard let item = rubrics[rk]!.item(c.itemID), let answer = Answer.parse(c.answer), answer != .na else { continue }
            let failed = item.earned(answer) < item.points
            var t = tallies[rk, default: [:]][c.itemID, default: [:]][c.mode, default: (0, 0)]
            t.0 += c.count
            if failed { t.1 += c.count }
            tallies[rk, default: [:]][c.itemID, default: [:]][c.mode] = t
        }
        var row = 2
        let pct = try writer.format(CellFormat(numberFormat: "0.00%"))
        for (id, version) in order.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            let rk = "\(id)\u{0}\(version)"
            let rubric = rubrics[rk]!
            for section in rubric.sections {
                for item in section.items {
                    try ws.writeString(row: row, column: 0, id)
                    try ws.writeNumber(row: row, column: 1, Double(version), format: writer.number(0))
                    try ws.writeString(row: row, column: 2, section.name)
                    try ws.writeString(row: row, column: 3, item.id)
                    try ws.writeString(row: row, column: 4, item.text)
                    if let critical = item.critical { try ws.writeString(row: row, column: 5, critical.rawValue) }
                    try ws.writeNumber(row: row, column: 6, item.points, format: writer.plain)
                    for (i, mode) in ["manual", "auto"].enumerated() {
                        let (answered, failed) = tallies[rk]?[item.id]?[mode] ?? (0, 0)
                        try ws.writeNumber(row: row, column: 7 + 3 * i, Double(answered), format: writer.number(0))
                        try ws.writeNumber(row: row, column: 8 + 3 * i, Double(failed), format: writer.number(0))
                        if answered > 0 {
                            try ws.writeNumber(row: row, column: 9 + 3 * i, Double(failed) / Double(answered), format: pct)
                        }
                    }
                    row += 1
                }
            }
        }
        try ws.setColumnWidth(0...3, width: 14)
        try ws.setColumnWidth(4, width: 44)
        try ws.setColumnWidth(5...12, width: 13)
        try ws.freezePanes(row: 2, column: 0)
        try ws.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: max(row - 1, 1), lastColumn: 12))
        return row - 2
    }

    /// Self, supervisor and customer ratings as given; peer ratings only per agent and period as the number of
    /// raters and the (trimmed) mean of the raters' mean scores — peer raters are never named.
    private static func writeRatings(_ db: Database, _ ws: Worksheet, writer: SheetWriter, key: String, scheme: Scheme,
                                     employees: [String: Employee]) throws -> Int {
        try writer.header(ws, ["period", "employee_id", "name", "team", "source", "rater_id", "criterion", "score",
                               "peer_raters", "peer_trimmed"])
        try writer.labels(ws, row: 1, ["考核期间", "工号", "姓名", "班组", "来源", "评价人", "评价项", "分数",
                                       "同事评价人数", "去掉最高最低人数"])
        let monthly = scheme.kind == .monthly ? scheme : (try Schemes.find(db, id: scheme.monthlyScheme ?? "monthly")?.scheme)
        var trimAt: Int?
        if let monthly, case .rating(let spec)? = monthly.component("peer")?.spec { trimAt = spec.trimAt }
        let ratings = try Ratings.inPeriodOrYear(db, key)
        var row = 2
        func person(_ period: String, _ id: String) throws {
            try ws.writeString(row: row, column: 0, period)
            try ws.writeString(row: row, column: 1, id)
            try ws.writeString(row: row, column: 2, employees[id]?.name ?? "")
            try ws.writeString(row: row, column: 3, employees[id]?.team ?? "")
        }
        let sourceLabel: [RatingSource: String] = [.self: "self", .supervisor: "supervisor", .customer: "customer", .peer: "peer"]
        for r in ratings where r.source != .peer {
            try person(r.period, r.employeeID)
            try ws.writeString(row: row, column: 4, sourceLabel[r.source]!)
            try ws.writeString(row: row, column: 5, r.raterID)
            try ws.writeString(row: row, column: 6, r.criterion)
            try ws.writeNumber(row: row, column: 7, r.score, format: writer.number(2))
            row += 1
        }
        // Peer: per (period, agent), each rater's mean score, then the mean over raters with one highest and one
        // lowest rater dropped at `trim_at` raters or more (the scheme's rule), on the source's scale.
        var peer: [String: [String: [Decimal]]] = [:]
        for r in ratings where r.source == .peer {
            peer["\(r.period)\u{0}\(r.employeeID)", default: [:]][r.raterID, default: []].append(DecimalMath.decimal(r.score))
        }
        for k in peer.keys.sorted() {
            let parts = k.split(separator: "\u{0}").map(String.init)
            var values = peer[k]!.values.map { $0.reduce(0, +) / Decimal($0.count) }.sorted()
            var trimmed = 0
            if let trimAt, values.count >= trimAt, values.count > 2 {
                values.removeFirst(); values.removeLast(); trimmed = 2
            }
            let mean = values.reduce(0, +) / Decimal(max(values.count, 1))
            try person(parts[0], parts[1])
            try ws.writeString(row: row, column: 4, "peer")
            try ws.writeString(row: row, column: 6, "同事评价（去掉最高最低后的平均）")
            try ws.writeNumber(row: row, column: 7, DecimalMath.double(DecimalMath.roundHalfUp(mean)), format: writer.number(2))
            try ws.writeNumber(row: row, column: 8, Double(peer[k]!.count), format: writer.number(0))
            try ws.writeNumber(row: row, column: 9, Double(trimmed), format: writer.number(0))
            row += 1
        }
        try ws.setColumnWidth(0...5, width: 13)
        try ws.setColumnWidth(6, width: 30)
        try ws.setColumnWidth(7...9, width: 12)
        try ws.freezePanes(row: 2, column: 0)
        try ws.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: max(row - 1, 1), lastColumn: 9))
        return row - 2
    }

    private static func writeAbout(_ ws: Worksheet, writer: SheetWriter, scheme: Scheme, schemeDigest: String, key: String,
                                   rubrics: [(id: String, version: Int)], monthSchemes: [String], draft: Bool, generatedAt: Date,
                                   counts: [(String, Int)], sha: String, constantMemory: Bool) throws {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        var rows: [(String, CellValue)] = [
            ("status", .string(draft ? "DRAFT 草稿：考核期间未定稿，不得用于发放绩效" : "finalized 已定稿")),
            ("period", .string(key)),
            ("kind", .string(scheme.kind.rawValue)),
            ("scheme_id", .string(scheme.id)),
            ("scheme_version", .number(Double(scheme.version))),
            // two files may carry the same id and version with different content (`appraise --scheme FILE`
            // keeps each as a variant): the digest of the file's text tells them apart
            ("scheme_digest", .string(schemeDigest)),
            ("scheme_name", .string(scheme.name ?? "")),
            ("rubrics", .string(rubrics.map { "\($0.id) v\($0.version)" }.joined(separator: ", "))),
        ]
        if !monthSchemes.isEmpty { rows.append(("monthly_schemes", .string(monthSchemes.joined(separator: ", ")))) }
        rows += [
            ("generated_at_utc", .string(iso.string(from: generatedAt))),
            ("generator", .string("Scorebook (libxlsxwriter \(XLSXLibrary.version))")),
        ]
        for (name, n) in counts { rows.append(("rows: \(name)", .number(Double(n)))) }
        rows += [
            ("hr_import_sha256", .string(sha)),
            ("hr_import_sha256_input", .string("SHA-256 (hex) of the HR Import sheet as UTF-8 text: the header row, then each data row; the cells of a row joined by a tab (U+0009), rows joined by a line feed (U+000A), no trailing line feed; text cells verbatim, numbers with their column's fixed decimals (2; months 0; final_score_unrounded 6), empty cells as empty strings.")),
            ("hr_import_numbers", .string("Numbers are numeric cells rounded half-up to the decimals shown; the stored value is the displayed value.")),
            ("hr_import_layout", .string("HR Import is an Excel table named HRImport with a frozen header."
                + (constantMemory ? " Large export: the other sheets were written in constant-memory mode." : ""))),
            ("peer_ratings", .string("Peer ratings appear only as the number of raters and the trimmed mean; raters are never named.")),
            ("item_failures", .string("Item Failures counts submitted inspections; an item fails when it earns less than its full points; N/A answers count in neither.")),
        ]
        for c in scheme.hrColumns { rows.append(("column \(c.id)", .string(c.label))) }
        try writer.header(ws, ["key", "value"])
        for (i, (k, v)) in rows.enumerated() {
            try ws.writeString(row: i + 1, column: 0, k)
            if case .number = v { try ws.write(row: i + 1, column: 1, v, format: writer.number(0)) }
            else { try ws.write(row: i + 1, column: 1, v, format: writer.wrap) }
        }
        try ws.setColumnWidth(0, width: 26)
        try ws.setColumnWidth(1, width: 90)
    }

    /// East Asian characters count twice in a column width.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
    }
}

/// Formats and the DRAFT/final page header and footer shared by the workbook's sheets.
final class SheetWriter {
    let workbook: Workbook
    let draft: Bool
    let title: String
    let headerFormat: Format
    let labelFormat: Format
    let plain: Format
    let wrap: Format
    private var numbers: [Int: Format] = [:]

    init(_ workbook: Workbook, draft: Bool, title: String) throws {
        self.workbook = workbook; self.draft = draft; self.title = title
        headerFormat = try workbook.format(CellFormat(bold: true, backgroundColor: .lightGray, border: .thin))
        labelFormat = try workbook.format(CellFormat(italic: true, fontColor: Color(rgb: 0x595959), backgroundColor: .lightBlue))
        plain = try workbook.format(CellFormat(numberFormat: "General"))
        wrap = try workbook.format(CellFormat(verticalAlignment: .top, wrapText: true))
    }

    func format(_ spec: CellFormat) throws -> Format { try workbook.format(spec) }

    func number(_ decimals: Int) throws -> Format {
        if let f = numbers[decimals] { return f }
        let f = try workbook.format(CellFormat(numberFormat: CellFormat.decimals(decimals)))
        numbers[decimals] = f
        return f
    }

    /// Adds a sheet with the page header and footer: every sheet of a DRAFT says so.
    func add(_ name: String, inMemory: Bool = false) throws -> Worksheet {
        let ws = try workbook.addWorksheet(name, inMemory: inMemory)
        let t = Worksheet.literalHeaderFooterText(title)
        if draft {
            try ws.setHeader("&L&\"-,Bold\"DRAFT 草稿&C\(t)&R&\"-,Bold\"DRAFT 未定稿")
            try ws.setFooter("&LDRAFT 草稿 — 不得用于发放绩效&C&A&R&P / &N")
        } else {
            try ws.setHeader("&C\(t)")
            try ws.setFooter("&L已定稿 finalized&C&A&R&P / &N")
        }
        try ws.setLandscape()
        return ws
    }

    func header(_ ws: Worksheet, _ names: [String]) throws {
        for (i, n) in names.enumerated() { try ws.writeString(row: 0, column: i, n, format: headerFormat) }
    }

    /// A second header row with the Chinese labels (people's sheets only; HR Import has exactly one header row).
    func labels(_ ws: Worksheet, row: Int, _ names: [String]) throws {
        for (i, n) in names.enumerated() { try ws.writeString(row: row, column: i, n, format: labelFormat) }
    }
}
