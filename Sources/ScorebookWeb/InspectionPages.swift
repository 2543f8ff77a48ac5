import Foundation
import GRDB
import Hummingbird
import ScorebookCore
import ScorebookStore

extension WebPages {
    /// Listing pages show at most this many rows (a period has up to a million automatic inspections).
    static let pageRows = 500

    /// Inspections the user may see in a period: an agent their own submitted ones, a supervisor their
    /// people's, an inspector everyone's (narrowed by `agent`, `mode`).
    func inspections(_ request: Request, _ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        guard me.user.role != .hr else { throw WebError.forbidden("HR sees appraisals, not inspections") }
        let form = FormFields(request: request)
        let period = try self.period(form, latest: .inspections)
        var filter = InspectionFilter(period: period, limit: Self.pageRows + 1)
        if let agent = form.optional("agent") { filter.agentID = agent }
        if let mode = form.optional("mode") {
            guard let m = InspectionMode(rawValue: mode) else { throw WebError.badRequest("mode: must be manual or auto, found '\(mode)'") }
            filter.mode = m
        }
        if me.user.role == .agent { filter.status = .submitted }
        if let visible = me.access.visibleEmployees(me.user) { filter.agentIDs = visible.sorted() }
        let (records, responses) = try store.read { db in
            let records = try Inspections.list(db, filter)
            return (records, try InspectionResponses.of(db, inspectionIDs: records.map(\.id)))
        }
        let rows: [[String: Any]] = records.prefix(Self.pageRows).map { r in
            [
                "id": r.id, "session": r.sessionID, "agent": r.agentID, "agent_name": me.access.roster[r.agentID]?.name ?? "",
                "mode": r.mode.rawValue, "inspector": r.inspectorID ?? "", "status": r.status.rawValue,
                "score": Views.number(r.score), "critical": r.criticalFailed,
                "response": responses[r.id]?.status.rawValue ?? "",
            ]
        }
        return page("inspections", title: "质检 Inspections \(period)", me, [
            "period": period, "agent": form.optional("agent") ?? "", "rows": rows, "empty": rows.isEmpty,
            "more": records.count > Self.pageRows, "limit": Self.pageRows,
        ])
    }

    /// One inspection: scores, every item's answer, the automatic findings with their evidence, and the
    /// agent's response — with the forms the user may use (acknowledge / dispute / answer).
    func inspection(_ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        let id = try recordID(context)
        let shown = try store.read { db -> [String: Any] in
            let (record, agent) = try visibleInspection(db, id, me)
            let rubric = try Rubrics.require(db, id: record.rubricID, version: record.rubricVersion).rubric
            let findings = try Findings.list(db, FindingFilter(inspectionID: id))
            let response = try InspectionResponses.find(db, inspectionID: id)
            let open = !(try PeriodLocks.isFinalized(db, period: record.period))
            let session = try Sessions.find(db, record.sessionID)
            // an automatic inspection's answers after review (复核), as its score and the CLI show them: the rules'
            // own answers showed a red-line failure whose findings were all rejected beside a score without it
            let answers = record.mode == .auto
                ? try Inspections.reviewedAnswers(db, record, rubric: rubric).answers.mapValues(\.description) : record.answers
            return inspectionValues(record, answers: answers, agent: agent, rubric: rubric, findings: findings,
                                    response: response, session: session, periodOpen: open, me: me)
        }
        return page("inspection", title: "质检 Inspection \(id)", me, shown)
    }

    /// The inspection and its agent, when this user may see it. Not found and not theirs look the same
    /// (404): ids of others' inspections are not confirmed.
    private func visibleInspection(_ db: Database, _ id: Int64, _ me: SignedIn) throws -> (InspectionRecord, Employee) {
        guard let record = try Inspections.find(db, id: id), let agent = me.access.roster[record.agentID],
              me.access.canSeeInspection(me.user, agent: agent, submitted: record.status == .submitted) else {
            throw WebError.notFound("no inspection \(id) that you can see")
        }
        return (record, agent)
    }

