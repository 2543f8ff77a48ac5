import Foundation
import Hummingbird
import ScorebookCore

/// A submitted form (`application/x-www-form-urlencoded`) or a query string, read as plain fields so that
/// every refusal can name the field.
struct FormFields {
    var values: [String: String]

    static let maxBodyBytes = 256 * 1024

    static func read(_ request: Request) async throws -> FormFields {
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            let form = FormFields(query: String(buffer: buffer))
            // SQLite's text binding stops at a NUL: `E1004%00` would be looked up as E1004 while counted
            // (sign-in attempts) and compared as another string — no form of Scorebook's carries one
            if let field = form.values.first(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) })?.key {
                throw WebError.badRequest("\(field.utf8.contains(0) ? "a field name" : field): holds a NUL character")
            }
            return form
        } catch let error as WebError {
            throw error
        } catch {
            // NIO's "too many bytes": the form is larger than any of Scorebook's forms can be
            throw WebError.tooLarge("the form is larger than \(maxBodyBytes / 1024) KB (a reason or answer has at most \(2000) characters)")
        }
    }

    init(query: String) {
        var values: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if !key.isEmpty { values[key] = value }
        }
        self.values = values
    }

    init(request: Request) {
        self.init(query: request.uri.query ?? "")
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    func optional(_ field: String) -> String? {
        guard let value = values[field]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func required(_ field: String) throws -> String {
        guard let value = optional(field) else { throw WebError.badRequest("\(field): is required") }
        return value
    }

    /// A month `YYYY-MM` (the monthly appraisal) or a year `YYYY` (the annual one), as the CLI's
    /// `--period` reads it on `appraisals`, `finalize` and `export`.
    func appraisalPeriod(_ field: String = "period") throws -> (key: String, kind: SchemeKind)? {
        guard let value = optional(field) else { return nil }
        if Timestamp.isYear(value) { return (value, .annual) }
        guard Timestamp.isPeriod(value) else { throw WebError.badRequest("\(field): '\(value)' is not a month YYYY-MM or a year YYYY") }
        return (value, .monthly)
    }

    /// A period field `YYYY-MM`, if given.
    func period(_ field: String = "period") throws -> String? {
        guard let value = optional(field) else { return nil }
        guard Timestamp.isPeriod(value) else { throw WebError.badRequest("\(field): '\(value)' is not a period YYYY-MM") }
        return value
    }
}
