import Foundation
import GRDB
import ScorebookCore

public enum Appraisals {
    /// The inputs of the monthly appraisal of `period`: every active agent (issue 4), and everyone who worked
    /// the month as an agent and is no longer one — has sessions or ratings in it and is an agent who left
    /// (inactive), or was moved off the agent role (a promotion to inspector or team lead) on a roster
    /// imported on or after the month's first day — the log's times are UTC and the month is the center's
    /// local date, so from 14 hours before (the earliest zone) — or was appraised for it before. So the same data gives
    /// the same appraisals whatever the order of the roster import and a first (draft) appraisal, and
    /// re-appraising a month (after a reopen for someone else's correction) does not drop a leaver's or a
    /// promoted agent's result. Then: the team from the roster, the latest score of each submitted
    /// inspection, the ratings, and the session KPIs per channel (aggregated in SQL, so a large period is
    /// never loaded into memory).
    public static func monthlyInputs(_ db: Database, period: String) throws -> [MonthlyInput] {
        var inputs: [String: MonthlyInput] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT employee_id, team FROM employees e
            WHERE (role = 'agent' AND active = 1)
               OR ((EXISTS (SELECT 1 FROM sessions s WHERE s.period = ?1 AND s.agent_id = e.employee_id)
                    OR EXISTS (SELECT 1 FROM ratings r WHERE r.period = ?1 AND r.employee_id = e.employee_id))
                   AND (role = 'agent'
                        OR EXISTS (SELECT 1 FROM appraisals a WHERE a.period = ?1 AND a.employee_id = e.employee_id)
                        OR EXISTS (SELECT 1 FROM audit_log l
                                   WHERE l.entity = 'employee' AND l.entity_id = e.employee_id AND l.action = 'change'
                                     AND json_extract(l.before, '$.role') = 'agent'
                                     AND json_extract(l.after, '$.role') != 'agent'
                                     AND l.at >= strftime('%Y-%m-%dT%H:%M:%SZ', ?2, '-14 hours'))))
            ORDER BY employee_id
            """, arguments: [period, period + "-01"]) {
            let id: String = row["employee_id"]
            inputs[id] = MonthlyInput(employeeID: id, team: row["team"], period: period)
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT id, agent_id, mode, score FROM inspections
            WHERE period = ? AND status = 'submitted' AND score IS NOT NULL ORDER BY id
            """, arguments: [period]) {
            let agent: String = row["agent_id"]
            guard inputs[agent] != nil, let mode = InspectionMode(rawValue: row["mode"]) else { continue }
            let id: Int64 = row["id"]
            inputs[agent]!.inspections.append(QAScore(mode: mode, score: row["score"], inspectionID: String(id)))
        }
        for rating in try Ratings.inPeriod(db, period) where inputs[rating.employeeID] != nil {
            inputs[rating.employeeID]!.ratings.append(RatingScore(rating))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT agent_id, channel, COUNT(*) AS sessions, SUM(resolved = 1) AS resolved,
                   TOTAL(first_response_seconds) AS fr_sum, COUNT(first_response_seconds) AS fr_count,
                   TOTAL(handle_seconds) AS h_sum, COUNT(handle_seconds) AS h_count
            FROM sessions WHERE period = ? GROUP BY agent_id, channel ORDER BY agent_id, channel
            """, arguments: [period]) {
            let agent: String = row["agent_id"]
            guard inputs[agent] != nil, let channel = Channel(rawValue: row["channel"]) else { continue }
            inputs[agent]!.channels.append(ChannelKPIs(
                channel: channel, sessions: row["sessions"], resolved: row["resolved"] ?? 0,
                firstResponseSum: row["fr_sum"], firstResponseCount: row["fr_count"],
                handleSum: row["h_sum"], handleCount: row["h_count"]))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT agent_id, channel, csat FROM sessions WHERE period = ? AND csat IS NOT NULL ORDER BY rowid
            """, arguments: [period]) {
            let agent: String = row["agent_id"]
            guard inputs[agent] != nil, let channel = Channel(rawValue: row["channel"]),
                  let index = inputs[agent]!.channels.firstIndex(where: { $0.channel == channel }) else { continue }
            inputs[agent]!.channels[index].csat.append(Double(row["csat"] as Int))
        }
        return inputs.keys.sorted().map { inputs[$0]! }
    }

    /// The inputs of the annual appraisal of `year`: each agent's stored monthly results of that year.
    public static func annualInputs(_ db: Database, year: String) throws -> [AnnualInput] {
        var months: [String: [MonthScore]] = [:]
        var teams: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT employee_id, period, result FROM appraisals WHERE period LIKE ? AND length(period) = 7 ORDER BY period
            """, arguments: ["\(year)-%"]) {
            let result = try decode(row["result"])
            months[result.employeeID, default: []].append(MonthScore(result))
            teams[result.employeeID] = result.team
        }
        for row in try Row.fetchAll(db, sql: "SELECT employee_id, team FROM employees") {
            let id: String = row["employee_id"]
            if teams[id] != nil { teams[id] = row["team"] }
        }
        return months.keys.sorted().map { AnnualInput(employeeID: $0, team: teams[$0] ?? "", year: year, months: months[$0]!) }
    }

    /// Computes the monthly appraisal of `key` (a period) or the annual one (a year) with `scheme` and
    /// stores it, in one transaction: the CLI's `appraise` and the web app's "run the appraisal".
    @discardableResult
    public static func run(_ db: Database, key: String, kind: SchemeKind, scheme: Scheme, actor: String) throws -> [AppraisalResult] {
        try PeriodLocks.ensureOpen(db, period: key, doing: "re-appraise it")
        try ensureSomethingToAppraise(db, key: key, kind: kind)
        let results: [AppraisalResult]
        switch kind {
        case .monthly: results = try Appraisal.monthly(try monthlyInputs(db, period: key), scheme: scheme)
        case .annual: results = try Appraisal.annual(try annualInputs(db, year: key), scheme: scheme)
        }
        guard let digest = try Schemes.digest(db, of: scheme) else {
            throw StoreError("scheme \(scheme.id) v\(scheme.version) is not stored: store it before appraising with it")
        }
        try save(db, period: key, results: results, schemeDigest: digest, actor: actor)
        return results
    }

    /// A month with no session, inspection or rating stored (a mistyped `--period`), or a year with no
    /// appraised month, is refused: it would store a "no data" appraisal of every agent and report success.
    static func ensureSomethingToAppraise(_ db: Database, key: String, kind: SchemeKind) throws {
        switch kind {
        case .monthly:
            let any = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM sessions WHERE period = ?1) OR EXISTS (SELECT 1 FROM inspections WHERE period = ?1)
                    OR EXISTS (SELECT 1 FROM ratings WHERE period = ?1)
                """, arguments: [key]) ?? false
            guard any else {
                throw StoreError("nothing to appraise in \(key): no sessions, inspections or ratings of that month are stored — import them first (or check the month)")
            }
        case .annual:
            guard try !monthSchemes(db, year: key).isEmpty else {
                throw StoreError("nothing to appraise in \(key): no month of that year is appraised — appraise the months first (`scorebook appraise --period \(key)-MM`)")
            }
        }
    }

    /// The scheme (the stored variant) a period's appraisals were computed with; nil when it has none.
    /// Computing a month again uses it unless another is chosen: a re-appraisal after a reopen or a late
    /// rating must not move the month back to the default scheme without a word.
    public static func storedScheme(_ db: Database, period: String) throws -> Scheme? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT scheme_id, scheme_version, scheme_digest FROM appraisals WHERE period = ? LIMIT 1
            """, arguments: [period]) else { return nil }
        return try Schemes.find(db, id: row["scheme_id"], version: row["scheme_version"], digest: row["scheme_digest"])?.scheme
    }

    /// The scheme each appraised month of `year` was computed with, in month order (a month's appraisals
    /// share one: `run` computes them together).
    public static func monthSchemes(_ db: Database, year: String) throws -> [(period: String, schemeID: String, version: Int)] {
        try Row.fetchAll(db, sql: """
            SELECT period, MIN(scheme_id) AS scheme_id, MIN(scheme_version) AS version FROM appraisals
            WHERE period LIKE ? AND length(period) = 7 GROUP BY period ORDER BY period
            """, arguments: ["\(year)-%"]).map { ($0["period"], $0["scheme_id"], $0["version"]) }
    }

    /// The scheme variant (`Schemes`) a period's appraisals were computed with.
    public static func schemeDigest(_ db: Database, period: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT scheme_digest FROM appraisals WHERE period = ? LIMIT 1", arguments: [period])
    }

    /// Finalizes a month or a year that has appraisals (a period with none has nothing to lock yet), and
    /// only when they are up to date: what is locked is what HR is paid on, so a result computed before a
    /// re-score, a rating, a roster change or a re-appraised month (for a year) must be computed again
    /// first (`changesSinceAppraisal`), a month whose automatic inspection run has not finished (still
    /// going, or interrupted: a rerun resumes it) is not finalized half-scored, and a year is finalized only
    /// when every month it averages is.
    public static func finalize(_ db: Database, period: String, actor: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM appraisals WHERE period = ? LIMIT 1", arguments: [period]) ?? false else {
            throw StoreError("period \(period) has no appraisals: run the appraisal (`scorebook appraise`) before finalizing")
        }
        let appraise = "scorebook appraise --period \(period)"
        if period.count == 7, let pending = try InspectionResponses.overturnedNotRescored(db, period: period).first {
            throw StoreError("inspection \(pending.inspectionID): its dispute was overturned by \(pending.by) (\(pending.at)) and its score has not changed since — re-score it (or review its findings), then `\(appraise)`, then finalize; if the score stands after all, uphold the dispute instead (`scorebook dispute \(pending.inspectionID) --uphold --answer …`). Finalizing would lock the score the answer agreed was wrong")
        }
        if let run = try AutoRunLog.unfinished(db, in: period) {
            throw StoreError("the automatic inspection of \(run.period) with \(run.rubricID) (run \(run.id), started \(run.startedAt)) has not finished — it is still going or was interrupted: run `scorebook inspect auto --period \(run.period) --rubric \(run.rubricID)` (it resumes), then `\(appraise)`, then finalize")
        }
        // full coverage means every session: sessions imported after the month's run are scored first
        if !Timestamp.isYear(period), let gap = try AutoRunLog.uncovered(db, month: period) {
            throw StoreError("\(gap.sessions) session\(gap.sessions == 1 ? "" : "s") of \(period) \(gap.sessions == 1 ? "has" : "have") no automatic inspection with \(gap.rubricID) (imported after its last run): run `scorebook inspect auto --period \(period) --rubric \(gap.rubricID)` (it scores only those), then `\(appraise)`, then finalize")
        }
        // a year is locked on its months: each month it averages must itself be final (and so up to date) —
        // a year finalized on a month whose data changed would pay on a result its own month refuses
        if Timestamp.isYear(period) {
            let open = try String.fetchAll(db, sql: """
                SELECT DISTINCT a.period FROM appraisals a
                WHERE a.period LIKE ? AND length(a.period) = 7
                  AND NOT EXISTS (SELECT 1 FROM period_locks l WHERE l.period = a.period)
                ORDER BY a.period
                """, arguments: ["\(period)-%"])
            if !open.isEmpty {
                throw StoreError("year \(period) averages months that are not finalized (\(open.joined(separator: ", "))): finalize each month first (`scorebook finalize --period \(open[0])`), then `scorebook appraise --year \(period)` if they changed, then finalize the year")
            }
        }
        let changes = try changesSinceAppraisal(db, period: period)
        if !changes.isEmpty {
            let shown = changes.prefix(5).joined(separator: "; ") + (changes.count > 5 ? "; and \(changes.count - 5) more" : "")
            throw StoreError("the appraisals of \(period) are out of date — the data changed after they were computed (\(shown)): run `\(appraise)` again, check the results, then finalize")
        }
        try PeriodLocks.finalize(db, period: period, actor: actor)
    }

    /// How the stored appraisals of `period` differ from what the database gives now with the same scheme
    /// variant, one line per employee ("E1003: 63.79 C → 31.43 D"); empty when they are up to date. Names are
    /// compared too: the HR workbook shows the name the appraisal was computed with.
    public static func changesSinceAppraisal(_ db: Database, period: String) throws -> [String] {
        let stored = try Row.fetchAll(db, sql: """
            SELECT a.employee_id, a.result, a.name, e.name AS roster_name FROM appraisals a
            LEFT JOIN employees e ON e.employee_id = a.employee_id WHERE a.period = ? ORDER BY a.employee_id
            """, arguments: [period])
        guard let firstRow = stored.first else { return [] }
        let first = try decode(firstRow["result"])
        guard let scheme = try Schemes.find(db, id: first.schemeID, version: first.schemeVersion,
                                            digest: try schemeDigest(db, period: period))?.scheme else {
            return ["scheme \(first.schemeID) v\(first.schemeVersion) of the appraisals is not stored"]
        }
        let fresh = period.count == 4
            ? try Appraisal.annual(try annualInputs(db, year: period), scheme: scheme)
            : try Appraisal.monthly(try monthlyInputs(db, period: period), scheme: scheme)
        let now = Dictionary(uniqueKeysWithValues: fresh.map { ($0.employeeID, $0) })
        func shown(_ r: AppraisalResult) -> String {
            r.finalScore.map { "\(DecimalMath.fixed($0, 2)) \(r.grade ?? "")" } ?? r.status.rawValue
        }
        var changes: [String] = []
        var seen = Set<String>()
        for row in stored {
            let id: String = row["employee_id"]
            seen.insert(id)
            let old = try decode(row["result"])
            guard let new = now[id] else {
                changes.append("\(id): no longer appraised (no sessions or ratings in the period, and not an active agent)")
                continue
            }
            if try encode(old) != encode(new) {
                let what = shown(old) == shown(new) ? "\(shown(old)), but its inputs changed" : "\(shown(old)) → \(shown(new))"
                changes.append("\(id): \(what)")
            } else if let name: String = row["name"], let rosterName: String = row["roster_name"], name != rosterName {
                changes.append("\(id): renamed \(name) → \(rosterName) on the roster")
            }
        }
        for id in now.keys.sorted() where !seen.contains(id) {
            changes.append("\(id): not appraised yet")
        }
        return changes
    }

    /// Replaces the results of a period (which must not be finalized); each changed result is audited, and
    /// so is each result that is not computed again (an employee no longer on the roster as active).
    /// `schemeDigest` names the stored variant of the results' scheme they were computed with.
    public static func save(_ db: Database, period: String, results: [AppraisalResult], schemeDigest: String,
                            actor: String) throws {
        try PeriodLocks.ensureOpen(db, period: period, doing: "re-appraise it")
        let previous = Dictionary(uniqueKeysWithValues: try list(db, period: period).map { ($0.employeeID, $0) })
        try db.execute(sql: "DELETE FROM appraisals WHERE period = ?", arguments: [period])
        let insert = try db.makeStatement(sql: """
            INSERT INTO appraisals (period, employee_id, scheme_id, scheme_version, scheme_digest, status, final_unrounded,
                final_score, grade, bonus, result, computed_at, name)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, (SELECT name FROM employees WHERE employee_id = ?2))
            """)
        let now = Clock.now()
        for r in results {
            try insert.execute(arguments: [period, r.employeeID, r.schemeID, r.schemeVersion, schemeDigest, r.status.rawValue,
                                           r.finalScoreUnrounded, r.finalScore, r.grade, r.bonusCoefficient,
                                           try encode(r), now])
            let before = previous[r.employeeID].map(Summary.init)
            let after = Summary(r)
            if before != after {
                try AuditLog.append(db, actor: actor, action: before == nil ? "create" : "update", entity: "appraisal",
                                    entityID: "\(period)/\(r.employeeID)", before: before, after: after)
            }
        }
        let kept = Set(results.map(\.employeeID))
        for (employeeID, old) in previous.sorted(by: { $0.key < $1.key }) where !kept.contains(employeeID) {
            try AuditLog.append(db, actor: actor, action: "remove", entity: "appraisal", entityID: "\(period)/\(employeeID)",
                                before: Summary(old), after: Nothing?.none)
        }
    }

    public static func list(_ db: Database, period: String) throws -> [AppraisalResult] {
        try String.fetchAll(db, sql: "SELECT result FROM appraisals WHERE period = ? ORDER BY employee_id",
                            arguments: [period]).map(decode)
    }

    /// The names the period's appraisals were computed with (the roster's at the time): what the HR workbook
    /// shows, so a roster change after finalizing does not change a finalized workbook.
    public static func names(_ db: Database, period: String) throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT employee_id, name FROM appraisals WHERE period = ? AND name IS NOT NULL",
                                    arguments: [period]) {
            names[row["employee_id"]] = row["name"]
        }
        return names
    }

    public static func find(_ db: Database, period: String, employeeID: String) throws -> AppraisalResult? {
        try String.fetchOne(db, sql: "SELECT result FROM appraisals WHERE period = ? AND employee_id = ?",
                            arguments: [period, employeeID]).map(decode)
    }

    /// What the audit log records of an appraisal change.
    struct Summary: Codable, Equatable {
        var scheme: String
        var components: [String: Double?]
        var finalScore: Double?
        var grade: String?
        var bonus: Double?
        var missing: [String]

        init(_ r: AppraisalResult) {
            scheme = "\(r.schemeID) v\(r.schemeVersion)"
            components = r.components
            finalScore = r.finalScore
            grade = r.grade
            bonus = r.bonusCoefficient
            missing = r.missing
        }
    }

    static func encode(_ result: AppraisalResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> AppraisalResult {
        try JSONDecoder().decode(AppraisalResult.self, from: Data(text.utf8))
    }
}
