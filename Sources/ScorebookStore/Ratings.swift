import GRDB
import ScorebookCore

public enum Ratings {
    /// Inserts ratings; a duplicate (period, employee, source, rater, criterion) fails with SQLite's
    /// constraint error, which the importer reports with the line.
    public static func writer(_ db: Database) throws -> (Rating) throws -> Void {
        let statement = try db.makeStatement(sql: """
            INSERT INTO ratings (period, employee_id, source, rater_id, criterion, score) VALUES (?, ?, ?, ?, ?, ?)
            """)
        return { r in
            try statement.execute(arguments: [r.period, r.employeeID, r.source.rawValue, r.raterID, r.criterion, r.score])
        }
    }

    /// Enters or changes one rating (the web forms: an agent's self-rating, a supervisor's rating of their
    /// team) in an open period; the previous score, if any, goes to the audit log.
    public static func record(_ db: Database, _ rating: Rating, actor: String) throws {
        try PeriodLocks.ensureOpen(db, period: rating.period, doing: "change ratings")
        guard try Employees.find(db, rating.employeeID) != nil else {
            throw StoreError("unknown employee '\(rating.employeeID)' (not on the roster)")
        }
        let key: StatementArguments = [rating.period, rating.employeeID, rating.source.rawValue, rating.raterID, rating.criterion]
        let before = try Double.fetchOne(db, sql: """
            SELECT score FROM ratings WHERE period = ? AND employee_id = ? AND source = ? AND rater_id = ? AND criterion = ?
            """, arguments: key)
        if before == rating.score { return }
        try db.execute(sql: """
            INSERT INTO ratings (period, employee_id, source, rater_id, criterion, score) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (period, employee_id, source, rater_id, criterion) DO UPDATE SET score = excluded.score
            """, arguments: key + [rating.score])
        try AuditLog.append(db, actor: actor, action: before == nil ? "rate" : "re-rate", entity: "rating",
                            entityID: "\(rating.period)/\(rating.employeeID)/\(rating.source.rawValue)/\(rating.raterID)/\(rating.criterion)",
                            before: before.map { ["score": $0] }, after: ["score": rating.score])
    }

    /// The ratings one rater gave in a period with a source (to fill a form with what was entered before).
    public static func given(_ db: Database, period: String, source: RatingSource, raterID: String) throws -> [Rating] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM ratings WHERE period = ? AND source = ? AND rater_id = ? ORDER BY employee_id, criterion
            """, arguments: [period, source.rawValue, raterID]).map(decode)
    }

    public static func inPeriod(_ db: Database, _ period: String) throws -> [Rating] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM ratings WHERE period = ? ORDER BY employee_id, source, rater_id, criterion
            """, arguments: [period]).map(decode)
    }

    private static func decode(_ row: Row) -> Rating {
        Rating(period: row["period"], employeeID: row["employee_id"],
               source: RatingSource(rawValue: row["source"]) ?? .customer, raterID: row["rater_id"],
               criterion: row["criterion"], score: row["score"])
    }
}
