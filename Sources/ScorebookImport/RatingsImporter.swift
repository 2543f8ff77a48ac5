import Foundation
import GRDB
import ScorebookCore
import ScorebookStore

/// Imports ratings (CSV, or the .xlsx template Scorebook writes) in one transaction. Scales per source come
/// from the appraisal scheme. The rated employee must be an agent; raters of self, peer and supervisor rows
/// must be on the roster (a supervisor row's rater a supervisor, a peer row's an agent, neither the ratee); a
/// customer row's rater is a survey response id.
public enum RatingsImporter {
    @discardableResult
    public static func importFile(_ path: String, into store: Store, scales: [RatingSource: ClosedRange<Double>],
                                  actor: String) throws -> ImportSummary {
        try importRecords(path, into: store, scales: scales, actor: actor, skipBlankScores: false) { body in
            try CSVTable.read(path: path, columns: RatingRecord.columns, body: body)
        }
    }

    /// Imports ratings records from any tabular source (`records` calls its argument with each record's line
    /// or row number and fields, and reports its own file-level errors). Used for the .xlsx template, which
    /// the CLI reads with the workbook adapter (this target does not depend on it). With `skipBlankScores`,
    /// a record whose score is blank is skipped rather than rejected: a team lead may leave rows of the
    /// template empty. Everything is written in one transaction, or nothing.
    @discardableResult
    public static func importRecords(_ path: String, into store: Store, scales: [RatingSource: ClosedRange<Double>],
                                     actor: String, skipBlankScores: Bool,
                                     records: (_ body: (Int, RecordFields) throws -> Void) throws -> Void) throws -> ImportSummary {
        try store.write { db in
            let roster = try Employees.ids(db)
            let insert = try Ratings.writer(db)
            var periods = OpenPeriods(doing: "import ratings into it", field: "period")
            var count = 0
            var skipped = 0
            let add: (Int, RecordFields) throws -> Void = { line, fields in
                if skipBlankScores, fields.text("score").trimmingCharacters(in: .whitespaces).isEmpty {
                    skipped += 1
                    return
                }
                let rating = try RatingRecord.parse(fields, scales: scales)
                guard roster[rating.employeeID] != nil else {
                    throw FieldError(field: "employee_id", reason: "unknown employee '\(rating.employeeID)' (not on the roster)")
                }
                if rating.source != .customer, roster[rating.raterID] == nil {
                    throw FieldError(field: "rater_id", reason: "unknown rater '\(rating.raterID)' (not on the roster)")
                }
                // appraisals rate agents: a rating of anyone else would be stored and never used
                if let role = roster[rating.employeeID], role != .agent {
                    throw FieldError(field: "employee_id", reason: "'\(rating.employeeID)' is \(role.inSentence) on the roster, not an agent: only agents are appraised and rated")
                }
                // the web form and the template give supervisor ratings to supervisors only; so does a file
                if rating.source == .supervisor, let role = roster[rating.raterID], role != .supervisor {
                    throw FieldError(field: "rater_id", reason: "'\(rating.raterID)' is \(role.inSentence) on the roster, not a supervisor: supervisor ratings are given by supervisors")
                }
                // peer ratings (同事评价) come from fellow agents, as on the web form
                if rating.source == .peer, let role = roster[rating.raterID], role != .agent {
                    throw FieldError(field: "rater_id", reason: "'\(rating.raterID)' is \(role.inSentence) on the roster, not an agent: peer ratings are given by fellow agents")
                }
                try periods.check(db, rating.period)
                do {
                    try insert(rating)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw FieldError(field: "rater_id", reason: "duplicate rating (\(rating.period), \(rating.employeeID), \(rating.source.rawValue), \(rating.raterID), \(rating.criterion)) earlier in this file or already imported")
                }
                // each rating by value, under the same id as a rating entered on the web (`Ratings.save`)
                try AuditLog.append(db, actor: actor, action: "import", entity: "rating",
                                    entityID: "\(rating.period)/\(rating.employeeID)/\(rating.source.rawValue)/\(rating.raterID)/\(rating.criterion)",
                                    before: Nothing?.none, after: ["score": rating.score],
                                    reason: "\((path as NSString).lastPathComponent) line \(line)")
                count += 1
            }
            try records { line, fields in
                do { try add(line, fields) } catch { throw ImportFailure(file: path, line: line, error) }
            }
            try AuditLog.append(db, actor: actor, action: "import", entity: "ratings", entityID: (path as NSString).lastPathComponent,
                                before: Nothing?.none, after: ["rows": String(count), "skipped_blank": String(skipped),
                                                                  "periods": periods.periods.joined(separator: ",")])
            return ImportSummary(file: path, records: count, transcripts: 0, periods: periods.periods, skippedBlank: skipped)
        }
    }
}
