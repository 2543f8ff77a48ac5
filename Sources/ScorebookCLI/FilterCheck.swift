import GRDB
import ScorebookCore
import ScorebookStore

/// Listing filters that name something — an employee, a rubric, an item, a team — are checked against what
/// is stored: a typo (`--agent E9003`, `--rubric video-servce`) is refused naming the option, instead of
/// printing an empty listing with exit 0 that a script cannot tell from "none yet".
enum FilterCheck {
    static func employee(_ db: Database, _ option: String, _ id: String?) throws {
        guard let id else { return }
        guard try Employees.find(db, id) != nil else { throw CLIError("\(option): unknown employee '\(id)' (not on the roster)") }
    }

    static func rubric(_ db: Database, _ id: String?) throws {
        guard let id else { return }
        guard try Rubrics.latestVersion(db, id: id) != nil else {
            let known = try Rubrics.all(db).map(\.rubric.id)
            throw CLIError("--rubric: no rubric '\(id)' is stored (stored: \(Set(known).sorted().joined(separator: ", ")))")
        }
    }

    /// An item of some stored version of the rubric (of any rubric when none is named).
    static func item(_ db: Database, _ id: String?, rubric: String?) throws {
        guard let id else { return }
        let rubrics = try Rubrics.all(db).filter { rubric == nil || $0.rubric.id == rubric }
        guard rubrics.contains(where: { $0.rubric.items.contains { $0.id == id } }) else {
            throw CLIError("--item: no item '\(id)' in \(rubric.map { "rubric \($0)" } ?? "any stored rubric")")
        }
    }

    /// A team of the roster, or of the period's appraisals (a team since renamed or disbanded).
    static func team(_ db: Database, _ team: String?, appraised: [String]) throws {
        guard let team else { return }
        let onRoster = try Employees.all(db).contains { $0.team == team }
        guard appraised.contains(team) || onRoster else {
            throw CLIError("--team: no team '\(team)' on the roster or in the period's appraisals")
        }
    }
}
