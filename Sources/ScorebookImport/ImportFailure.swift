import ScorebookCore

/// The one error an import reports: file, line, field and reason (see `DefinitionError`).
typealias ImportFailure = DefinitionError

extension DefinitionError {
    init(file: String, line: Int, _ error: Error) {
        if let field = error as? FieldError {
            self.init(file: file, line: line, field: field.field, reason: field.reason)
        } else if let definition = error as? DefinitionError {
            self = definition
        } else {
            self.init(file: file, line: line, reason: "\(error)")
        }
    }
}

/// What an import loaded.
public struct ImportSummary: Equatable {
    public var file: String
    public var records: Int
    public var transcripts: Int
    public var periods: [String]

    public var description: String {
        var text = "imported \(records) record\(records == 1 ? "" : "s") from \(file)"
        if transcripts > 0 { text += " (\(transcripts) with transcripts)" }
        if !periods.isEmpty { text += "; periods \(periods.joined(separator: ", "))" }
        return text
    }
}
