import Foundation
import Yams

/// Typed, line-aware reading of a YAML document. Every accessor throws a `DefinitionError` that names
/// the file, the line of the offending node and its path (e.g. `sections[1].items[0].points`).
public struct YAMLNode {
    public let node: Node
    public let file: String
    public let path: String
    /// Checks for an author's slips that earlier versions accepted (a key without a value, one text with
    /// commas where a list goes): on for a file being added or checked, off when a stored definition is read
    /// again — what was stored must stay readable (a finalized month's workbook depends on it).
    public let strict: Bool

    public init(node: Node, file: String, path: String = "", strict: Bool = true) {
        self.node = node
        self.file = file
        self.path = path
        self.strict = strict
    }

    /// Parses YAML text; a syntax error becomes a `DefinitionError` with the line Yams reports (one line,
    /// `file:line: reason`, like every other rubric error).
    public static func parse(_ text: String, file: String, strict: Bool = true) throws -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw DefinitionError(file: file, line: 1, reason: "the file is empty")
            }
            return YAMLNode(node: node, file: file, strict: strict)
        } catch let error as DefinitionError {
            throw error
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            // Yams marks the key's first occurrence (and its message spans lines, with the whole text)
            let key = duplicates.first ?? ""
            let first = context.mark.line
            if let again = repeatLine(of: key, first: context.mark, in: text) {
                throw DefinitionError(file: file, line: again,
                                      reason: "duplicate key '\(key)'" + (again == first ? "" : " (first at line \(first))"))
            }
            throw DefinitionError(file: file, line: first, reason: "duplicate key '\(key)' (said again later in this mapping)")
        } catch let error as YamlError {
            throw DefinitionError(file: file, line: Self.line(of: error), reason: "YAML syntax error: \(Self.problem(of: error))")
        } catch {
            throw DefinitionError(file: file, reason: "YAML syntax error: \(error)")
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        case .reader(_, let offset?, _, let yaml):
            // offset counts characters of `yaml`
            return 1 + yaml.prefix(offset).reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        default:
            return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            if let context { return "\(problem) (\(context.text))" }
            return problem
        case .reader(let problem, _, _, _):
            return problem
        default:
            return "\(error)"
        }
    }

    /// The line where `key`, first said at `first`, is said again in the same mapping: in a block mapping, a
    /// later line at the key's column before the mapping ends (a line indented less); in a flow mapping, later
    /// on the same line after a `,`. nil when not found this way (e.g. a flow mapping over several lines).
    static func repeatLine(of key: String, first: Mark, in text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard !key.isEmpty, first.line >= 1, first.line <= lines.count, first.column >= 1 else { return nil }
        func saysKey(_ s: Substring) -> Bool {
            for written in [key, "\"\(key)\"", "'\(key)'"] where s.hasPrefix(written) {
                if s.dropFirst(written.count).drop(while: { $0 == " " || $0 == "\t" }).first == ":" { return true }
            }
            return false
        }
        // flow mapping: `{a: 1, a: 2}`
        let line = lines[first.line - 1].unicodeScalars
        if first.column - 1 < line.count {
            var rest = Substring(String(line.dropFirst(first.column - 1 + key.unicodeScalars.count)))
            while let comma = rest.firstIndex(of: ",") {
                rest = rest[rest.index(after: comma)...]
                if saysKey(rest.drop(while: { $0 == " " || $0 == "\t" })) { return first.line }
            }
        }
        // block mapping: the key again at the same column
        let indent = first.column - 1
        for n in first.line..<lines.count {
            let body = lines[n].drop(while: { $0 == " " })
            if body.isEmpty || body.hasPrefix("#") { continue }
            let lineIndent = lines[n].count - body.count
            if lineIndent < indent { return nil }
            if lineIndent == indent, saysKey(body) { return n + 1 }
        }
        return nil
    }

    public var line: Int? { node.mark?.line }

    public func error(_ reason: String, field: String? = nil) -> DefinitionError {
        DefinitionError(file: file, line: line, field: field ?? (path.isEmpty ? nil : path), reason: reason)
    }

    private func child(_ node: Node, _ key: String) -> YAMLNode {
        YAMLNode(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)", strict: strict)
    }

    // MARK: mappings

    public var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    public var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    public var isScalar: Bool { if case .scalar = node { return true } else { return false } }

    public func mapping() throws -> [(key: String, value: YAMLNode)] {
        guard case .mapping(let map) = node else { throw error("expected a mapping (key: value)") }
        return try map.map { pair in
            guard let key = pair.key.string else {
                throw YAMLNode(node: pair.key, file: file, path: path).error("a key must be text")
            }
            return (key, child(pair.value, key))
        }
    }

    /// Refuses keys outside `allowed`, so a typo (`wieght:`) is an error rather than a silent default.
    public func checkKeys(_ allowed: Set<String>) throws {
        for (key, value) in try mapping() where !allowed.contains(key) {
            throw DefinitionError(file: file, line: value.line, field: path.isEmpty ? key : "\(path).\(key)",
                                  reason: "unknown key '\(key)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    public func optional(_ key: String) throws -> YAMLNode? {
        guard case .mapping(let map) = node else { throw error("expected a mapping (key: value)") }
        guard let value = map[key] else { return nil }
        if case .scalar(let s) = value, s.style == .plain, s.string == "" || s.string == "~" || s.string == "null" {
            // a key written without any value (`critical:`) is a slip, not "absent": a red-line item silently
            // not critical, an item silently without its rule; `~` / `null` say "none" on purpose
            if strict && s.string == "" { throw child(value, key).error("'\(key)' has no value: give one, or leave the key out") }
            return nil
        }
        return child(value, key)
    }

    public func required(_ key: String) throws -> YAMLNode {
        guard let value = try optional(key) else { throw error("missing required key '\(key)'") }
        return value
    }

    // MARK: sequences

    public func sequence() throws -> [YAMLNode] {
        guard case .sequence(let seq) = node else { throw error("expected a list") }
        return seq.enumerated().map { index, node in
            YAMLNode(node: node, file: file, path: "\(path)[\(index)]", strict: strict)
        }
    }

    // MARK: scalars

    public func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text") }
        return scalar.string
    }

    public func nonEmptyString() throws -> String {
        let value = try string().trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw error("must not be empty") }
        return value
    }

    /// The largest magnitude a number in a rubric or scheme may have (weights, points, scales, KPI bounds,
    /// bonuses), and the smallest non-zero one: beyond them the decimal arithmetic of scores and appraisals
    /// cannot carry the value exactly (1e-300 or 1e308 as a weight), and no real form or scheme needs them.
    public static let largestNumber = 1e9, smallestNumber = 1e-9

    /// A plain decimal number (`12`, `-0.5`, `1.5e3`; not hexadecimal, not quoted text) within ±`largestNumber`.
    public func double() throws -> Double {
        guard case .scalar(let scalar) = node else { throw error("expected a number, found a non-scalar") }
        guard scalar.style == .plain else {
            throw error("expected a number, found the quoted text '\(scalar.string)'"
                        + (Double(scalar.string) != nil ? " (write the number without quotes)" : ""))
        }
        guard let value = PlainDecimal.parse(scalar.string), value.isFinite else {
            throw error("expected a number, found '\(scalar.string)'")
        }
        guard abs(value) <= Self.largestNumber, value == 0 || abs(value) >= Self.smallestNumber else {
            throw error("\(scalar.string) is out of range: numbers here are between -1000000000 and 1000000000, and 0 or at least 0.000000001 in size")
        }
        return value
    }

    public func int() throws -> Int {
        guard case .scalar(let scalar) = node else { throw error("expected a whole number, found a non-scalar") }
        guard scalar.style == .plain else {
            throw error("expected a whole number, found the quoted text '\(scalar.string)'"
                        + (Int(scalar.string) != nil ? " (write the number without quotes)" : ""))
        }
        guard let value = Int(scalar.string) else { throw error("expected a whole number, found '\(scalar.string)'") }
        return value
    }

    public func bool() throws -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { throw error("expected true or false") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found '\(scalar.string)'")
        }
    }

    public func stringList() throws -> [String] {
        if isScalar {
            // one text where a list goes: `phrases: 欢迎致电，欢迎来电` was one phrase that never matched
            let text = try string()
            if strict, text.contains(where: { $0 == "," || $0 == "，" || $0 == "、" }) {
                throw error("'\(text)' is one text; a list is written [a, b] (a phrase with a comma goes in brackets: [\"\(text)\"])")
            }
            return [text]
        }
        return try sequence().map { try $0.string() }
    }

    public func doubleList() throws -> [Double] {
        try sequence().map { try $0.double() }
    }
}

