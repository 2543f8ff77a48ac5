import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import ScorebookCore
import ScorebookReports
import ScorebookStore

/// What the web app needs besides the database: the monthly appraisal scheme (its rating scales, and the
/// scheme the appraisal is run with), the criteria the rating forms ask for, and how sign-in works.
public struct WebSettings: Sendable {
    public var scales: [RatingSource: ClosedRange<Double>]
    /// Criteria of the self and supervisor rating forms; empty = those already used in the database.
    public var criteria: [String]
    /// bcrypt work factor of the decoy hash verified for an id without a password (so a wrong id costs as
    /// long as a wrong password): the cost `scorebook password` uses, 12; tests pass a lower one.
    public var bcryptCost: UInt8
    /// Send the session cookie only over HTTPS (behind a TLS-terminating proxy).
    public var secureCookie: Bool
    public var sessionLifetime: Duration
    /// The scheme the center's lead runs the monthly appraisal with (nil: the web app does not run it).
    public var monthlyScheme: Scheme?
    /// Sign-ins whose password check may wait at once (checks run one at a time); more answer 503.
    public var signInQueue: Int = 16

    public init(scales: [RatingSource: ClosedRange<Double>], criteria: [String] = [], bcryptCost: UInt8 = 12,
                secureCookie: Bool = false, sessionLifetime: Duration = .seconds(8 * 3600), monthlyScheme: Scheme? = nil) {
        self.scales = scales
        self.monthlyScheme = monthlyScheme
        self.criteria = criteria
        self.bcryptCost = bcryptCost
        self.secureCookie = secureCookie
        self.sessionLifetime = sessionLifetime
    }
}

/// The web app (Hummingbird 2): server-rendered pages for agents, inspectors, supervisors and HR over the
/// same database as the CLI. Every route resolves the signed-in employee and asks `Access`; every form
/// carries the session's CSRF token; sessions live in memory (a restart signs everyone out).
public enum WebApp {
    /// The router with its middleware, and the session store (a service: it drops expired sessions).
    public static func build(store: Store, settings: WebSettings)
        throws -> (router: Router<WebContext>, sessions: MemoryPersistDriver<ContinuousClock>) {
        let views = try Views.load()
        let sessions = MemoryPersistDriver()
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeaders())
        router.add(middleware: SessionMiddleware(storage: sessions, configuration: .init(
            sessionCookieParameters: .init(name: "scorebook_session", path: "/", secure: settings.secureCookie, sameSite: .strict),
            defaultSessionExpiration: settings.sessionLifetime)))
        router.add(middleware: ErrorPages(views: views))
        router.add(middleware: SameOriginPosts())
        WebPages(store: store, settings: settings, views: views, throttle: SignInThrottle(),
                 passwordChecks: PasswordChecks(limit: settings.signInQueue),
                 decoyHash: Passwords.hashUnchecked(WebPages.randomToken(), cost: settings.bcryptCost)).register(on: router)
        return (router, sessions)
    }

    /// Serves until interrupted (SIGINT/SIGTERM shut it down gracefully).
    public static func serve(store: Store, settings: WebSettings, host: String, port: Int,
                             onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let (router, sessions) = try build(store: store, settings: settings)
        var logger = Logger(label: "scorebook.web")
        logger.logLevel = .notice
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Scorebook"),
            services: [sessions], onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.runService()
    }
}

/// Headers every page carries: no framing (clickjacking), no sniffing, scripts and styles from this origin only.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    static var referrerPolicy: HTTPFields.Element.Name { .init("Referrer-Policy")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "same-origin"
        return response
    }
}

/// Refuses a form posted from another site (403) before any route sees it — the sign-in form included,
/// which has no CSRF token yet (login CSRF: another site signing a browser in as someone else). The other
/// forms also carry the session's CSRF token; this is the second check. Browsers say where a request comes
/// from in `Sec-Fetch-Site` (cross-site and same-site — another host of the same domain — are refused);
/// a browser too old to send it still sends `Origin`, which must then name the host the request was sent
/// to (`Host`, or `X-Forwarded-Host` behind a proxy that rewrites `Host`). Requests without either header
/// (curl, scripts) pass: they carry no one's cookies by accident.
struct SameOriginPosts<Context: RequestContext>: RouterMiddleware {
    static var secFetchSite: HTTPFields.Element.Name { .init("Sec-Fetch-Site")! }
    static var forwardedHost: HTTPFields.Element.Name { .init("X-Forwarded-Host")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .get, request.method != .head, let reason = Self.refusal(request.headers, authority: request.head.authority) {
            throw HTTPError(.forbidden, message: reason)
        }
        return try await next(request, context)
    }

    /// Why a non-GET request with these headers is refused, or nil. `authority`: the request's host[:port].
    static func refusal(_ headers: HTTPFields, authority: String?) -> String? {
        if let site = headers[secFetchSite]?.lowercased() {
            if site == "cross-site" || site == "same-site" { return "A form sent from another site is refused." }
            return nil
        }
        guard let origin = headers[.origin] else { return nil }
        // (HTTP/1.1's Host header arrives as the request's authority)
        let hosts = [authority, headers[forwardedHost]].compactMap { $0?.lowercased() }
        guard let url = URL(string: origin), let host = url.host?.lowercased() else {
            return "A form sent from another site is refused."
        }
        // both carry the port only when it is not the scheme's default
        let sender = host + (url.port.map { ":\($0)" } ?? "")
        return hosts.contains(sender) ? nil : "A form sent from another site is refused."
    }
}

/// Turns a route's `WebError` (and a store's refusal) into a page with the status and the one message;
/// anything else is a 500 whose details go to the log, not to the browser.
struct ErrorPages: RouterMiddleware {
    let views: Views

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            if case .signIn = error { return Views.redirect("/login") }
            return page(error.status, error.message)
        } catch let error as StoreError {
            return page(.conflict, error.description)
        } catch let error where StoreError.busy(error) != nil {
            // a long import or run holds the database: nothing was saved, and the user may simply retry
            var response = page(.serviceUnavailable, StoreError.busy(error)!.description)
            response.headers[.retryAfter] = "10"
            return response
        } catch let error as ExportError {
            return page(.conflict, error.description)
        } catch let error as HTTPError {
            return page(error.status, error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return page(.internalServerError, "Something went wrong on the server; the details are in its log.")
        }
    }

    private func page(_ status: HTTPResponse.Status, _ message: String) -> Response {
        views.page("error", title: "\(status.code) \(status.reasonPhrase)", user: nil, csrf: nil,
                   values: ["status": "\(status.code) \(status.reasonPhrase)", "message": message], status: status)
    }
}
