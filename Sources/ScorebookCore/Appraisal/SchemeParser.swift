import Foundation

/// Reads an appraisal scheme (`Reports/*.yaml`) and validates it. Every error is a `DefinitionError`
/// naming the file, the line, the field and the reason.
///
/// Format (monthly):
/// ```yaml
/// id: monthly
/// version: 1
/// kind: monthly                 # optional, default monthly
/// name: 客服专员月度绩效考核     # optional
/// components:                   # in report order; weights positive (relative, need not sum to 100)
///   qa:         {weight: 30, modes: {manual: 0.7, auto: 0.3}}
///   customer:   {weight: 20, scale: [1, 5], min_responses: 10}
///   supervisor: {weight: 15, scale: [1, 5]}
///   peer:       {weight: 10, scale: [1, 5], min_raters: 3, trim_at: 5}
///   self:       {weight: 5,  scale: [1, 5]}
///   fcr:        {weight: 10, kpi: first_contact_resolution, worst: 0.60, target: 0.90}
///   handle:     {weight: 5,  kpi: handle_seconds, worst: 900, target: 300,
///                channels: {video: {worst: 1200, target: 480}}}
/// bands:                        # highest first, the last one with min 0
///   - {grade: A, label: 优秀, min: 90, bonus: 1.2}
/// forced_distribution: {scope: team, limits: [{grade: A, max_share: 0.20}]}   # optional
/// hr_columns: [employee_id, name, team, period, qa, ..., final_score, grade, bonus_coefficient, missing]
/// ```
/// Annual: `kind: annual`, no `components`, `min_months`, optional `monthly_scheme`, bands, hr_columns
/// (which may use `m01` … `m12` and `months`).
public enum SchemeParser {
    static let ratingNames: [String: RatingSource] = [
        "self": .self, "peer": .peer, "supervisor": .supervisor, "customer": .customer,
    ]

    public static func defaultLabel(component name: String, spec: ComponentSpec) -> String {
        switch spec {
        case .qa: return "质检评分"
        case .rating(let rating):
            switch rating.source {
            case .customer: return "客户评价"
            case .supervisor: return "上级评价"
            case .peer: return "同事评价"
            case .self: return "自评"
            }
        case .kpi(let kpi): return kpi.kpi.label
        }
    }

    /// `strict: false` reads a stored scheme again (see `YAMLNode.strict`).
    public static func parse(_ text: String, file: String, strict: Bool = true) throws -> Scheme {
        let root = try YAMLNode.parse(text, file: file, strict: strict)
        try root.checkKeys(["id", "version", "kind", "name", "description", "components", "bands",
                            "forced_distribution", "min_months", "monthly_scheme", "hr_columns"])
        let id = try RubricParser.identifier(root.required("id"))
        let versionNode = try root.required("version")
        let version = try versionNode.int()
        guard version >= 1 else { throw versionNode.error("version must be a whole number ≥ 1") }

        var kind = SchemeKind.monthly
        if let kindNode = try root.optional("kind") {
            let text = try kindNode.string()
            guard let value = SchemeKind(rawValue: text) else {
                throw kindNode.error("unknown kind '\(text)' (monthly or annual)")
            }
            kind = value
        }
        let name = try root.optional("name")?.nonEmptyString()

        var components: [SchemeComponent] = []
        var minMonths: Int?
        var monthlyScheme: String?
        switch kind {
        case .monthly:
            for key in ["min_months", "monthly_scheme"] where try root.optional(key) != nil {
                throw try root.required(key).error("'\(key)' applies to an annual scheme only (kind: annual)")
            }
            let componentsNode = try root.required("components")
            let pairs = try componentsNode.mapping()
            guard !pairs.isEmpty else { throw componentsNode.error("a monthly scheme needs at least one component") }
            for (key, node) in pairs {
                guard !components.contains(where: { $0.name == key }) else {
                    throw node.error("duplicate component '\(key)'")
                }
                components.append(try parseComponent(key, node))
            }
        case .annual:
            if try root.optional("components") != nil {
                throw try root.required("components").error(
                    "an annual scheme has no components: its score is the mean of the monthly final scores")
            }
            let minNode = try root.required("min_months")
            let value = try minNode.int()
            guard (1...12).contains(value) else { throw minNode.error("min_months must be between 1 and 12, found \(value)") }
            minMonths = value
            monthlyScheme = try root.optional("monthly_scheme").map { try RubricParser.identifier($0) }
        }

        let bands = try parseBands(try root.required("bands"))
        let forced = try root.optional("forced_distribution").map { try parseForced($0, bands: bands) }
        let componentNames = kind == .monthly ? components.map(\.name) : AnnualAppraisal.monthKeys
        let hrColumns: [HRColumn]
        if let columnsNode = try root.optional("hr_columns") {
            hrColumns = try parseColumns(columnsNode, kind: kind, components: components)
        } else {
            let ids = ["employee_id", "name", "team", "period"] + componentNames
                + (kind == .annual ? ["months"] : []) + ["final_score", "grade", "bonus_coefficient", "missing"]
            hrColumns = ids.map { HRColumn(id: $0, label: label(column: $0, components: components)) }
        }
        return Scheme(id: id, version: version, kind: kind, name: name, components: components, bands: bands,
                      forcedDistribution: forced, minMonths: minMonths, monthlyScheme: monthlyScheme,
                      hrColumns: hrColumns)
    }

