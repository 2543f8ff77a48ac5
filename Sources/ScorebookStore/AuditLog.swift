import Foundation
import GRDB

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

    public static func entries(_ db: Database, entity: String? = nil, entityID: String? = nil) throws -> [AuditEntry] {
        var sql = "SELECT id, at, actor, action, entity, entity_id, before, after, reason FROM audit_log WHERE 1 = 1"
        var arguments: StatementArguments = []
        if let entity { sql += " AND entity = ?"; arguments += [entity] }
        if let entityID { sql += " AND entity_id = ?"; arguments += [entityID] }
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
