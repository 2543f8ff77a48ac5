import Foundation
import Yams

/// Typed, line-aware reading of a YAML document. Every accessor throws a `DefinitionError` that names
/// the file, the line of the offending node and its path (e.g. `sections[1].items[0].points`).
public struct YAMLNode {
    public let node: Node
    public let file: String
    public let path: String

    public init(node: Node, file: String, path: String = "") {
        self.node = node
        self.file = file
        self.path = path
    }

    /// Parses YAML text; a syntax error becomes a `DefinitionError` with the line Yams reports.
    public static func parse(_ text: String, file: String) throws -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw DefinitionError(file: file, line: 1, reason: "the file is empty")
            }
            return YAMLNode(node: node, file: file)
        } catch let error as DefinitionError {
            throw error
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
        case .reader(_, _, _, _):
            return nil
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
        default:
            return "\(error)"
        }
    }

    public var line: Int? { node.mark?.line }

    public func error(_ reason: String, field: String? = nil) -> DefinitionError {
        DefinitionError(file: file, line: line, field: field ?? (path.isEmpty ? nil : path), reason: reason)
    }

    private func child(_ node: Node, _ key: String) -> YAMLNode {
        YAMLNode(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
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
            YAMLNode(node: node, file: file, path: "\(path)[\(index)]")
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

    public func double() throws -> Double {
        guard case .scalar(let scalar) = node, scalar.style == .plain,
              let value = Double(scalar.string), value.isFinite else {
            throw error("expected a number, found '\((try? string()) ?? "a non-scalar")'")
        }
        return value
    }

    public func int() throws -> Int {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            throw error("expected a whole number, found '\((try? string()) ?? "a non-scalar")'")
        }
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
        if isScalar { return [try string()] }
        return try sequence().map { try $0.string() }
    }

    public func doubleList() throws -> [Double] {
        try sequence().map { try $0.double() }
    }
}

