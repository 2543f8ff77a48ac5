import GRDB
import ScorebookCore

/// Where an agent's response to an inspection stands.
public enum ResponseStatus: String, Codable, Sendable, CaseIterable {
    /// The agent has read the inspection and accepts it.
    case acknowledged
    /// The agent disputes it; an inspector or supervisor has not answered yet.
    case disputed
    /// Answered: the inspection stands as scored.
    case upheld
    /// Answered: the dispute is right; the inspector re-scores the inspection (or rejects its findings).
    case overturned
}

/// An agent's response to one of their inspections (申诉): at most one per inspection, recorded with the
/// answer to a dispute. Every step is in the audit log.
public struct InspectionResponse: Codable, Equatable, Sendable {
    public var inspectionID: Int64
    public var agentID: String
    public var status: ResponseStatus
    /// Why the agent disputes it (nil for an acknowledgement).
    public var reason: String?
    public var respondedAt: String
    public var answeredBy: String?
    public var answer: String?
    public var answeredAt: String?
    /// The inspection's period (from the inspection), for listings.
    public var period: String
}

public enum InspectionResponses {
    /// Longest reason or answer accepted, in characters.
    public static let maxTextLength = 2000

    /// Records the agent's acknowledgement (`dispute == nil`) or dispute of a submitted inspection of their
    /// own, in an open period. An inspection gets one response: a second is refused.
    @discardableResult
    public static func respond(_ db: Database, inspectionID: Int64, agentID: String, dispute reason: String?,
                               actor: String) throws -> InspectionResponse {
        guard let inspection = try Inspections.find(db, id: inspectionID) else {
            throw StoreError("unknown inspection \(inspectionID)")
        }
        guard inspection.agentID == agentID else {
            throw StoreError("inspection \(inspectionID) is not one of \(agentID)'s")
        }
        guard inspection.status == .submitted else {
            throw StoreError("inspection \(inspectionID) is a draft: only submitted inspections can be answered")
        }
        try PeriodLocks.ensureOpen(db, period: inspection.period, doing: "respond to an inspection")
        if let existing = try find(db, inspectionID: inspectionID) {
            throw StoreError("inspection \(inspectionID) was already \(existing.status.rawValue) on \(existing.respondedAt)")
        }
        let text = try reason.map { try checkedText($0, field: "reason") }
        let response = InspectionResponse(
            inspectionID: inspectionID, agentID: agentID, status: text == nil ? .acknowledged : .disputed,
            reason: text, respondedAt: Clock.now(), answeredBy: nil, answer: nil, answeredAt: nil,
            period: inspection.period)
        try db.execute(sql: """
            INSERT INTO inspection_responses (inspection_id, agent_id, status, reason, responded_at) VALUES (?, ?, ?, ?, ?)
            """, arguments: [inspectionID, agentID, response.status.rawValue, response.reason, response.respondedAt])
        try AuditLog.append(db, actor: actor, action: text == nil ? "acknowledge" : "dispute", entity: "inspection",
                            entityID: String(inspectionID), before: Nothing?.none, after: response, reason: text)
        return response
    }

    /// After a submitted inspection's score changed: an acknowledgement, or the answer to a dispute (upheld or
    /// overturned), was about the old score, so it is withdrawn (audited) and the agent acknowledges or disputes
    /// the new one. An open dispute stays: it is answered next.
    static func scoreChanged(_ db: Database, inspectionID: Int64, from old: Double?, to new: Double?, actor: String) throws {
        // an open dispute stays (it is answered next); an acknowledgement, and the answer to a dispute (upheld:
        // "the score stands"; overturned: "re-score it", now done), were about the old score: withdrawn, so the
        // agent answers the new one — an upheld dispute re-scored lower left the agent no way to contest it
        guard let response = try find(db, inspectionID: inspectionID), response.status != .disputed else { return }
        try db.execute(sql: "DELETE FROM inspection_responses WHERE inspection_id = ?", arguments: [inspectionID])
        func shown(_ x: Double?) -> String { x.map { DecimalMath.fixed($0, 2) } ?? "N/A" }
        let after = response.status == .acknowledged ? "the agent acknowledged it" : "its dispute was \(response.status.rawValue)"
        try AuditLog.append(db, actor: actor,
                            action: response.status == .acknowledged ? "withdraw-acknowledgement" : "withdraw-dispute-answer",
                            entity: "inspection", entityID: String(inspectionID), before: response, after: Nothing?.none,
                            reason: "re-scored from \(shown(old)) to \(shown(new)) after \(after): the agent answers the new score")
    }

    /// Disputes of the period that were overturned ("the dispute is right") and whose score has not changed
    /// since — a re-score that changes it withdraws the answer (`scoreChanged`); a comment or a review that
    /// leaves the score as it was does not: finalizing would lock the score the answerer agreed was wrong.
    public static func overturnedNotRescored(_ db: Database, period: String) throws -> [(inspectionID: Int64, by: String, at: String)] {
        try Row.fetchAll(db, sql: """
            SELECT r.inspection_id, r.answered_by, r.answered_at FROM inspection_responses r
            JOIN inspections i ON i.id = r.inspection_id
            WHERE i.period = ? AND r.status = 'overturned'
            ORDER BY r.inspection_id
            """, arguments: [period]).map { ($0["inspection_id"], $0["answered_by"] ?? "", $0["answered_at"] ?? "") }
    }

