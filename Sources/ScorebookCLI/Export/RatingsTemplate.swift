import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookStore
import ScorebookWorkbook

/// `scorebook template ratings`: an .xlsx rating sheet for a team lead to fill in Excel and import back.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write input templates to fill in Excel.",
        subcommands: [Ratings.self])

    struct Ratings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a ratings sheet (self, supervisor, peer) of a team for a period.",
            discussion: """
            Sheet 评分: the columns of ratings.csv (period, employee_id, name, source, rater_id, criterion, score), \
            one row per active agent of the team, source, rater and criterion: self (rater = the agent), \
            supervisor (rater = the agent's supervisor_id) and peer (every other agent of the team as rater). \
            Everything but the score column is locked (sheet protection without a password); the score cells \
            accept a number on the source's scale from the scheme. Sheet 填写说明 explains it in Chinese. \
            Import it with `scorebook import ratings FILE.xlsx`: rows left blank are skipped. Criteria: --criteria, \
            else those already used by ratings in the database, else 服务态度,业务能力,团队协作.
            """)

        @OptionGroup var store: StoreOptions
        @Option(help: "Period YYYY-MM.") var period: String
        @Option(help: "Team name (as in the roster).") var team: String
        @Option(help: "Output file.") var out: String
        @Option(help: "Scheme file or stored scheme id (default: monthly).") var scheme: String?
        @Option(help: "Comma-separated criteria.") var criteria: String?

        func run() throws {
            _ = try checkPeriod(period)
            let db = try store.open()
            let chosen = try SchemeChoice.resolve(scheme, kind: .monthly, db: db, storeIt: false)
            let scales = SchemeChoice.ratingScales(chosen)
            let (agents, known) = try db.read { db in
                (try Employees.all(db).filter { $0.team == team && $0.role == .agent && $0.active },
                 try ScorebookStore.Ratings.criteria(db))
            }
            guard !agents.isEmpty else { throw CLIError("team '\(team)' has no active agents on the roster") }
            let list = criteria.map(commaList)
                ?? (known.isEmpty ? ["服务态度", "业务能力", "团队协作"] : known)
            guard !list.isEmpty else { throw ValidationError("--criteria is empty") }
            let rows = try RatingsTemplate.write(path: out, period: period, team: team, agents: agents, criteria: list,
                                                 scales: scales)
            print("wrote \(out): \(rows) rows for \(agents.count) agents of \(team), criteria \(list.joined(separator: ", "))")
        }
    }
}

enum RatingsTemplate {
    static let columns = ["period", "employee_id", "name", "source", "rater_id", "criterion", "score"]

