import Foundation
import GRDB
import ScorebookCore

/// Append-only record of every change to a score, rating or appraisal: who, when, what, before, after.
public struct AuditEntry: Codable, Equatable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var entity: String
    public var entityID: String
    public var before: String?
    public var after: String?
    public var reason: String?
}

public enum AuditLog {
    /// Appends one entry; `before` and `after` are encoded as JSON text.
    public static func append<B: Encodable, A: Encodable>(
        _ db: Database, actor: String, action: String, entity: String, entityID: String,
        before: B?, after: A?, reason: String? = nil
    ) throws {
        try db.execute(sql: """
            INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [Clock.now(), actor, action, entity, entityID, json(before), json(after), reason])
    }

    /// The kinds of entity the log names: an inspection, a finding, one rating, a ratings file import, an
    /// appraisal (`period/employee`), a period (finalize, reopen, automatic runs), an employee (roster,
    /// passwords), a scheme.
    public static let entityKinds = ["appraisal", "employee", "finding", "inspection", "period", "rating", "ratings", "scheme"]

    /// A `since`/`until` bound as the log writes times (UTC, whole seconds): `2026-12-06T12:57:38+08:00` is
    /// `2026-12-06T04:57:38Z`; a fraction of a second rounds inward (the log's times have none). A day, or
    /// text that is no time, is compared as it is.
    static func utcBound(_ value: String, upper: Bool) -> String {
        guard value.utf8.count > 10, let seconds = Timestamp.parse(value) else { return value }
        return Clock.string(Date(timeIntervalSince1970: upper ? seconds.rounded(.down) : seconds.rounded(.up)))
    }

    /// Entries oldest first, narrowed by entity kind and id, who acted, the action, and the time: `since` and
    /// `until` are a UTC day `YYYY-MM-DD` (from its start, through its end) or an ISO 8601 time, with or
    /// without a UTC offset (none: UTC), compared as the instant it names with the log's UTC times.
    public static func entries(_ db: Database, entity: String? = nil, entityID: String? = nil, actor: String? = nil,
                               action: String? = nil, since: String? = nil, until: String? = nil) throws -> [AuditEntry] {
        var sql = "SELECT id, at, actor, action, entity, entity_id, before, after, reason FROM audit_log WHERE 1 = 1"
        var arguments: StatementArguments = []
        if let entity { sql += " AND entity = ?"; arguments += [entity] }
        if let entityID { sql += " AND entity_id = ?"; arguments += [entityID] }
        if let actor { sql += " AND actor = ?"; arguments += [actor] }
        if let action { sql += " AND action = ?"; arguments += [action] }
        if let since { sql += " AND at >= ?"; arguments += [utcBound(since, upper: false)] }
        // an `until` day includes the whole day: every time of that day sorts before the day followed by "~"
        if let until { sql += " AND at <= ?"; arguments += [utcBound(until, upper: true) + "~"] }
        sql += " ORDER BY id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            AuditEntry(id: row["id"], at: row["at"], actor: row["actor"], action: row["action"],
                       entity: row["entity"], entityID: row["entity_id"], before: row["before"],
                       after: row["after"], reason: row["reason"])
        }
    }

    static func json<T: Encodable>(_ value: T?) -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// For audit calls that have no before (creation) or no after (deletion).
public struct Nothing: Encodable {}
