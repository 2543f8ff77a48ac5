/// Validation of one ratings.csv record (`period,employee_id,source,rater_id,criterion,score`).
/// Roster membership and duplicates are checked by the importer, which knows the database.
public enum RatingRecord {
    public static let columns = ["period", "employee_id", "source", "rater_id", "criterion", "score"]

    /// `scales` gives each source's [min, max] (from the appraisal scheme).
    public static func parse(_ fields: RecordFields, scales: [RatingSource: ClosedRange<Double>]) throws -> Rating {
        let period = try fields.required("period")
        guard Timestamp.isPeriod(period) else {
            throw FieldError(field: "period", reason: "'\(period)' is not a period YYYY-MM")
        }
        let employee = try fields.identifier("employee_id")
        let sourceText = try fields.required("source")
        guard let source = RatingSource(rawValue: sourceText.lowercased()) else {
            throw FieldError(field: "source", reason: "'\(sourceText)' is not self, peer, supervisor or customer")
        }
        let rater = try fields.identifier("rater_id")
        let criterion = try fields.identifier("criterion")
        guard let score = try fields.optionalNumber("score", min: -Double.greatestFiniteMagnitude) else {
            throw FieldError(field: "score", reason: "is empty")
        }
        guard let scale = scales[source] else {
            throw FieldError(field: "source", reason: "the scheme has no scale for \(source.rawValue) ratings")
        }
        guard scale.contains(score) else {
            throw FieldError(field: "score", reason: "\(format(score)) is outside the \(source.rawValue) scale \(format(scale.lowerBound))–\(format(scale.upperBound))")
        }
        switch source {
        case .self where rater != employee:
            throw FieldError(field: "rater_id", reason: "a self rating's rater must be the ratee '\(employee)', found '\(rater)'")
        case .peer where rater == employee:
            throw FieldError(field: "rater_id", reason: "a peer rating of oneself ('\(rater)') is not allowed")
        case .supervisor where rater == employee:
            throw FieldError(field: "rater_id", reason: "a supervisor rating of oneself ('\(rater)') is not allowed")
        default:
            break
        }
        return Rating(period: period, employeeID: employee, source: source, raterID: rater, criterion: criterion, score: score)
    }
}
