import Foundation
import Hummingbird
import ScorebookCore
import ScorebookStore

/// Drawing a sample in the browser (the form on `/assignments`): the same draw as `scorebook sample`
/// (`Assignments.sample`), stored as assignments, with the size chosen per agent shown afterwards.
extension WebPages {
    /// What the draw form offers: the stored rubrics and the active inspectors (all ticked).
    func drawFormValues(_ me: SignedIn, period: String) throws -> [String: Any] {
        guard me.user.role == .inspector else { return [:] }
        let (rubrics, open) = try store.read { db in
            (Set(try Rubrics.all(db).map(\.rubric.id)).sorted(), !(try PeriodLocks.isFinalized(db, period: period)))
        }
        let inspectors = me.access.roster.values.filter { $0.role == .inspector && $0.active }
            .sorted { $0.employeeID < $1.employeeID }
            .map { ["field": "inspector.\($0.employeeID)", "id": $0.employeeID, "name": $0.name] }
        return ["can_draw": open && !rubrics.isEmpty, "rubrics": rubrics.map { ["id": $0] }, "inspectors": inspectors]
    }

    /// Draws and stores the sample; answers with the size chosen per agent. Fields: `period`, `rubric`,
    /// `per_agent` or `margin` + `confidence`, `stratify=channel`, `targeted` (0–1), `seed`, `long_handle`
    /// (seconds), and one `inspector.<id>` per inspector the draw is spread over.
    func drawSample(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        let form = try await postedForm(request, me)
        guard me.user.role == .inspector else { throw WebError.forbidden("samples are drawn by inspectors") }
        guard let period = try form.period() else { throw WebError.badRequest("period: is required") }
        let rubricID = try form.required("rubric")
        guard try store.read({ db in try Rubrics.latestVersion(db, id: rubricID) }) != nil else {
            throw WebError.badRequest("rubric: no rubric '\(rubricID)' is stored")
        }
        let size: SampleSize
        if let text = form.optional("per_agent") {
            guard let n = Int(text), n >= 1 else { throw WebError.badRequest("per_agent: must be a whole number of at least 1, found '\(text)'") }
            size = .perAgent(n)
        } else {
            guard form.optional("margin") != nil || form.optional("confidence") != nil else {
                throw WebError.badRequest("per_agent: give a number per agent, or a margin and a confidence")
            }
            size = .statistical(margin: try Self.number(form, "margin"), confidence: try Self.number(form, "confidence"))
        }
        let stratify = form.optional("stratify")
        guard stratify == nil || stratify == "channel" else { throw WebError.badRequest("stratify: takes channel, found '\(stratify!)'") }
        let targeted = form.optional("targeted") == nil ? 0 : try Self.number(form, "targeted")
        let longHandle = form.optional("long_handle") == nil ? 900 : try Self.number(form, "long_handle")
        var seed: UInt64 = 1
        if let text = form.optional("seed") {
            guard let s = UInt64(text) else { throw WebError.badRequest("seed: must be a whole number ≥ 0, found '\(text)'") }
            seed = s
        }
        let inspectors = form.values.keys.filter { $0.hasPrefix("inspector.") }.map { String($0.dropFirst("inspector.".count)) }.sorted()
        guard !inspectors.isEmpty else { throw WebError.badRequest("inspector: choose at least one inspector") }
        // the form offers the active inspectors; anything else is a forged or stale field
        for id in inspectors where !(me.access.roster[id].map { $0.role == .inspector && $0.active } ?? false) {
            throw WebError.badRequest("inspector.\(id): is not an active inspector")
        }
        let plan = SamplingPlan(size: size, stratifyByChannel: stratify != nil, targetedShare: targeted, seed: seed)
        let result: SampleResult
        do {
            result = try await store.writeAsync { db in
                try Assignments.sample(db, period: period, rubricID: rubricID, inspectors: inspectors,
                                       longHandleSeconds: longHandle, plan: plan)
            }
        } catch SamplingError.invalidParameter(let reason, let field) {
            throw WebError.badRequest(field.map { "\($0): \(reason)" } ?? reason)
        } catch let error as SamplingError {
            throw WebError.conflict(error.description)
        }
        let rows: [[String: Any]] = result.agents.map { a in
            ["agent": a.agentID, "name": me.access.roster[a.agentID]?.name ?? "", "population": a.population,
             "excluded": a.excluded, "size": a.size, "targeted": a.targeted,
             "video": a.byChannel[.video] ?? 0, "phone": a.byChannel[.phone] ?? 0, "chat": a.byChannel[.chat] ?? 0]
        }
        let spread = result.perInspector.sorted { $0.key < $1.key }.map { ["inspector": $0.key, "count": $0.value] }
        return page("sample", title: "抽样 Sample drawn \(period)", me, [
            "period": period, "rubric": rubricID, "seed": String(seed), "drawn": result.assignments.count,
            "agents": rows, "spread": spread, "empty": result.assignments.isEmpty,
        ], status: .created)
    }

    private static func number(_ form: FormFields, _ field: String) throws -> Double {
        let text = try form.required(field)
        guard let value = PlainDecimal.parse(text), value.isFinite else { throw WebError.badRequest("\(field): '\(text)' is not a number") }
        return value
    }
}
