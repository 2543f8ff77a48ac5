import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import XCTest
import ScorebookCore
import ScorebookStore
@testable import ScorebookWeb

/// The web app through its router (HummingbirdTesting), on a small database: who sees what, the forms'
/// refusals (status and the message naming the field), CSRF, sign-in throttling, and what lands in the
/// database and the audit log.
final class WebAppTests: XCTestCase {
    static let rubricYAML = """
    id: mini
    version: 1
    name: 迷你质检表
    sections:
      - id: etiquette
        name: 礼仪
        dimension: etiquette
        weight: 1
        items:
          - {id: greet, text: 问候, type: yes_no, points: 5}
          - {id: polite, text: 礼貌用语, type: yes_no, points: 5}
    """
    static let password = "correct horse battery"

    var dir: URL!
    var store: Store!
    /// Inspection ids: A1's submitted and draft ones, A2's, A3's (another team).
    var a1Submitted: Int64 = 0, a1Draft: Int64 = 0, a2Submitted: Int64 = 0, a3Submitted: Int64 = 0

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("scorebook-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try Store(path: dir.appendingPathComponent("web.db").path)
        let rubric = try RubricParser.parse(Self.rubricYAML, file: "mini.yaml")
        let hash = try Passwords.hash(Self.password, cost: 4)
        try store.write { db in
            try Employees.upsert(db, [
                Employee(employeeID: "S0", name: "中心主任", team: "客服中心", role: .supervisor),
                Employee(employeeID: "S1", name: "一组组长", team: "一组", role: .supervisor, supervisorID: "S0"),
                Employee(employeeID: "S2", name: "二组组长", team: "二组", role: .supervisor, supervisorID: "S0"),
                Employee(employeeID: "A1", name: "<script>alert(1)</script>张伟", team: "一组", role: .agent, supervisorID: "S1"),
                Employee(employeeID: "A2", name: "李娜", team: "一组", role: .agent, supervisorID: "S1"),
                Employee(employeeID: "A3", name: "王芳", team: "二组", role: .agent, supervisorID: "S2"),
                Employee(employeeID: "A9", name: "离职", team: "一组", role: .agent, supervisorID: "S1", active: false),
                Employee(employeeID: "Q1", name: "质检员", team: "质检组", role: .inspector, supervisorID: "S0"),
                Employee(employeeID: "H1", name: "人事", team: "人力资源部", role: .hr),
            ])
            for id in ["S0", "S1", "S2", "A1", "A2", "A3", "A9", "Q1", "H1"] {
                try Credentials.setHash(db, employeeID: id, hash: hash, actor: "test")
            }
            try Rubrics.add(db, rubric, source: Self.rubricYAML, file: "mini.yaml")
            let writer = try SessionWriter(db)
            for (i, agent) in ["A1", "A1", "A2", "A3"].enumerated() {
                try writer.insert(Session(sessionID: "V\(i)", agentID: agent, channel: .video,
                                          startedAt: "2026-10-0\(i + 1)T09:00:00+08:00", endedAt: "2026-10-0\(i + 1)T09:05:00+08:00",
                                          handleSeconds: 300), turns: [])
            }
            func inspect(_ session: String, submit: Bool) throws -> Int64 {
                try Inspections.saveManual(db, ManualInspection(sessionID: session, rubricID: "mini", inspectorID: "Q1",
                                                                answers: ["greet": .yes, "polite": .no], submit: submit), actor: "Q1").id
            }
            a1Submitted = try inspect("V0", submit: true)
            a1Draft = try inspect("V1", submit: false)
            a2Submitted = try inspect("V2", submit: true)
            a3Submitted = try inspect("V3", submit: true)
        }
    }

    override func tearDownWithError() throws {
        store = nil
        try? FileManager.default.removeItem(at: dir)
    }

    // MARK: - Harness

    /// A browser: keeps the session cookie and the page's CSRF token.
    struct Browser {
        let client: any TestClientProtocol
        var cookie: String?
        var csrf: String?

        @discardableResult
        mutating func get(_ uri: String) async throws -> TestResponse {
            var headers = HTTPFields()
            if let cookie { headers[.cookie] = cookie }
            let response = try await client.executeRequest(uri: uri, method: .get, headers: headers, body: nil)
            remember(response)
            return response
        }

        @discardableResult
        mutating func post(_ uri: String, _ fields: [(String, String)], csrf sendToken: Bool = true,
                           headers extra: [(String, String)] = []) async throws -> TestResponse {
            var headers = HTTPFields()
            for (name, value) in extra { headers[HTTPFields.Element.Name(name)!] = value }
            headers[.contentType] = "application/x-www-form-urlencoded"
            if let cookie { headers[.cookie] = cookie }
            var all = fields
            if sendToken, let csrf { all.append(("csrf", csrf)) }
            let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
            let response = try await client.executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            remember(response)
            return response
        }

        mutating func signIn(_ id: String, password: String = WebAppTests.password) async throws -> TestResponse {
            let response = try await post("/login", [("employee_id", id), ("password", password)], csrf: false)
            if response.status == .seeOther { try await get("/") } // the home page carries the CSRF token
            return response
        }

