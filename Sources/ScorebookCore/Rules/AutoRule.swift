import Foundation

/// An automatic-inspection rule attached to a rubric item (`auto:` in the rubric YAML): a condition tree,
/// an optional default severity for its findings and an optional name. The item passes when the
/// condition holds. See docs/RULES.md for the syntax and semantics of every operator.
public struct AutoRule: Sendable, Equatable {
    public var condition: Condition
    /// Default severity of this rule's findings (a leaf's own `severity:` wins).
    public var severity: Severity?
    /// Optional rule name, shown on findings and in `rules stats`.
    public var name: String?

    public init(condition: Condition, severity: Severity? = nil, name: String? = nil) {
        self.condition = condition
        self.severity = severity
        self.name = name
    }

    /// Parses an item's `auto:` mapping: exactly one operator key, plus optional `severity:` and `name:`.
    public static func parse(_ node: YAMLNode, item: String) throws -> AutoRule {
        let owner = "item '\(item)'"
        do { return try parseRule(node, owner: owner) } catch let error as DefinitionError { throw naming(error, owner) }
    }

    /// Errors from the generic YAML accessors ("expected a number") get the item or condition named.
    static func naming(_ error: DefinitionError, _ owner: String) -> DefinitionError {
        var error = error
        if !error.reason.hasPrefix(owner) { error.reason = "\(owner): \(error.reason)" }
        return error
    }

    static func parseRule(_ node: YAMLNode, owner: String) throws -> AutoRule {
        guard node.isMapping else { throw node.error("\(owner): auto: expected a mapping with one operator") }
        let entries = try node.mapping()
        var severity: Severity?
        var name: String?
        var operators: [(key: String, value: YAMLNode)] = []
        for entry in entries {
            switch entry.key {
            case "severity": severity = try ConditionParser.severity(entry.value, owner)
            case "name": name = try entry.value.nonEmptyString()
            default: operators.append(entry)
            }
        }
        guard operators.count == 1 else {
            throw node.error("\(owner): auto: expected exactly one operator, found \(operators.isEmpty ? "none" : operators.map(\.key).joined(separator: ", ")) (operators: \(ConditionParser.operatorNames))")
        }
        let condition = try ConditionParser.parseOperator(operators[0].key, operators[0].value, owner: owner)
        return AutoRule(condition: condition, severity: severity, name: name)
    }

    /// Parses a condition (a mapping with one operator key), e.g. a rubric-level named condition.
    public static func parseCondition(_ node: YAMLNode, owner: String) throws -> Condition {
        do { return try ConditionParser.parse(node, owner: owner) } catch let error as DefinitionError { throw naming(error, owner) }
    }

    /// The operator kinds this rule uses (sorted, distinct); `conditions` resolves `ref`s.
    public func kinds(conditions: [String: Condition] = [:]) -> [String] {
        var set = Set<String>()
        var seen = Set<String>()
        func walk(_ c: Condition) {
            switch c {
            case .allOf(let cs): set.insert("all_of"); cs.forEach(walk)
            case .anyOf(let cs): set.insert("any_of"); cs.forEach(walk)
            case .not(let x): set.insert("not"); walk(x)
            case .ref(let name):
                set.insert("ref")
                if seen.insert(name).inserted, let target = conditions[name] { walk(target) }
            case .leaf(let leaf): set.insert(leaf.kind)
            }
        }
        walk(condition)
        return set.sorted()
    }
}

extension AutoRule {
    /// Whether the rule holds once review (复核) leaves `standing` of its findings standing — what a fresh
    /// evaluation gives for those occurrences. A rule that is one operator (directly, through `ref`s or a
    /// one-child `all_of`/`any_of`) holds while they are within the operator's `allow:`
    /// (`LeafSpec.holds(occurrences:)`). A composition holds once none stands: its stored findings do not
    /// say which operator they came from, and a yes/no `all_of` stops at its first failing child.
    public func holdsAfterReview(standing: Int, conditions: [String: Condition]) -> Bool {
        var c = condition
        for _ in 0..<64 {
            switch c {
            case .ref(let name): guard let target = conditions[name] else { return standing == 0 }; c = target
            case .allOf(let cs) where cs.count == 1: c = cs[0]
            case .anyOf(let cs) where cs.count == 1: c = cs[0]
            case .leaf(let leaf): return leaf.spec.holds(occurrences: standing)
            default: return standing == 0
            }
        }
        return standing == 0
    }
}

