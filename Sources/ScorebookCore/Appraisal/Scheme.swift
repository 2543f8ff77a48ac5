import Foundation

/// Whether a scheme appraises a month (from inspections, ratings and KPIs) or a year (from the months).
public enum SchemeKind: String, Sendable, Codable, CaseIterable {
    case monthly, annual
}

/// An appraisal scheme (考核方案), read from `Reports/*.yaml` by `SchemeParser`.
///
/// A monthly scheme declares weighted components; an annual scheme declares none: its score is the mean
/// of the agent's unrounded monthly final scores of the year, given at least `minMonths` months.
public struct Scheme: Sendable, Equatable, Codable {
    public var id: String
    public var version: Int
    public var kind: SchemeKind
    public var name: String?
    /// Components in file order (monthly only; empty for an annual scheme).
    public var components: [SchemeComponent]
    /// Grade bands, highest `min` first; the last one covers 0.
    public var bands: [GradeBand]
    public var forcedDistribution: ForcedDistribution?
    /// Annual only: the minimum number of months with a final score for the year to be graded.
    public var minMonths: Int?
    /// Annual only: the id of the monthly scheme whose results are averaged (informational).
    public var monthlyScheme: String?
    /// The ordered columns of the HR workbook's `HR Import` sheet.
    public var hrColumns: [HRColumn]

    public init(id: String, version: Int, kind: SchemeKind, name: String? = nil, components: [SchemeComponent],
                bands: [GradeBand], forcedDistribution: ForcedDistribution? = nil, minMonths: Int? = nil,
                monthlyScheme: String? = nil, hrColumns: [HRColumn]) {
        self.id = id
        self.version = version
        self.kind = kind
        self.name = name
        self.components = components
        self.bands = bands
        self.forcedDistribution = forcedDistribution
        self.minMonths = minMonths
        self.monthlyScheme = monthlyScheme
        self.hrColumns = hrColumns
    }

    public func component(_ name: String) -> SchemeComponent? { components.first { $0.name == name } }

    /// The names of the values an appraisal row carries: the components of a monthly scheme, or
    /// `m01` … `m12` (the monthly final scores) for an annual scheme.
    public var componentNames: [String] {
        kind == .monthly ? components.map(\.name) : AnnualAppraisal.monthKeys
    }

    /// The band a (rounded) score falls in: the first band, from the top, whose `min` it reaches.
    public func band(for score: Decimal) -> GradeBand {
        for band in bands where score >= DecimalMath.decimal(band.min) { return band }
        return bands[bands.count - 1]
    }

    public func band(grade: String) -> GradeBand? { bands.first { $0.grade == grade } }
}

/// One weighted component of a monthly scheme.
public struct SchemeComponent: Sendable, Equatable, Codable {
    /// The component's id: `qa`, `customer`, `supervisor`, `peer`, `self`, or any id of a KPI component.
    public var name: String
    /// Chinese label for reports (质检评分, 客户评价, …).
    public var label: String
    public var weight: Double
    public var spec: ComponentSpec

    public init(name: String, label: String, weight: Double, spec: ComponentSpec) {
        self.name = name
        self.label = label
        self.weight = weight
        self.spec = spec
    }
}

public enum ComponentSpec: Sendable, Equatable, Codable {
    case qa(QASpec)
    case rating(RatingSpec)
    case kpi(KPISpec)
}

public enum InspectionMode: String, Sendable, Codable, CaseIterable {
    case manual, auto

    public var label: String { self == .manual ? "人工质检" : "自动质检" }
}

/// `qa = (m·manual_mean + a·auto_mean)/(m + a)` over the modes present. A mode left out of `modes` is not
/// counted at all (its inspections are ignored).
public struct QASpec: Sendable, Equatable, Codable {
    public var manual: Double?
    public var auto: Double?

    public init(manual: Double?, auto: Double?) {
        self.manual = manual
        self.auto = auto
    }

    public func weight(_ mode: InspectionMode) -> Double? { mode == .manual ? manual : auto }
}

/// A rating-based component (self, peer, supervisor, customer).
public struct RatingSpec: Sendable, Equatable, Codable {
    public var source: RatingSource
    /// The source's scale; a score s is normalized to 100 × (s − min)/(max − min).
    public var scaleMin: Double
    public var scaleMax: Double
    /// Rater-based sources (self, peer, supervisor): fewer raters make the component missing. Default 1.
    public var minRaters: Int
    /// Customer: fewer responses (csat values + customer rating rows) make it missing. Default 1.
    public var minResponses: Int
    /// Rater-based sources: with at least this many raters the single highest and lowest rater values are
    /// dropped. `nil`: never trimmed.
    public var trimAt: Int?

    public init(source: RatingSource, scaleMin: Double, scaleMax: Double, minRaters: Int = 1, minResponses: Int = 1,
                trimAt: Int? = nil) {
        self.source = source
        self.scaleMin = scaleMin
        self.scaleMax = scaleMax
        self.minRaters = minRaters
        self.minResponses = minResponses
        self.trimAt = trimAt
    }
}