        private mutating func remember(_ response: TestResponse) {
            for value in response.headers[values: .setCookie] where value.hasPrefix("scorebook_session=") {
                let pair = value.split(separator: ";")[0]
                cookie = pair == "scorebook_session=" ? nil : String(pair)
            }
            let html = String(buffer: response.body)
            if let range = html.range(of: #"name="csrf" value=""#) {
                csrf = String(html[range.upperBound...].prefix { $0 != "\"" })
            }
        }

        static func encode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
    }

    func withApp(criteria: [String] = ["服务态度", "业务能力"], signInQueue: Int = 16, store: Store? = nil,
                 _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var settings = WebSettings(scales: [.self: 1...5, .supervisor: 1...5, .peer: 1...5], criteria: criteria, bcryptCost: 4)
        settings.signInQueue = signInQueue
        // as `scorebook serve` opens it: a pool of connections (the fixtures are written through `self.store`)
        let served = try store ?? Store(path: dir.appendingPathComponent("web.db").path, concurrentReads: true)
        let (router, _) = try WebApp.build(store: served, settings: settings)
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(client) }
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    // MARK: - Sign-in

    func testPagesNeedASignInAndWrongPasswordsAreThrottled() async throws {
        try await withApp { client in
            var browser = Browser(client: client)
            let anonymous = try await browser.get("/inspections")
            XCTAssertEqual(anonymous.status, .seeOther)
            XCTAssertEqual(anonymous.headers[.location], "/login")

            let unknown = try await browser.signIn("NOBODY")
            XCTAssertEqual(unknown.status, .unauthorized)
            let wrong = try await browser.signIn("A1", password: "wrong password!")
            XCTAssertEqual(wrong.status, .unauthorized)
            // The same words whether the id exists or not.
            XCTAssertTrue(Self.text(unknown).contains("Wrong employee id or password."))
            XCTAssertTrue(Self.text(wrong).contains("Wrong employee id or password."))

            let inactive = try await browser.signIn("A9")
            XCTAssertEqual(inactive.status, .unauthorized, "a deactivated employee cannot sign in")

            for _ in 0..<5 { _ = try await browser.signIn("A2", password: "not the password") }
            let locked = try await browser.signIn("A2")
            XCTAssertEqual(locked.status, .tooManyRequests, "5 failures lock the id, even with the right password")
            XCTAssertNil(browser.cookie)
            // SQLite's text binding stops at a NUL: `A2%00` found A2 while counted as another id — 5 more tries
            // each, without end, and then signed in
            for variant in ["A2\u{0}", "A2\u{0}x", "A2\u{7}"] {
                let around = try await browser.signIn(variant)
                XCTAssertEqual(around.status, .badRequest, variant.debugDescription)
                XCTAssertNil(browser.cookie)
            }

            let ok = try await browser.signIn("A1")
            XCTAssertEqual(ok.status, .seeOther)
            XCTAssertNotNil(browser.cookie)
            let home = try await browser.get("/")
            XCTAssertEqual(home.status, .ok)
            XCTAssertTrue(Self.text(home).contains("1 submitted inspection(s) not yet acknowledged"), Self.text(home))
            XCTAssertEqual(home.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'"), true)

            let out = try await browser.post("/logout", [])
            XCTAssertEqual(out.status, .seeOther)
            let after = try await browser.get("/inspections")
            XCTAssertEqual(after.headers[.location], "/login", "signed out: the cookie no longer opens pages")
        }
    }

    /// Login CSRF: another site's page posting the sign-in form (which has no CSRF token yet) would sign the
    /// browser in as the attacker. Refused by where the browser says the form comes from.
    func testFormsPostedFromAnotherSiteAreRefused() async throws {
        try await withApp { client in
            var browser = Browser(client: client)
            let login = [("employee_id", "A1"), ("password", Self.password)]
            for headers in [[("Sec-Fetch-Site", "cross-site")], [("Sec-Fetch-Site", "same-site")],
                            [("Origin", "https://evil.example")], [("Origin", "null")]] {
                let refused = try await browser.post("/login", login, csrf: false, headers: headers)
                XCTAssertEqual(refused.status, .forbidden, "\(headers)")
                XCTAssertTrue(Self.text(refused).contains("A form sent from another site is refused."))
                XCTAssertNil(browser.cookie, "no session for \(headers)")
            }
            // The browser's own pages: same-origin, or an Origin naming the host the form was sent to.
            let same = try await browser.post("/login", login, csrf: false, headers: [("Sec-Fetch-Site", "same-origin")])
            XCTAssertEqual(same.status, .seeOther)
            try await browser.get("/")
            let crossLogout = try await browser.post("/logout", [], headers: [("Sec-Fetch-Site", "cross-site")])
            XCTAssertEqual(crossLogout.status, .forbidden, "every form, not only the sign-in")
            let home = try await browser.get("/")
            XCTAssertEqual(home.status, .ok, "still signed in")
        }
        // Origin against Host (the router test client sends none: checked on the headers alone).
        var headers = HTTPFields()
        headers[.origin] = "http://scorebook.bank.example:8080"
        XCTAssertNil(SameOriginPosts<WebContext>.refusal(headers, authority: "scorebook.bank.example:8080"))
        XCTAssertNotNil(SameOriginPosts<WebContext>.refusal(headers, authority: "scorebook.bank.example"), "another port")
        XCTAssertNotNil(SameOriginPosts<WebContext>.refusal(headers, authority: "127.0.0.1:8080"))
        headers[HTTPFields.Element.Name("X-Forwarded-Host")!] = "scorebook.bank.example:8080"
        XCTAssertNil(SameOriginPosts<WebContext>.refusal(headers, authority: "127.0.0.1:8080"), "behind a proxy")
        XCTAssertNil(SameOriginPosts<WebContext>.refusal(HTTPFields(), authority: nil), "curl sends neither header")
    }

    /// Password checks queue on one thread; past the limit a sign-in is turned away at once, not counted
    /// as a failure.
    func testSignInsBeyondThePasswordCheckQueueAreTurnedAway() async throws {
        try await withApp(signInQueue: 0) { client in
            var browser = Browser(client: client)
            for _ in 0..<6 {
                let busy = try await browser.signIn("A1")
                XCTAssertEqual(busy.status, .serviceUnavailable)
                XCTAssertEqual(busy.headers[.retryAfter], "5")
                XCTAssertTrue(Self.text(busy).contains("Too many sign-ins at once"))
            }
            XCTAssertNil(browser.cookie)
        }
        try await withApp { client in
            var browser = Browser(client: client)
            let ok = try await browser.signIn("A1")
            XCTAssertEqual(ok.status, .seeOther, "six turned-away attempts did not lock the id")
        }
    }

    /// Everyone changes their own password: current one first, the policy, the repeat; audited without the
    /// hash; the old password stops working.
    func testAnEmployeeChangesTheirOwnPassword() async throws {
        let newPassword = "a brand new passphrase"
        try await withApp { client in
            var browser = Browser(client: client)
            let anonymous = try await browser.get("/password")
            XCTAssertEqual(anonymous.headers[.location], "/login")
            try await browser.signIn("A1")
            let form = try await browser.get("/password")
            XCTAssertEqual(form.status, .ok)
            XCTAssertTrue(Self.text(form).contains("name=\"new_password\""))

            func change(_ current: String, _ new: String, _ repeated: String) async throws -> TestResponse {
                try await browser.post("/password", [("current", current), ("new_password", new), ("repeat", repeated)])
            }
            let wrong = try await change("not my password", newPassword, newPassword)
            XCTAssertEqual(wrong.status, .forbidden)
            XCTAssertTrue(Self.text(wrong).contains("current: the current password is wrong"))
            let short = try await change(Self.password, "short", "short")
            XCTAssertEqual(short.status, .badRequest)
            XCTAssertTrue(Self.text(short).contains("new_password: a password needs at least 10 characters"))
            let differ = try await change(Self.password, newPassword, newPassword + "!")
            XCTAssertEqual(differ.status, .badRequest)
            XCTAssertTrue(Self.text(differ).contains("repeat: the two new passwords differ"))
            let same = try await change(Self.password, Self.password, Self.password)
            XCTAssertEqual(same.status, .badRequest)
            let noToken = try await browser.post("/password", [("current", Self.password), ("new_password", newPassword),
                                                               ("repeat", newPassword)], csrf: false)
            XCTAssertEqual(noToken.status, .forbidden)

            let changed = try await change(Self.password, newPassword, newPassword)
            XCTAssertEqual(changed.status, .ok)
            XCTAssertTrue(Self.text(changed).contains("Your password is changed."))
            _ = try await browser.post("/logout", [])
            let old = try await browser.signIn("A1")
            XCTAssertEqual(old.status, .unauthorized, "the old password no longer works")
            let new = try await browser.signIn("A1", password: newPassword)
            XCTAssertEqual(new.status, .seeOther)
        }
        let audit = try store.read { db in try AuditLog.entries(db, entity: "employee") }.filter { $0.action == "change-password" }
        XCTAssertEqual(audit.map(\.actor), ["A1"])
        XCTAssertEqual(audit.map(\.entityID), ["A1"])
        let entry = try XCTUnwrap(audit.first)
        XCTAssertFalse("\(entry)".contains("$2"), "no hash in the log")
    }

    /// Attempts are counted when admitted, before the (slow, queued) password check: a burst of guesses
    /// sent at once gets the same five tries as guesses sent one after another.
    func testABurstOfGuessesGetsNoMoreThanFiveTries() async throws {
        let throttle = SignInThrottle(limit: 5, lockout: 60)
        for _ in 0..<5 { XCTAssertNil(throttle.admit("A1"), "five attempts in flight") }
        XCTAssertNotNil(throttle.admit("A1"), "a sixth while five are still being checked: locked")
        XCTAssertNotNil(throttle.admit("A1"))
        let other = SignInThrottle(limit: 5, lockout: 60)
        XCTAssertNil(other.admit("A2"))
        other.withdrawn("A2") // turned away by the full queue: not a try
        for _ in 0..<4 { XCTAssertNil(other.admit("A2")); other.failed("A2") }
        XCTAssertNil(other.admit("A2"), "the fifth try")
        other.succeeded("A2")
        XCTAssertNil(other.admit("A2"), "a success clears the count")

        try await withApp { client in
            let results = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        var browser = Browser(client: client)
                        return try await browser.signIn("A2", password: "not the password").status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            XCTAssertEqual(results.filter { $0 == .unauthorized }.count, 5, "\(results)")
            XCTAssertEqual(results.filter { $0 == .tooManyRequests }.count, 5, "\(results)")
            var browser = Browser(client: client)
            let right = try await browser.signIn("A2")
            XCTAssertEqual(right.status, .tooManyRequests, "locked after the burst, even with the right password")
        }
    }

    /// bcrypt reads a password only up to a NUL byte: such passwords are refused, and never verified.
    func testPasswordsWithControlCharactersAreRefused() async throws {
        XCTAssertNotNil(Passwords.policyProblem("\u{0}Long-Secret-Passphrase"))
        XCTAssertNotNil(Passwords.policyProblem("ab\u{0}cdefghijklmn"))
        XCTAssertNotNil(Passwords.policyProblem("tab\tseparated words"))
        XCTAssertNil(Passwords.policyProblem("正确的马 电池 订书钉"))
        let nulHash = Passwords.hashUnchecked("\u{0}Long-Secret-Passphrase", cost: 4)
        XCTAssertFalse(Passwords.verify("\u{0}", hash: nulHash), "bcrypt would have matched the empty prefix")
        try await withApp { client in
            var browser = Browser(client: client)
            try await browser.signIn("A1")
            let refused = try await browser.post("/password", [("current", Self.password), ("new_password", "\u{0}Long-Secret-Passphrase"),
                                                               ("repeat", "\u{0}Long-Secret-Passphrase")])
            XCTAssertEqual(refused.status, .badRequest)
            // every form refuses a NUL before it reaches a handler (SQLite's text binding stops at one)
            XCTAssertTrue(Self.text(refused).contains("holds a NUL character"), Self.text(refused))
            let tab = try await browser.post("/password", [("current", Self.password), ("new_password", "tab\tseparated words"),
                                                           ("repeat", "tab\tseparated words")])
            XCTAssertEqual(tab.status, .badRequest)
            XCTAssertTrue(Self.text(tab).contains("new_password: a password may not contain control characters"))
        }
    }

    /// A password change signs the employee's other sessions out (a borrowed or forgotten browser); the
    /// session that changed it goes on.
    func testAPasswordChangeSignsOutTheOtherSessions() async throws {
        let newPassword = "a brand new passphrase"
        try await withApp { client in
            var here = Browser(client: client), there = Browser(client: client)
            try await here.signIn("A1")
            try await there.signIn("A1")
            let changed = try await here.post("/password", [("current", Self.password), ("new_password", newPassword),
                                                            ("repeat", newPassword)])
            XCTAssertEqual(changed.status, .ok)
            let still = try await here.get("/inspections")
            XCTAssertEqual(still.status, .ok, "the session that changed it goes on")
            let gone = try await there.get("/inspections")
            XCTAssertEqual(gone.headers[.location], "/login", "the other session is signed out")
        }
        // an administrator's reset (`scorebook password`) signs out every session of the employee too
        let store = self.store!
        try await withApp { client in
            var browser = Browser(client: client)
            try await browser.signIn("A1", password: newPassword)
            try store.write { db in try Credentials.setHash(db, employeeID: "A1", hash: try Passwords.hash("reset by admin 123", cost: 4), actor: "root") }
            let reset = try await browser.get("/inspections")
            XCTAssertEqual(reset.headers[.location], "/login")
        }
    }

    /// Guessing the current password through the change form counts towards the sign-in lockout.
    /// swift-mustache escaped one `Character` at a time: a "prepend" scalar (U+0600) joined the `<` after it
    /// into one cluster and the tag went out live — from an error page echoing a link's text, a comment, a
    /// transcript. Escaping goes by scalar now.
    func testTextIsEscapedScalarByScalar() async throws {
        XCTAssertEqual(ScalarHTMLEscaping().escapeText("\u{600}<meta>&\u{600}\"'"), "\u{600}&lt;meta&gt;&amp;\u{600}&quot;&#39;")
        try await withApp { client in
            var browser = Browser(client: client)
            _ = try await browser.signIn("Q1")
            let page = try await browser.get("/inspections?mode=%D8%80%3Cbase%20href=https://evil.example/%3E")
            XCTAssertEqual(page.status, .badRequest)
            let html = Self.text(page)
            XCTAssertTrue(html.contains("&lt;base href=https://evil.example/&gt;"), html)
            XCTAssertFalse(html.contains("<base"), html)
            XCTAssertTrue(page.headers[.contentSecurityPolicy]?.contains("base-uri 'none'") == true)
        }
    }

    func testWrongCurrentPasswordsLockTheIdLikeSignIns() async throws {
        try await withApp { client in
            var browser = Browser(client: client)
            try await browser.signIn("A2")
            for _ in 0..<5 {
                let wrong = try await browser.post("/password", [("current", "guess guess guess"), ("new_password", "x234567890"),
                                                                 ("repeat", "x234567890")])
                XCTAssertEqual(wrong.status, .forbidden)
            }
            let locked = try await browser.post("/password", [("current", Self.password), ("new_password", "x234567890"),
                                                              ("repeat", "x234567890")])
            XCTAssertEqual(locked.status, .tooManyRequests)
            var other = Browser(client: client)
            let signIn = try await other.signIn("A2")
            XCTAssertEqual(signIn.status, .tooManyRequests, "the sign-in is locked too")
        }
    }

    // MARK: - Who sees what

    func testAnAgentSeesOnlyTheirOwnSubmittedInspections() async throws {
        let (mine, draft, colleague) = (a1Submitted, a1Draft, a2Submitted)
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let list = Self.text(try await agent.get("/inspections?period=2026-10"))
            XCTAssertTrue(list.contains("href=\"/inspections/\(mine)\""))
            XCTAssertFalse(list.contains("href=\"/inspections/\(draft)\""), "drafts are not shown to the agent")
            XCTAssertFalse(list.contains("href=\"/inspections/\(colleague)\""), "nor a colleague's inspections")
            // Names are escaped, never markup.
            XCTAssertFalse(list.contains("<script>alert(1)</script>"))
            XCTAssertTrue(list.contains("&lt;script&gt;"))

            let page = try await agent.get("/inspections/\(mine)")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(Self.text(page).contains("礼貌用语"))
            XCTAssertFalse(Self.text(page).contains("<th>Comment</th>"), "no comment: no empty Comment row")
            XCTAssertTrue(Self.text(page).contains("None yet."), "no response yet")
            let r1 = try await agent.get("/inspections/\(colleague)")
            XCTAssertEqual(r1.status, .notFound)
            let r2 = try await agent.get("/inspections/\(draft)")
            XCTAssertEqual(r2.status, .notFound)
            let r3 = try await agent.get("/inspections/999999")
            XCTAssertEqual(r3.status, .notFound)
            let r4 = try await agent.get("/disputes")
            XCTAssertEqual(r4.status, .forbidden)
            let r5 = try await agent.get("/inspections?period=2026-13")
            XCTAssertEqual(r5.status, .badRequest)
        }
    }

