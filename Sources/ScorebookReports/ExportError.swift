/// Why a workbook could not be written: no appraisals, a period not finalized, an output folder missing.
/// One line, for the CLI's `Error:` and the web app's error page alike.
public struct ExportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
