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

/// Recomputes an automatic inspection's answers after review: a rejected finding stops counting.
///
/// The rule engine answers a deduction item with one occurrence per finding (each losing its severity's
/// points, or `per`), and fails a yes/no or scale item with its findings as the evidence. So after review:
/// a deduction item counts only the findings still standing; a failed yes/no or scale item passes again
/// (yes / its top level) once every one of its findings is rejected.
public enum AutoReview {
    public static func apply(_ rubric: Rubric, answers original: [String: Answer],
                             findings: [ReviewedFinding]) -> (answers: [String: Answer], deductions: [String: Double]) {
        var answers = original
        var deductions: [String: Double] = [:]
        let byItem = Dictionary(grouping: findings, by: \.itemID)
        for item in rubric.items where item.auto != nil {
            let all = byItem[item.id] ?? []
            let standing = all.filter { !$0.rejected }
            switch item.type {
            case .deduction:
                guard answers[item.id] != .na else { continue }
                answers[item.id] = .number(Double(standing.count))
                deductions[item.id] = standing.reduce(0) { sum, f in
                    if let s = f.severity, let points = item.severityPoints { return sum + points.points(for: s) }
                    return sum + item.per
                }
            case .yesNo:
                if answers[item.id] == .no, !all.isEmpty, standing.isEmpty { answers[item.id] = .yes }
            case .scale:
                if let top = item.levels.last, case .number(let v)? = answers[item.id], v < top, !all.isEmpty, standing.isEmpty {
                    answers[item.id] = .number(top)
                }
            }
        }
        return (answers, deductions)
    }
}