/// The service KPIs a component can be computed from.
public enum KPIKind: String, Sendable, Codable, CaseIterable {
    /// Resolved sessions / sessions (a rate between 0 and 1).
    case firstContactResolution = "first_contact_resolution"
    /// Mean first-response time in seconds over the sessions that have it.
    case firstResponseSeconds = "first_response_seconds"
    /// Mean handle time in seconds over the sessions that have it.
    case handleSeconds = "handle_seconds"

    public var label: String {
        switch self {
        case .firstContactResolution: return "一次问题解决率"
        case .firstResponseSeconds: return "平均首次响应时长"
        case .handleSeconds: return "平均处理时长"
        }
    }
}

/// The two ends of a KPI's linear mapping: `worst` maps to 0 and `target` to 100 (clamped). For a time KPI
/// `target` is below `worst`; the formula works in both directions.
public struct KPIBounds: Sendable, Equatable, Codable {
    public var worst: Double
    public var target: Double

    public init(worst: Double, target: Double) {
        self.worst = worst
        self.target = target
    }
}

public struct ChannelBounds: Sendable, Equatable, Codable {
    public var channel: Channel
    public var bounds: KPIBounds

    public init(channel: Channel, bounds: KPIBounds) {
        self.channel = channel
        self.bounds = bounds
    }
}

/// A KPI component.
///
/// Without `channels`, the KPI value is pooled over all the agent's sessions of the period (resolved /
/// sessions; or the time sum / the number of sessions that have the time) and mapped with `bounds`:
/// `100 × (value − worst)/(target − worst)`, clamped to [0, 100] — exactly DESIGN.md.
///
/// With `channels` (per-channel overrides), every channel is valued and mapped on its own: each channel's
/// KPI value is mapped with that channel's `worst`/`target` (the override, or the component's defaults for
/// a channel not listed), and the component is the mean of the mapped channel values weighted by the
/// number of sessions that entered each channel's value (sessions for first-contact resolution; sessions
/// having the time for the time KPIs).
public struct KPISpec: Sendable, Equatable, Codable {
    public var kpi: KPIKind
    public var bounds: KPIBounds
    public var channels: [ChannelBounds]
    /// Fewer sessions (with the value) than this make the component missing. Default 1.
    public var minSessions: Int

    public init(kpi: KPIKind, bounds: KPIBounds, channels: [ChannelBounds] = [], minSessions: Int = 1) {
        self.kpi = kpi
        self.bounds = bounds
        self.channels = channels
        self.minSessions = minSessions
    }

    public var perChannel: Bool { !channels.isEmpty }

    public func bounds(for channel: Channel) -> KPIBounds {
        channels.first { $0.channel == channel }?.bounds ?? bounds
    }
}

/// A grade band (等级): scores (rounded) at or above `min` reach it, unless a higher band is reached.
public struct GradeBand: Sendable, Equatable, Codable {
    public var grade: String
    public var label: String
    public var min: Double
    /// The bonus coefficient (绩效系数) paid for this grade.
    public var bonus: Double

    public init(grade: String, label: String, min: Double, bonus: Double) {
        self.grade = grade
        self.label = label
        self.min = min
        self.bonus = bonus
    }
}

/// Forced distribution (强制分布): at most `maxShare` of a group's graded agents may hold a grade.
public struct ForcedDistribution: Sendable, Equatable, Codable {
    public enum Scope: String, Sendable, Equatable, Codable {
        /// Each team (班组) separately.
        case team
        /// The whole service center at once.
        case center
    }

    public struct Limit: Sendable, Equatable, Codable {
        public var grade: String
        public var maxShare: Double

        public init(grade: String, maxShare: Double) {
            self.grade = grade
            self.maxShare = maxShare
        }
    }

    public var scope: Scope
    public var limits: [Limit]

    public init(scope: Scope, limits: [Limit]) {
        self.scope = scope
        self.limits = limits
    }

    public func limit(for grade: String) -> Limit? { limits.first { $0.grade == grade } }
}

/// One column of the HR Import sheet: a stable id (the import contract) and a Chinese header label.
public struct HRColumn: Sendable, Equatable, Codable {
    public var id: String
    public var label: String

    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }

    /// Columns every HR sheet carries besides the components.
    public static let fixedIDs = ["employee_id", "name", "team", "period", "final_score", "grade",
                                  "bonus_coefficient", "missing"]

    /// Further columns a scheme may add.
    public static let optionalIDs = ["grade_label", "final_score_unrounded", "status", "forced_distribution", "months"]

    public static func defaultLabel(_ id: String) -> String? {
        switch id {
        case "employee_id": return "工号"
        case "name": return "姓名"
        case "team": return "班组"
        case "period": return "考核期间"
        case "final_score": return "综合得分"
        case "final_score_unrounded": return "综合得分(未舍入)"
        case "grade": return "等级"
        case "grade_label": return "等级名称"
        case "bonus_coefficient": return "绩效系数"
        case "missing": return "缺失项"
        case "status": return "状态"
        case "forced_distribution": return "强制分布调整"
        case "months": return "有效月数"
        default:
            if id.count == 3, id.hasPrefix("m"), let month = Int(id.dropFirst()), (1...12).contains(month) {
                return "\(month)月"
            }
            return nil
        }
    }
}
