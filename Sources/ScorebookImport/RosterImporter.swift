import Foundation
import GRDB
import ScorebookCore
import ScorebookStore

/// Imports roster.csv (`employee_id,name,team,role,supervisor_id,active`) in one transaction.
public enum RosterImporter {
    @discardableResult
    public static func importFile(_ path: String, into store: Store) throws -> ImportSummary {
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
        try store.write { db in
            let known = try Employees.ids(db)
            for employee in employees {
                if let supervisor = employee.supervisorID, lines[supervisor] == nil, known[supervisor] == nil {
                    throw ImportFailure(file: path, line: lines[employee.employeeID], field: "supervisor_id",
                                        reason: "unknown supervisor '\(supervisor)' (not in this file nor on the roster)")
                }
            }
            try Employees.upsert(db, employees)
        }
        return ImportSummary(file: path, records: employees.count, transcripts: 0, periods: [])
    }
}
