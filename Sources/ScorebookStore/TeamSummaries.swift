import GRDB

/// One team's month at a glance: what the demo prints after its run.
public struct TeamSummary: Equatable, Sendable {
    public var team: String
    /// Active agents on the roster.
    public var agents: Int
    public var sessions: Int
    public var manualInspections: Int
    public var autoInspections: Int
    /// Inspections with a failed red-line item.
    public var redLines: Int
    /// Mean of the team's appraisals' qa component and final score (unrounded, as the workbook's Team
    /// Summary); nil without appraisals.
    public var meanQA: Double?
    public var meanFinal: Double?
    /// Grade → number of the team's appraisals with it.
    public var grades: [String: Int]
}

public enum TeamSummaries {
    /// Per team of the roster's active agents, in team order.
    public static func of(_ db: Database, period: String) throws -> [TeamSummary] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.team,
                   COUNT(DISTINCT e.employee_id) AS agents,
                   (SELECT COUNT(*) FROM sessions s JOIN employees x ON x.employee_id = s.agent_id
                     WHERE x.team = e.team AND s.period = ?1) AS sessions,
                   (SELECT COUNT(*) FROM inspections i JOIN employees x ON x.employee_id = i.agent_id
                     WHERE x.team = e.team AND i.period = ?1 AND i.mode = 'manual') AS manual,
                   (SELECT COUNT(*) FROM inspections i JOIN employees x ON x.employee_id = i.agent_id
                     WHERE x.team = e.team AND i.period = ?1 AND i.mode = 'auto') AS auto,
                   (SELECT COUNT(*) FROM inspections i JOIN employees x ON x.employee_id = i.agent_id
                     WHERE x.team = e.team AND i.period = ?1 AND i.critical_failed = 1) AS red_lines,
                   (SELECT AVG(json_extract(a.result, '$.components.qa')) FROM appraisals a
                     JOIN employees x ON x.employee_id = a.employee_id
                     WHERE x.team = e.team AND a.period = ?1) AS mean_qa,
                   (SELECT AVG(a.final_unrounded) FROM appraisals a JOIN employees x ON x.employee_id = a.employee_id
                     WHERE x.team = e.team AND a.period = ?1) AS mean_final
            FROM employees e WHERE e.role = 'agent' AND e.active = 1
            GROUP BY e.team ORDER BY e.team
            """, arguments: [period])
        var grades: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT x.team, a.grade, COUNT(*) AS n FROM appraisals a JOIN employees x ON x.employee_id = a.employee_id
            WHERE a.period = ? AND a.grade IS NOT NULL GROUP BY x.team, a.grade
            """, arguments: [period]) {
            grades[row["team"], default: [:]][row["grade"]] = row["n"]
        }
        return rows.map { row in
            let team: String = row["team"]
            return TeamSummary(team: team, agents: row["agents"], sessions: row["sessions"], manualInspections: row["manual"],
                               autoInspections: row["auto"], redLines: row["red_lines"], meanQA: row["mean_qa"],
                               meanFinal: row["mean_final"], grades: grades[team] ?? [:])
        }
    }
}
