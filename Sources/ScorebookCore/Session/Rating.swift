/// Who gave a rating (自评 / 同事评价 / 上级评价 / 客户评价).
public enum RatingSource: String, Sendable, CaseIterable, Codable {
    case `self`, peer, supervisor, customer
}

/// One row of ratings.csv: a rater's score of an employee on one criterion for a period (`YYYY-MM`).
/// For `customer` rows the rater id is a survey response id, not an employee.
public struct Rating: Sendable, Equatable {
    public var period: String
    public var employeeID: String
    public var source: RatingSource
    public var raterID: String
    public var criterion: String
    public var score: Double

    public init(period: String, employeeID: String, source: RatingSource, raterID: String, criterion: String, score: Double) {
        self.period = period
        self.employeeID = employeeID
        self.source = source
        self.raterID = raterID
        self.criterion = criterion
        self.score = score
    }
}
