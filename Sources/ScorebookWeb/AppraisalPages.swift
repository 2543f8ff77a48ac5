import Foundation
import Hummingbird
import ScorebookCore
import ScorebookReports
import ScorebookStore

extension WebPages {
    /// Monthly appraisals of a period: an agent their own, a supervisor their people's, HR everyone's.
    /// The final score is the stored one, already rounded half-up to 2 decimals; components show 2 decimals.
    func appraisals(_ request: Request, _ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        guard me.user.role != .inspector else { throw WebError.forbidden("inspectors do not see appraisals") }
        let form = FormFields(request: request)
        let (period, kind) = try form.appraisalPeriod() ?? (try self.period(form, latest: .appraisals), .monthly)
        let annual = kind == .annual
        let (results, finalized, lockedBy, names, storedScheme, openDisputes) = try store.read { db in
            (try Appraisals.list(db, period: period), try PeriodLocks.isFinalized(db, period: period),
             try PeriodLocks.lockedBy(db, period: period), try Appraisals.names(db, period: period),
             annual ? nil : try Appraisals.storedScheme(db, period: period),
             annual ? 0 : try InspectionResponses.list(db, period: period, status: .disputed).count)
        }
        // what "run the appraisal" computes with: the month's own scheme once it has results (`runAppraisal`)
        let runScheme = storedScheme ?? settings.monthlyScheme
        let visible = results.filter { result in
            guard let employee = me.access.roster[result.employeeID] else { return false }
            return me.access.canSeeAppraisal(me.user, of: employee)
        }
        let componentNames = AppraisalResult.componentOrder(visible)
        let rows: [[String: Any]] = visible.map { r in
            [
                // the name the appraisal was computed with, as in the workbook
                "id": r.employeeID, "name": names[r.employeeID] ?? me.access.roster[r.employeeID]?.name ?? "", "team": r.team,
                "status": r.status.rawValue, "final": Views.number(r.finalScore), "grade": r.grade ?? "",
                "label": r.gradeLabel ?? "", "bonus": Views.number(r.bonusCoefficient),
                "missing": r.missing.joined(separator: ", "),
                "components": componentNames.map { name in ["value": Views.number(r.components[name] ?? nil)] },
            ]
        }
        let manages = me.access.canManageAppraisals(me.user)
        var values: [String: Any] = [
            "period": period, "rows": rows, "empty": rows.isEmpty, "finalized": finalized,
            "components": componentNames.map { ["name": $0] },
            "unit": annual ? "year" : "month", "annual": annual,
            "other": annual ? "/appraisals" : "/appraisals?period=\(period.prefix(4))",
            "other_label": annual ? "月度考核 Monthly appraisals" : "\(period.prefix(4)) 年度考核 Annual appraisal",
            // the annual appraisal is computed with `scorebook appraise --year` (its scheme is not the web's)
            "can_run": manages && lockedBy == nil && runScheme != nil && !annual,
            // a month of a finalized year: the year locks it (reopen the year first)
            "locked_by_year": !finalized && lockedBy != nil, "year_lock": lockedBy ?? "",
            "can_finalize": manages && !finalized && !results.isEmpty,
            // as `scorebook finalize` notes: they cannot be answered under the lock
            "open_disputes": openDisputes > 0 ? String(openDisputes) : "",
            "can_reopen": manages && finalized,
            "can_download": me.access.canDownloadWorkbook(me.user, finalized: finalized) && !results.isEmpty,
            "hr_waits": me.user.role == .hr && !finalized && !results.isEmpty,
        ]
        if let scheme = runScheme { values["scheme"] = "\(scheme.id) v\(scheme.version)" }
        return page("appraisals", title: "\(annual ? "年度考核 Annual appraisal" : "考核 Appraisals") \(period)", me, values)
    }

