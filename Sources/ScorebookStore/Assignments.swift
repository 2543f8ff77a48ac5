import GRDB
import ScorebookCore

/// A sampled session assigned to an inspector; `done` once that session has a manual inspection with the rubric.
public struct AssignmentRecord: Equatable {
    public var period: String
    public var sessionID: String
    public var agentID: String
    public var inspectorID: String
    public var rubricID: String
    public var reason: String
    /// A submitted manual inspection of the session with the rubric exists (by anyone: the session is inspected).
    public var done: Bool
    /// Not done, and the assigned inspector has saved a draft of it with the rubric.
    public var draft: Bool = false

    /// `done`, `draft` or `pending` (the CLI's column; the web says submitted / draft / to do).
    public var status: String { done ? "done" : draft ? "draft" : "pending" }
}

public enum Assignments {
    /// Draws a sample of the period (`Sampling`'s rules) agent by agent, so memory holds one agent's
    /// sessions at a time however large the period. Candidates are the period's sessions of active agents
    /// (sessions handled by an inspector or a supervisor are not theirs to be appraised on: left out)
    /// with a risk score from exactly issue 3's criteria (failed automatic red line +3, csat ≤ 2 +2, handle
    /// time above `longHandleSeconds` +1); sessions already inspected or assigned with the rubric are never
    /// drawn.
    public static func draw(_ db: Database, period: String, rubricID: String, longHandleSeconds: Double,
                            plan: SamplingPlan) throws -> SampleResult {
        let excluded = Set(try String.fetchAll(db, sql: """
            SELECT session_id FROM inspections WHERE period = ? AND rubric_id = ? AND mode = 'manual'
            UNION SELECT session_id FROM assignments WHERE period = ? AND rubric_id = ?
            """, arguments: [period, rubricID, period, rubricID]))
        let agents = try String.fetchAll(db, sql: """
            SELECT DISTINCT s.agent_id FROM sessions s
            JOIN employees e ON e.employee_id = s.agent_id AND e.active = 1 AND e.role = 'agent'
            WHERE s.period = ?
            """, arguments: [period]).sorted()
        let select = try db.makeStatement(sql: """
            SELECT s.session_id, s.agent_id, s.channel,
                   (CASE WHEN a.critical_failed = 1 THEN 3 ELSE 0 END)
                 + (CASE WHEN s.csat <= 2 THEN 2 ELSE 0 END)
                 + (CASE WHEN s.handle_seconds > ? THEN 1 ELSE 0 END) AS risk
            FROM sessions s
            LEFT JOIN inspections a ON a.session_id = s.session_id AND a.rubric_id = ? AND a.mode = 'auto'
            WHERE s.period = ? AND s.agent_id = ?
            """)
        var draws = try AgentDraws(plan: plan)
        for agentID in agents {
            var candidates: [SamplingCandidate] = []
            let rows = try Row.fetchCursor(select, arguments: [longHandleSeconds, rubricID, period, agentID])
            while let row = try rows.next() {
                candidates.append(SamplingCandidate(sessionID: row[0], agentID: row[1],
                                                    channel: Channel(rawValue: row[2]) ?? .phone, risk: row[3]))
            }
            try draws.add(agentID: agentID, candidates: candidates, alreadyInspected: excluded)
        }
        return try draws.finish()
    }

    /// Draws a sample and stores it as assignments, in the caller's transaction (the CLI's `sample` and the
    /// web app's form): the period must be open and the rubric stored. `inspectors` nil = every active
    /// inspector; given ids must each be an inspector or a supervisor on the roster. `plan.inspectors` is
    /// replaced by them.
    public static func sample(_ db: Database, period: String, rubricID: String, inspectors: [String]?,
                              longHandleSeconds: Double, plan: SamplingPlan) throws -> SampleResult {
        try PeriodLocks.ensureOpen(db, period: period, doing: "draw a sample")
        _ = try Rubrics.require(db, id: rubricID)
        guard longHandleSeconds.isFinite, longHandleSeconds > 0 else {
            throw SamplingError.invalidParameter("long handle time must be a positive number of seconds, found \(longHandleSeconds)",
                                                field: "long_handle")
        }
        let roster = try Employees.all(db)
        var chosen: [String]
        if let inspectors {
            chosen = inspectors
            for id in chosen {
                guard let e = roster.first(where: { $0.employeeID == id }) else { throw StoreError("unknown inspector '\(id)'") }
                guard e.role == .inspector || e.role == .supervisor else {
                    throw StoreError("'\(id)' is \(e.role.inSentence), not an inspector or supervisor")
                }
                guard e.active else { throw StoreError("inspector '\(id)' is no longer active (left the roster)") }
            }
        } else {
            chosen = roster.filter { $0.role == .inspector && $0.active }.map(\.employeeID)
        }
        guard !chosen.isEmpty else { throw StoreError("no inspectors: name them (--inspectors) or add inspectors to the roster") }
        var plan = plan
        plan.inspectors = chosen
        // earlier draws of the period with the rubric: a top-up draw evens out the totals
        for row in try Row.fetchAll(db, sql: """
            SELECT inspector_id, COUNT(*) AS n FROM assignments WHERE period = ? AND rubric_id = ? GROUP BY inspector_id
            """, arguments: [period, rubricID]) {
            plan.earlierLoads[row["inspector_id"]] = row["n"]
        }
        let result = try draw(db, period: period, rubricID: rubricID, longHandleSeconds: longHandleSeconds, plan: plan)
        try save(db, period: period, rubricID: rubricID, result.assignments)
        return result
    }

    public static func save(_ db: Database, period: String, rubricID: String, _ assignments: [SampleAssignment]) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO assignments (period, session_id, agent_id, rubric_id, inspector_id, reason, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let now = Clock.now()
        for a in assignments {
            guard let inspector = a.inspectorID else { throw StoreError("session \(a.sessionID) has no inspector") }
            try insert.execute(arguments: [period, a.sessionID, a.agentID, rubricID, inspector,
                                           a.targeted ? "targeted" : "random", now])
        }
    }

    public static func list(_ db: Database, period: String?, inspectorID: String?) throws -> [AssignmentRecord] {
        var sql = """
            SELECT a.period, a.session_id, a.agent_id, a.inspector_id, a.rubric_id, a.reason,
                   EXISTS (SELECT 1 FROM inspections i WHERE i.session_id = a.session_id AND i.rubric_id = a.rubric_id
                           AND i.mode = 'manual' AND i.status = 'submitted') AS done,
                   EXISTS (SELECT 1 FROM inspections i WHERE i.session_id = a.session_id AND i.rubric_id = a.rubric_id
                           AND i.mode = 'manual' AND i.status = 'draft' AND i.inspector_id = a.inspector_id) AS draft
            FROM assignments a WHERE 1 = 1
            """
        var arguments: StatementArguments = []
        if let period { sql += " AND a.period = ?"; arguments += [period] }
        if let inspectorID { sql += " AND a.inspector_id = ?"; arguments += [inspectorID] }
        sql += " ORDER BY a.inspector_id, a.agent_id, a.session_id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            AssignmentRecord(period: row[0], sessionID: row[1], agentID: row[2], inspectorID: row[3], rubricID: row[4],
                             reason: row[5], done: row[6], draft: row[7])
        }
    }
}
