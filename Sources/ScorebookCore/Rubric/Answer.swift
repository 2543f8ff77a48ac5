import Foundation

/// One answer to a rubric item: yes/no, N/A, or a number (a scale level, or a deduction's occurrences).
public enum Answer: Sendable, Equatable, CustomStringConvertible {
    case yes
    case no
    case na
    case number(Double)

    /// Reads the text form used by answers.json and `--answer item=value`.
    public static func parse(_ text: String) -> Answer? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "yes", "y", "pass": return .yes
        case "no", "n", "fail": return .no
        case "na", "n/a": return .na
        default:
            guard let value = PlainDecimal.parse(text.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
            return .number(value)
        }
    }

    /// The stored text form: `yes`, `no`, `na` or the number.
    public var description: String {
        switch self {
        case .yes: return "yes"
        case .no: return "no"
        case .na: return "na"
        case .number(let value): return format(value)
        }
    }
}

/// Why an answer cannot be recorded for an item.
public struct AnswerError: Error, CustomStringConvertible, Equatable, Sendable {
    public var item: String
    public var reason: String
    public var description: String { "item '\(item)': \(reason)" }
}

extension RubricItem {
    /// Checks that `answer` is allowed for this item; returns the reason when it is not.
    public func validate(_ answer: Answer) throws {
        switch (type, answer) {
        case (_, .na):
            guard allowsNA else { throw AnswerError(item: id, reason: "N/A is not allowed for this item") }
        case (.yesNo, .yes), (.yesNo, .no):
            return
        case (.yesNo, .number(let value)):
            throw AnswerError(item: id, reason: "value \(format(value)) not allowed: a yes_no item takes yes or no")
        case (.scale, .number(let value)):
            guard levels.contains(value) else {
                throw AnswerError(item: id, reason: "value \(format(value)) not allowed: levels are \(levels.map(format).joined(separator: ", "))")
            }
        case (.scale, _):
            throw AnswerError(item: id, reason: "'\(answer)' not allowed: a scale item takes one of the levels \(levels.map(format).joined(separator: ", "))")
        case (.deduction, .number(let value)):
            guard value >= 0, value == value.rounded() else {
                throw AnswerError(item: id, reason: "value \(format(value)) not allowed: a deduction item takes a whole occurrence count ≥ 0")
            }
        case (.deduction, _):
            throw AnswerError(item: id, reason: "'\(answer)' not allowed: a deduction item takes an occurrence count")
        }
    }

    /// Earned points for a valid, non-N/A answer.
    public func earned(_ answer: Answer, deducted: Double? = nil) -> Double {
        Self.earned(type: type, points: points, per: per, answer, deducted: deducted)
    }

    /// The same from the item's fields (the scoring loop reads them in place rather than copying the item).
    static func earned(type: ItemType, points: Double, per: Double, _ answer: Answer, deducted: Double?) -> Double {
        switch (type, answer) {
        case (.yesNo, .yes): return points
        case (.yesNo, _): return 0
        case (.scale, .number(let value)): return value
        case (.deduction, .number(let count)): return max(0, points - (deducted ?? per * count))
        default: return 0
        }
    }
}