    /// Writes the template; returns the number of rating rows.
    static func write(path: String, period: String, team: String, agents: [Employee], criteria: [String],
                      scales: [RatingSource: ClosedRange<Double>]) throws -> Int {
        let sources: [RatingSource] = [.self, .supervisor, .peer]
        for s in sources where scales[s] == nil {
            throw CLIError("the scheme has no scale for \(s.rawValue) ratings")
        }
        let wb = try Workbook(path: path)
        let ws = try wb.addWorksheet("评分")
        let header = try wb.format(CellFormat(bold: true, backgroundColor: .lightGray, border: .thin))
        let input = try wb.format(CellFormat(numberFormat: "0.0#", backgroundColor: .lightYellow, border: .thin, locked: false))
        let openRater = try wb.format(CellFormat(backgroundColor: .lightYellow, border: .thin, locked: false))
        for (i, c) in columns.enumerated() { try ws.writeString(row: 0, column: i, c, format: header) }

        var row = 1
        for source in sources {
            let first = row
            for agent in agents.sorted(by: { $0.employeeID < $1.employeeID }) {
                let raters: [String?]
                switch source {
                case .self: raters = [agent.employeeID]
                case .supervisor: raters = [agent.supervisorID.flatMap { $0.isEmpty ? nil : $0 }]
                default: raters = agents.map(\.employeeID).filter { $0 != agent.employeeID }.sorted()
                }
                for rater in raters {
                    for criterion in criteria {
                        try ws.writeString(row: row, column: 0, period)
                        try ws.writeString(row: row, column: 1, agent.employeeID)
                        try ws.writeString(row: row, column: 2, agent.name)
                        try ws.writeString(row: row, column: 3, source.rawValue)
                        if let rater { try ws.writeString(row: row, column: 4, rater) }
                        else { try ws.writeBlank(row: row, column: 4, format: openRater) }
                        try ws.writeString(row: row, column: 5, criterion)
                        try ws.writeBlank(row: row, column: 6, format: input)
                        row += 1
                    }
                }
            }
            if row > first, let scale = scales[source] {
                let lo = DecimalMath.plain(scale.lowerBound), hi = DecimalMath.plain(scale.upperBound)
                try ws.addDataValidation(CellRange(column: 6, rows: first...(row - 1)), DataValidation(
                    .decimal(scale), inputTitle: "\(label(source))分数", inputMessage: "请输入 \(lo)–\(hi) 之间的分数（可含小数）；未评请留空。",
                    errorTitle: "分数超出范围", errorMessage: "\(label(source))的分值范围是 \(lo)–\(hi)。"))
            }
        }
        try ws.setColumnWidth(0, width: 10)
        try ws.setColumnWidth(1, width: 12)
        try ws.setColumnWidth(2, width: 12)
        try ws.setColumnWidth(3, width: 12)
        try ws.setColumnWidth(4, width: 12)
        try ws.setColumnWidth(5, width: 16)
        try ws.setColumnWidth(6, width: 10)
        try ws.freezePanes(row: 1, column: 0)
        try ws.autofilter(CellRange(firstRow: 0, firstColumn: 0, lastRow: max(row - 1, 1), lastColumn: columns.count - 1))
        try ws.protect(options: ProtectionOptions(autofilter: true))
        try ws.activate()

        let help = try wb.addWorksheet("填写说明")
        let bold = try wb.format(CellFormat(bold: true, fontSize: 14))
        let wrap = try wb.format(CellFormat(verticalAlignment: .top, wrapText: true))
        let scaleText = sources.map { s -> String in
            let r = scales[s]!
            return "\(label(s)) \(DecimalMath.plain(r.lowerBound))–\(DecimalMath.plain(r.upperBound))"
        }.joined(separator: "，")
        let lines = [
            "\(period) \(team) 绩效评分表（自评、上级评价、同事评价）",
            "1. 请只在「评分」表黄色的 score 列填写分数；工号、来源、评价人、评价项等列已锁定，请勿修改或增删行。",
            "2. 分值范围：\(scaleText)（可填小数）。超出范围的分数无法输入，导入时也会被拒绝。",
            "3. source 列：self = 员工自评，supervisor = 组长/主管评价，peer = 同事互评（rater_id 为评价人工号）。",
            "4. 尚未评分的行请留空：导入时空白分数的行会被跳过，不算错误。",
            "5. 同事评价的评价人仅用于导入计算；考核结果和 HR 工作簿中只显示人数和平均分，不显示评价人。",
            "6. 填好后保存为 .xlsx（Excel 或 LibreOffice 均可），运行：scorebook import ratings 文件名.xlsx",
            "7. 文件中任何一行有误（分数超范围、工号不在花名册、重复评分等）时，整个文件都不会导入，错误信息会指出行号和原因。",
        ]
        for (i, line) in lines.enumerated() {
            try help.writeString(row: i, column: 0, line, format: i == 0 ? bold : wrap)
        }
        try help.setColumnWidth(0, width: 110)
        try wb.close()
        return row - 1
    }

    static func label(_ source: RatingSource) -> String {
        switch source {
        case .self: return "自评"
        case .supervisor: return "上级评价"
        case .peer: return "同事评价"
        case .customer: return "客户评价"
        }
    }
}
