import Foundation
import Hummingbird
import HummingbirdAuth
import ScorebookCore

/// What the session cookie stands for on the server (memory only): who signed in, and the token every form
/// must send back (a cross-site page cannot read it, so it cannot post a form as the user).
public struct WebSession: Codable, Sendable {
    public var employeeID: String
    public var csrf: String
    /// `Passwords.stamp` of the password hash when the session was opened: a later change signs it out.
    public var stamp: String?
}

/// The request context of every route: Hummingbird's core context plus the cookie session.
public struct WebContext: SessionRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<WebSession>

    public init(source: Source) {
        coreContext = .init(source: source)
        sessions = .init()
    }
}

/// A failure a route answers with a page (or a redirect to sign in).
enum WebError: Error {
    /// No valid session: go to the sign-in page.
    case signIn
    /// Signed in, but this record or action is not theirs (403).
    case forbidden(String)
    /// No such record (404). Records a user may not see answer 404 too when their existence would leak.
    case notFound(String)
    /// A form or query field is missing or invalid (400): the message names the field and the reason.
    case badRequest(String)
    /// The request is valid but the record's state refuses it — already answered, period finalized (409).
    case conflict(String)
    /// The request body is larger than any form (413).
    case tooLarge(String)

    var status: HTTPResponse.Status {
        switch self {
        case .signIn: return .seeOther
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .badRequest: return .badRequest
        case .conflict: return .conflict
        case .tooLarge: return .contentTooLarge
        }
    }

    var message: String {
        switch self {
        case .signIn: return "Please sign in."
        case .forbidden(let m), .notFound(let m), .badRequest(let m), .conflict(let m), .tooLarge(let m): return m
        }
    }
}
