import Foundation
import Hummingbird
import ScorebookCore
import ScorebookStore

/// Full-coverage automatic inspection from the browser (`/auto-runs`): inspectors start the same run as
/// `scorebook inspect auto --period P --rubric R [--rescore]` and follow its progress; the page lists the
/// runs kept in `auto_runs` (interrupted ones too) with the rules each could not apply.
extension WebPages {
    func autoRuns(_ request: Request, _ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        guard me.access.canRunAutomaticInspection(me.user) else {
            throw WebError.forbidden("automatic inspection is run by inspectors")
        }
        let query = FormFields(request: request)
        let period = try self.period(query, latest: .sessions)
        let (rubrics, runs, sessions, finalized) = try store.read { db in
            (Set(try Rubrics.all(db).map(\.rubric.id)).sorted(), try AutoRunLog.recent(db, limit: 20),
             try Sessions.count(db, period: period),
             try PeriodLocks.isFinalized(db, period: period))
        }
        var values: [String: Any] = [
            "period": period, "sessions": sessions, "finalized": finalized,
            "rubrics": rubrics.map { ["id": $0] },
            "runs": runs.map { run -> [String: Any] in
                ["id": run.id, "period": run.period, "rubric": "\(run.rubricID) v\(run.rubricVersion)",
                 "started": run.startedAt, "finished": run.finishedAt ?? "not finished (a new run resumes it)",
                 "scored": run.scored,
                 "skipped": run.skippedRules.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) sessions)" }.joined(separator: "; ")]
            },
            "no_runs": runs.isEmpty,
        ]
        var running = false
        if let status = autoRunner.status {
            running = status.running
            values["current"] = Self.describe(status)
        }
        values["can_run"] = !running && !finalized && !rubrics.isEmpty
        return page("auto-runs", title: "自动质检 Automatic inspection", me, values, refresh: running ? 3 : nil)
    }

    /// Starts a run. Fields: `period`, `rubric` (an id: its latest stored version), `rescore=1` to redo the
    /// period's automatic inspections with the rubric (review decisions carried over as in the CLI).
    func startAutoRun(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        let form = try await postedForm(request, me)
        guard me.access.canRunAutomaticInspection(me.user) else {
            throw WebError.forbidden("automatic inspection is run by inspectors")
        }
        guard let period = try form.period() else { throw WebError.badRequest("period: is required") }
        let rubricID = try form.required("rubric")
        let rescore: Bool
        switch form.optional("rescore") {
        case nil: rescore = false
        case "1"?: rescore = true
        case let other?: throw WebError.badRequest("rescore: takes 1, found '\(other)'")
        }
        let (rubric, sessions, finalized) = try store.read { db in
            (try Rubrics.find(db, id: rubricID),
             try Sessions.count(db, period: period),
             try PeriodLocks.isFinalized(db, period: period))
        }
        guard let rubric else { throw WebError.badRequest("rubric: no rubric '\(rubricID)' is stored") }
        guard sessions > 0 else { throw WebError.badRequest("period: there are no sessions in \(period)") }
        guard !finalized else { throw WebError.conflict("\(period) is finalized: reopen it (scorebook reopen) before running automatic inspection") }
        if let busy = autoRunner.start(store: store, rubric: rubric.rubric, period: period, rescore: rescore,
                                       actor: me.user.employeeID) {
            throw WebError.conflict("a run is going on (\(busy.period), \(busy.rubricID) v\(busy.rubricVersion), \(busy.done) of \(busy.total) sessions): wait until it finishes")
        }
        return Views.redirect("/auto-runs?period=\(period)")
    }

    private static func describe(_ status: AutoRunner.Status) -> [String: Any] {
        var values: [String: Any] = [
            "period": status.period, "rubric": "\(status.rubricID) v\(status.rubricVersion)", "by": status.startedBy,
            "rescore": status.rescore, "running": status.running, "done": status.done, "total": status.total,
        ]
        let elapsed = (status.finished ?? Date()).timeIntervalSince(status.started)
        if status.running, status.done > 0, elapsed > 0 {
            let rate = Double(status.done) / elapsed
            values["rate"] = Int(rate)
            values["eta"] = Int((Double(max(0, status.total - status.done)) / rate).rounded(.up))
        }
        if let summary = status.summary {
            var shown: [String: Any] = [
                "scored": summary.scored, "already": summary.alreadyScored, "findings": summary.findings,
                "seconds": String(format: "%.1f", summary.seconds),
                "skipped": summary.skippedRules.sorted { $0.key < $1.key }.map { ["note": $0.key, "sessions": $0.value] },
            ]
            // a Mustache section shows for any number, 0 included: only the counts there are
            for (key, count) in [("carried", summary.reviewsCarried), ("dropped", summary.reviewsDropped),
                                 ("discarded", summary.responsesDiscarded)] where count > 0 {
                shown[key] = count
            }
            values["summary"] = shown
        }
        if let failure = status.failure { values["failure"] = failure }
        return values
    }
}
