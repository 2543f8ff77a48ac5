import GRDB
import ScorebookCore

/// Web sign-in credentials: one password hash per employee (the hashing itself is the web adapter's —
/// bcrypt — so this table never sees a password). Setting one is recorded in the audit log without the hash.
public enum Credentials {
    /// `action`: what the audit entry calls it — by default `set-password` (a first one) or `reset-password`
    /// (an administrator's); the web's own change passes `change-password`.
    public static func setHash(_ db: Database, employeeID: String, hash: String, actor: String, action: String? = nil) throws {
        guard try Employees.find(db, employeeID) != nil else {
            throw StoreError("unknown employee '\(employeeID)' (not on the roster)")
        }
        let existed = try passwordHash(db, employeeID: employeeID) != nil
        try db.execute(sql: """
            INSERT INTO credentials (employee_id, password_hash, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (employee_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at
            """, arguments: [employeeID, hash, Clock.now()])
        try AuditLog.append(db, actor: actor, action: action ?? (existed ? "reset-password" : "set-password"), entity: "employee",
                            entityID: employeeID, before: Nothing?.none, after: Nothing?.none)
    }

    public static func passwordHash(_ db: Database, employeeID: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT password_hash FROM credentials WHERE employee_id = ?", arguments: [employeeID])
    }
}
