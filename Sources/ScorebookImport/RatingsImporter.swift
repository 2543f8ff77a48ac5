import Foundation
import GRDB
import ScorebookCore
import ScorebookStore

/// Imports ratings (CSV, or the .xlsx template Scorebook writes) in one transaction. Scales per source come
/// from the appraisal scheme. Raters of self, peer and supervisor rows must be on the roster; a customer
/// row's rater is a survey response id.
public enum RatingsImporter {
    @discardableResult
    public static func importFile(_ path: String, into store: Store, scales: [RatingSource: ClosedRange<Double>],
                                  actor: String) throws -> ImportSummary {
        try store.write { db in
            let roster = try Employees.ids(db)
            let insert = try Ratings.writer(db)
            var periods = OpenPeriods(doing: "import ratings into it", field: "period")
            var count = 0
            let add: (Int, RecordFields) throws -> Void = { line, fields in
                let rating = try RatingRecord.parse(fields, scales: scales)
                guard roster[rating.employeeID] != nil else {
                    throw FieldError(field: "employee_id", reason: "unknown employee '\(rating.employeeID)' (not on the roster)")
                }
                if rating.source != .customer, roster[rating.raterID] == nil {
                    throw FieldError(field: "rater_id", reason: "unknown rater '\(rating.raterID)' (not on the roster)")
                }
                try periods.check(db, rating.period)
                do {
                    try insert(rating)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw FieldError(field: "rater_id", reason: "duplicate rating (\(rating.period), \(rating.employeeID), \(rating.source.rawValue), \(rating.raterID), \(rating.criterion)) earlier in this file or already imported")
                }
                count += 1
            }
            try CSVTable.read(path: path, columns: RatingRecord.columns, body: add)
            try AuditLog.append(db, actor: actor, action: "import", entity: "ratings", entityID: (path as NSString).lastPathComponent,
                                before: Nothing?.none, after: ["rows": String(count), "periods": periods.periods.joined(separator: ",")])
            return ImportSummary(file: path, records: count, transcripts: 0, periods: periods.periods)
        }
    }
}
