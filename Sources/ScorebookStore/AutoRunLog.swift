import Foundation
import GRDB

/// One full-coverage run as `auto_runs` keeps it: what was run, when, how far it got, and the rules it could
/// not apply ("item/rule: reason" → sessions). A run without `finishedAt` was interrupted or is still going.
public struct AutoRunRecord: Equatable, Sendable {
    public var id: Int64
    public var period: String
    public var rubricID: String
    public var rubricVersion: Int
    public var startedAt: String
    public var finishedAt: String?
    public var scored: Int
    public var skippedRules: [String: Int]
}

/// The log of full-coverage runs (written by `AutoInspections.run`), newest first.
public enum AutoRunLog {
    public static func recent(_ db: Database, period: String? = nil, limit: Int = 20) throws -> [AutoRunRecord] {
        var sql = "SELECT id, period, rubric_id, rubric_version, started_at, finished_at, scored, notes FROM auto_runs"
        var arguments: StatementArguments = []
        if let period {
            sql += " WHERE period = ?"
            arguments += [period]
        }
        sql += " ORDER BY id DESC LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(record)
    }

    /// The latest run of a rubric over `period` (a month, or every month of a year) when it has not finished:
    /// still going, or interrupted (a later run that completes the period has a newer id).
    public static func unfinished(_ db: Database, in period: String) throws -> AutoRunRecord? {
        try Row.fetchOne(db, sql: """
            SELECT id, period, rubric_id, rubric_version, started_at, finished_at, scored, notes FROM auto_runs r
            WHERE (r.period = ?1 OR r.period LIKE ?1 || '-__') AND r.finished_at IS NULL
              AND r.id = (SELECT MAX(id) FROM auto_runs l WHERE l.period = r.period AND l.rubric_id = r.rubric_id)
            ORDER BY r.id LIMIT 1
            """, arguments: [period]).map(record)
    }

    /// A rubric run over the month whose automatic inspections no longer cover every session of it (sessions
    /// imported after its last run), with how many sessions it left out; nil when every run covers the month.
    public static func uncovered(_ db: Database, month: String) throws -> (rubricID: String, sessions: Int)? {
        try Row.fetchOne(db, sql: """
            SELECT r.rubric_id, COUNT(*) AS n
            FROM (SELECT DISTINCT rubric_id FROM auto_runs WHERE period = ?1) r
            JOIN sessions s ON s.period = ?1
            WHERE NOT EXISTS (SELECT 1 FROM inspections i
                              WHERE i.session_id = s.session_id AND i.rubric_id = r.rubric_id AND i.mode = 'auto')
            GROUP BY r.rubric_id ORDER BY r.rubric_id LIMIT 1
            """, arguments: [month]).map { ($0["rubric_id"], $0["n"]) }
    }

    private static func record(_ row: Row) -> AutoRunRecord {
        let notes: String? = row["notes"]
        let skipped = notes.flatMap { try? JSONDecoder().decode([String: Int].self, from: Data($0.utf8)) } ?? [:]
        return AutoRunRecord(id: row["id"], period: row["period"], rubricID: row["rubric_id"],
                             rubricVersion: row["rubric_version"], startedAt: row["started_at"],
                             finishedAt: row["finished_at"], scored: row["scored"], skippedRules: skipped)
    }
}
