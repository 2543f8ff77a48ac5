import Foundation
import GRDB
import ScorebookCore

public enum FindingStatus: String, Codable {
    case open, confirmed, rejected
}

/// A stored automatic finding with its inspection's session and agent.
public struct FindingRecord: Codable, Equatable {
    public var id: Int64
    public var inspectionID: Int64
    public var sessionID: String
    public var agentID: String
    public var period: String
    public var rubricID: String
    public var itemID: String
    public var rule: String
    /// the rule's `name:` or the named condition that fired (nil: none, or a finding of an earlier run)
    public var ruleName: String?
    public var turnIndex: Int?
    public var at: Double?
    public var matched: String?
    public var measured: Double?
    public var severity: String?
    public var message: String
    public var status: FindingStatus
    public var reviewerID: String?
    public var reason: String?
}

public struct FindingFilter {
    public var period: String?
    public var rubricID: String?
    public var itemID: String?
    public var agentID: String?
    public var status: FindingStatus?
    public var inspectionID: Int64?

    public init(period: String? = nil, rubricID: String? = nil, itemID: String? = nil, agentID: String? = nil,
                status: FindingStatus? = nil, inspectionID: Int64? = nil) {
        self.period = period
        self.rubricID = rubricID
        self.itemID = itemID
        self.agentID = agentID
        self.status = status
        self.inspectionID = inspectionID
    }
}

/// Per item and rule kind: how many findings, and how many inspectors confirmed or rejected.
public struct RuleStat: Equatable {
    public var rubricID: String
    public var itemID: String
    public var rule: String
    public var findings: Int
    public var confirmed: Int
    public var rejected: Int
    public var open: Int
    /// rejected / reviewed (nil before any review): how noisy the rule is.
    public var rejectedShare: Double? { confirmed + rejected > 0 ? Double(rejected) / Double(confirmed + rejected) : nil }
}

public enum Findings {
    public static func list(_ db: Database, _ filter: FindingFilter) throws -> [FindingRecord] {
        var sql = """
            SELECT f.*, i.session_id, i.agent_id, i.period, i.rubric_id FROM findings f
            JOIN inspections i ON i.id = f.inspection_id WHERE 1 = 1
            """
        var arguments: StatementArguments = []
        if let v = filter.period { sql += " AND i.period = ?"; arguments += [v] }
        if let v = filter.rubricID { sql += " AND i.rubric_id = ?"; arguments += [v] }
        if let v = filter.itemID { sql += " AND f.item_id = ?"; arguments += [v] }
        if let v = filter.agentID { sql += " AND i.agent_id = ?"; arguments += [v] }
        if let v = filter.status { sql += " AND f.status = ?"; arguments += [v.rawValue] }
        if let v = filter.inspectionID { sql += " AND f.inspection_id = ?"; arguments += [v] }
        sql += " ORDER BY f.id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(decode)
    }

    public static func find(_ db: Database, id: Int64) throws -> FindingRecord? {
        try Row.fetchOne(db, sql: """
            SELECT f.*, i.session_id, i.agent_id, i.period, i.rubric_id FROM findings f
            JOIN inspections i ON i.id = f.inspection_id WHERE f.id = ?
            """, arguments: [id]).map(decode)
    }

    /// Confirms or rejects a finding. A rejected finding stops counting: the automatic inspection's answers
    /// and scores are recomputed from the findings still standing. Both changes go to the audit log.
    /// `reviewerID` names the reviewing inspector or supervisor, who must be on the roster as one; nil records
    /// the actor as the reviewer (the command line's user, who need not be on the roster).
    @discardableResult
    public static func review(_ db: Database, id: Int64, status: FindingStatus, reason: String?, reviewerID: String?,
                              actor: String) throws -> (finding: FindingRecord, inspection: InspectionRecord) {
        guard status != .open else { throw StoreError("a review confirms or rejects a finding") }
        guard let finding = try find(db, id: id) else {
            throw StoreError("no finding with id \(id)")
        }
        if status == .rejected, (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw StoreError("rejecting a finding needs a reason (--reason)")
        }
        let reason = try reason.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            .map { try InspectionResponses.checkedText($0, field: "reason") }
        if let reviewerID {
            guard let reviewer = try Employees.find(db, reviewerID), reviewer.role == .inspector || reviewer.role == .supervisor else {
                throw StoreError("'\(reviewerID)' is not an inspector or supervisor on the roster")
            }
        } else if let acting = try Employees.find(db, actor), acting.role != .inspector && acting.role != .supervisor {
            // the acting user recorded as reviewer: someone on the roster must be an inspector or supervisor (an
            // account that is not on the roster, such as a batch job's, is recorded as it is)
            throw StoreError("the acting user '\(actor)' is \(acting.role.inSentence) on the roster: findings are reviewed by inspectors and supervisors (--inspector ID names the reviewer)")
        }
        let reviewerID = reviewerID ?? actor
        if reviewerID == finding.agentID {
            throw StoreError("'\(reviewerID)' cannot review a finding of their own session")
        }
        // a team lead reviews their own people's findings (the web's rule too); an inspector anyone's
        if let reviewer = try Employees.find(db, reviewerID), reviewer.role == .supervisor,
           !(try Employees.leads(db, supervisorID: reviewerID, employeeID: finding.agentID)) {
            throw StoreError("'\(reviewerID)' is a team lead of another team than \(finding.agentID)'s: a supervisor reviews the findings of their own people")
        }
        try PeriodLocks.ensureOpen(db, period: finding.period, doing: "review a finding")
        // deciding again what is decided (by someone allowed to decide it) changes nothing: who decided and why
        // stay (they were overwritten)
        if finding.status == status {
            guard let inspection = try Inspections.find(db, id: finding.inspectionID) else { throw StoreError("no inspection \(finding.inspectionID)") }
            return (finding, inspection)
        }
        try db.execute(sql: "UPDATE findings SET status = ?, reviewer_id = ?, reason = ?, reviewed_at = ? WHERE id = ?",
                       arguments: [status.rawValue, reviewerID, reason, Clock.now(), id])
        var after = finding
        after.status = status
        after.reviewerID = reviewerID
        after.reason = reason
        try AuditLog.append(db, actor: actor, action: status == .rejected ? "reject" : "confirm", entity: "finding",
                            entityID: String(id), before: finding, after: after, reason: reason)
        let inspection = try rescore(db, inspectionID: finding.inspectionID, actor: actor, reason: "finding \(id) \(status.rawValue)")
        return (after, inspection)
    }