/// A condition tree: composition, a reference to a rubric-level named condition, or an operator leaf.
public indirect enum Condition: Sendable, Equatable {
    case allOf([Condition])
    case anyOf([Condition])
    case not(Condition)
    case ref(String)
    case leaf(RuleLeaf)
}

/// One operator with its options. `kind` is the YAML operator name (e.g. `greeting_within`).
public struct RuleLeaf: Sendable, Equatable {
    public var kind: String
    public var severity: Severity?
    public var spec: LeafSpec
    public init(kind: String, severity: Severity? = nil, spec: LeafSpec) {
        self.kind = kind
        self.severity = severity
        self.spec = spec
    }
}

public enum SpeakerFilter: String, Sendable, Equatable {
    case agent, customer, any
    func accepts(_ speaker: Speaker) -> Bool {
        switch self {
        case .any: return true
        case .agent: return speaker == .agent
        case .customer: return speaker == .customer
        }
    }
}

/// Which turns a rule looks at. Seconds windows: `first N s` = turns starting at or before N s;
/// `last N s` = turns whose end (or start, without end) is at or after (transcript end − N).
/// Turn windows count all turns of the transcript, whoever speaks.
public enum TurnWindow: Sendable, Equatable {
    /// `first N s`: turns starting at or before N s; `before N s` (greeting_within): turns starting before N s.
    case firstSeconds(Double), beforeSeconds(Double), lastSeconds(Double), firstTurns(Int), lastTurns(Int)
}

public enum PhraseMatch: Sendable, Equatable {
    /// at least one phrase
    case any
    /// every phrase
    case all
    /// no phrase (each occurrence is a finding)
    case none
    /// at least N distinct phrases
    case atLeast(Int)
}

public enum MatchScope: String, Sendable, Equatable {
    /// phrases may be spread across turns
    case session
    /// the match must be satisfied inside one turn
    case turn
}

public struct PhraseSpec: Sendable, Equatable {
    public var phrases: [String]
    public var match: PhraseMatch
    public var speaker: SpeakerFilter
    public var scope: MatchScope
    public var window: TurnWindow?
    /// Marker phrases: the required phrases must occur before the first marker (phrases_required).
    public var before: [String]
    /// Occurrences tolerated before `none` fails.
    public var allow: Int
}

public struct RegexSpec: Sendable, Equatable {
    public var pattern: String
    public var exclude: String?
    public var speaker: SpeakerFilter
    public var window: TurnWindow?
    /// true: some turn must match (`expect: present`); false: no turn may match (`expect: absent`).
    public var present: Bool
    public var allow: Int
}

public struct ContextSpec: Sendable, Equatable {
    public var when: [String]
    public var whenSpeaker: SpeakerFilter
    public var then: [String]
    public var thenSpeaker: SpeakerFilter
    public var withinTurns: Int
    /// true: B must follow every A; false: B must not follow any A.
    public var mustFollow: Bool
}

public enum MetadataField: String, Sendable, Equatable, CaseIterable {
    case handleSeconds = "handle_seconds"
    case firstResponseSeconds = "first_response_seconds"
    case waitSeconds = "wait_seconds"
    case csat
    case resolved
    case transferred
    case channel
    case turnCount = "turn_count"
}

public enum MetadataOp: String, Sendable, Equatable {
    case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!="
}

public enum MetadataValue: Sendable, Equatable {
    case number(Double), bool(Bool), text(String)
}

public enum LeafSpec: Sendable, Equatable {
    case phrases(PhraseSpec)
    case regex(RegexSpec)
    case context(ContextSpec)
    /// a gap between consecutive turns longer than `longerThan` seconds (only after a customer turn
    /// when `afterCustomer`); holds when occurrences ≤ allow. Needs turn end times.
    case silence(longerThan: Double, afterCustomer: Bool, allow: Int)
    /// content characters per minute of the speaker's turns outside [min, max]. Needs end times.
    case speechRate(min: Double?, max: Double?, perTurn: Bool, speaker: SpeakerFilter, minChars: Int)
    /// an agent turn starting ≥ leadMs (and > 0 ms) before the preceding customer turn ends, with ≥ minChars.
    case interruption(leadMs: Double, minChars: Int, allow: Int)
    /// the gap from a customer turn (its end, or its start without end) to the next agent turn > seconds
    case responseLatency(seconds: Double, allow: Int)
    /// the first agent turn starts later than `seconds` (or the agent never speaks)
    case lateAnswer(seconds: Double)
    /// the session (handle_seconds) ends more than `seconds` after the last turn ends. Needs end times.
    case abnormalHangup(seconds: Double)
    /// the same normalized sentence said `times` times or more by the speaker
    case repetition(times: Int, minChars: Int, speaker: SpeakerFilter)
    /// a comparison on a session field; a missing field makes the rule not applicable
    case metadata(field: MetadataField, op: MetadataOp, value: MetadataValue)
}