    /// The center's lead computes the month's appraisal of every agent with the scheme the web app was
    /// started with, or recomputes it with the scheme its stored results were computed with (as `scorebook
    /// appraise --period P` without --scheme: another scheme is chosen with the CLI's --scheme); every
    /// changed result is audited.
    func runAppraisal(_ request: Request, _ context: WebContext) async throws -> Response {
        let (me, form) = try await centerLeadForm(request, context, doing: "the month's appraisal is run")
        guard let period = try form.period() else { throw WebError.badRequest("period: is required") }
        let configured = settings.monthlyScheme
        try await store.writeAsync { db in
            guard let scheme = try Appraisals.storedScheme(db, period: period) ?? configured else {
                throw WebError.conflict("this web app was started without a monthly scheme: run `scorebook appraise --period \(period)`")
            }
            try Appraisals.run(db, key: period, kind: .monthly, scheme: scheme, actor: me.user.employeeID)
        }
        return Views.redirect("/appraisals?period=\(period)")
    }

    /// The center's lead locks a month (its ratings, inspections and appraisals no longer change) or a year.
    func finalizePeriod(_ request: Request, _ context: WebContext) async throws -> Response {
        let (me, form) = try await centerLeadForm(request, context, doing: "a period is finalized")
        guard let (period, _) = try form.appraisalPeriod() else { throw WebError.badRequest("period: is required") }
        try await store.writeAsync { db in try Appraisals.finalize(db, period: period, actor: me.user.employeeID) }
        return Views.redirect("/appraisals?period=\(period)")
    }

    /// The center's lead reopens a finalized month or year, with a reason (audited), as `scorebook reopen`:
    /// a correction after HR found a mistake, a late dispute. HR cannot download it until it is final again.
    func reopenPeriod(_ request: Request, _ context: WebContext) async throws -> Response {
        let (me, form) = try await centerLeadForm(request, context, doing: "a finalized period is reopened")
        guard let (period, _) = try form.appraisalPeriod() else { throw WebError.badRequest("period: is required") }
        let reason = try form.required("reason")
        try Self.checkLength(reason, field: "reason")
        try await store.writeAsync { db in try PeriodLocks.reopen(db, period: period, actor: me.user.employeeID, reason: reason) }
        return Views.redirect("/appraisals?period=\(period)")
    }

    /// The signed-in user and the posted form (CSRF checked) of an action on everyone's results, which only
    /// the center's lead may take (`Access.canManageAppraisals`); `doing` words the refusal.
    private func centerLeadForm(_ request: Request, _ context: WebContext, doing: String) async throws -> (SignedIn, FormFields) {
        let me = try signedIn(context)
        let form = try await postedForm(request, me)
        guard me.access.canManageAppraisals(me.user) else {
            throw WebError.forbidden("\(doing) by the center's lead (the supervisor above every agent and team lead)")
        }
        return (me, form)
    }

    /// The HR workbook of a month as a download — the same file as `scorebook export --period P` (a DRAFT
    /// before the month is finalized, which only the center's lead may take). Written to a temporary file
    /// on a thread of its own (a large month takes seconds), sent, and deleted.
    func workbook(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        guard let (period, kind) = try FormFields(request: request).appraisalPeriod() else { throw WebError.badRequest("period: is required") }
        let finalized = try store.read { db in try PeriodLocks.isFinalized(db, period: period) }
        guard me.access.canDownloadWorkbook(me.user, finalized: finalized) else {
            throw WebError.forbidden(me.user.role == .hr
                ? "the workbook of \(period) is available to HR once the \(kind == .annual ? "year" : "month") is finalized"
                : "the workbook holds everyone's results: HR and the center's lead download it")
        }
        let name = "appraisal-\(period)\(finalized ? "" : "-DRAFT").xlsx"
        let store = self.store
        let bytes = try await Self.onOwnThread { () throws -> Data in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scorebook-\(Self.randomToken())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent(name).path
            _ = try HRWorkbook.write(store, HRWorkbook.Request(key: period, kind: kind, draft: !finalized, out: path))
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Runs blocking work (a workbook of a million inspection rows) on a thread of its own rather than on
    /// one of the few threads the server's async tasks share.
    static func onOwnThread<T>(_ body: @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 1 << 22
            thread.start()
        }
    }
}
