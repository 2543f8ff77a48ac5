import Foundation
import GRDB
import Hummingbird
import ScorebookCore
import ScorebookStore

/// Manual inspection in the browser: the inspector's drawn sample (`/assignments`) and the scoring form of
/// one session (`/sessions/:id/score`) — the session, its transcript, the automatic findings as a hint, and
/// the rubric's items. Saving goes through `Inspections.saveManual`, the same as `scorebook inspect`
/// (validation, re-scoring with the inspection's rubric version, the audit log).
extension WebPages {
    /// The sessions drawn for this inspector in a period, with how far each has got; for inspectors, the
    /// form that draws a sample (`SamplingPages`).
    func assignments(_ request: Request, _ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        guard me.user.role == .inspector || me.user.role == .supervisor else {
            throw WebError.forbidden("samples are scored by inspectors")
        }
        let form = FormFields(request: request)
        let period = try self.period(form, latest: .assignments)
        let (assigned, drafts) = try store.read { db in
            let assigned = try Assignments.list(db, period: period, inspectorID: me.user.employeeID)
            var filter = InspectionFilter(period: period, inspectorID: me.user.employeeID, mode: .manual)
            filter.status = .draft
            let drafts = try Inspections.list(db, filter)
            return (assigned, Dictionary(drafts.map { ("\($0.sessionID)/\($0.rubricID)", $0.id) }, uniquingKeysWith: { a, _ in a }))
        }
        let rows: [[String: Any]] = assigned.map { a in
            let draft = drafts["\(a.sessionID)/\(a.rubricID)"]
            return [
                "session": a.sessionID, "agent": a.agentID, "agent_name": me.access.roster[a.agentID]?.name ?? "",
                "rubric": a.rubricID, "reason": a.reason,
                "status": a.done ? "submitted" : (draft != nil ? "draft" : "to do"), "done": a.done,
                "href": "/sessions/\(Self.pathEscaped(a.sessionID))/score?rubric=\(Self.pathEscaped(a.rubricID))",
            ]
        }
        let done = assigned.filter(\.done).count
        var values: [String: Any] = ["period": period, "rows": rows, "empty": rows.isEmpty, "done": done, "total": assigned.count]
        values.merge(try drawFormValues(me, period: period)) { a, _ in a }
        return page("assignments", title: "抽检任务 Assignments \(period)", me, values)
    }

    /// The scoring form of one session with one rubric (`?rubric=`; the only stored rubric when omitted),
    /// filled with this user's earlier answers when they have scored it before.
    func scoreForm(_ request: Request, _ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        let sessionID = try sessionParameter(context)
        let form = FormFields(request: request)
        let values = try store.read { db -> [String: Any] in
            let (session, agent) = try inspectableSession(db, sessionID, me)
            let rubricID = try rubricID(db, form)
            let existing = try inspectionToScore(db, sessionID, rubricID: rubricID, form, me)
            let rubric = try Rubrics.require(db, id: rubricID, version: existing?.rubricVersion).rubric
            let turns = try Sessions.turns(db, sessionID) ?? []
            var auto = InspectionFilter(rubricID: rubric.id, mode: .auto)
            auto.sessionID = sessionID
            let findings = try Inspections.list(db, auto).first.map { try Findings.list(db, FindingFilter(inspectionID: $0.id)) } ?? []
            let open = !(try PeriodLocks.isFinalized(db, period: session.period))
            return scoreValues(session: session, agent: agent, rubric: rubric, existing: existing, turns: turns,
                               findings: findings, periodOpen: open)
        }
        return page("score", title: "评分 Score session \(sessionID)", me, values)
    }