    // MARK: components

    private static func parseComponent(_ name: String, _ node: YAMLNode) throws -> SchemeComponent {
        guard node.isMapping else { throw node.error("component '\(name)' must be a mapping such as {weight: 10, ...}") }
        let spec: ComponentSpec
        if try node.optional("kpi") != nil {
            guard name != "qa", ratingNames[name] == nil else {
                throw try node.required("kpi").error("'\(name)' is a reserved component name and cannot be a KPI component")
            }
            spec = .kpi(try parseKPI(name, node))
        } else if name == "qa" {
            try node.checkKeys(["weight", "label", "modes"])
            spec = .qa(try parseModes(name, try node.required("modes")))
        } else if let source = ratingNames[name] {
            spec = .rating(try parseRating(name, source, node))
        } else {
            throw node.error("unknown component '\(name)' (qa, customer, supervisor, peer, self, or a KPI component with "
                             + "'kpi: first_contact_resolution | first_response_seconds | handle_seconds')")
        }
        let weightNode = try node.required("weight")
        let weight = try weightNode.double()
        guard weight > 0 else { throw weightNode.error("component '\(name)': weight must be positive, found \(format(weight))") }
        let label = try node.optional("label")?.nonEmptyString() ?? defaultLabel(component: name, spec: spec)
        return SchemeComponent(name: name, label: label, weight: weight, spec: spec)
    }

    private static func parseModes(_ name: String, _ node: YAMLNode) throws -> QASpec {
        try node.checkKeys(["manual", "auto"])
        var weights: [InspectionMode: Double] = [:]
        for mode in InspectionMode.allCases {
            guard let modeNode = try node.optional(mode.rawValue) else { continue }
            let value = try modeNode.double()
            guard value > 0 else {
                throw modeNode.error("component '\(name)': the \(mode.rawValue) weight must be positive, found \(format(value)) "
                                     + "(leave the mode out to ignore its inspections)")
            }
            weights[mode] = value
        }
        guard !weights.isEmpty else { throw node.error("component '\(name)': modes needs manual and/or auto weights") }
        return QASpec(manual: weights[.manual], auto: weights[.auto])
    }

    private static func parseRating(_ name: String, _ source: RatingSource, _ node: YAMLNode) throws -> RatingSpec {
        if source == .customer {
            try node.checkKeys(["weight", "label", "scale", "min_responses"])
        } else {
            try node.checkKeys(["weight", "label", "scale", "min_raters", "trim_at"])
        }
        let scaleNode = try node.required("scale")
        let scale = try scaleNode.doubleList()
        guard scale.count == 2 else { throw scaleNode.error("component '\(name)': scale must be [min, max]") }
        guard scale[0] < scale[1] else {
            throw scaleNode.error("component '\(name)': scale min (\(format(scale[0]))) must be below max (\(format(scale[1])))")
        }
        var spec = RatingSpec(source: source, scaleMin: scale[0], scaleMax: scale[1])
        if let minNode = try node.optional("min_responses") {
            spec.minResponses = try minNode.int()
            guard spec.minResponses >= 1 else { throw minNode.error("component '\(name)': min_responses must be at least 1") }
        }
        if let minNode = try node.optional("min_raters") {
            spec.minRaters = try minNode.int()
            guard spec.minRaters >= 1 else { throw minNode.error("component '\(name)': min_raters must be at least 1") }
        }
        // DESIGN "Appraisal": with 5 or more peer raters the single highest and lowest are dropped; a scheme
        // that gives no trim_at gets that rule, one that gives it sets the threshold.
        if source == .peer { spec.trimAt = defaultPeerTrimAt }
        if let trimNode = try node.optional("trim_at") {
            let trim = try trimNode.int()
            guard trim >= 3 else {
                throw trimNode.error("component '\(name)': trim_at must be at least 3 (two raters are dropped), found \(trim)")
            }
            spec.trimAt = trim
        }
        return spec
    }