    /// Recomputes an automatic inspection from its stored answers and the findings still standing.
    static func rescore(_ db: Database, inspectionID: Int64, actor: String, reason: String) throws -> InspectionRecord {
        guard let before = try Inspections.find(db, id: inspectionID) else { throw StoreError("no inspection \(inspectionID)") }
        let rubric = try Rubrics.require(db, id: before.rubricID, version: before.rubricVersion).rubric
        let reviewed = try Inspections.reviewedAnswers(db, before, rubric: rubric)
        let score = InspectionScoring.score(rubric, answers: reviewed.answers, deductions: reviewed.deductions)
        var after = before
        after.score = score.score
        after.compliance = score.dimension(.compliance)
        after.accuracy = score.dimension(.accuracy)
        after.etiquette = score.dimension(.etiquette)
        after.criticalFailed = score.criticalFailed
        after.updatedAt = Clock.now()
        let earlierReviewed = try String.fetchOne(db, sql: "SELECT reviewed_answers FROM inspections WHERE id = ?", arguments: [inspectionID])
        try db.execute(sql: """
            UPDATE inspections SET score = ?, compliance = ?, accuracy = ?, etiquette = ?, critical_failed = ?, updated_at = ?,
                reviewed_answers = ?
            WHERE id = ?
            """, arguments: [after.score, after.compliance, after.accuracy, after.etiquette, after.criticalFailed,
                             after.updatedAt, Inspections.encodeAnswers(reviewed.answers.mapValues(\.description)),
                             inspectionID])
        // the log shows the answers that scored each side: after review, not the rules' own answers
        var loggedBefore = before, loggedAfter = after
        if let earlier = earlierReviewed,
           let decoded = try? JSONDecoder().decode([String: String].self, from: Data(earlier.utf8)) {
            loggedBefore.answers = decoded
        }
        loggedAfter.answers = reviewed.answers.mapValues(\.description)
        try AuditLog.append(db, actor: actor, action: "rescore", entity: "inspection", entityID: String(inspectionID),
                            before: loggedBefore, after: loggedAfter, reason: reason)
        if before.score != after.score || before.criticalFailed != after.criticalFailed {
            try InspectionResponses.scoreChanged(db, inspectionID: inspectionID, from: before.score, to: after.score, actor: actor)
        }
        return after
    }

    public static func ruleStats(_ db: Database, period: String?, rubricID: String?) throws -> [RuleStat] {
        var sql = """
            SELECT i.rubric_id, f.item_id, f.rule, COUNT(*) AS n,
                   SUM(f.status = 'confirmed') AS confirmed, SUM(f.status = 'rejected') AS rejected,
                   SUM(f.status = 'open') AS open
            FROM findings f JOIN inspections i ON i.id = f.inspection_id WHERE 1 = 1
            """
        var arguments: StatementArguments = []
        if let period { sql += " AND i.period = ?"; arguments += [period] }
        if let rubricID { sql += " AND i.rubric_id = ?"; arguments += [rubricID] }
        sql += " GROUP BY i.rubric_id, f.item_id, f.rule ORDER BY i.rubric_id, f.item_id, f.rule"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            RuleStat(rubricID: row["rubric_id"], itemID: row["item_id"], rule: row["rule"], findings: row["n"],
                     confirmed: row["confirmed"], rejected: row["rejected"], open: row["open"])
        }
    }

    static func decode(_ row: Row) -> FindingRecord {
        FindingRecord(id: row["id"], inspectionID: row["inspection_id"], sessionID: row["session_id"],
                      agentID: row["agent_id"], period: row["period"], rubricID: row["rubric_id"], itemID: row["item_id"],
                      rule: row["rule"], ruleName: row["rule_name"], turnIndex: row["turn_index"], at: row["at"], matched: row["matched"],
                      measured: row["measured"], severity: row["severity"], message: row["message"],
                      status: FindingStatus(rawValue: row["status"]) ?? .open, reviewerID: row["reviewer_id"],
                      reason: row["reason"])
    }
}
