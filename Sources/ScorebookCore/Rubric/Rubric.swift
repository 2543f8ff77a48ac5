/// A rubric (inspection form, 质检评分表): versioned sections of items, each section in one dimension.
public struct Rubric: Sendable, Equatable {
    public var id: String
    public var version: Int
    public var name: String
    public var description: String?
    public var sections: [RubricSection]
    /// Named conditions (`conditions:` at the top of the rubric) that items' rules reference with `ref:`.
    public var conditions: [String: Condition]

    public init(id: String, version: Int, name: String, description: String? = nil, sections: [RubricSection],
                conditions: [String: Condition] = [:]) {
        self.id = id
        self.version = version
        self.name = name
        self.description = description
        self.sections = sections
        self.conditions = conditions
    }

    public var items: [RubricItem] { sections.flatMap(\.items) }

    public func item(_ id: String) -> RubricItem? {
        for section in sections { if let item = section.items.first(where: { $0.id == id }) { return item } }
        return nil
    }

    public func section(containing itemID: String) -> RubricSection? {
        sections.first { $0.items.contains { $0.id == itemID } }
    }
}

/// The three dimensions an inspection is reported in (合规性 / 准确性 / 服务礼仪).
public enum Dimension: String, Sendable, CaseIterable, Codable {
    case compliance, accuracy, etiquette

    public var label: String {
        switch self {
        case .compliance: return "合规性"
        case .accuracy: return "准确性"
        case .etiquette: return "服务礼仪"
        }
    }
}

public struct RubricSection: Sendable, Equatable {
    public var id: String
    public var name: String
    public var dimension: Dimension
    public var weight: Double
    public var items: [RubricItem]

    public init(id: String, name: String, dimension: Dimension, weight: Double, items: [RubricItem]) {
        self.id = id
        self.name = name
        self.dimension = dimension
        self.weight = weight
        self.items = items
    }
}

public enum ItemType: String, Sendable, CaseIterable {
    case yesNo = "yes_no"
    case scale
    case deduction
}

/// What failing a critical item zeroes: its section, or the whole inspection (红线, a red line).
public enum CriticalScope: String, Sendable {
    case section, form
}

/// Points lost per occurrence by severity, for deduction items written in the 扣分 style.
public struct SeverityPoints: Sendable, Equatable {
    public var light: Double
    public var moderate: Double
    public var severe: Double

    public init(light: Double, moderate: Double, severe: Double) {
        self.light = light
        self.moderate = moderate
        self.severe = severe
    }

    public func points(for severity: Severity) -> Double {
        switch severity {
        case .light: return light
        case .moderate: return moderate
        case .severe: return severe
        }
    }
}

public enum Severity: String, Sendable, CaseIterable, Codable {
    case light, moderate, severe
}

public struct RubricItem: Sendable, Equatable {
    public var id: String
    public var text: String
    public var type: ItemType
    /// Full points of the item (the value of `yes`, the top scale level, the deduction's start).
    public var points: Double
    /// Allowed levels of a `scale` item, ascending; the last equals `points`.
    public var levels: [Double]
    /// Points lost per occurrence of a `deduction` item (when no severity is given).
    public var per: Double
    /// Points lost per occurrence by severity, for `deduction` items that declare `severity:`.
    public var severityPoints: SeverityPoints?
    public var allowsNA: Bool
    public var critical: CriticalScope?
    /// The rule that scores this item from session data in automatic inspection; nil: N/A in auto mode.
    public var auto: AutoRule?

    public init(id: String, text: String, type: ItemType, points: Double, levels: [Double] = [], per: Double = 0,
                severityPoints: SeverityPoints? = nil, allowsNA: Bool = false, critical: CriticalScope? = nil,
                auto: AutoRule? = nil) {
        self.id = id
        self.text = text
        self.type = type
        self.points = points
        self.levels = levels
        self.per = per
        self.severityPoints = severityPoints
        self.allowsNA = allowsNA
        self.critical = critical
        self.auto = auto
    }
}