    /// Peer raters from which the highest and lowest are dropped when the scheme does not say (DESIGN: 5).
    public static let defaultPeerTrimAt = 5

    private static func parseKPI(_ name: String, _ node: YAMLNode) throws -> KPISpec {
        try node.checkKeys(["weight", "label", "kpi", "worst", "target", "channels", "min_sessions"])
        let kpiNode = try node.required("kpi")
        let kpiText = try kpiNode.string()
        guard let kpi = KPIKind(rawValue: kpiText) else {
            throw kpiNode.error("component '\(name)': unknown KPI '\(kpiText)' "
                                + "(\(KPIKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let bounds = try parseBounds(name, kpi, node, defaults: nil)
        var channels: [ChannelBounds] = []
        if let channelsNode = try node.optional("channels") {
            let pairs = try channelsNode.mapping()
            guard !pairs.isEmpty else { throw channelsNode.error("component '\(name)': channels is empty") }
            for (key, channelNode) in pairs {
                guard let channel = Channel(rawValue: key) else {
                    throw channelNode.error("component '\(name)': unknown channel '\(key)' (video, phone or chat)")
                }
                try channelNode.checkKeys(["worst", "target"])
                channels.append(ChannelBounds(channel: channel, bounds: try parseBounds("\(name).channels.\(key)", kpi,
                                                                                         channelNode, defaults: bounds)))
            }
        }
        var minSessions = 1
        if let minNode = try node.optional("min_sessions") {
            minSessions = try minNode.int()
            guard minSessions >= 1 else { throw minNode.error("component '\(name)': min_sessions must be at least 1") }
        }
        return KPISpec(kpi: kpi, bounds: bounds, channels: channels, minSessions: minSessions)
    }

    private static func parseBounds(_ name: String, _ kpi: KPIKind, _ node: YAMLNode, defaults: KPIBounds?) throws -> KPIBounds {
        func value(_ key: String, _ fallback: Double?) throws -> Double {
            guard let valueNode = try node.optional(key) else {
                if let fallback { return fallback }
                throw node.error("component '\(name)': missing required key '\(key)'")
            }
            let value = try valueNode.double()
            switch kpi {
            case .firstContactResolution:
                guard (0...1).contains(value) else {
                    throw valueNode.error("component '\(name)': \(key) is a rate between 0 and 1, found \(format(value))")
                }
            case .firstResponseSeconds, .handleSeconds:
                guard value >= 0 else { throw valueNode.error("component '\(name)': \(key) must not be negative (seconds)") }
            }
            return value
        }
        let bounds = KPIBounds(worst: try value("worst", defaults?.worst), target: try value("target", defaults?.target))
        guard bounds.worst != bounds.target else {
            throw node.error("component '\(name)': worst and target must differ (both \(format(bounds.worst)))")
        }
        return bounds
    }

    // MARK: bands

    private static func parseBands(_ node: YAMLNode) throws -> [GradeBand] {
        let items = try node.sequence()
        guard !items.isEmpty else { throw node.error("at least one grade band is needed") }
        var bands: [GradeBand] = []
        for item in items {
            try item.checkKeys(["grade", "label", "min", "bonus"])
            let grade = try item.required("grade").nonEmptyString()
            guard !bands.contains(where: { $0.grade == grade }) else { throw item.error("duplicate grade '\(grade)'") }
            let label = try item.required("label").nonEmptyString()
            let minNode = try item.required("min")
            let min = try minNode.double()
            guard min <= 100 else { throw minNode.error("grade \(grade): min \(format(min)) can never be reached (scores are 0–100)") }
            if let previous = bands.last, min >= previous.min {
                throw minNode.error("grade \(grade): bands must be listed with descending min "
                                    + "(\(format(min)) is not below \(previous.grade)'s \(format(previous.min)))")
            }
            let bonusNode = try item.required("bonus")
            let bonus = try bonusNode.double()
            guard bonus >= 0 else { throw bonusNode.error("grade \(grade): bonus must not be negative") }
            // HR pays from the HR Import sheet, which carries numbers to 2 decimals: a finer coefficient
            // would be paid rounded. Refused rather than silently rounded.
            guard DecimalMath.roundHalfUp(bonus, places: 2) == bonus else {
                throw bonusNode.error("grade \(grade): bonus \(DecimalMath.plain(bonus)) has more than 2 decimals (the HR Import sheet carries 2)")
            }
            bands.append(GradeBand(grade: grade, label: label, min: min, bonus: bonus))
        }
        guard bands[bands.count - 1].min <= 0 else {
            throw items[items.count - 1].error("the last band (\(bands[bands.count - 1].grade)) must cover 0 (min: 0), "
                                               + "found min \(format(bands[bands.count - 1].min))")
        }
        return bands
    }

    private static func parseForced(_ node: YAMLNode, bands: [GradeBand]) throws -> ForcedDistribution {
        try node.checkKeys(["scope", "limits"])
        var scope = ForcedDistribution.Scope.team
        if let scopeNode = try node.optional("scope") {
            let text = try scopeNode.string()
            guard let value = ForcedDistribution.Scope(rawValue: text) else {
                throw scopeNode.error("unknown scope '\(text)' (team or center)")
            }
            scope = value
        }
        let limitsNode = try node.required("limits")
        let items = try limitsNode.sequence()
        guard !items.isEmpty else { throw limitsNode.error("forced_distribution needs at least one limit") }
        var limits: [ForcedDistribution.Limit] = []
        for item in items {
            try item.checkKeys(["grade", "max_share"])
            let gradeNode = try item.required("grade")
            let grade = try gradeNode.string()
            guard let index = bands.firstIndex(where: { $0.grade == grade }) else {
                throw gradeNode.error("unknown grade '\(grade)' (\(bands.map(\.grade).joined(separator: ", ")))")
            }
            guard index < bands.count - 1 else {
                throw gradeNode.error("grade \(grade) is the lowest band: nobody can be moved below it")
            }
            guard !limits.contains(where: { $0.grade == grade }) else { throw gradeNode.error("duplicate limit for grade \(grade)") }
            let shareNode = try item.required("max_share")
            let share = try shareNode.double()
            guard (0...1).contains(share) else {
                throw shareNode.error("grade \(grade): max_share is a fraction between 0 and 1, found \(format(share))")
            }
            limits.append(.init(grade: grade, maxShare: share))
        }
        return ForcedDistribution(scope: scope, limits: limits)
    }

    // MARK: HR columns

    private static func label(column id: String, components: [SchemeComponent]) -> String {
        if let component = components.first(where: { $0.name == id }) { return component.label }
        return HRColumn.defaultLabel(id) ?? id
    }

    private static func parseColumns(_ node: YAMLNode, kind: SchemeKind, components: [SchemeComponent]) throws -> [HRColumn] {
        let componentNames = kind == .monthly ? components.map(\.name) : AnnualAppraisal.monthKeys
        var allowed = Set(HRColumn.fixedIDs + HRColumn.optionalIDs + componentNames)
        if kind == .monthly { allowed.remove("months") }
        var columns: [HRColumn] = []
        for item in try node.sequence() {
            let id: String
            var label: String?
            if item.isMapping {
                try item.checkKeys(["id", "label"])
                id = try item.required("id").nonEmptyString()
                label = try item.optional("label")?.nonEmptyString()
            } else {
                id = try item.nonEmptyString()
            }
            guard allowed.contains(id) else {
                throw item.error("unknown HR column '\(id)' (allowed: \(HRColumn.fixedIDs.joined(separator: ", ")), "
                                 + "the components, \(HRColumn.optionalIDs.filter { allowed.contains($0) }.joined(separator: ", ")))")
            }
            guard !columns.contains(where: { $0.id == id }) else { throw item.error("duplicate HR column '\(id)'") }
            columns.append(HRColumn(id: id, label: label ?? self.label(column: id, components: components)))
        }
        let required = HRColumn.fixedIDs + (kind == .monthly ? componentNames : [])
        for id in required where !columns.contains(where: { $0.id == id }) {
            throw node.error("hr_columns must include '\(id)' (the HR sheet carries \(HRColumn.fixedIDs.joined(separator: ", "))"
                             + (kind == .monthly ? " and every component" : "") + ")")
        }
        return columns
    }
}
