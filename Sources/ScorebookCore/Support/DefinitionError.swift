/// An error in a definition file (rubric, scheme) or an input record: it names the file, the line
/// (when known), the field or item, and the reason, so a user can fix the input without guessing.
public struct DefinitionError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var field: String?
    public var reason: String

    public init(file: String, line: Int? = nil, field: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if let field, !field.isEmpty { where_ += ": \(field)" }
        return "\(where_): \(reason)"
    }
}