    func testSupervisorsSeeTheirPeopleAndHRSeesAppraisalsOnly() async throws {
        let (a1, a3) = (a1Submitted, a3Submitted)
        try await withApp { client in
            var lead = Browser(client: client)
            _ = try await lead.signIn("S1")
            let r6 = try await lead.get("/inspections/\(a1)")
            XCTAssertEqual(r6.status, .ok)
            let r7 = try await lead.get("/inspections/\(a3)")
            XCTAssertEqual(r7.status, .notFound, "another team's inspection")
            let list = Self.text(try await lead.get("/inspections?period=2026-10"))
            XCTAssertTrue(list.contains("href=\"/inspections/\(a1)\""))
            XCTAssertFalse(list.contains("href=\"/inspections/\(a3)\""))

            var head = Browser(client: client)
            _ = try await head.signIn("S0")
            let r8 = try await head.get("/inspections/\(a3)")
            XCTAssertEqual(r8.status, .ok, "the center head leads every team")

            var hr = Browser(client: client)
            _ = try await hr.signIn("H1")
            let r9 = try await hr.get("/inspections")
            XCTAssertEqual(r9.status, .forbidden)
            let r10 = try await hr.get("/inspections/\(a1)")
            XCTAssertEqual(r10.status, .notFound)
            let r11 = try await hr.get("/ratings")
            XCTAssertEqual(r11.status, .forbidden)
            let r12 = try await hr.get("/appraisals?period=2026-10")
            XCTAssertEqual(r12.status, .ok)

            var inspector = Browser(client: client)
            _ = try await inspector.signIn("Q1")
            let r13 = try await inspector.get("/inspections/\(a3)")
            XCTAssertEqual(r13.status, .ok)
            let r14 = try await inspector.get("/appraisals")
            XCTAssertEqual(r14.status, .forbidden)
        }
    }

