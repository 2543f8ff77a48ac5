import Foundation

/// Whether a result carries a grade.
public enum AppraisalStatus: String, Sendable, Codable {
    /// A final score, a grade and a bonus coefficient.
    case graded
    /// Monthly: no component present at all — no final score, no grade, no coefficient; every component is
    /// listed in `missing`. HR must not read it as a zero.
    case noData = "no_data"
    /// Annual: fewer months with a final score than the scheme's `min_months` — listed, not graded.
    case incomplete
}

/// The appraisal of one agent for one period (`YYYY-MM`, or `YYYY` for annual). Codable as the JSON the CLI
/// prints and the store persists: `employee_id`, `period`, `components` (name → unrounded number or null),
/// `final_score` (ROUNDED), `final_score_unrounded`, `grade`, `bonus_coefficient`, `missing`, ...
public struct AppraisalResult: Sendable, Equatable, Codable {
    public var employeeID: String
    public var team: String
    public var period: String
    public var schemeID: String
    public var schemeVersion: Int
    public var kind: SchemeKind
    public var status: AppraisalStatus
    /// Every component of the scheme (annual: `m01` … `m12`), unrounded, `nil` when missing.
    public var components: [String: Double?]
    /// The missing components in scheme order (annual: the months without a final score).
    public var missing: [String]
    /// Σ(w×c)/Σw over the present components (annual: mean of the monthly finals), unrounded.
    public var finalScoreUnrounded: Double?
    /// Rounded half-up to 2 decimals; the grade is read from it.
    public var finalScore: Double?
    /// The grade after any forced-distribution move.
    public var grade: String?
    public var gradeLabel: String?
    public var bonusCoefficient: Double?
    /// Empty unless forced distribution moved the agent down (one entry per step).
    public var forcedMoves: [ForcedMove]
    /// The qa figure that breaks ties in a forced distribution (monthly: the qa component; annual: the mean
    /// of the monthly qa components).
    public var tieBreakQA: Double?
    public var explanation: Explanation

    enum CodingKeys: String, CodingKey {
        case employeeID = "employee_id", team, period, schemeID = "scheme_id", schemeVersion = "scheme_version", kind,
             status, components, missing, finalScoreUnrounded = "final_score_unrounded", finalScore = "final_score", grade,
             gradeLabel = "grade_label", bonusCoefficient = "bonus_coefficient", forcedMoves = "forced_moves", tieBreakQA = "tie_break_qa", explanation
    }

    /// The component columns of a listing of `results`: in the order their scheme gives them (the
    /// explanation's order), else — results without an explanation — the names sorted.
    public static func componentOrder(_ results: [AppraisalResult]) -> [String] {
        if let first = results.first?.explanation.components.map(\.name), !first.isEmpty { return first }
        return Array(Set(results.flatMap { $0.components.keys })).sorted()
    }

    /// The grade the score itself reached, before any forced distribution.
    public var bandGrade: String? { explanation.band?.grade }

    /// A value of an HR Import column (`HRColumn.id`), for the workbook and CSV writers: `Double` for numbers,
    /// `String` for text, `nil` for an empty cell. `name` is not known to the core and is passed in.
    public func hrValue(_ column: String, name: String) -> HRCell {
        switch column {
        case "employee_id": return .text(employeeID)
        case "name": return .text(name)
        case "team": return .text(team)
        case "period": return .text(period)
        case "final_score": return finalScore.map(HRCell.number) ?? .empty
        case "final_score_unrounded": return finalScoreUnrounded.map(HRCell.number) ?? .empty
        case "grade": return grade.map(HRCell.text) ?? .empty
        case "grade_label": return gradeLabel.map(HRCell.text) ?? .empty
        case "bonus_coefficient": return bonusCoefficient.map(HRCell.number) ?? .empty
        case "missing": return .text(missing.joined(separator: ","))
        case "status": return .text(status.rawValue)
        case "forced_distribution":
            return forcedMoves.isEmpty ? .empty : .text(forcedMoves.map { "\($0.from)→\($0.to)" }.joined(separator: ","))
        case "months": return .number(Double(components.values.compactMap { $0 }.count))
        default:
            if let value = components[column] { return value.map(HRCell.number) ?? .empty }
            return .empty
        }
    }
}

/// One cell of the HR Import sheet.
public enum HRCell: Sendable, Equatable {
    case number(Double)
    case text(String)
    case empty
}

