import Foundation
import GRDB
import ScorebookCore

public enum InspectionStatus: String, Codable, Sendable {
    case draft, submitted
}

/// One stored inspection with its unrounded scores.
public struct InspectionRecord: Codable, Equatable {
    public var id: Int64
    public var sessionID: String
    public var agentID: String
    public var period: String
    public var rubricID: String
    public var rubricVersion: Int
    public var inspectorID: String?
    public var mode: InspectionMode
    public var status: InspectionStatus
    public var score: Double?
    public var compliance: Double?
    public var accuracy: Double?
    public var etiquette: Double?
    public var criticalFailed: Bool
    /// Item id → answer text (`yes`, `no`, `na` or a number).
    public var answers: [String: String]
    public var comment: String?
    public var createdAt: String
    public var updatedAt: String

    public func decodedAnswers() -> [String: Answer] {
        answers.compactMapValues(Answer.parse)
    }
}

/// A manual inspection to record: who scored which session with which rubric, and the answers.
public struct ManualInspection {
    public var sessionID: String
    public var rubricID: String
    public var rubricVersion: Int?
    public var inspectorID: String
    public var answers: [String: Answer]
    public var submit: Bool
    public var comment: String?

    public init(sessionID: String, rubricID: String, rubricVersion: Int? = nil, inspectorID: String,
                answers: [String: Answer], submit: Bool, comment: String? = nil) {
        self.sessionID = sessionID
        self.rubricID = rubricID
        self.rubricVersion = rubricVersion
        self.inspectorID = inspectorID
        self.answers = answers
        self.submit = submit
        self.comment = comment
    }
}

public struct InspectionFilter {
    public var period: String?
    public var sessionID: String?
    public var agentID: String?
    public var inspectorID: String?
    public var rubricID: String?
    public var mode: InspectionMode?
    public var status: InspectionStatus?
    /// Only these agents' inspections (the web app's visibility); nil = anyone's.
    public var agentIDs: [String]?
    /// At most this many, lowest ids first.
    public var limit: Int?

    public init(period: String? = nil, agentID: String? = nil, inspectorID: String? = nil, rubricID: String? = nil,
                mode: InspectionMode? = nil, status: InspectionStatus? = nil, agentIDs: [String]? = nil, limit: Int? = nil) {
        self.period = period
        self.agentID = agentID
        self.inspectorID = inspectorID
        self.rubricID = rubricID
        self.mode = mode
        self.status = status
        self.agentIDs = agentIDs
        self.limit = limit
    }
}