    private func inspectionValues(_ record: InspectionRecord, answers: [String: String], agent: Employee, rubric: Rubric,
                                  findings: [FindingRecord],
                                  response: InspectionResponse?, session: Session?, periodOpen: Bool,
                                  me: SignedIn) -> [String: Any] {
        let sections: [[String: Any]] = rubric.sections.map { section in
            [
                "name": section.name, "dimension": section.dimension.rawValue, "weight": Views.number(section.weight),
                "items": section.items.map { item -> [String: Any] in
                    let answer = answers[item.id] ?? "na"
                    return ["id": item.id, "text": item.text, "type": item.type.rawValue, "points": Views.number(item.points),
                            "answer": answer, "critical": item.critical?.rawValue ?? "",
                            "failed": Self.isFailed(answer, item)]
                },
            ]
        }
        let reviews = periodOpen && me.access.canReviewFindings(me.user, agent: agent)
        let evidence: [[String: Any]] = findings.map { f in
            ["id": f.id, "item": f.itemID, "rule": f.ruleName.map { "\(f.rule) (\($0))" } ?? f.rule, "turn": f.turnIndex.map(String.init) ?? "",
             "at": f.at.map { Views.number($0) } ?? "", "matched": f.matched ?? "", "severity": f.severity ?? "",
             "message": f.message, "status": f.status.rawValue, "reviewer": f.reviewerID ?? "", "reason": f.reason ?? "",
             "can_confirm": reviews && f.status != .confirmed, "can_reject": reviews && f.status != .rejected]
        }
        var values: [String: Any] = [
            "id": record.id, "session": record.sessionID, "agent": agent.employeeID, "agent_name": agent.name,
            "period": record.period, "rubric": "\(rubric.name) (\(rubric.id) v\(rubric.version))",
            "mode": record.mode.rawValue, "inspector": record.inspectorID ?? "", "status": record.status.rawValue,
            "score": Views.number(record.score), "compliance": Views.number(record.compliance),
            "accuracy": Views.number(record.accuracy), "etiquette": Views.number(record.etiquette),
            "critical_failed": record.criticalFailed, "comment": record.comment ?? "",
            "sections": sections, "findings": evidence, "has_findings": !evidence.isEmpty,
            "channel": session?.channel.rawValue ?? "", "started_at": session?.startedAt ?? "",
        ]
        if let response {
            values["response"] = [
                "status": response.status.rawValue, "reason": response.reason ?? "", "responded_at": response.respondedAt,
                "answered_by": response.answeredBy ?? "", "answer": response.answer ?? "", "answered_at": response.answeredAt ?? "",
            ]
        }
        values["can_respond"] = periodOpen && response == nil && record.status == .submitted
            && me.access.canRespond(me.user, agent: agent)
        values["can_answer"] = periodOpen && response?.status == .disputed && me.access.canAnswerDispute(me.user, agent: agent)
        // after an overturn the answerer re-scores this very inspection (not a second one of their own)
        if periodOpen, record.mode == .manual, response?.status == .overturned, me.access.canAnswerDispute(me.user, agent: agent) {
            values["rescore_href"] = "/sessions/\(Self.pathEscaped(record.sessionID))/score?rubric=\(Self.pathEscaped(record.rubricID))&inspection=\(record.id)"
        }
        values["period_closed"] = !periodOpen
        return values
    }

    /// A reason or answer longer than the store keeps is a bad field (400), not a conflict.
    static func checkLength(_ text: String?, field: String) throws {
        if let text, text.count > InspectionResponses.maxTextLength {
            throw WebError.badRequest("\(field): \(text.count) characters, at most \(InspectionResponses.maxTextLength)")
        }
    }

    /// An answer that earned less than the item's full points (what the agent should look at first).
    static func isFailed(_ text: String, _ item: RubricItem) -> Bool {
        guard let answer = Answer.parse(text), answer != .na else { return false }
        return item.earned(answer) < item.points
    }

    /// The agent acknowledges (`dispute == false`) or disputes one of their submitted inspections.
    func respond(_ request: Request, _ context: WebContext, dispute: Bool) async throws -> Response {
        let me = try signedIn(context)
        let id = try recordID(context)
        let form = try await postedForm(request, me)
        let reason = dispute ? try form.required("reason") : nil
        try Self.checkLength(reason, field: "reason")
        try await store.writeAsync { db in
            let (_, agent) = try visibleInspection(db, id, me)
            guard me.access.canRespond(me.user, agent: agent) else {
                throw WebError.forbidden("only the agent whose session was inspected can acknowledge or dispute it")
            }
            try InspectionResponses.respond(db, inspectionID: id, agentID: me.user.employeeID, dispute: reason,
                                            actor: me.user.employeeID)
        }
        return Views.redirect("/inspections/\(id)")
    }