    /// Saves the form: `action=save` keeps a draft (answer what you have), `action=submit` needs every item
    /// answered (N/A only where the item allows it). Each field is `item.<id>`; a refusal names it.
    func saveScore(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        let sessionID = try sessionParameter(context)
        let form = try await postedForm(request, me)
        let action = form.optional("action") ?? "save"
        guard action == "save" || action == "submit" else {
            throw WebError.badRequest("action: must be save or submit, found '\(action)'")
        }
        let submit = action == "submit"
        // the form always carries the comment (prefilled): an emptied box clears it
        let comment = form.values["comment"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try Self.checkLength(comment, field: "comment")
        let record = try await store.writeAsync { db -> InspectionRecord in
            _ = try inspectableSession(db, sessionID, me)
            let rubricID = try rubricID(db, form)
            let existing = try inspectionToScore(db, sessionID, rubricID: rubricID, form, me)
            let rubric = try Rubrics.require(db, id: rubricID, version: existing?.rubricVersion).rubric
            var answers: [String: Answer] = [:]
            for item in rubric.items {
                let field = "item.\(item.id)"
                guard let text = form.optional(field) else {
                    if submit && existing?.answers[item.id] == nil {
                        throw WebError.badRequest("\(field): answer every item before submitting (N/A where the item allows it)")
                    }
                    continue
                }
                guard let answer = Answer.parse(text) else {
                    throw WebError.badRequest("\(field): '\(text)' is not yes, no, na or a number")
                }
                answers[item.id] = answer
            }
            guard !answers.isEmpty || existing != nil else { throw WebError.badRequest("item: answer at least one item") }
            let input = ManualInspection(sessionID: sessionID, rubricID: rubric.id, rubricVersion: rubric.version,
                                         inspectorID: existing?.inspectorID ?? me.user.employeeID, answers: answers, submit: submit,
                                         comment: comment)
            do {
                return try Inspections.saveManual(db, input, actor: me.user.employeeID)
            } catch let error as AnswerError {
                throw WebError.badRequest("item.\(error.item): \(error.reason)")
            }
        }
        return Views.redirect("/inspections/\(record.id)")
    }

    // MARK: - Helpers

    /// The session and its agent, when this user may score it; otherwise 404 (whether it exists or not).
    private func inspectableSession(_ db: Database, _ sessionID: String, _ me: SignedIn) throws -> (Session, Employee) {
        guard let session = try Sessions.find(db, sessionID), let agent = me.access.roster[session.agentID],
              me.access.canInspect(me.user, agent: agent) else {
            throw WebError.notFound("no session \(sessionID) that you can score")
        }
        return (session, agent)
    }

    /// This user's manual inspection of the session with the rubric, if any.
    /// The manual inspection the form scores: the one `inspection=ID` names — the user's own, or one whose
    /// dispute was overturned and which the user may answer disputes for (re-scored under its inspector's name,
    /// the user as actor, so the overturned score is replaced rather than joined by a second inspection) —
    /// else the user's own inspection of the session with the rubric, if any.
    private func inspectionToScore(_ db: Database, _ sessionID: String, rubricID: String, _ form: FormFields,
                                   _ me: SignedIn) throws -> InspectionRecord? {
        if let text = form.optional("inspection") {
            let id = Int64(text) ?? 0
            let overturned = try InspectionResponses.find(db, inspectionID: id)?.status == .overturned
            guard let record = try Inspections.find(db, id: id), record.mode == .manual,
                  record.sessionID == sessionID, record.rubricID == rubricID, let agent = me.access.roster[record.agentID],
                  record.inspectorID == me.user.employeeID || (overturned && me.access.canAnswerDispute(me.user, agent: agent)) else {
                throw WebError.notFound("inspection: no inspection \(text) of session \(sessionID) that you can re-score")
            }
            return record
        }
        var filter = InspectionFilter(inspectorID: me.user.employeeID, rubricID: rubricID, mode: .manual)
        filter.sessionID = sessionID
        return try Inspections.list(db, filter).first
    }

    /// The form's or query's `rubric`, which must be stored; without one, the only stored rubric.
    private func rubricID(_ db: Database, _ form: FormFields) throws -> String {
        if let id = form.optional("rubric") {
            guard try Rubrics.latestVersion(db, id: id) != nil else { throw WebError.badRequest("rubric: no rubric '\(id)' is stored") }
            return id
        }
        let ids = Set(try Rubrics.all(db).map(\.rubric.id))
        guard ids.count == 1, let only = ids.first else {
            throw WebError.badRequest("rubric: is required (stored rubrics: \(ids.sorted().joined(separator: ", ")))")
        }
        return only
    }

    /// The `:id` path parameter as a session id.
    private func sessionParameter(_ context: WebContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw WebError.notFound("no such session") }
        return id.removingPercentEncoding ?? id
    }