public enum Inspections {
    /// Records (or re-scores) a manual inspection. One manual inspection exists per session, rubric and
    /// inspector: recording again re-scores it with its rubric version, the new answers replacing the old
    /// ones item by item; the previous version goes to the audit log.
    @discardableResult
    public static func saveManual(_ db: Database, _ input: ManualInspection, actor: String) throws -> InspectionRecord {
        guard let session = try Sessions.find(db, input.sessionID) else {
            throw StoreError("unknown session '\(input.sessionID)'")
        }
        try PeriodLocks.ensureOpen(db, period: session.period, doing: "score an inspection")
        guard let inspector = try Employees.find(db, input.inspectorID) else {
            throw StoreError("unknown inspector '\(input.inspectorID)' (not on the roster)")
        }
        guard inspector.role == .inspector || inspector.role == .supervisor else {
            throw StoreError("'\(input.inspectorID)' is \(inspector.role.inSentence), not an inspector or supervisor")
        }
        guard inspector.employeeID != session.agentID else {
            throw StoreError("inspector '\(input.inspectorID)' cannot inspect their own session '\(session.sessionID)'")
        }

        let existing = try Row.fetchOne(db, sql: """
            SELECT * FROM inspections WHERE session_id = ? AND rubric_id = ? AND inspector_id = ? AND mode = 'manual'
            """, arguments: [input.sessionID, input.rubricID, input.inspectorID]).map(decode)
        if let existing, let version = input.rubricVersion, version != existing.rubricVersion {
            throw StoreError("inspection \(existing.id) was scored with rubric '\(input.rubricID)' version \(existing.rubricVersion); it is re-scored with that version, not \(version)")
        }
        let stored = try Rubrics.require(db, id: input.rubricID, version: existing?.rubricVersion ?? input.rubricVersion)
        let rubric = stored.rubric
        try InspectionScoring.validate(rubric, answers: input.answers)

        var answers = existing?.decodedAnswers() ?? [:]
        for (item, answer) in input.answers { answers[item] = answer }
        let result = InspectionScoring.score(rubric, answers: answers)
        let now = Clock.now()
        // no comment given keeps the one saved before; an empty one clears it
        let comment: String?
        if let given = input.comment { comment = given.isEmpty ? nil : given } else { comment = existing?.comment }
        var record = InspectionRecord(
            id: existing?.id ?? 0, sessionID: session.sessionID, agentID: session.agentID, period: session.period,
            rubricID: rubric.id, rubricVersion: rubric.version, inspectorID: inspector.employeeID, mode: .manual,
            status: (input.submit || existing?.status == .submitted) ? .submitted : .draft,
            score: result.score, compliance: result.dimension(.compliance), accuracy: result.dimension(.accuracy),
            etiquette: result.dimension(.etiquette), criticalFailed: result.criticalFailed,
            answers: answers.mapValues(\.description), comment: comment,
            createdAt: existing?.createdAt ?? now, updatedAt: now)

        if let existing {
            // saving the same answers, comment and status again changes nothing: no update, no audit entry
            if existing.status == record.status, existing.answers == record.answers, existing.comment == record.comment {
                return existing
            }
            try db.execute(sql: """
                UPDATE inspections SET status = ?, score = ?, compliance = ?, accuracy = ?, etiquette = ?,
                    critical_failed = ?, answers = ?, comment = ?, updated_at = ? WHERE id = ?
                """, arguments: [record.status.rawValue, record.score, record.compliance, record.accuracy,
                                 record.etiquette, record.criticalFailed, encodeAnswers(record.answers),
                                 record.comment, record.updatedAt, existing.id])
            try AuditLog.append(db, actor: actor, action: "rescore", entity: "inspection", entityID: String(existing.id),
                                before: existing, after: record)
            if existing.score != record.score || existing.criticalFailed != record.criticalFailed {
                try InspectionResponses.scoreChanged(db, inspectionID: existing.id, from: existing.score, to: record.score,
                                                     actor: actor)
            }
        } else {
            try db.execute(sql: """
                INSERT INTO inspections (session_id, agent_id, period, rubric_id, rubric_version, inspector_id, mode,
                    status, score, compliance, accuracy, etiquette, critical_failed, answers, comment, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'manual', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.sessionID, record.agentID, record.period, record.rubricID, record.rubricVersion,
                                 record.inspectorID, record.status.rawValue, record.score, record.compliance,
                                 record.accuracy, record.etiquette, record.criticalFailed,
                                 encodeAnswers(record.answers), record.comment, record.createdAt, record.updatedAt])
            record.id = db.lastInsertedRowID
            try AuditLog.append(db, actor: actor, action: "create", entity: "inspection", entityID: String(record.id),
                                before: Nothing?.none, after: record)
        }
        return record
    }

    /// The item-level score of a stored inspection. An automatic one is scored from its findings still
    /// standing after review (see `AutoReview`), so severity-weighted deductions and rejections count.
    public static func score(_ db: Database, _ record: InspectionRecord, rubric: Rubric) throws -> InspectionScore {
        guard record.mode == .auto else { return InspectionScoring.score(rubric, answers: record.decodedAnswers()) }
        let reviewed = try reviewedAnswers(db, record, rubric: rubric)
        return InspectionScoring.score(rubric, answers: reviewed.answers, deductions: reviewed.deductions)
    }

    /// An automatic inspection's answers after review: the rules' answers with the findings still standing.
    public static func reviewedAnswers(_ db: Database, _ record: InspectionRecord, rubric: Rubric) throws
        -> (answers: [String: Answer], deductions: [String: Double]) {
        let findings = try Findings.list(db, FindingFilter(inspectionID: record.id)).map {
            ReviewedFinding(itemID: $0.itemID, severity: $0.severity.flatMap(Severity.init(rawValue:)), rejected: $0.status == .rejected)
        }
        return AutoReview.apply(rubric, answers: record.decodedAnswers(), findings: findings)
    }

    public static func find(_ db: Database, id: Int64) throws -> InspectionRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM inspections WHERE id = ?", arguments: [id]).map(decode)
    }

    public static func list(_ db: Database, _ filter: InspectionFilter) throws -> [InspectionRecord] {
        var sql = "SELECT * FROM inspections WHERE 1 = 1"
        var arguments: StatementArguments = []
        if let v = filter.period { sql += " AND period = ?"; arguments += [v] }
        if let v = filter.sessionID { sql += " AND session_id = ?"; arguments += [v] }
        if let v = filter.agentID { sql += " AND agent_id = ?"; arguments += [v] }
        if let v = filter.inspectorID { sql += " AND inspector_id = ?"; arguments += [v] }
        if let v = filter.rubricID { sql += " AND rubric_id = ?"; arguments += [v] }
        if let v = filter.mode { sql += " AND mode = ?"; arguments += [v.rawValue] }
        if let v = filter.status { sql += " AND status = ?"; arguments += [v.rawValue] }
        if let v = filter.agentIDs {
            guard !v.isEmpty else { return [] }
            sql += " AND agent_id IN (\(databaseQuestionMarks(count: v.count)))"
            arguments += StatementArguments(v)
        }
        sql += " ORDER BY id"
        if let v = filter.limit { sql += " LIMIT ?"; arguments += [v] }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(decode)
    }

    static func encodeAnswers(_ answers: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(answers)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ row: Row) -> InspectionRecord {
        let answersText: String = row["answers"]
        let answers = (try? JSONDecoder().decode([String: String].self, from: Data(answersText.utf8))) ?? [:]
        return InspectionRecord(
            id: row["id"], sessionID: row["session_id"], agentID: row["agent_id"], period: row["period"],
            rubricID: row["rubric_id"], rubricVersion: row["rubric_version"], inspectorID: row["inspector_id"],
            mode: InspectionMode(rawValue: row["mode"]) ?? .manual,
            status: InspectionStatus(rawValue: row["status"]) ?? .draft,
            score: row["score"], compliance: row["compliance"], accuracy: row["accuracy"], etiquette: row["etiquette"],
            criticalFailed: row["critical_failed"], answers: answers, comment: row["comment"],
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
