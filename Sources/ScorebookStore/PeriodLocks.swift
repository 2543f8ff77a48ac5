import Foundation
import GRDB

/// Finalized periods are locked: nothing under them changes until they are reopened (recorded in the audit log).
public enum PeriodLocks {
    public static func isFinalized(_ db: Database, period: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM period_locks WHERE period = ?", arguments: [period]) ?? false
    }

    /// The finalized period that locks `period`: itself, or for a month its year; nil when it is open.
    public static func lockedBy(_ db: Database, period: String) throws -> String? {
        if try isFinalized(db, period: period) { return period }
        if period.count == 7, case let year = String(period.prefix(4)), try isFinalized(db, period: year) { return year }
        return nil
    }

    /// Throws when `period` (or, for a month, its year's annual appraisal) is finalized.
    public static func ensureOpen(_ db: Database, period: String, doing what: String) throws {
        if try isFinalized(db, period: period) {
            throw StoreError("period \(period) is finalized: cannot \(what); reopen it first with `scorebook reopen --period \(period) --reason \"...\"`")
        }
        // a finalized year's annual appraisal is built from its months: they stay as they were too
        if period.count == 7, period.dropFirst(4).first == "-", case let year = String(period.prefix(4)),
           try isFinalized(db, period: year) {
            throw StoreError("year \(year) is finalized (its annual appraisal is built from \(period)): cannot \(what); reopen the year first with `scorebook reopen --period \(year) --reason \"...\"`")
        }
    }

    public static func finalize(_ db: Database, period: String, actor: String) throws {
        if try isFinalized(db, period: period) { throw StoreError("period \(period) is already finalized") }
        try db.execute(sql: "INSERT INTO period_locks (period, finalized_at, finalized_by) VALUES (?, ?, ?)",
                       arguments: [period, Clock.now(), actor])
        try AuditLog.append(db, actor: actor, action: "finalize", entity: "period", entityID: period,
                            before: ["finalized": false], after: ["finalized": true])
    }

    public static func reopen(_ db: Database, period: String, actor: String, reason: String) throws {
        guard try isFinalized(db, period: period) else { throw StoreError("period \(period) is not finalized") }
        // a month of a finalized year stays locked by the year: reopening it alone would unlock nothing
        if period.count == 7, case let year = String(period.prefix(4)), try isFinalized(db, period: year) {
            throw StoreError("year \(year) is finalized and its annual appraisal is built from \(period): reopen the year first (`scorebook reopen --period \(year) --reason \"...\"`), then the month")
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError("reopening a finalized period needs a reason (--reason)")
        }
        let reason = try InspectionResponses.checkedText(reason, field: "reason")
        try db.execute(sql: "DELETE FROM period_locks WHERE period = ?", arguments: [period])
        try AuditLog.append(db, actor: actor, action: "reopen", entity: "period", entityID: period,
                            before: ["finalized": true], after: ["finalized": false], reason: reason)
    }
}
