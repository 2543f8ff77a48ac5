import Foundation
import Hummingbird
import ScorebookCore
import ScorebookStore

extension WebPages {
    /// Who the user rates on the form, and as which source: an agent themself (self-rating) or, with
    /// `source=peer`, the other active agents of their team (peer rating, as the ratings template lists
    /// them); a supervisor their active direct reports (supervisor rating). Others have no rating form.
    private func ratees(_ me: SignedIn, _ form: FormFields) throws -> (source: RatingSource, employees: [Employee]) {
        switch form.optional("source") {
        case nil:
            break
        case "peer"?:
            guard me.user.role == .agent else { throw WebError.forbidden("peer ratings are given by agents to the agents of their team") }
            let team = me.access.roster.values.filter { me.access.canRateAsPeer(me.user, $0) }.sorted { $0.employeeID < $1.employeeID }
            return (.peer, team)
        case let other?:
            let own = me.user.role == .agent ? "self" : "supervisor"
            guard other == own else { throw WebError.badRequest("source: '\(other)' is not a rating you give here (\(own) or peer)") }
        }
        switch me.user.role {
        case .agent:
            return (.self, [me.user])
        case .supervisor:
            let team = me.access.roster.values.filter { me.access.canRateAsSupervisor(me.user, $0) }
                .sorted { $0.employeeID < $1.employeeID }
            return (.supervisor, team)
        case .inspector, .hr:
            throw WebError.forbidden("ratings are entered by agents (self-rating) and supervisors")
        }
    }

    private func criteria() throws -> [String] {
        if !settings.criteria.isEmpty { return settings.criteria }
        return try store.read { db in try Ratings.criteria(db) }
    }

    /// The rating form of a period, filled with what the user entered before.
    func ratingForm(_ request: Request, _ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        let form = FormFields(request: request)
        let (source, employees) = try ratees(me, form)
        let period = try self.period(form, latest: .sessions)
        let criteria = try criteria()
        let (given, finalized) = try store.read { db in
            (try Ratings.given(db, period: period, source: source, raterID: me.user.employeeID),
             try PeriodLocks.lockedBy(db, period: period) != nil) // a finalized year locks its months too
        }
        var scores: [String: Double] = [:]
        for rating in given { scores["\(rating.employeeID)\u{1F}\(rating.criterion)"] = rating.score }
        let scale = settings.scales[source]
        let rows: [[String: Any]] = employees.map { employee in
            [
                "id": employee.employeeID, "name": employee.name,
                "fields": criteria.map { criterion -> [String: Any] in
                    let value = scores["\(employee.employeeID)\u{1F}\(criterion)"]
                    return ["name": Self.scoreField(employee.employeeID, criterion), "criterion": criterion,
                            "value": value.map { DecimalMath.plain($0) } ?? ""]
                },
            ]
        }
        let title = source == .peer ? "同事互评 Peer ratings" : source == .supervisor ? "上级评价 Ratings" : "自评 Self-rating"
        return page("ratings", title: "\(title) \(period)", me, [
            "peer": source == .peer, "is_agent": me.user.role == .agent,
            "period": period, "source": source.rawValue, "rows": rows, "criteria": criteria.map { ["name": $0] },
            "min": scale.map { DecimalMath.plain($0.lowerBound) } ?? "", "max": scale.map { DecimalMath.plain($0.upperBound) } ?? "",
            "has_scale": scale != nil, "has_criteria": !criteria.isEmpty, "has_rows": !rows.isEmpty,
            "finalized": finalized, "editable": scale != nil && !criteria.isEmpty && !finalized && !rows.isEmpty,
            "saved": form.optional("saved") ?? "",
        ])
    }

    /// Saves the form in one transaction: every filled score is checked (scale of the source, ratee the
    /// user may rate, known criterion) before anything is written; blank fields are left as they were.
    func saveRatings(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        let form = try await postedForm(request, me)
        let (source, employees) = try ratees(me, form)
        guard let period = try form.period() else { throw WebError.badRequest("period: is required") }
        guard let scale = settings.scales[source] else {
            throw WebError.conflict("the appraisal scheme has no scale for \(source.rawValue) ratings")
        }
        let criteria = Set(try criteria())
        let allowed = Set(employees.map(\.employeeID))
        var ratings: [Rating] = []
        for (field, value) in form.values.sorted(by: { $0.key < $1.key }) where field.hasPrefix("score:") {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let parts = field.dropFirst("score:".count).split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw WebError.badRequest("\(field): a score field is score:<employee id>:<criterion>")
            }
            guard allowed.contains(parts[0]) else {
                throw WebError.forbidden("\(field): you cannot rate '\(parts.first ?? "")' as \(source.rawValue)")
            }
            guard criteria.contains(parts[1]) else { throw WebError.badRequest("\(field): unknown criterion '\(parts[1])'") }
            do {
                ratings.append(try RatingRecord.parse(RecordFields([
                    "period": period, "employee_id": parts[0], "source": source.rawValue,
                    "rater_id": me.user.employeeID, "criterion": parts[1], "score": trimmed,
                ]), scales: [source: scale]))
            } catch let error as FieldError {
                throw WebError.badRequest("\(field): \(error.reason)")
            }
        }
        try await store.writeAsync { db in
            for rating in ratings { try Ratings.record(db, rating, actor: me.user.employeeID) }
        }
        return Views.redirect("/ratings?period=\(period)\(source == .peer ? "&source=peer" : "")&saved=\(ratings.count)")
    }

    /// The form field of one ratee's score on one criterion.
    static func scoreField(_ employeeID: String, _ criterion: String) -> String {
        "score:\(employeeID):\(criterion)"
    }
}
