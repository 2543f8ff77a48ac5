/// One piece of evidence of an automatic rule, stored as a row and shown to the inspector (复核).
public struct Finding: Codable, Sendable, Equatable {
    public var itemID: String
    /// The operator kind that produced it (`phrases_forbidden`, `silence`, ...; `not` for a negation
    /// without more specific evidence).
    public var rule: String
    /// The named condition (`ref:`) the operator was reached through, else the rule's `name:`.
    public var ruleName: String?
    /// Index of the turn (0-based) the evidence is in, when it is about one turn.
    public var turnIndex: Int?
    /// Seconds from the session's start.
    public var at: Double?
    /// The matched words as written in the transcript (original, not normalized).
    public var matchedText: String?
    /// The measured number (gap seconds, characters per minute, field value, repetitions...).
    public var measured: Double?
    public var severity: Severity?
    public var message: String

    public init(itemID: String, rule: String, ruleName: String? = nil, turnIndex: Int? = nil, at: Double? = nil,
                matchedText: String? = nil, measured: Double? = nil, severity: Severity? = nil, message: String) {
        self.itemID = itemID
        self.rule = rule
        self.ruleName = ruleName
        self.turnIndex = turnIndex
        self.at = at
        self.matchedText = matchedText
        self.measured = measured
        self.severity = severity
        self.message = message
    }
}

/// A rule that could not be applied to a session (missing turn end times, missing metadata field, no
/// transcript): the item is N/A in that automatic inspection; the run's summary should count these.
public struct SkippedRule: Codable, Sendable, Equatable {
    public var itemID: String
    public var rule: String
    public var reason: String
}

/// The automatic inspection of one session. Answers are kept by position in the rubric's items (a
/// dictionary per session costs more than the rules at a million sessions); `answers` and `deductions` give
/// them by item id.
public struct AutoOutcome: Sendable, Equatable {
    /// The rubric's item ids in `rubric.items` order (one array shared by every outcome of an engine).
    public let itemIDs: [String]
    /// Every item of the rubric, in `itemIDs` order: auto items answered (or `.na` when skipped), items
    /// without a rule `.na`.
    public var itemAnswers: [Answer]
    /// Points lost by each deduction item whose rule applied (severity-weighted), nil for the others; in
    /// `itemIDs` order, for `InspectionScoring.score(_:itemAnswers:itemDeductions:)`.
    public var itemDeductions: [Double?]
    public var findings: [Finding]
    public var skipped: [SkippedRule]

    public init(itemIDs: [String]) {
        self.itemIDs = itemIDs
        itemAnswers = Array(repeating: .na, count: itemIDs.count)
        itemDeductions = Array(repeating: nil, count: itemIDs.count)
        findings = []
        skipped = []
    }

    /// item id → answer, for every item of the rubric.
    public var answers: [String: Answer] { Dictionary(uniqueKeysWithValues: zip(itemIDs, itemAnswers)) }

    /// item id → points lost, for the deduction items whose rule applied.
    public var deductions: [String: Double] {
        var out: [String: Double] = [:]
        for (id, points) in zip(itemIDs, itemDeductions) { if let points { out[id] = points } }
        return out
    }
}