extension LeafSpec {
    /// Occurrences the operator tolerates and still holds: its `allow:` for the counting operators
    /// (`phrases_forbidden` and `keywords` with `match: none`, `regex` with `expect: absent`, `silence`,
    /// `interruption`, `response_latency`); 0 for every other operator, which fails with its first finding.
    public var allowance: Int {
        switch self {
        case .phrases(let spec): return spec.match == .none ? spec.allow : 0
        case .regex(let spec): return spec.present ? 0 : spec.allow
        case .silence(_, _, let allow), .interruption(_, _, let allow), .responseLatency(_, let allow): return allow
        default: return 0
        }
    }

    /// Whether the operator holds with `occurrences` occurrences: at most its allowance. Once over it, every
    /// occurrence counts (each is a finding; a deduction item loses points for each). The evaluator and
    /// review (`AutoRule.holdsAfterReview`) both decide here.
    public func holds(occurrences: Int) -> Bool { occurrences <= allowance }
}

enum ConditionParser {
    static let leafOperators = ["keywords", "greeting_within", "phrases_required", "phrases_forbidden", "regex",
                                "context", "silence", "max_silence", "speech_rate", "interruption", "interrupts",
                                "response_latency", "late_answer", "abnormal_hangup", "repetition", "metadata",
                                "handle_time", "first_response"]
    static let compositeOperators = ["all_of", "any_of", "not", "ref"]
    static var operatorNames: String { (compositeOperators + leafOperators).joined(separator: ", ") }

    static func parse(_ node: YAMLNode, owner: String) throws -> Condition {
        guard node.isMapping else { throw node.error("\(owner): a condition must be a mapping with one operator, e.g. {keywords: {...}}") }
        let entries = try node.mapping()
        guard entries.count == 1 else {
            throw node.error("\(owner): a condition must have exactly one operator, found \(entries.isEmpty ? "none" : entries.map(\.key).joined(separator: ", "))")
        }
        return try parseOperator(entries[0].key, entries[0].value, owner: owner)
    }

    static func parseOperator(_ op: String, _ node: YAMLNode, owner: String) throws -> Condition {
        switch op {
        case "all_of", "any_of":
            let items = try node.sequence()
            guard !items.isEmpty else { throw node.error("\(owner): \(op) needs at least one condition") }
            let children = try items.map { try parse($0, owner: owner) }
            return op == "all_of" ? .allOf(children) : .anyOf(children)
        case "not":
            return .not(try parse(node, owner: owner))
        case "ref":
            return .ref(try node.nonEmptyString())
        default:
            guard leafOperators.contains(op) else {
                throw node.error("\(owner): unknown operator '\(op)' (operators: \(operatorNames))")
            }
            guard node.isMapping else { throw node.error("\(owner): \(op): expected a mapping of options, e.g. \(op): {...}") }
            return .leaf(try parseLeaf(op, node, owner: "\(owner): \(op)"))
        }
    }

    // MARK: leaves

