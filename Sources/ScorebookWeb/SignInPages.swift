import Foundation
import Hummingbird
import HummingbirdAuth
import ScorebookCore
import ScorebookStore

extension WebPages {
    func loginForm(_ context: WebContext) -> Response {
        if context.sessions.session != nil { return Views.redirect("/") }
        return views.page("login", title: "登录 Sign in", user: nil, csrf: nil, values: [:])
    }

    /// Signs in with employee id and password. Every failure says the same thing (no hint whether the id
    /// exists); after 5 failures in a row the id is refused for 15 minutes.
    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await FormFields.read(request)
        let id = form.optional("employee_id") ?? ""
        let password = form.values["password"] ?? ""
        func refuse(_ message: String, _ status: HTTPResponse.Status) -> Response {
            views.page("login", title: "登录 Sign in", user: nil, csrf: nil,
                       values: ["error": message, "employee_id": id], status: status)
        }
        guard !id.isEmpty, !password.isEmpty else { return refuse("Enter your employee id and password.", .badRequest) }
        // ids hold no control character (the roster refuses them): one here is a way round the lockout's count
        guard !id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            return refuse("Wrong employee id or password.", .badRequest)
        }
        if let seconds = throttle.admit(id) {
            return refuse("Too many failed sign-ins for this id: try again in \((seconds + 59) / 60) minutes.", .tooManyRequests)
        }
        let (employee, hash) = try store.read { db in
            (try Employees.find(db, id), try Credentials.passwordHash(db, employeeID: id))
        }
        // Verify against a fixed hash when there is none, so a wrong id costs as long as a wrong password.
        guard let verified = await passwordChecks.verify(password, hash: hash ?? decoyHash) else {
            throttle.withdrawn(id)
            var busy = refuse("Too many sign-ins at once: try again in a few seconds.", .serviceUnavailable)
            busy.headers[.retryAfter] = "5"
            return busy
        }
        guard let employee, employee.active, hash != nil, verified else {
            throttle.failed(id)
            return refuse("Wrong employee id or password.", .unauthorized)
        }
        throttle.succeeded(id)
        context.sessions.createSession(WebSession(employeeID: employee.employeeID, csrf: Self.randomToken(),
                                                  stamp: Passwords.stamp(hash)))
        return Views.redirect("/")
    }

    func logout(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        _ = try await postedForm(request, me)
        context.sessions.clearSession()
        return Views.redirect("/login")
    }

    func passwordForm(_ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        return page("password", title: "修改密码 Change password", me, ["minimum": Passwords.minimumLength])
    }

    /// Everyone changes their own password: the current one first (a wrong one counts as a failed sign-in,
    /// so a borrowed session cannot guess it), then the new one twice, under the same policy as
    /// `scorebook password`. Audited as `change-password` with the employee as actor, without the hash.
    func changePassword(_ request: Request, _ context: WebContext) async throws -> Response {
        let me = try signedIn(context)
        let form = try await postedForm(request, me)
        let id = me.user.employeeID
        func refuse(_ message: String, _ status: HTTPResponse.Status) -> Response {
            page("password", title: "修改密码 Change password", me, ["minimum": Passwords.minimumLength, "error": message],
                 status: status)
        }
        let current = form.values["current"] ?? "", new = form.values["new_password"] ?? "", repeated = form.values["repeat"] ?? ""
        guard !current.isEmpty else { return refuse("current: is required", .badRequest) }
        if let problem = Passwords.policyProblem(new) { return refuse("new_password: \(problem)", .badRequest) }
        guard new == repeated else { return refuse("repeat: the two new passwords differ", .badRequest) }
        guard new != current else { return refuse("new_password: is the same as the current password", .badRequest) }
        if let seconds = throttle.admit(id) {
            return refuse("Too many wrong passwords for this id: try again in \((seconds + 59) / 60) minutes.", .tooManyRequests)
        }
        let hash = try store.read { db in try Credentials.passwordHash(db, employeeID: id) }
        guard let verified = await passwordChecks.verify(current, hash: hash ?? decoyHash) else {
            throttle.withdrawn(id)
            return refuse("Too many sign-ins at once: try again in a few seconds.", .serviceUnavailable)
        }
        guard hash != nil, verified else {
            throttle.failed(id)
            return refuse("current: the current password is wrong", .forbidden)
        }
        throttle.succeeded(id)
        guard let newHash = await passwordChecks.hash(new, cost: settings.bcryptCost) else {
            return refuse("Too many sign-ins at once: try again in a few seconds.", .serviceUnavailable)
        }
        try await store.writeAsync { db in
            try Credentials.setHash(db, employeeID: id, hash: newHash, actor: id, action: "change-password")
        }
        // this session goes on with the new password; the employee's other sessions are signed out
        var session = me.session
        session.stamp = Passwords.stamp(newHash)
        context.sessions.setSession(session)
        return page("password", title: "修改密码 Change password", me, ["minimum": Passwords.minimumLength, "changed": true])
    }

    /// What needs the user's attention, by role.
    func home(_ context: WebContext) throws -> Response {
        let me = try signedIn(context)
        var values: [String: Any] = ["name": me.user.name, "role": me.user.role.rawValue, "team": me.user.team]
        let visible = me.access.visibleEmployees(me.user).map { Array($0) }
        try store.read { db in
            switch me.user.role {
            case .agent:
                values["unanswered"] = try InspectionResponses.unanswered(db, agentID: me.user.employeeID)
            case .inspector, .supervisor:
                values["open_disputes"] = try InspectionResponses.list(db, status: .disputed, agentIDs: visible).count
                if me.user.role == .inspector {
                    values["to_score"] = try Assignments.list(db, period: nil, inspectorID: me.user.employeeID).filter { !$0.done }.count
                }
            case .hr:
                break
            }
        }
        values["is_agent"] = me.user.role == .agent
        values["answers_disputes"] = me.user.role == .inspector || me.user.role == .supervisor
        values["is_inspector"] = me.user.role == .inspector
        return page("home", title: "Scorebook", me, values)
    }
}
