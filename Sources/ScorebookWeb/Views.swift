import Foundation
import Hummingbird
import Mustache
import ScorebookCore

/// The HTML pages: Mustache templates (escaping every `{{value}}`) bundled with the target, each rendered
/// into `layout`. Numbers are shown to 2 decimals; stored values stay unrounded.
struct Views: Sendable {
    let library: MustacheLibrary

    static func load() throws -> Views {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw WebSetupError(reason: "the web templates are missing (Scorebook_ScorebookWeb.resources must stay next to the binary)")
        }
        MustacheContentTypes.register(ScalarHTMLEscaping(), named: ScalarHTMLEscaping.name)
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            // every template escapes with `ScalarHTMLEscaping` (the pragma, first, adds no output)
            let text = "{{% CONTENT_TYPE: \(ScalarHTMLEscaping.name) }}"
                + (try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
            do {
                try library.register(text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw WebSetupError(reason: "template \(file): \(error)")
            }
        }
        return Views(library: library)
    }

    /// A whole page: `template` rendered with `values`, inside the layout (title, navigation for `user`);
    /// `refresh` seconds: the browser reloads it (a page following a run; no scripts are allowed).
    func page(_ template: String, title: String, user: Employee?, csrf: String?, values: [String: Any],
              status: HTTPResponse.Status = .ok, refresh: Int? = nil) -> Response {
        var values = values
        values["csrf"] = csrf ?? ""
        let body = library.render(Self.withoutEmptyText(values), withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "body": body, "csrf": csrf ?? ""]
        if let refresh { layout["refresh"] = refresh }
        if let user {
            layout["user"] = ["id": user.employeeID, "name": user.name, "role": user.role.rawValue]
            layout["nav"] = Self.navigation(for: user.role)
        }
        let html = library.render(layout, withTemplate: "layout") ?? body
        return Self.html(html, status: status)
    }

    /// Mustache sections treat an empty string as present (`{{#comment}}…{{/comment}}` would show with
    /// nothing in it): empty texts are dropped, so a missing value is both blank and false.
    static func withoutEmptyText(_ value: Any) -> Any {
        switch value {
        case let text as String: return text
        case let dictionary as [String: Any]:
            var kept: [String: Any] = [:]
            for (key, item) in dictionary {
                if let text = item as? String, text.isEmpty { continue }
                kept[key] = withoutEmptyText(item)
            }
            return kept
        case let list as [[String: Any]]: return list.map { withoutEmptyText($0) }
        case let list as [Any]: return list.map { withoutEmptyText($0) }
        default: return value
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func navigation(for role: Role) -> [[String: String]] {
        switch role {
        case .agent:
            return [["href": "/inspections", "label": "我的质检 Inspections"], ["href": "/ratings", "label": "自评 Self-rating"],
                    ["href": "/appraisals", "label": "我的考核 Appraisal"]]
        case .inspector:
            return [["href": "/assignments", "label": "抽检任务 Assignments"], ["href": "/inspections", "label": "质检 Inspections"],
                    ["href": "/disputes", "label": "申诉 Disputes"],
                    ["href": "/auto-runs", "label": "自动质检 Automatic inspection"]]
        case .supervisor:
            return [["href": "/inspections", "label": "团队质检 Inspections"], ["href": "/disputes", "label": "申诉 Disputes"],
                    ["href": "/ratings", "label": "上级评价 Ratings"], ["href": "/appraisals", "label": "考核 Appraisals"]]
        case .hr:
            return [["href": "/appraisals", "label": "考核 Appraisals"]]
        }
    }

    /// A score shown to 2 decimals, rounded half-up like every other output (`DecimalMath.fixed`).
    static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        return DecimalMath.fixed(value, 2)
    }
}

struct WebSetupError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// HTML escaping of `{{value}}`, one Unicode scalar at a time. swift-mustache's own escaping looks each
/// `Character` up in a table, and a "prepend" scalar (U+0600 ARABIC NUMBER SIGN, …) makes one grapheme
/// cluster with the `<` after it: `"\u{600}<meta …>"` went out as a live tag — from a customer's words in a
/// transcript, an agent's dispute reason, an inspector's comment, an id echoed in an error page.
struct ScalarHTMLEscaping: MustacheContentType {
    static let name = "HTML_BY_SCALAR"

    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
