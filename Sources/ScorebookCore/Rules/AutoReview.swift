/// A stored automatic finding and whether an inspector rejected it in review (复核).
public struct ReviewedFinding: Sendable, Equatable {
    public var itemID: String
    public var severity: Severity?
    public var rejected: Bool

    public init(itemID: String, severity: Severity?, rejected: Bool) {
        self.itemID = itemID
        self.severity = severity
        self.rejected = rejected
    }
}

/// Recomputes an automatic inspection's answers after review: a rejected finding stops counting, and each
/// item gets what its rule gives for the findings still standing (`AutoRule.holdsAfterReview`: the
/// operator's `allow:` applies), answered and scored as the evaluator does (`AutoAnswer`). So a deduction item
/// with `allow: 1` that failed with two findings passes (0 occurrences) once one is rejected, and one with
/// three keeps both standing ones; a failed yes/no or scale item passes again once its rule holds.
public enum AutoReview {
    public static func apply(_ rubric: Rubric, answers original: [String: Answer],
                             findings: [ReviewedFinding]) -> (answers: [String: Answer], deductions: [String: Double]) {
        var answers = original
        var deductions: [String: Double] = [:]
        let byItem = Dictionary(grouping: findings, by: \.itemID)
        for item in rubric.items {
            guard let rule = item.auto, answers[item.id] != .na else { continue }
            let all = byItem[item.id] ?? []
            // a yes/no or scale item without findings held: there is nothing to take back
            guard item.type == .deduction || !all.isEmpty else { continue }
            let standing = all.filter { !$0.rejected }
            let holds = rule.holdsAfterReview(standing: standing.count, conditions: rubric.conditions)
            let scored = AutoAnswer.of(item, holds: holds, findingSeverities: standing.lazy.map(\.severity))
            answers[item.id] = scored.answer
            if let lost = scored.deduction { deductions[item.id] = lost }
        }
        return (answers, deductions)
    }
}

/// What an automatic rule's outcome makes of an item (docs/RULES.md "From a rule to an answer"), shared by
/// the evaluator and review (复核): yes_no → yes / no; scale → its top level / its lowest; deduction → 0, or
/// one occurrence per finding, each losing its severity's points (the item's `severity:` table) or else `per`.
public enum AutoAnswer {
    /// The answer, and for a deduction item the points lost (nil for the other types).
    public static func of<S: Sequence>(type: ItemType, levels: [Double], points: Double, per: Double,
                                       severityPoints: SeverityPoints?, holds: Bool,
                                       findingSeverities: S) -> (answer: Answer, deduction: Double?) where S.Element == Severity? {
        switch type {
        case .yesNo:
            return (holds ? .yes : .no, nil)
        case .scale:
            return (.number(holds ? (levels.last ?? points) : (levels.first ?? 0)), nil)
        case .deduction:
            guard !holds else { return (.number(0), 0) }
            var count = 0, lost = 0.0
            for severity in findingSeverities {
                count += 1
                if let severity, let severityPoints { lost += severityPoints.points(for: severity) } else { lost += per }
            }
            return (.number(Double(count)), lost)
        }
    }

    public static func of<S: Sequence>(_ item: RubricItem, holds: Bool, findingSeverities: S) -> (answer: Answer, deduction: Double?)
        where S.Element == Severity? {
        of(type: item.type, levels: item.levels, points: item.points, per: item.per, severityPoints: item.severityPoints,
           holds: holds, findingSeverities: findingSeverities)
    }
}