    /// An inspector or the agent's supervisor answers an open dispute: uphold or overturn, with the reply.
    func answer(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        let id = try recordID(context)
        let form = try await postedForm(request, me)
        let decision = try form.required("decision")
        guard decision == "uphold" || decision == "overturn" else {
            throw WebError.badRequest("decision: must be uphold or overturn, found '\(decision)'")
        }
        let reply = try form.required("answer")
        try Self.checkLength(reply, field: "answer")
        try await store.writeAsync { db in
            let (_, agent) = try visibleInspection(db, id, me)
            guard me.access.canAnswerDispute(me.user, agent: agent) else {
                throw WebError.forbidden("only an inspector or the agent's supervisor answers a dispute")
            }
            try InspectionResponses.answer(db, inspectionID: id, by: me.user.employeeID, uphold: decision == "uphold",
                                           answer: reply, actor: me.user.employeeID)
        }
        return Views.redirect("/inspections/\(id)")
    }

    /// An inspector (or the agent's supervisor) reviews one automatic finding (复核): confirms it, or rejects
    /// it with a reason — the same as `scorebook review`; the inspection is re-scored from the findings still
    /// standing, and both changes are audited.
    func reviewFinding(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        let id = try recordID(context)
        let form = try await postedForm(request, me)
        let decision = try form.required("decision")
        guard let status = ["confirm": FindingStatus.confirmed, "reject": .rejected][decision] else {
            throw WebError.badRequest("decision: must be confirm or reject, found '\(decision)'")
        }
        let reason = form.optional("reason")
        if status == .rejected && reason == nil { throw WebError.badRequest("reason: is required to reject a finding") }
        try Self.checkLength(reason, field: "reason")
        let inspectionID = try await store.writeAsync { db -> Int64 in
            // a finding of an inspection the user cannot see answers exactly as one that does not exist
            guard let finding = try Findings.find(db, id: id),
                  let (_, agent) = try? visibleInspection(db, finding.inspectionID, me) else {
                throw WebError.notFound("no finding \(id) that you can see")
            }
            guard me.access.canReviewFindings(me.user, agent: agent) else {
                throw WebError.forbidden("findings are reviewed by inspectors and the agent's supervisors")
            }
            try Findings.review(db, id: id, status: status, reason: reason, reviewerID: me.user.employeeID, actor: me.user.employeeID)
            return finding.inspectionID
        }
        return Views.redirect("/inspections/\(inspectionID)")
    }

    /// Disputes for inspectors and supervisors: open ones by default (`status=all` for every response).
    func disputes(_ request: Request, _ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        guard me.user.role == .inspector || me.user.role == .supervisor else {
            throw WebError.forbidden("disputes are answered by inspectors and supervisors")
        }
        let form = FormFields(request: request)
        let statusText = form.optional("status") ?? "disputed"
        var status: ResponseStatus?
        if statusText != "all" {
            guard let s = ResponseStatus(rawValue: statusText) else {
                throw WebError.badRequest("status: must be all, \(ResponseStatus.allCases.map(\.rawValue).joined(separator: ", ")); found '\(statusText)'")
            }
            status = s
        }
        let period = try form.period()
        let visible = me.access.visibleEmployees(me.user).map { $0.sorted() }
        let responses = try store.read { db in
            try InspectionResponses.list(db, period: period, status: status, agentIDs: visible)
        }
        let rows: [[String: Any]] = responses.map { r in
            ["inspection": r.inspectionID, "agent": r.agentID, "agent_name": me.access.roster[r.agentID]?.name ?? "",
             "period": r.period, "status": r.status.rawValue, "reason": r.reason ?? "", "responded_at": r.respondedAt,
             "answered_by": r.answeredBy ?? "", "answer": r.answer ?? ""]
        }
        return page("disputes", title: "申诉 Disputes", me, [
            "rows": rows, "empty": rows.isEmpty, "status": statusText, "period": period ?? "",
        ])
    }
}
