/// The scored result of one item in one inspection.
public struct ItemScore: Sendable, Equatable {
    public var itemID: String
    public var answer: Answer?
    /// nil when the item is N/A or unanswered: it counts in neither Σ earned nor Σ max.
    public var earned: Double?
    public var max: Double?
    public var failed: Bool { if let earned, let max { return earned < max } else { return false } }
}

public struct SectionScore: Sendable, Equatable {
    public var sectionID: String
    public var dimension: Dimension
    public var weight: Double
    /// 0–100, nil when every item of the section is N/A (or unanswered).
    public var score: Double?
    /// A `critical: section` item of this section failed, which set the score to 0.
    public var criticalFailed: Bool
}

/// Scores of one inspection, unrounded (rounding happens only for display and export).
public struct InspectionScore: Sendable, Equatable {
    /// 0–100, nil when every section is N/A; 0 when a `critical: form` item failed.
    public var score: Double?
    public var dimensions: [Dimension: Double]
    /// A `critical: form` item failed (红线).
    public var criticalFailed: Bool
    public var sections: [SectionScore]
    public var items: [ItemScore]

    public func dimension(_ dimension: Dimension) -> Double? { dimensions[dimension] }
}

/// The inspection-score formulas of DESIGN.md ("Inspection score").
public enum InspectionScoring {
    /// Scores `answers` (item id → answer) against `rubric`. Items missing from `answers` are treated as
    /// unanswered: they count in neither sum. `deductions` optionally gives the points a deduction item
    /// loses (severity-weighted automatic findings); otherwise `per × occurrences`.
    /// The answers must already be validated (see `validate`).
    public static func score(_ rubric: Rubric, answers: [String: Answer],
                             deductions: [String: Double] = [:]) -> InspectionScore {
        let ids = rubric.items.map(\.id)
        return score(rubric, details: true, answer: { answers[ids[$0]] },
                     deducted: { deductions.isEmpty ? nil : deductions[ids[$0]] })
    }

    /// The same formulas with the answers given by position in `rubric.items` (the automatic inspection's
    /// form: no hashing of item ids, which matters at a million sessions). `itemDeductions` is empty or
    /// parallel to the items. `details: false` leaves `sections` and `items` empty (the scores are the same).
    public static func score(_ rubric: Rubric, itemAnswers: [Answer], itemDeductions: [Double?],
                             details: Bool = true) -> InspectionScore {
        score(rubric, details: details, answer: { itemAnswers[$0] },
              deducted: { itemDeductions.isEmpty ? nil : itemDeductions[$0] })
    }

    /// The formulas, once. Items are numbered in `rubric.items` order: `answer(n)` is item n's answer (nil:
    /// unanswered), `deducted(n)` the points it loses when given (else `per × occurrences`).
    private static func score(_ rubric: Rubric, details: Bool, answer answerOf: (Int) -> Answer?,
                              deducted: (Int) -> Double?) -> InspectionScore {
        var itemScores: [ItemScore] = []
        var sectionScores: [SectionScore] = []
        if details {
            itemScores.reserveCapacity(rubric.sections.reduce(0) { $0 + $1.items.count })
            sectionScores.reserveCapacity(rubric.sections.count)
        }
        var formCritical = false
        // Σ(weight × score) and Σ weight over the sections that are not N/A: the whole form, then per dimension
        var weighted = 0.0, weights = 0.0
        var dimensionWeighted = SIMD3<Double>(), dimensionWeights = SIMD3<Double>()  // by Dimension.ordinal

        var n = 0  // item number in rubric.items order
        for s in rubric.sections.indices {
            var earnedSum = 0.0
            var maxSum = 0.0
            var answered = false
            var sectionCritical = false
            // By index, not `for item in`: a RubricItem copy per item retains its strings and rule tree, and
            // this runs for every session of a full-coverage run.
            let items = rubric.sections[s].items
            for k in items.indices {
                defer { n += 1 }
                let answer = answerOf(n)
                var earnedPoints: Double? = nil
                if let answer, answer != .na {
                    let earned = RubricItem.earned(type: items[k].type, points: items[k].points, per: items[k].per,
                                                   answer, deducted: deducted(n))
                    let points = items[k].points
                    earnedPoints = earned
                    earnedSum += earned
                    maxSum += points
                    answered = true
                    if earned < points {
                        let critical = items[k].critical
                        if critical == .section { sectionCritical = true }
                        if critical == .form { formCritical = true }
                    }
                }
                if details {
                    itemScores.append(ItemScore(itemID: items[k].id, answer: answer, earned: earnedPoints,
                                                max: earnedPoints == nil ? nil : items[k].points))
                }
            }
            var score: Double? = answered ? 100 * earnedSum / maxSum : nil
            if sectionCritical { score = 0 }
            let weight = rubric.sections[s].weight, dimension = rubric.sections[s].dimension
            if let score {
                weighted += weight * score
                weights += weight
                dimensionWeighted[dimension.ordinal] += weight * score
                dimensionWeights[dimension.ordinal] += weight
            }
            if details {
                sectionScores.append(SectionScore(sectionID: rubric.sections[s].id, dimension: dimension,
                                                  weight: weight, score: score, criticalFailed: sectionCritical))
            }
        }

        var dimensions: [Dimension: Double] = [:]
        for dimension in [Dimension.compliance, .accuracy, .etiquette] where dimensionWeights[dimension.ordinal] > 0 {
            dimensions[dimension] = dimensionWeighted[dimension.ordinal] / dimensionWeights[dimension.ordinal]
        }
        var total: Double? = weights > 0 ? weighted / weights : nil
        if formCritical { total = 0 }
        return InspectionScore(score: total, dimensions: dimensions, criticalFailed: formCritical,
                               sections: sectionScores, items: itemScores)
    }

    /// Validates raw answers against the rubric: unknown item ids and values the item does not allow.
    public static func validate(_ rubric: Rubric, answers: [String: Answer]) throws {
        for (itemID, answer) in answers.sorted(by: { $0.key < $1.key }) {
            guard let item = rubric.item(itemID) else {
                throw AnswerError(item: itemID, reason: "unknown item id (rubric \(rubric.id) v\(rubric.version))")
            }
            try item.validate(answer)
        }
    }
}

private extension Dimension {
    /// Position in the per-dimension sums of `InspectionScoring` (no array of allCases per session).
    var ordinal: Int {
        switch self {
        case .compliance: return 0
        case .accuracy: return 1
        case .etiquette: return 2
        }
    }
}
