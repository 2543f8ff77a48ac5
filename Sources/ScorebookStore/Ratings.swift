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

    public static func inPeriod(_ db: Database, _ period: String) throws -> [Rating] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM ratings WHERE period = ? ORDER BY employee_id, source, rater_id, criterion
            """, arguments: [period]).map { row in
            Rating(period: row["period"], employeeID: row["employee_id"],
                   source: RatingSource(rawValue: row["source"]) ?? .customer, raterID: row["rater_id"],
                   criterion: row["criterion"], score: row["score"])
        }
    }
}
