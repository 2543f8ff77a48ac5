import Foundation
import GRDB
import ScorebookCore
import ScorebookStore

/// Imports roster.csv (`employee_id,name,team,role,supervisor_id,active`) in one transaction. Every new
/// employee and every change (team, name, role, supervisor, active) is audited with before and after —
/// they change appraisals and who may see what; a supervisor chain that loops back is refused; the summary
/// names the active employees on the roster that the file leaves out (they stay as they are).
public enum RosterImporter {
    @discardableResult
    public static func importFile(_ path: String, into store: Store, actor: String = "cli") throws -> ImportSummary {
        var employees: [Employee] = []
        var lines: [String: Int] = [:]
        try CSVTable.read(path: path, columns: RosterRecord.columns) { line, fields in
            let employee = try RosterRecord.parse(fields)
            if let first = lines[employee.employeeID] {
                throw FieldError(field: "employee_id", reason: "duplicate employee id '\(employee.employeeID)' (first on line \(first))")
            }
            lines[employee.employeeID] = line
            employees.append(employee)
        }
        var notInFile: [String] = []
        try store.write { db in
            var roster = Dictionary(uniqueKeysWithValues: try Employees.all(db).map { ($0.employeeID, $0) })
            let before = roster
            for employee in employees {
                if let supervisor = employee.supervisorID, lines[supervisor] == nil, roster[supervisor] == nil {
                    throw ImportFailure(file: path, line: lines[employee.employeeID], field: "supervisor_id",
                                        reason: "unknown supervisor '\(supervisor)' (not in this file nor on the roster)")
                }
            }
            for employee in employees { roster[employee.employeeID] = employee }
            // an active agent's supervisor gives their supervisor rating and leads their team: a supervisor (the
            // rating template would otherwise hold rows nobody may fill). Checked on the roster as it will be —
            // a file that makes a team lead an inspector is refused too —; a leaver keeps their last lead.
            for agent in roster.values.sorted(by: { $0.employeeID < $1.employeeID }) where agent.role == .agent && agent.active {
                guard let id = agent.supervisorID, let supervisor = roster[id], supervisor.role != .supervisor,
                      lines[agent.employeeID] != nil || lines[id] != nil else { continue }  // this file's doing only
                if let line = lines[agent.employeeID] {
                    throw ImportFailure(file: path, line: line, field: "supervisor_id",
                                        reason: "'\(id)' is \(supervisor.role.inSentence) on the roster, not a supervisor: an agent's supervisor_id names their team lead (role supervisor)")
                }
                throw ImportFailure(file: path, line: lines[id], field: "role",
                                    reason: "'\(id)' would be \(supervisor.role.inSentence), but is the supervisor of the active agent '\(agent.employeeID)': move their agents to another team lead in the same file")
            }
            for employee in employees {
                if let loop = cycle(from: employee, in: roster) {
                    throw ImportFailure(file: path, line: lines[employee.employeeID], field: "supervisor_id",
                                        reason: "the supervisor chain loops back: \(loop.joined(separator: " → ")) (someone must be at its top)")
                }
            }
            try Employees.upsert(db, employees)
            for employee in employees {
                let old = before[employee.employeeID]
                guard old != employee else { continue }
                try AuditLog.append(db, actor: actor, action: old == nil ? "add" : "change", entity: "employee",
                                    entityID: employee.employeeID, before: old.map(fields), after: fields(employee),
                                    reason: "\((path as NSString).lastPathComponent) line \(lines[employee.employeeID] ?? 0)")
            }
            notInFile = before.values.filter { $0.active && lines[$0.employeeID] == nil }.map(\.employeeID).sorted()
        }
        var summary = ImportSummary(file: path, records: employees.count, transcripts: 0, periods: [])
        summary.notInFile = notInFile
        return summary
    }

    /// The chain from `employee` up through `supervisor_id` when it comes back to someone already on it.
    static func cycle(from employee: Employee, in roster: [String: Employee]) -> [String]? {
        var chain = [employee.employeeID]
        var next = employee.supervisorID
        while let id = next {
            chain.append(id)
            if chain.dropLast().contains(id) { return chain }
            next = roster[id]?.supervisorID
        }
        return nil
    }

    private static func fields(_ e: Employee) -> [String: String] {
        ["name": e.name, "team": e.team, "role": e.role.rawValue, "supervisor_id": e.supervisorID ?? "",
         "active": e.active ? "1" : "0"]
    }
}