/// A forced-distribution move of one agent down one grade.
public struct ForcedMove: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    /// The group the limit applied to (the team, or "center").
    public var group: String
    /// Graded agents in the group.
    public var groupSize: Int
    public var maxShare: Double
    /// floor(max_share × group size).
    public var allowed: Int
    /// Agents in grade `from` before the cut (including ones moved into it).
    public var candidates: Int
    /// The agent's rank in grade `from` (1 = highest; ties by higher qa, then employee id).
    public var rank: Int
    public var reason: String

    public init(from: String, to: String, group: String, groupSize: Int, maxShare: Double, allowed: Int,
                candidates: Int, rank: Int, reason: String) {
        self.from = from
        self.to = to
        self.group = group
        self.groupSize = groupSize
        self.maxShare = maxShare
        self.allowed = allowed
        self.candidates = candidates
        self.rank = rank
        self.reason = reason
    }
}

/// How one result was reached: the inputs of every component, the weights used, the rounding and the band.
public struct Explanation: Sendable, Equatable, Codable {
    public var employeeID: String
    public var period: String
    public var schemeID: String
    public var schemeVersion: Int
    public var kind: SchemeKind
    public var components: [ComponentExplanation]
    /// Monthly: the weights of all components, with the share actually used (0 for a missing one).
    public var weights: [WeightShare]
    /// Annual: the months of the year.
    public var months: [MonthExplanation]?
    public var minMonths: Int?
    public var finalScoreUnrounded: Double?
    public var finalScore: Double?
    /// The band the rounded score reached (before forced distribution).
    public var band: GradeBand?
    public var forcedMoves: [ForcedMove]
    public var status: AppraisalStatus
}

public struct WeightShare: Sendable, Equatable, Codable {
    public var component: String
    public var label: String
    /// The weight as written in the scheme.
    public var weight: Double
    public var present: Bool
    /// weight / Σ weights of the present components (0 when missing).
    public var share: Double
    /// share × component value: the points this component contributed to the final score.
    public var contribution: Double?
}

public struct ComponentExplanation: Sendable, Equatable, Codable {
    public var name: String
    public var label: String
    public var value: Double?
    /// Why it is missing (Chinese / English), `nil` when present.
    public var missingReason: String?
    public var qa: QAExplanation?
    public var rating: RatingExplanation?
    public var kpi: KPIExplanation?
}

public struct QAExplanation: Sendable, Equatable, Codable {
    public struct Mode: Sendable, Equatable, Codable {
        public var mode: InspectionMode
        public var weight: Double?
        public var count: Int
        public var mean: Double?
        /// False when the scheme does not count this mode (its inspections are ignored).
        public var counted: Bool
    }
    public var modes: [Mode]
}

public struct RatingExplanation: Sendable, Equatable, Codable {
    public struct Rater: Sendable, Equatable, Codable {
        /// The rater's id; peer raters are anonymized (`同事1`, `同事2`, … by descending value) because a
        /// ratee never sees who rated them.
        public var rater: String
        public var criteria: Int
        /// Mean of the rater's normalized criterion scores.
        public var value: Double
        public var trimmed: Bool
    }
    public var source: RatingSource
    public var scaleMin: Double
    public var scaleMax: Double
    public var raters: [Rater]
    public var minRaters: Int?
    public var trimAt: Int?
    /// Customer: responses counted (csat + customer rating rows), and the split.
    public var responses: Int?
    public var csatResponses: Int?
    public var ratingResponses: Int?
    public var minResponses: Int?
    /// Customer: mean of the raw scores; rater-based: nil.
    public var rawMean: Double?
}

public struct KPIExplanation: Sendable, Equatable, Codable {
    public struct ChannelPart: Sendable, Equatable, Codable {
        /// `nil` for the pooled value of a scheme without per-channel bounds.
        public var channel: Channel?
        /// Sessions for first-contact resolution; sessions having the time for the time KPIs.
        public var count: Int
        /// Resolved sessions, or the sum of seconds.
        public var numerator: Double
        public var value: Double
        public var worst: Double
        public var target: Double
        /// 100 × (value − worst)/(target − worst) before clamping, and after.
        public var unclamped: Double
        public var mapped: Double
    }
    public var kpi: KPIKind
    public var perChannel: Bool
    public var minSessions: Int
    public var parts: [ChannelPart]
}

public struct MonthExplanation: Sendable, Equatable, Codable {
    public var period: String
    public var finalScore: Double?
}
