import Foundation

/// The latest score of one submitted inspection of the agent in the period.
public struct QAScore: Sendable, Equatable, Codable {
    public var mode: InspectionMode
    /// The inspection score, 0–100, unrounded.
    public var score: Double
    /// For the explanation only.
    public var inspectionID: String?

    public init(mode: InspectionMode, score: Double, inspectionID: String? = nil) {
        self.mode = mode
        self.score = score
        self.inspectionID = inspectionID
    }
}

/// One rating row of the agent for the period (as in ratings.csv, without period and ratee).
public struct RatingScore: Sendable, Equatable, Codable {
    public var source: RatingSource
    /// The rater's employee id; for `customer` rows the survey response id.
    public var raterID: String
    public var criterion: String
    public var score: Double

    public init(source: RatingSource, raterID: String, criterion: String, score: Double) {
        self.source = source
        self.raterID = raterID
        self.criterion = criterion
        self.score = score
    }

    public init(_ rating: Rating) {
        self.init(source: rating.source, raterID: rating.raterID, criterion: rating.criterion, score: rating.score)
    }
}

/// The agent's session figures of the period for one channel. Aggregates given twice for the same
/// channel are added together.
public struct ChannelKPIs: Sendable, Equatable, Codable {
    public var channel: Channel
    /// Number of sessions (the first-contact-resolution denominator).
    public var sessions: Int
    /// Sessions with `resolved` = 1.
    public var resolved: Int
    public var firstResponseSum: Double
    /// Sessions that have a first_response_seconds value.
    public var firstResponseCount: Int
    public var handleSum: Double
    /// Sessions that have a handle_seconds value.
    public var handleCount: Int
    /// The session csat answers (1–5), each one customer response on the customer scale.
    public var csat: [Double]

    public init(channel: Channel, sessions: Int, resolved: Int, firstResponseSum: Double = 0, firstResponseCount: Int = 0,
                handleSum: Double = 0, handleCount: Int = 0, csat: [Double] = []) {
        self.channel = channel
        self.sessions = sessions
        self.resolved = resolved
        self.firstResponseSum = firstResponseSum
        self.firstResponseCount = firstResponseCount
        self.handleSum = handleSum
        self.handleCount = handleCount
        self.csat = csat
    }

    /// Aggregates sessions (of one agent and period) per channel, in `Channel.allCases` order.
    public static func aggregate(_ sessions: [Session]) -> [ChannelKPIs] {
        var byChannel: [Channel: ChannelKPIs] = [:]
        for session in sessions {
            var entry = byChannel[session.channel] ?? ChannelKPIs(channel: session.channel, sessions: 0, resolved: 0)
            entry.sessions += 1
            if session.resolved == true { entry.resolved += 1 }
            if let value = session.firstResponseSeconds { entry.firstResponseSum += value; entry.firstResponseCount += 1 }
            if let value = session.handleSeconds { entry.handleSum += value; entry.handleCount += 1 }
            if let csat = session.csat { entry.csat.append(Double(csat)) }
            byChannel[session.channel] = entry
        }
        return Channel.allCases.compactMap { byChannel[$0] }
    }
}

/// Everything the monthly appraisal of one agent needs.
public struct MonthlyInput: Sendable, Equatable, Codable {
    public var employeeID: String
    /// The team (班组) — the forced-distribution group.
    public var team: String
    /// `YYYY-MM`.
    public var period: String
    public var inspections: [QAScore]
    public var ratings: [RatingScore]
    public var channels: [ChannelKPIs]

    public init(employeeID: String, team: String, period: String, inspections: [QAScore] = [],
                ratings: [RatingScore] = [], channels: [ChannelKPIs] = []) {
        self.employeeID = employeeID
        self.team = team
        self.period = period
        self.inspections = inspections
        self.ratings = ratings
        self.channels = channels
    }
}

/// One month of an agent's year, for the annual appraisal.
public struct MonthScore: Sendable, Equatable, Codable {
    /// `YYYY-MM`.
    public var period: String
    /// The UNROUNDED monthly final score; `nil` when the month had none.
    public var finalScore: Double?
    /// The month's qa component (tie-break of an annual forced distribution).
    public var qa: Double?

    public init(period: String, finalScore: Double?, qa: Double? = nil) {
        self.period = period
        self.finalScore = finalScore
        self.qa = qa
    }

    public init(_ result: AppraisalResult) {
        self.init(period: result.period, finalScore: result.finalScoreUnrounded, qa: result.components["qa"] ?? nil)
    }
}

/// Everything the annual appraisal of one agent needs.
public struct AnnualInput: Sendable, Equatable, Codable {
    public var employeeID: String
    public var team: String
    /// `YYYY`.
    public var year: String
    /// The agent's monthly results; months of other years are ignored; for a period given twice the last wins.
    public var months: [MonthScore]

    public init(employeeID: String, team: String, year: String, months: [MonthScore]) {
        self.employeeID = employeeID
        self.team = team
        self.year = year
        self.months = months
    }
}
