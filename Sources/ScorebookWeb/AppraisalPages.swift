import Foundation
import Hummingbird
import ScorebookCore
import ScorebookStore

extension WebPages {
    /// Monthly appraisals of a period: an agent their own, a supervisor their people's, HR everyone's.
    /// The final score is the stored one, already rounded half-up to 2 decimals; components show 2 decimals.
    func appraisals(_ request: Request, _ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        guard me.user.role != .inspector else { throw WebError.forbidden("inspectors do not see appraisals") }
        let form = FormFields(request: request)
        let period = try self.period(form, latest: .appraisals)
        let (results, finalized) = try store.read { db in
            (try Appraisals.list(db, period: period), try PeriodLocks.isFinalized(db, period: period))
        }
        let visible = results.filter { result in
            guard let employee = me.access.roster[result.employeeID] else { return false }
            return me.access.canSeeAppraisal(me.user, of: employee)
        }
        let componentNames = Array(Set(visible.flatMap { $0.components.keys })).sorted()
        let rows: [[String: Any]] = visible.map { r in
            [
                "id": r.employeeID, "name": me.access.roster[r.employeeID]?.name ?? "", "team": r.team,
                "status": r.status.rawValue, "final": Views.number(r.finalScore), "grade": r.grade ?? "",
                "label": r.gradeLabel ?? "", "bonus": Views.number(r.bonusCoefficient),
                "missing": r.missing.joined(separator: ", "),
                "components": componentNames.map { name in ["value": Views.number(r.components[name] ?? nil)] },
            ]
        }
        return page("appraisals", title: "考核 Appraisals \(period)", me, [
            "period": period, "rows": rows, "empty": rows.isEmpty, "finalized": finalized,
            "components": componentNames.map { ["name": $0] },
        ])
    }
}