    /// Answers an open dispute: `uphold` keeps the inspection as scored, otherwise it is overturned (the
    /// answerer then re-scores it or rejects its findings — those changes have their own audit entries).
    /// Only an inspector or supervisor other than the agent answers.
    @discardableResult
    public static func answer(_ db: Database, inspectionID: Int64, by answererID: String, uphold: Bool, answer: String,
                              actor: String) throws -> InspectionResponse {
        guard let before = try find(db, inspectionID: inspectionID) else {
            throw StoreError("inspection \(inspectionID) has no dispute")
        }
        // an overturned dispute whose score did not change after all may be upheld instead (the score stands)
        guard before.status == .disputed || (before.status == .overturned && uphold) else {
            throw StoreError("inspection \(inspectionID) is \(before.status.rawValue), not an open dispute")
        }
        guard let answerer = try Employees.find(db, answererID) else {
            throw StoreError("unknown employee '\(answererID)' (not on the roster)")
        }
        guard answerer.role == .inspector || answerer.role == .supervisor else {
            throw StoreError("'\(answererID)' (\(answerer.role.inSentence)) cannot answer a dispute: only an inspector or supervisor can")
        }
        guard answererID != before.agentID else {
            throw StoreError("'\(answererID)' cannot answer their own dispute")
        }
        // a team lead answers their own people's disputes (the web's rule too); an inspector anyone's
        if answerer.role == .supervisor, !(try Employees.leads(db, supervisorID: answererID, employeeID: before.agentID)) {
            throw StoreError("'\(answererID)' is a team lead of another team than \(before.agentID)'s: a supervisor answers the disputes of their own people")
        }
        try PeriodLocks.ensureOpen(db, period: before.period, doing: "answer a dispute")
        let text = try checkedText(answer, field: "answer")
        var after = before
        after.status = uphold ? .upheld : .overturned
        after.answeredBy = answererID
        after.answer = text
        after.answeredAt = Clock.now()
        try db.execute(sql: """
            UPDATE inspection_responses SET status = ?, answered_by = ?, answer = ?, answered_at = ? WHERE inspection_id = ?
            """, arguments: [after.status.rawValue, after.answeredBy, after.answer, after.answeredAt, inspectionID])
        try AuditLog.append(db, actor: actor, action: "answer-dispute", entity: "inspection",
                            entityID: String(inspectionID), before: before, after: after, reason: text)
        return after
    }

    /// Submitted inspections of the agent that they have neither acknowledged nor disputed yet.
    public static func unanswered(_ db: Database, agentID: String) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM inspections i LEFT JOIN inspection_responses r ON r.inspection_id = i.id
            WHERE i.agent_id = ? AND i.status = 'submitted' AND r.inspection_id IS NULL
            """, arguments: [agentID]) ?? 0
    }

    /// The responses of the given inspections, by inspection id.
    public static func of(_ db: Database, inspectionIDs: [Int64]) throws -> [Int64: InspectionResponse] {
        guard !inspectionIDs.isEmpty else { return [:] }
        let rows = try Row.fetchAll(db, sql: "\(select) WHERE r.inspection_id IN (\(databaseQuestionMarks(count: inspectionIDs.count)))",
                                    arguments: StatementArguments(inspectionIDs))
        return Dictionary(rows.map(decode).map { ($0.inspectionID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public static func find(_ db: Database, inspectionID: Int64) throws -> InspectionResponse? {
        try Row.fetchOne(db, sql: "\(select) WHERE r.inspection_id = ?", arguments: [inspectionID]).map(decode)
    }

    /// Responses, oldest first, optionally of one period, status, or of the agents given.
    public static func list(_ db: Database, period: String? = nil, status: ResponseStatus? = nil,
                            agentIDs: [String]? = nil) throws -> [InspectionResponse] {
        var sql = "\(select) WHERE 1 = 1"
        var arguments: StatementArguments = []
        if let period { sql += " AND i.period = ?"; arguments += [period] }
        if let status { sql += " AND r.status = ?"; arguments += [status.rawValue] }
        if let agentIDs {
            guard !agentIDs.isEmpty else { return [] }
            sql += " AND r.agent_id IN (\(databaseQuestionMarks(count: agentIDs.count)))"
            arguments += StatementArguments(agentIDs)
        }
        sql += " ORDER BY r.responded_at, r.inspection_id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(decode)
    }

    private static let select = """
        SELECT r.*, i.period FROM inspection_responses r JOIN inspections i ON i.id = r.inspection_id
        """

    /// A reason, answer or comment a person typed: trimmed (line breaks too), not empty, at most
    /// `maxTextLength` characters — disputes, their answers, finding reviews and reopen reasons alike.
    static func checkedText(_ text: String, field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError("\(field): must not be empty") }
        guard trimmed.count <= maxTextLength else {
            throw StoreError("\(field): \(trimmed.count) characters, at most \(maxTextLength)")
        }
        return trimmed
    }

    private static func decode(_ row: Row) -> InspectionResponse {
        InspectionResponse(
            inspectionID: row["inspection_id"], agentID: row["agent_id"],
            status: ResponseStatus(rawValue: row["status"]) ?? .disputed, reason: row["reason"],
            respondedAt: row["responded_at"], answeredBy: row["answered_by"], answer: row["answer"],
            answeredAt: row["answered_at"], period: row["period"])
    }
}
