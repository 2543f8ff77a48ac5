import GRDB
import ScorebookCore

public enum Employees {
    /// Inserts or updates roster rows (a roster import refreshes names, teams, roles and the active flag).
    public static func upsert(_ db: Database, _ employees: [Employee]) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO employees (employee_id, name, team, role, supervisor_id, active) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (employee_id) DO UPDATE SET name = excluded.name, team = excluded.team, role = excluded.role,
                supervisor_id = excluded.supervisor_id, active = excluded.active
            """)
        for e in employees {
            try statement.execute(arguments: [e.employeeID, e.name, e.team, e.role.rawValue, e.supervisorID, e.active])
        }
    }

    public static func all(_ db: Database) throws -> [Employee] {
        try Row.fetchAll(db, sql: "SELECT * FROM employees ORDER BY employee_id").map(decode)
    }

    /// Whether `supervisorID` is above `employeeID` in the supervisor chain (their team lead, or the lead's
    /// lead, …) — as the web's `Access.leads`.
    public static func leads(_ db: Database, supervisorID: String, employeeID: String) throws -> Bool {
        try SupervisorChain.leads(supervisorID, employeeID) { try find(db, $0)?.supervisorID }
    }

    public static func find(_ db: Database, _ id: String) throws -> Employee? {
        try Row.fetchOne(db, sql: "SELECT * FROM employees WHERE employee_id = ?", arguments: [id]).map(decode)
    }

    /// All employee ids on the roster, for validating imports without a query per row.
    public static func ids(_ db: Database) throws -> [String: Role] {
        var result: [String: Role] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT employee_id, role FROM employees") {
            result[row["employee_id"]] = Role(rawValue: row["role"]) ?? .agent
        }
        return result
    }

    static func decode(_ row: Row) -> Employee {
        Employee(employeeID: row["employee_id"], name: row["name"], team: row["team"],
                 role: Role(rawValue: row["role"]) ?? .agent, supervisorID: row["supervisor_id"], active: row["active"])
    }
}