    // MARK: - Acknowledge, dispute, answer

    func testDisputeAndAnswerWithTheirRefusals() async throws {
        let (mine, colleague, other) = (a1Submitted, a2Submitted, a3Submitted)
        let store = self.store!
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let forged = try await agent.post("/inspections/\(mine)/dispute", [("reason", "问候是有的")], csrf: false)
            XCTAssertEqual(forged.status, .forbidden)
            XCTAssertTrue(Self.text(forged).contains("csrf:"))
            let empty = try await agent.post("/inspections/\(mine)/dispute", [("reason", "  ")])
            XCTAssertEqual(empty.status, .badRequest)
            XCTAssertTrue(Self.text(empty).contains("reason: is required"))
            let r15 = try await agent.post("/inspections/\(colleague)/dispute", [("reason", "x")])
            XCTAssertEqual(r15.status, .notFound)
            XCTAssertNil(try store.read { db in try InspectionResponses.find(db, inspectionID: mine) }, "nothing written yet")

            let disputed = try await agent.post("/inspections/\(mine)/dispute", [("reason", "我说了礼貌用语，见第3句")])
            XCTAssertEqual(disputed.status, .seeOther)
            XCTAssertEqual(disputed.headers[.location], "/inspections/\(mine)")
            let again = try await agent.post("/inspections/\(mine)/acknowledge", [])
            XCTAssertEqual(again.status, .conflict, "one response per inspection")
            XCTAssertTrue(Self.text(again).contains("already disputed"))
            // the center's lead is told before finalizing, as `scorebook finalize` notes after it
            let scheme = try SchemeParser.parse(Self.schemeYAML, file: "web-monthly.yaml")
            try store.write { db in
                _ = try Schemes.add(db, scheme, source: Self.schemeYAML, file: "web-monthly.yaml")
                _ = try Appraisals.run(db, key: "2026-10", kind: .monthly, scheme: scheme, actor: "S0")
            }
            var head = Browser(client: client)
            _ = try await head.signIn("S0")
            let before = Self.text(try await head.get("/appraisals?period=2026-10"))
            XCTAssertTrue(before.contains("1 dispute(s) of 2026-10 still open"), before)

            // Another team's lead cannot answer; the agent's own lead can; a bad decision names the field.
            var otherLead = Browser(client: client)
            _ = try await otherLead.signIn("S2")
            let r16 = try await otherLead.post("/inspections/\(mine)/answer", [("decision", "uphold"), ("answer", "x")])
            XCTAssertEqual(r16.status, .notFound)
            var lead = Browser(client: client)
            _ = try await lead.signIn("S1")
            let open = Self.text(try await lead.get("/disputes"))
            XCTAssertTrue(open.contains("我说了礼貌用语，见第3句"))
            let bad = try await lead.post("/inspections/\(mine)/answer", [("decision", "maybe"), ("answer", "x")])
            XCTAssertEqual(bad.status, .badRequest)
            XCTAssertTrue(Self.text(bad).contains("decision: must be uphold or overturn"))
            let answered = try await lead.post("/inspections/\(mine)/answer", [("decision", "overturn"), ("answer", "录音第3句确有礼貌用语，已改判")])
            XCTAssertEqual(answered.status, .seeOther)
            let r17 = try await lead.post("/inspections/\(mine)/answer", [("decision", "overturn"), ("answer", "x")])
            XCTAssertEqual(r17.status, .conflict, "answered (an overturned dispute may only be upheld after all, see WebCLITests)")

            // Acknowledging another of A3's own inspections works for A3 only.
            var a3 = Browser(client: client)
            _ = try await a3.signIn("A3")
            let r18 = try await a3.post("/inspections/\(other)/acknowledge", [])
            XCTAssertEqual(r18.status, .seeOther)
        }
        let response = try XCTUnwrap(try store.read { db in try InspectionResponses.find(db, inspectionID: mine) })
        XCTAssertEqual(response.status, .overturned)
        XCTAssertEqual(response.reason, "我说了礼貌用语，见第3句")
        XCTAssertEqual(response.answeredBy, "S1")
        XCTAssertEqual(try store.read { db in try InspectionResponses.find(db, inspectionID: other) }?.status, .acknowledged)
        let actions = try store.read { db in try AuditLog.entries(db, entity: "inspection", entityID: String(mine)) }.map(\.action)
        XCTAssertEqual(actions, ["create", "dispute", "answer-dispute"])
    }

    func testAFinalizedPeriodRefusesResponses() async throws {
        let mine = a1Submitted
        try store.write { db in try PeriodLocks.finalize(db, period: "2026-10", actor: "S0") }
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let r19 = try await agent.get("/inspections/\(mine)")
            XCTAssertFalse(Self.text(r19).contains("/acknowledge\""))
            let refused = try await agent.post("/inspections/\(mine)/acknowledge", [])
            XCTAssertEqual(refused.status, .conflict)
            XCTAssertTrue(Self.text(refused).contains("period 2026-10 is finalized"))
        }
    }

    // MARK: - Ratings

    func testSelfAndSupervisorRatingsAreCheckedThenSavedTogether() async throws {
        let store = self.store!
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let form = Self.text(try await agent.get("/ratings?period=2026-10"))
            XCTAssertTrue(form.contains("name=\"score:A1:服务态度\""))
            XCTAssertFalse(form.contains("score:A2:"), "an agent rates only themself")

            let outside = try await agent.post("/ratings", [("period", "2026-10"), ("score:A1:服务态度", "4"), ("score:A1:业务能力", "6")])
            XCTAssertEqual(outside.status, .badRequest)
            XCTAssertTrue(Self.text(outside).contains("score:A1:业务能力: 6 is outside the self scale 1–5"), Self.text(outside))
            let r20 = try await agent.post("/ratings", [("period", "2026-10"), ("score:A2:服务态度", "5")])
            XCTAssertEqual(r20.status, .forbidden)
            let r21 = try await agent.post("/ratings", [("period", "2026-10"), ("score:A1:颜值", "5")])
            XCTAssertEqual(r21.status, .badRequest)
            XCTAssertEqual(try store.read { db in try Ratings.inPeriod(db, "2026-10") }.count, 0, "a refused form writes nothing")

            let saved = try await agent.post("/ratings", [("period", "2026-10"), ("score:A1:服务态度", "4"), ("score:A1:业务能力", "4.5")])
            XCTAssertEqual(saved.status, .seeOther)
            XCTAssertEqual(saved.headers[.location], "/ratings?period=2026-10&saved=2")
            let changed = try await agent.post("/ratings", [("period", "2026-10"), ("score:A1:服务态度", "5"), ("score:A1:业务能力", "")])
            XCTAssertEqual(changed.headers[.location], "/ratings?period=2026-10&saved=1")

            var lead = Browser(client: client)
            _ = try await lead.signIn("S1")
            let team = Self.text(try await lead.get("/ratings?period=2026-10"))
            XCTAssertTrue(team.contains("score:A2:服务态度"))
            XCTAssertFalse(team.contains("score:A3:"), "another team's agent")
            XCTAssertFalse(team.contains("score:A9:"), "an inactive agent")
            let r22 = try await lead.post("/ratings", [("period", "2026-10"), ("score:A3:服务态度", "3")])
            XCTAssertEqual(r22.status, .forbidden)
            let r23 = try await lead.post("/ratings", [("period", "2026-10"), ("score:A2:服务态度", "3")])
            XCTAssertEqual(r23.status, .seeOther)
            // the center head's direct reports are team leads and an inspector: nobody the appraisal rates
            var head = Browser(client: client)
            _ = try await head.signIn("S0")
            let heads = Self.text(try await head.get("/ratings?period=2026-10"))
            XCTAssertTrue(heads.contains("Nobody to rate."), heads)
            XCTAssertFalse(heads.contains("score:S1:"))
            let r24 = try await head.post("/ratings", [("period", "2026-10"), ("score:S1:服务态度", "3")])
            XCTAssertEqual(r24.status, .forbidden)
        }
        let ratings = try store.read { db in try Ratings.inPeriod(db, "2026-10") }
        XCTAssertEqual(ratings.map { "\($0.employeeID)/\($0.source.rawValue)/\($0.raterID)/\($0.criterion)=\($0.score)" }, [
            "A1/self/A1/业务能力=4.5", "A1/self/A1/服务态度=5.0", "A2/supervisor/S1/服务态度=3.0",
        ])
        let audit = try store.read { db in try AuditLog.entries(db, entity: "rating") }
        XCTAssertEqual(audit.map(\.action), ["rate", "rate", "re-rate", "rate"])
        XCTAssertEqual(audit[2].before, #"{"score":4}"#)
    }

    /// Another program (a CLI import, an automatic run) holds the write lock: a form posted meanwhile waits
    /// for it, and the other pages go on answering — the web app reads on connections of its own
    /// (`Store(concurrentReads:)`) and waits for the lock off the server's shared threads. With one
    /// connection every page queued behind the waiting form until the import was done.
    func testPagesGoOnWhileAFormWaitsForAnotherProgramsWrite() async throws {
        let path = dir.appendingPathComponent("web.db").path
        let pooled = try Store(path: path, concurrentReads: true)
        let holding = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let released = LockedFlag()
        let other = try DatabaseQueue(path: path)
        let store = self.store!
        try await withApp(store: pooled) { client in
            var agent = Browser(client: client), lead = Browser(client: client)
            _ = try await agent.signIn("A1")
            _ = try await lead.signIn("S1")
            let holder = Thread {
                try? other.inTransaction(.immediate) { db in
                    try db.execute(sql: "INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES ('t', 'import', 'x', 'period', 'p')")
                    holding.signal()
                    _ = done.wait(timeout: .now() + 8) // well within the store's 10 s wait
                    released.set()
                    return .commit
                }
            }
            holder.start()
            holding.wait()
            let form = agent
            let posted = Task { () -> TestResponse in
                var agent = form
                return try await agent.post("/ratings", [("period", "2026-10"), ("score:A1:服务态度", "4")])
            }
            try await Task.sleep(for: .milliseconds(300)) // the form is waiting for the lock by now
            for _ in 0..<4 {
                let page = try await lead.get("/inspections")
                XCTAssertEqual(page.status, .ok)
                XCTAssertTrue(Self.text(page).contains("李娜"))
                XCTAssertFalse(released.value, "a page waited for the other program's write")
            }
            let waiting = try store.read { db in try Ratings.inPeriod(db, "2026-10") }
            XCTAssertEqual(waiting.count, 0, "the form is still waiting")
            done.signal()
            let saved = try await posted.value
            XCTAssertEqual(saved.status, .seeOther)
            XCTAssertEqual(saved.headers[.location], "/ratings?period=2026-10&saved=1")
        }
        XCTAssertTrue(released.value)
        XCTAssertEqual(try store.read { db in try Ratings.inPeriod(db, "2026-10") }.map(\.raterID), ["A1"])
    }

    /// Forms posted while another program holds the lock queue for the one writer connection: each answers
    /// 503 within the wait counted from when it came in (they answered one wait after another: the fifth after
    /// five waits), and the pages go on meanwhile.
    func testFormsWaitingForAnotherProgramEachAnswerWithinTheWait() async throws {
        let path = dir.appendingPathComponent("web.db").path
        let pooled = try Store(path: path, concurrentReads: true)
        pooled.asyncWriteWaitMilliseconds = 400
        let holding = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let released = LockedFlag()
        let other = try DatabaseQueue(path: path)
        let store = self.store!
        try await withApp(store: pooled) { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let holder = Thread {
                try? other.inTransaction(.immediate) { db in
                    try db.execute(sql: "INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES ('t', 'import', 'x', 'period', 'p')")
                    holding.signal()
                    _ = done.wait(timeout: .now() + 8)
                    released.set()
                    return .commit
                }
            }
            holder.start()
            holding.wait()
            let form = agent
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, Double).self) { group in
                for score in 1...5 {
                    group.addTask {
                        var agent = form
                        let start = Date()
                        let response = try await agent.post("/ratings", [("period", "2026-10"), ("score:A1:服务态度", "\(score)")])
                        return (response.status, Date().timeIntervalSince(start))
                    }
                }
                var all: [(HTTPResponse.Status, Double)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
            XCTAssertFalse(released.value, "the forms answered while the other program still held the lock")
            done.signal()
            XCTAssertEqual(answers.map(\.0), Array(repeating: .serviceUnavailable, count: 5))
            for (_, seconds) in answers { XCTAssertLessThan(seconds, 1.5, "a form waited past its 0.4 s wait: \(answers)") }
        }
        XCTAssertEqual(try store.read { db in try Ratings.inPeriod(db, "2026-10") }.count, 0, "nothing was saved")
    }

    /// Peer ratings (同事互评): an agent rates the other active agents of their team, never themself, another
    /// team, or someone who left; only agents give them.
    func testAgentsRateTheirTeamAsPeers() async throws {
        let store = self.store!
        try await withApp { client in
            var agent = Browser(client: client)
            _ = try await agent.signIn("A1")
            let own = Self.text(try await agent.get("/ratings?period=2026-10"))
            XCTAssertTrue(own.contains("source=peer"), "the self-rating page links to the peer form")
            let form = Self.text(try await agent.get("/ratings?period=2026-10&source=peer"))
            XCTAssertTrue(form.contains("同事互评 Peer ratings 2026-10"), form)
            XCTAssertTrue(form.contains("name=\"score:A2:服务态度\""))
            XCTAssertFalse(form.contains("score:A1:"), "not themself")
            XCTAssertFalse(form.contains("score:A3:"), "not another team")
            XCTAssertFalse(form.contains("score:A9:"), "not someone who left")
            for ratee in ["A1", "A3", "A9"] {
                let refused = try await agent.post("/ratings", [("period", "2026-10"), ("source", "peer"), ("score:\(ratee):服务态度", "3")])
                XCTAssertEqual(refused.status, .forbidden, ratee)
            }
            let outside = try await agent.post("/ratings", [("period", "2026-10"), ("source", "peer"), ("score:A2:服务态度", "0")])
            XCTAssertEqual(outside.status, .badRequest)
            XCTAssertTrue(Self.text(outside).contains("outside the peer scale 1–5"), Self.text(outside))
            let saved = try await agent.post("/ratings", [("period", "2026-10"), ("source", "peer"), ("score:A2:服务态度", "4"),
                                                          ("score:A2:业务能力", "3.5")])
            XCTAssertEqual(saved.headers[.location], "/ratings?period=2026-10&source=peer&saved=2")
            let again = Self.text(try await agent.get("/ratings?period=2026-10&source=peer"))
            XCTAssertTrue(again.contains("value=\"3.5\""), "the form shows what was given")
            let unknown = try await agent.get("/ratings?period=2026-10&source=customer")
            XCTAssertEqual(unknown.status, .badRequest)

            var lead = Browser(client: client)
            _ = try await lead.signIn("S1")
            let leadPeer = try await lead.get("/ratings?period=2026-10&source=peer")
            XCTAssertEqual(leadPeer.status, .forbidden, "peer ratings come from agents")
        }
        let ratings = try store.read { db in try Ratings.inPeriod(db, "2026-10") }
        XCTAssertEqual(ratings.map { "\($0.employeeID)/\($0.source.rawValue)/\($0.raterID)/\($0.criterion)=\($0.score)" }, [
            "A2/peer/A1/业务能力=3.5", "A2/peer/A1/服务态度=4.0",
        ])
    }
}

/// A flag set on one thread and read on another.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    func set() { lock.lock(); flag = true; lock.unlock() }
}