    static func parseLeaf(_ op: String, _ n: YAMLNode, owner o: String) throws -> RuleLeaf {
        let severity = try n.optional("severity").map { try self.severity($0, o) }
        let spec: LeafSpec
        switch op {
        case "keywords":
            try keys(n, o, ["phrases", "match", "speaker", "scope", "window", "allow", "severity"])
            let list = try phrases(n, o), m = try match(n, o)
            try attainable(m, list, n, o)
            spec = .phrases(PhraseSpec(phrases: list, match: m, speaker: try speaker(n, o, .agent),
                                       scope: try scope(n, o), window: try window(n, o), before: [], allow: try count(n, "allow", o) ?? 0))
        case "greeting_within":
            try keys(n, o, ["phrases", "seconds", "speaker", "severity"])
            let seconds = try number(n, "seconds", o, required: true)!
            spec = .phrases(PhraseSpec(phrases: try phrases(n, o), match: .any, speaker: try speaker(n, o, .agent),
                                       scope: .session, window: .beforeSeconds(seconds), before: [], allow: 0))
        case "phrases_required":
            try keys(n, o, ["phrases", "match", "speaker", "before", "window", "scope", "severity"])
            let m = try match(n, o)
            if m == .none { throw try n.required("match").error("\(o): match 'none' is not a requirement; use phrases_forbidden") }
            let before = try n.optional("before").map { try phraseList($0, o) } ?? []
            let list = try phrases(n, o)
            try attainable(m, list, n, o)
            spec = .phrases(PhraseSpec(phrases: list, match: m, speaker: try speaker(n, o, .agent),
                                       scope: try scope(n, o), window: try window(n, o), before: before, allow: 0))
        case "phrases_forbidden":
            try keys(n, o, ["phrases", "speaker", "window", "allow", "severity"])
            spec = .phrases(PhraseSpec(phrases: try phrases(n, o), match: .none, speaker: try speaker(n, o, .agent),
                                       scope: .session, window: try window(n, o), before: [], allow: try count(n, "allow", o) ?? 0))
        case "regex":
            try keys(n, o, ["pattern", "exclude", "speaker", "window", "expect", "allow", "severity"])
            let pattern = try n.required("pattern").nonEmptyString()
            try compiles(pattern, try n.required("pattern"), o)
            let exclude = try n.optional("exclude")?.nonEmptyString()
            if let exclude { try compiles(exclude, try n.required("exclude"), o) }
            var present = true
            if let e = try n.optional("expect") {
                switch try e.string() {
                case "present": present = true
                case "absent": present = false
                case let other: throw e.error("\(o): expect must be 'present' or 'absent', found '\(other)'")
                }
            }
            spec = .regex(RegexSpec(pattern: pattern, exclude: exclude, speaker: try speaker(n, o, .agent),
                                    window: try window(n, o), present: present, allow: try count(n, "allow", o) ?? 0))
        case "context":
            try keys(n, o, ["when", "when_speaker", "then", "then_speaker", "within_turns", "must", "severity"])
            let when = try phraseList(try n.required("when"), o)
            let then = try phraseList(try n.required("then"), o)
            let k = try count(n, "within_turns", o) ?? 1
            var must = true
            if let m = try n.optional("must") {
                switch try m.string() {
                case "follow": must = true
                case "not_follow": must = false
                case let other: throw m.error("\(o): must is 'follow' or 'not_follow', found '\(other)'")
                }
            }
            spec = .context(ContextSpec(when: when, whenSpeaker: try speaker(n, o, .any, key: "when_speaker"), then: then,
                                        thenSpeaker: try speaker(n, o, .agent, key: "then_speaker"), withinTurns: k, mustFollow: must))
        case "silence":
            try keys(n, o, ["longer_than", "after", "allow", "severity"])
            var afterCustomer = false
            if let a = try n.optional("after") {
                switch try a.string() {
                case "customer": afterCustomer = true
                case "any": afterCustomer = false
                case let other: throw a.error("\(o): after must be 'customer' or 'any', found '\(other)'")
                }
            }
            spec = .silence(longerThan: try number(n, "longer_than", o, required: true)!, afterCustomer: afterCustomer,
                            allow: try count(n, "allow", o) ?? 0)
        case "max_silence":
            try keys(n, o, ["seconds", "severity"])
            spec = .silence(longerThan: try number(n, "seconds", o, required: true)!, afterCustomer: false, allow: 0)
        case "speech_rate":
            try keys(n, o, ["min", "max", "per", "speaker", "min_chars", "severity"])
            let lo = try number(n, "min", o, required: false)
            let hi = try number(n, "max", o, required: false)
            guard lo != nil || hi != nil else { throw n.error("\(o): needs min or max (characters per minute)") }
            if let lo, let hi, lo > hi { throw n.error("\(o): min (\(format(lo))) is above max (\(format(hi)))") }
            var perTurn = false
            if let p = try n.optional("per") {
                switch try p.string() {
                case "turn": perTurn = true
                case "session": perTurn = false
                case let other: throw p.error("\(o): per must be 'turn' or 'session', found '\(other)'")
                }
            }
            spec = .speechRate(min: lo, max: hi, perTurn: perTurn, speaker: try speaker(n, o, .agent),
                               minChars: try count(n, "min_chars", o) ?? 0)
        case "interruption":
            try keys(n, o, ["lead_ms", "min_chars", "allow", "severity"])
            spec = .interruption(leadMs: try number(n, "lead_ms", o, required: true)!, minChars: try count(n, "min_chars", o) ?? 1,
                                 allow: try count(n, "allow", o) ?? 0)
        case "interrupts":
            try keys(n, o, ["min_chars", "severity"])
            spec = .interruption(leadMs: 0, minChars: try count(n, "min_chars", o) ?? 1, allow: 0)
        case "response_latency":
            try keys(n, o, ["seconds", "allow", "severity"])
            spec = .responseLatency(seconds: try number(n, "seconds", o, required: true)!, allow: try count(n, "allow", o) ?? 0)
        case "late_answer":
            try keys(n, o, ["seconds", "severity"])
            spec = .lateAnswer(seconds: try number(n, "seconds", o, required: true)!)
        case "abnormal_hangup":
            try keys(n, o, ["seconds", "severity"])
            spec = .abnormalHangup(seconds: try number(n, "seconds", o, required: true)!)
        case "repetition":
            try keys(n, o, ["times", "min_chars", "speaker", "severity"])
            guard let times = try count(n, "times", o), times >= 2 else {
                throw (try n.optional("times") ?? n).error("\(o): times must be a whole number ≥ 2")
            }
            spec = .repetition(times: times, minChars: try count(n, "min_chars", o) ?? 4, speaker: try speaker(n, o, .agent))
        case "metadata":
            try keys(n, o, ["field", "op", "value", "severity"])
            let fieldNode = try n.required("field")
            let fieldText = try fieldNode.string()
            guard let field = MetadataField(rawValue: fieldText) else {
                throw fieldNode.error("\(o): unknown session field '\(fieldText)' (\(MetadataField.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let opNode = try n.required("op")
            let opText = try opNode.string()
            let aliases: [String: MetadataOp] = ["lt": .lt, "le": .le, "gt": .gt, "ge": .ge, "eq": .eq, "ne": .ne, "=": .eq]
            guard let op = MetadataOp(rawValue: opText) ?? aliases[opText] else {
                throw opNode.error("\(o): unknown comparison '\(opText)' (<, <=, >, >=, ==, != or lt, le, gt, ge, eq, ne)")
            }
            let valueNode = try n.required("value")
            let value: MetadataValue
            switch field {
            case .resolved, .transferred:
                value = .bool(try valueNode.bool())
                guard op == .eq || op == .ne else { throw opNode.error("\(o): \(fieldText) is true/false: use == or !=") }
            case .channel:
                let text = try valueNode.string()
                guard Channel(rawValue: text) != nil else { throw valueNode.error("\(o): unknown channel '\(text)' (video, phone, chat)") }
                value = .text(text)
                guard op == .eq || op == .ne else { throw opNode.error("\(o): channel is text: use == or !=") }
            default:
                value = .number(try valueNode.double())
            }
            spec = .metadata(field: field, op: op, value: value)
        case "handle_time", "first_response":
            try keys(n, o, ["max_seconds", "severity"])
            let limit = try number(n, "max_seconds", o, required: true)!
            spec = .metadata(field: op == "handle_time" ? .handleSeconds : .firstResponseSeconds, op: .le, value: .number(limit))
        default:
            throw n.error("\(o): unknown operator")
        }
        return RuleLeaf(kind: op, severity: severity, spec: spec)
    }

    // MARK: option readers

    static func keys(_ n: YAMLNode, _ o: String, _ allowed: Set<String>) throws {
        for (key, value) in try n.mapping() where !allowed.contains(key) {
            throw value.error("\(o): unknown option '\(key)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func severity(_ n: YAMLNode, _ o: String) throws -> Severity {
        let text = try n.string()
        guard let s = Severity(rawValue: text) else { throw n.error("\(o): severity must be light, moderate or severe, found '\(text)'") }
        return s
    }

    static func phrases(_ n: YAMLNode, _ o: String) throws -> [String] {
        guard let node = try n.optional("phrases") else { throw n.error("\(o): missing required option 'phrases'") }
        return try phraseList(node, o)
    }

    static func phraseList(_ node: YAMLNode, _ o: String) throws -> [String] {
        let list = try node.stringList()
        guard !list.isEmpty else { throw node.error("\(o): the phrase list is empty") }
        for p in list where TextNormalizer.normalizedBytes(p).isEmpty {
            throw node.error("\(o): a phrase is empty (or only whitespace)")
        }
        return list
    }

    static func match(_ n: YAMLNode, _ o: String) throws -> PhraseMatch {
        guard let node = try n.optional("match") else { return .any }
        let text = try node.string()
        switch text {
        case "any": return .any
        case "all": return .all
        case "none": return .none
        default:
            guard let k = Int(text), k >= 1 else {
                throw node.error("\(o): match must be any, all, none or a whole number ≥ 1, found '\(text)'")
            }
            return .atLeast(k)
        }
    }

    /// `match: N` counts different phrases of the list: more than the list holds could never be met.
    static func attainable(_ m: PhraseMatch, _ phrases: [String], _ n: YAMLNode, _ o: String) throws {
        if case .atLeast(let k) = m, k > phrases.count {
            throw try n.required("match").error("\(o): match \(k) asks for \(k) different phrases but the list has \(phrases.count): the rule could never pass")
        }
    }

    static func speaker(_ n: YAMLNode, _ o: String, _ fallback: SpeakerFilter, key: String = "speaker") throws -> SpeakerFilter {
        guard let node = try n.optional(key) else { return fallback }
        let text = try node.string()
        guard let s = SpeakerFilter(rawValue: text) else {
            throw node.error("\(o): \(key) must be agent, customer or any, found '\(text)'")
        }
        return s
    }

    static func scope(_ n: YAMLNode, _ o: String) throws -> MatchScope {
        guard let node = try n.optional("scope") else { return .session }
        let text = try node.string()
        guard let s = MatchScope(rawValue: text) else { throw node.error("\(o): scope must be 'session' or 'turn', found '\(text)'") }
        return s
    }

    /// `window: first 10s | first 10 seconds | last 30s | first 3 turns | last 2 turns`
    static func window(_ n: YAMLNode, _ o: String) throws -> TurnWindow? {
        guard let node = try n.optional("window") else { return nil }
        let text = try node.string()
        let parts = text.split(separator: " ").map(String.init)
        guard parts.count >= 2, parts[0] == "first" || parts[0] == "last" else {
            throw node.error("\(o): window must read 'first N s', 'last N s', 'first N turns' or 'last N turns', found '\(text)'")
        }
        var numberText = parts[1]
        var unit = parts.count >= 3 ? parts[2...].joined(separator: " ") : ""
        if parts.count == 2 {
            let digits = numberText.prefix { $0.isNumber || $0 == "." || $0 == "-" }
            unit = String(numberText.dropFirst(digits.count))
            numberText = String(digits)
        }
        guard let value = Double(numberText), value.isFinite else {
            throw node.error("\(o): window '\(text)' has no number")
        }
        guard value >= 0 else { throw node.error("\(o): window '\(text)' must not be negative") }
        let first = parts[0] == "first"
        switch unit {
        case "s", "sec", "secs", "second", "seconds":
            return first ? .firstSeconds(value) : .lastSeconds(value)
        case "turn", "turns":
            guard value == value.rounded(), value >= 1 else { throw node.error("\(o): window '\(text)': a number of turns is a whole number ≥ 1") }
            return first ? .firstTurns(Int(value)) : .lastTurns(Int(value))
        case "":
            throw node.error("\(o): window '\(text)' has no unit (s or turns)")
        default:
            throw node.error("\(o): window '\(text)': unknown unit '\(unit)' (s or turns)")
        }
    }

    static func number(_ n: YAMLNode, _ key: String, _ o: String, required: Bool) throws -> Double? {
        guard let node = try n.optional(key) else {
            if required { throw n.error("\(o): missing required option '\(key)'") }
            return nil
        }
        let value = try node.double()
        guard value >= 0 else { throw node.error("\(o): \(key) must not be negative, found \(format(value))") }
        return value
    }

    static func count(_ n: YAMLNode, _ key: String, _ o: String) throws -> Int? {
        guard let node = try n.optional(key) else { return nil }
        let value = try node.int()
        guard value >= 0 else { throw node.error("\(o): \(key) must not be negative, found \(value)") }
        return value
    }

    static func compiles(_ pattern: String, _ node: YAMLNode, _ o: String) throws {
        do { _ = try NSRegularExpression(pattern: TextNormalizer.regexPattern(pattern), options: [.caseInsensitive]) } catch {
            throw node.error("\(o): regex '\(pattern)' does not compile")
        }
    }
}
