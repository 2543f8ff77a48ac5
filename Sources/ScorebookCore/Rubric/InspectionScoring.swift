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
        var itemScores: [ItemScore] = []
        itemScores.reserveCapacity(answers.count)
        var sectionScores: [SectionScore] = []
        sectionScores.reserveCapacity(rubric.sections.count)
        var formCritical = false

        for section in rubric.sections {
            var earnedSum = 0.0
            var maxSum = 0.0
            var answered = false
            var sectionCritical = false
            // By index, not `for item in`: a RubricItem copy per item retains its strings and rule tree, and
            // this runs for every session of a full-coverage run.
            for k in section.items.indices {
                let id = section.items[k].id
                let answer = answers[id]
                var result = ItemScore(itemID: id, answer: answer, earned: nil, max: nil)
                if let answer, answer != .na {
                    let earned = section.items[k].earned(answer, deducted: deductions.isEmpty ? nil : deductions[id])
                    let points = section.items[k].points
                    result.earned = earned
                    result.max = points
                    earnedSum += earned
                    maxSum += points
                    answered = true
                    if earned < points {
                        let critical = section.items[k].critical
                        if critical == .section { sectionCritical = true }
                        if critical == .form { formCritical = true }
                    }
                }
                itemScores.append(result)
            }
            var score: Double? = answered ? 100 * earnedSum / maxSum : nil
            if sectionCritical { score = 0 }
            sectionScores.append(SectionScore(sectionID: section.id, dimension: section.dimension,
                                              weight: section.weight, score: score, criticalFailed: sectionCritical))
        }

        var dimensions: [Dimension: Double] = [:]
        for dimension in Dimension.allCases {
            if let mean = weightedMean(sectionScores.filter { $0.dimension == dimension }) {
                dimensions[dimension] = mean
            }
        }
        var total = weightedMean(sectionScores)
        if formCritical { total = 0 }
        return InspectionScore(score: total, dimensions: dimensions, criticalFailed: formCritical,
                               sections: sectionScores, items: itemScores)
    }

    /// Σ(weight × score) / Σ weight over the sections that are not N/A; nil when all are N/A.
    static func weightedMean(_ sections: [SectionScore]) -> Double? {
        var weighted = 0.0
        var weights = 0.0
        for section in sections {
            guard let score = section.score else { continue }
            weighted += section.weight * score
            weights += section.weight
        }
        return weights > 0 ? weighted / weights : nil
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
