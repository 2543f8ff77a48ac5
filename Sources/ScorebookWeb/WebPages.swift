import Foundation
import Hummingbird
import HummingbirdAuth
import ScorebookCore
import ScorebookStore

/// The routes. Each handler first resolves who is signed in (`signedIn`), then asks `Access`, then reads
/// or writes through the store; a POST also checks the form's CSRF token. The handlers for each area live
/// in `SignInPages`, `InspectionPages`, `ScoringPages`, `SamplingPages`, `AutoRunPages`, `RatingPages`
/// and `AppraisalPages` (extensions of this type).
struct WebPages: @unchecked Sendable {
    let store: Store
    let settings: WebSettings
    let views: Views
    let throttle: SignInThrottle
    /// bcrypt checks of sign-ins, one at a time off the request threads.
    let passwordChecks: PasswordChecks
    /// A hash of a random password nobody knows, verified when an id has no password so that a wrong id
    /// takes as long to refuse as a wrong password.
    let decoyHash: String
    /// The full-coverage run started from `/auto-runs` (one at a time).
    let autoRunner = AutoRunner()

    func register(on router: Router<WebContext>) {
        router.get("/health") { _, _ in "ok" }
        router.get("/") { _, context in try self.home(context) }
        router.get("/login") { _, context in self.loginForm(context) }
        router.post("/login") { request, context in try await self.login(request, context) }
        router.post("/logout") { request, context in try await self.logout(request, context) }
        router.get("/password") { _, context in try self.passwordForm(context) }
        router.post("/password") { request, context in try await self.changePassword(request, context) }
        router.get("/inspections") { request, context in try self.inspections(request, context) }
        router.get("/inspections/:id") { _, context in try self.inspection(context) }
        router.post("/inspections/:id/acknowledge") { request, context in try await self.respond(request, context, dispute: false) }
        router.post("/inspections/:id/dispute") { request, context in try await self.respond(request, context, dispute: true) }
        router.post("/inspections/:id/answer") { request, context in try await self.answer(request, context) }
        router.post("/findings/:id/review") { request, context in try await self.reviewFinding(request, context) }
        router.get("/disputes") { request, context in try self.disputes(request, context) }
        router.get("/ratings") { request, context in try self.ratingForm(request, context) }
        router.post("/ratings") { request, context in try await self.saveRatings(request, context) }
        router.get("/appraisals") { request, context in try self.appraisals(request, context) }
        router.post("/appraisals/run") { request, context in try await self.runAppraisal(request, context) }
        router.post("/appraisals/finalize") { request, context in try await self.finalizePeriod(request, context) }
        router.post("/appraisals/reopen") { request, context in try await self.reopenPeriod(request, context) }
        router.get("/appraisals/workbook") { request, context in try await self.workbook(request, context) }
        router.get("/assignments") { request, context in try self.assignments(request, context) }
        router.post("/assignments/draw") { request, context in try await self.drawSample(request, context) }
        router.get("/sessions/:id/score") { request, context in try self.scoreForm(request, context) }
        router.post("/sessions/:id/score") { request, context in try await self.saveScore(request, context) }
        router.get("/auto-runs") { request, context in try self.autoRuns(request, context) }
        router.post("/auto-runs") { request, context in try await self.startAutoRun(request, context) }
    }

    // MARK: - Who is asking

    struct SignedIn {
        var user: Employee
        var session: WebSession
        var access: Access
    }

    /// The signed-in, still active employee, with the roster for access checks; otherwise to the sign-in page.
    func signedIn(_ context: WebContext) throws -> SignedIn {
        guard let session = context.sessions.session else { throw WebError.signIn }
        let (roster, hash) = try store.read { db in
            (try Employees.all(db), try Credentials.passwordHash(db, employeeID: session.employeeID))
        }
        // a deactivated employee, or a password changed or reset since this session was opened: signed out
        guard let user = roster.first(where: { $0.employeeID == session.employeeID }), user.active,
              session.stamp == Passwords.stamp(hash) else {
            context.sessions.clearSession()
            throw WebError.signIn
        }
        return SignedIn(user: user, session: session, access: Access(roster: roster))
    }

    /// A POST's form, after checking its CSRF token against the session's.
    func postedForm(_ request: Request, _ me: SignedIn) async throws -> FormFields {
        let form = try await FormFields.read(request)
        guard let token = form.values["csrf"], Self.constantTimeEqual(token, me.session.csrf) else {
            throw WebError.forbidden("csrf: the form is out of date or was sent from another site; reload the page and try again")
        }
        return form
    }

    func page(_ template: String, title: String, _ me: SignedIn, _ values: [String: Any],
              status: HTTPResponse.Status = .ok, refresh: Int? = nil) -> Response {
        views.page(template, title: title, user: me.user, csrf: me.session.csrf, values: values, status: status,
                   refresh: refresh)
    }

    /// The `:id` path parameter as a record id.
    func recordID(_ context: WebContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw WebError.notFound("no such record")
        }
        return id
    }

    /// The period a page shows: the query's, else the latest one the given query finds, else this month.
    func period(_ form: FormFields, latest: LatestPeriod) throws -> String {
        if let period = try form.period() { return period }
        if let found = try store.read({ db in try latest.find(db) }) { return found }
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return String(format: "%04d-%02d", now.year ?? 2000, now.month ?? 1)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