    static func pathEscaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    private func scoreValues(session: Session, agent: Employee, rubric: Rubric, existing: InspectionRecord?, turns: [Turn],
                             findings: [FindingRecord], periodOpen: Bool) -> [String: Any] {
        let sections: [[String: Any]] = rubric.sections.map { section in
            ["name": section.name, "dimension": section.dimension.label, "weight": Views.number(section.weight),
             "items": section.items.map { item in Self.field(item, current: existing?.answers[item.id]) }]
        }
        let transcript: [[String: Any]] = turns.enumerated().map { index, turn in
            ["index": index, "at": DecimalMath.plain(turn.at), "speaker": turn.speaker.rawValue,
             "agent": turn.speaker == .agent, "text": turn.text]
        }
        let evidence: [[String: Any]] = findings.map { f in
            ["item": f.itemID, "turn": f.turnIndex.map(String.init) ?? "", "matched": f.matched ?? "", "message": f.message,
             "status": f.status.rawValue]
        }
        var values: [String: Any] = [
            "session": session.sessionID, "session_path": Self.pathEscaped(session.sessionID), "agent": agent.employeeID,
            "agent_name": agent.name, "channel": session.channel.rawValue, "started_at": session.startedAt,
            "handle": session.handleSeconds.map { DecimalMath.plain($0) } ?? "", "csat": session.csat.map(String.init) ?? "",
            "period": session.period, "rubric_id": rubric.id, "rubric": "\(rubric.name) (\(rubric.id) v\(rubric.version))",
            "sections": sections, "turns": transcript, "has_turns": !transcript.isEmpty,
            "findings": evidence, "has_findings": !evidence.isEmpty, "comment": existing?.comment ?? "",
            "editable": periodOpen, "period_closed": !periodOpen,
        ]
        if let existing {
            values["existing"] = ["id": existing.id, "status": existing.status.rawValue, "score": Views.number(existing.score)]
            values["submitted"] = existing.status == .submitted
        }
        return values
    }

    /// One item's input: yes/no and scale items offer their answers as choices (N/A where allowed), a
    /// deduction item takes an occurrence count.
    static func field(_ item: RubricItem, current: String?) -> [String: Any] {
        var choices: [[String: Any]] = []
        switch item.type {
        case .yesNo:
            choices = [["value": "yes", "label": "是 yes"], ["value": "no", "label": "否 no"]]
        case .scale:
            choices = item.levels.map { ["value": Answer.number($0).description, "label": Answer.number($0).description] }
        case .deduction:
            break
        }
        if item.allowsNA && item.type != .deduction { choices.append(["value": "na", "label": "N/A"]) }
        for k in choices.indices { choices[k]["checked"] = (choices[k]["value"] as? String) == current }
        return [
            "id": item.id, "field": "item.\(item.id)", "text": item.text, "type": item.type.rawValue,
            "points": Views.number(item.points), "critical": item.critical?.rawValue ?? "", "choices": choices,
            "count": item.type == .deduction, "value": current ?? "",
            "pattern": item.allowsNA ? "[0-9]+|na" : "[0-9]+", "per": DecimalMath.plain(item.per),
        ]
    }
}
