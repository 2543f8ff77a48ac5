import Foundation
import GRDB
import ScorebookCore

/// Read-side queries for the HR workbook export: streaming over a period's inspections (a month or a
/// whole year) without loading them into memory, and the ratings criteria known to the database.
extension Inspections {
    /// The SQL condition and argument selecting a period: `YYYY-MM` exactly, or every month of `YYYY`.
    static func periodCondition(_ period: String) -> (String, DatabaseValueConvertible) {
        period.count == 4 ? ("period LIKE ?", "\(period)-%") : ("period = ?", period)
    }

    /// The SQL condition selecting a period's inspections for a pass over their rows: the id range of the
    /// period (found through the period index) and the period itself, with the index disabled on that term
    /// (`+period`) so SQLite walks the table in id order — sequential reads and no sort — instead of fetching
    /// each row through the index and sorting a million of them. A period's rows are nearly contiguous (a
    /// full-coverage run inserts them together); rows of other periods inside the range are filtered out.
    static func periodScan(_ db: Database, _ period: String) throws -> (String, StatementArguments) {
        let (condition, argument) = periodCondition(period)
        let range = try Row.fetchOne(db, sql: "SELECT MIN(id), MAX(id) FROM inspections WHERE \(condition)", arguments: [argument])
        let low: Int64 = range?[0] ?? 0, high: Int64 = range?[1] ?? -1
        return ("id BETWEEN ? AND ? AND +\(condition)", [low, high, argument])
    }

    /// Number of inspections of `period` (`YYYY-MM` or `YYYY`).
    public static func count(_ db: Database, period: String) throws -> Int {
        let (condition, argument) = periodCondition(period)
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inspections WHERE \(condition)", arguments: [argument]) ?? 0
    }
}

extension Ratings {
    /// Ratings of `period` (`YYYY-MM`, or every month of `YYYY`).
    public static func inPeriodOrYear(_ db: Database, _ period: String) throws -> [Rating] {
        if period.count != 4 { return try inPeriod(db, period) }
        return try Row.fetchAll(db, sql: """
            SELECT * FROM ratings WHERE period LIKE ? ORDER BY period, employee_id, source, rater_id, criterion
            """, arguments: ["\(period)-%"]).map { row in
            Rating(period: row["period"], employeeID: row["employee_id"],
                   source: RatingSource(rawValue: row["source"]) ?? .customer, raterID: row["rater_id"],
                   criterion: row["criterion"], score: row["score"])
        }
    }

    /// The criteria used so far by self, peer and supervisor ratings, most used first (for templates).
    public static func criteria(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT criterion FROM ratings WHERE source IN ('self', 'peer', 'supervisor')
            GROUP BY criterion ORDER BY COUNT(*) DESC, criterion
            """)
    }
}

/// One row of the workbook's `Inspections` sheet (no answers: the sheet does not show them, and not
/// decoding them keeps a million-row export fast).
public struct InspectionLine: Sendable {
    public var id: Int64
    public var sessionID: String
    public var agentID: String
    public var period: String
    public var rubricID: String
    public var rubricVersion: Int
    public var inspectorID: String?
    public var mode: String
    public var status: String
    public var score: Double?
    public var compliance: Double?
    public var accuracy: Double?
    public var etiquette: Double?
    public var criticalFailed: Bool
}

/// How many submitted inspections of a rubric version and mode gave `answer` to `itemID`.
public struct AnswerCount: Sendable, Equatable {
    public var rubricID: String
    public var rubricVersion: Int
    public var mode: String
    public var itemID: String
    public var answer: String
    public var count: Int
}

extension Inspections {
    /// Streams the sheet rows of `period` (`YYYY-MM` or `YYYY`) in id order through a GRDB cursor.
    public static func forEachLine(_ db: Database, period: String, _ body: (InspectionLine) throws -> Void) throws {
        let (condition, arguments) = try periodScan(db, period)
        let statement = try db.makeStatement(sql: """
            SELECT id, session_id, agent_id, period, rubric_id, rubric_version, inspector_id, mode, status, score,
                   compliance, accuracy, etiquette, critical_failed
            FROM inspections WHERE \(condition) ORDER BY id
            """)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() {
            try body(InspectionLine(
                id: row[0], sessionID: row[1], agentID: row[2], period: row[3], rubricID: row[4], rubricVersion: row[5],
                inspectorID: row[6], mode: row[7], status: row[8], score: row[9], compliance: row[10],
                accuracy: row[11], etiquette: row[12], criticalFailed: row[13]))
        }
    }

    /// Per rubric version, mode, item and answer text: the number of submitted inspections of `period`
    /// with that answer (an automatic inspection's answers after review, when reviewed), aggregated in SQLite so nothing large is loaded: identical answer sets are counted
    /// first (automatic inspections repeat a few of them), then json_each runs once per distinct set — about
    /// 10× faster than json_each over every row.
    public static func answerCounts(_ db: Database, period: String) throws -> [AnswerCount] {
        let (condition, arguments) = try periodScan(db, period)
        return try Row.fetchAll(db, sql: """
            SELECT g.rubric_id, g.rubric_version, g.mode, a.key AS item, CAST(a.value AS TEXT) AS answer, SUM(g.n) AS n
            FROM (SELECT rubric_id, rubric_version, mode, COALESCE(reviewed_answers, answers) AS answers, COUNT(*) AS n
                  FROM inspections WHERE \(condition) AND status = 'submitted'
                  GROUP BY rubric_id, rubric_version, mode, COALESCE(reviewed_answers, answers)) g,
                 json_each(g.answers) a
            GROUP BY g.rubric_id, g.rubric_version, g.mode, a.key, CAST(a.value AS TEXT)
            ORDER BY g.rubric_id, g.rubric_version, g.mode, a.key
            """, arguments: arguments).map { row in
            AnswerCount(rubricID: row[0], rubricVersion: row[1], mode: row[2], itemID: row[3], answer: row[4] ?? "",
                        count: row[5])
        }
    }

    /// The rubric versions the inspections of `period` were scored with.
    public static func rubricVersions(_ db: Database, period: String) throws -> [(id: String, version: Int)] {
        let (condition, arguments) = try periodScan(db, period)
        return try Row.fetchAll(db, sql: """
            SELECT DISTINCT rubric_id, rubric_version FROM inspections WHERE \(condition) ORDER BY rubric_id, rubric_version
            """, arguments: arguments).map { (id: $0[0], version: $0[1]) }
    }
}
