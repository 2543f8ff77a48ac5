import GRDB

/// The latest period that has records of a kind (the web pages' default period).
public enum LatestPeriod: String, Sendable {
    case sessions, inspections, appraisals, assignments

    public func find(_ db: Database) throws -> String? {
        switch self {
        case .sessions: return try String.fetchOne(db, sql: "SELECT MAX(period) FROM sessions")
        case .inspections: return try String.fetchOne(db, sql: "SELECT MAX(period) FROM inspections")
        case .assignments: return try String.fetchOne(db, sql: "SELECT MAX(period) FROM assignments")
        // Monthly appraisals only (an annual row's period is a year).
        case .appraisals: return try String.fetchOne(db, sql: "SELECT MAX(period) FROM appraisals WHERE length(period) = 7")
        }
    }
}
