import Foundation

/// A rubric's automatic rules compiled once: every phrase of every rule in one Aho–Corasick automaton,
/// regexes compiled, `ref`s inlined, children ordered cheapest first. Immutable, so one engine can be
/// shared by several threads; each thread uses its own `RuleEvaluator` (reusable scratch buffers).
public struct RuleEngine: Sendable {
    public let rubric: Rubric
    let automaton: PhraseAutomaton
    let leaves: [CompiledLeaf]
    let items: [CompiledItem]
    /// the rubric's item ids in `rubric.items` order (shared by every `AutoOutcome`)
    let itemIDs: [String]
    /// true when some rule needs the phrase scan
    let needsScan: Bool
    /// some regex prefilters on the longest run of digits of a turn
    let needsDigitRuns: Bool
    /// some repetition rule needs the sentences of the turns
    let needsSentences: Bool

    public init(rubric: Rubric) {
        self.rubric = rubric
        var builder = Builder(conditions: rubric.conditions)
        var items: [CompiledItem] = []
        for item in rubric.items {
            guard let rule = item.auto else { items.append(CompiledItem(item: item, rule: nil, node: nil)); continue }
            let node = builder.compile(rule.condition, severity: rule.severity, name: rule.name, depth: 0)
            items.append(CompiledItem(item: item, rule: rule, node: node))
        }
        automaton = PhraseAutomaton(patterns: builder.patterns)
        leaves = builder.leaves
        self.items = items
        itemIDs = items.map(\.id)
        needsScan = !builder.patterns.isEmpty
        needsDigitRuns = builder.leaves.contains { $0.digitRun > 0 }
        needsSentences = builder.leaves.contains { if case .repetition = $0.spec { return true } else { return false } }
    }

    /// A reusable evaluator (one per thread).
    public func makeEvaluator() -> RuleEvaluator { RuleEvaluator(engine: self) }

    /// Evaluates a session whose transcript is given as turns (nil: no transcript).
    public func evaluate(session: Session, turns: [Turn]?) -> AutoOutcome {
        var evaluator = makeEvaluator()
        return evaluator.evaluate(session: session, turns: turns)
    }

    /// Evaluates a session directly on its `TranscriptCodec` bytes (nil: no transcript).
    public func evaluate(session: Session, encodedTranscript: UnsafeRawBufferPointer?) throws -> AutoOutcome {
        var evaluator = makeEvaluator()
        return try evaluator.evaluate(session: session, encodedTranscript: encodedTranscript)
    }

    /// The operator kinds used by each item's rule (items without a rule are absent), for `rules stats`.
    public static func ruleKinds(_ rubric: Rubric) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for item in rubric.items { if let rule = item.auto { out[item.id] = rule.kinds(conditions: rubric.conditions) } }
        return out
    }

    // MARK: compilation

    struct Builder {
        let conditions: [String: Condition]
        var patterns: [[UInt8]] = []
        var patternIndex: [[UInt8]: Int32] = [:]
        var leaves: [CompiledLeaf] = []

        mutating func pattern(_ phrase: String) -> Int32 {
            let bytes = TextNormalizer.normalizedBytes(phrase)
            if let id = patternIndex[bytes] { return id }
            let id = Int32(patterns.count)
            patterns.append(bytes)
            patternIndex[bytes] = id
            return id
        }

        mutating func phraseSet(_ phrases: [String]) -> PhraseSet {
            var ids: [Int32] = []
            var texts: [String] = []
            for p in phrases {
                let id = pattern(p)
                if !ids.contains(id) { ids.append(id); texts.append(p) }
            }
            return PhraseSet(ids: ids, texts: texts)
        }

        mutating func compile(_ condition: Condition, severity: Severity?, name: String?, depth: Int) -> RuleNode {
            switch condition {
            case .allOf(let cs):
                return .all(cs.map { compile($0, severity: severity, name: name, depth: depth) }.sorted { $0.cost < $1.cost })
            case .anyOf(let cs):
                return .any(cs.map { compile($0, severity: severity, name: name, depth: depth) }.sorted { $0.cost < $1.cost })
            case .not(let c):
                return .not(compile(c, severity: severity, name: name, depth: depth))
            case .ref(let target):
                // The parser refuses unknown refs and cycles; a hand-built rubric may still have them.
                guard depth < 64, let c = conditions[target] else { return .unknownRef(target) }
                return compile(c, severity: severity, name: target, depth: depth + 1)
            case .leaf(let leaf):
                let compiled = CompiledLeaf(kind: leaf.kind, severity: leaf.severity ?? severity, name: name, spec: leaf.spec)
                switch leaf.spec {
                case .phrases(let spec):
                    compiled.set = phraseSet(spec.phrases)
                    if !spec.before.isEmpty { compiled.set2 = phraseSet(spec.before) }
                    compiled.cost = 2
                case .context(let spec):
                    compiled.set = phraseSet(spec.when)
                    compiled.set2 = phraseSet(spec.then)
                    compiled.cost = 2
                case .regex(let spec):
                    // patterns run on normalized text: their full-width forms are made half-width too
                    let written = TextNormalizer.regexPattern(spec.pattern)
                    compiled.regex = RegexBox(try? NSRegularExpression(pattern: written, options: [.caseInsensitive]))
                    compiled.exclude = spec.exclude.map {
                        RegexBox(try? NSRegularExpression(pattern: TextNormalizer.regexPattern($0), options: [.caseInsensitive]))
                    }
                    if let literal = requiredLiteral(written) { compiled.prefilter = pattern(literal) }
                    else { compiled.digitRun = requiredDigitRun(written) }
                    compiled.cost = 4
                case .repetition: compiled.cost = 3
                case .metadata: compiled.cost = 0
                default: compiled.cost = 1
                }
                leaves.append(compiled)
                return .leaf(leaves.count - 1, cost: compiled.cost)
            }
        }
    }

    /// A pattern that is a sequence of pieces with no alternation: the longest `\d{N...}` / `\d` run it
    /// requires (so turns without such a run of digits can skip the regex); 0 when unknown.
    static func requiredDigitRun(_ pattern: String) -> Int {
        if pattern.contains("|") || pattern.contains("(?") || pattern.contains("(") { return 0 }
        let chars = Array(pattern)
        var best = 0
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" && i + 1 < chars.count && chars[i + 1] == "d" {
                var k = i + 2
                var run = 1
                if k < chars.count && (chars[k] == "?" || chars[k] == "*") { run = 0 }
                else if k < chars.count && chars[k] == "{" {
                    var digits = ""
                    k += 1
                    while k < chars.count && chars[k].isNumber { digits.append(chars[k]); k += 1 }
                    run = Int(digits) ?? 0
                }
                best = max(best, run)
                i += 2
                continue
            }
            if chars[i] == "[" { while i < chars.count && chars[i] != "]" { i += 1 } }
            if chars[i] == "\\" { i += 1 }
            i += 1
        }
        return best
    }

    /// The longest literal every match of `pattern` must contain (for the Aho–Corasick prefilter), or nil
    /// when none can be found safely (alternation, inline options, ...).
    static func requiredLiteral(_ pattern: String) -> String? {
        if pattern.contains("|") || pattern.contains("(?") { return nil }
        var runs: [String] = []
        var current = ""
        let chars = Array(pattern)
        var i = 0
        func endRun() { if !current.isEmpty { runs.append(current) }; current = "" }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                endRun(); i += 2; continue
            case "[":
                endRun()
                i += 1
                while i < chars.count && chars[i] != "]" { if chars[i] == "\\" { i += 1 }; i += 1 }
            case "(":
                endRun()
                var depth = 1
                i += 1
                while i < chars.count && depth > 0 {
                    if chars[i] == "\\" { i += 1 } else if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 }
                    i += 1
                }
                continue
            case "?", "*":
                if !current.isEmpty { current.removeLast() }
                endRun()
            case "{":
                if !current.isEmpty { current.removeLast() }
                endRun()
                while i < chars.count && chars[i] != "}" { i += 1 }
            case "+":
                endRun()
            case ".", "^", "$", ")", "]", "}":
                endRun()
            default:
                current.append(c)
            }
            i += 1
        }
        endRun()
        guard let best = runs.max(by: { TextNormalizer.normalizedBytes($0).count < TextNormalizer.normalizedBytes($1).count }),
              TextNormalizer.normalizedBytes(best).count >= 3 else { return nil }
        return best
    }
}

struct PhraseSet: Sendable {
    var ids: [Int32] = []
    var texts: [String] = []
    @inline(__always) func local(_ pattern: Int32) -> Int? {
        for k in 0..<ids.count where ids[k] == pattern { return k }
        return nil
    }
}

final class RegexBox: @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe for matching.
    let regex: NSRegularExpression?
    init(_ regex: NSRegularExpression?) { self.regex = regex }
}

/// Immutable after the engine is built (a class so evaluation does not copy its fields).
final class CompiledLeaf: @unchecked Sendable {
    var kind: String
    var severity: Severity?
    var name: String?
    var spec: LeafSpec
    var set = PhraseSet()
    var set2 = PhraseSet()
    var regex: RegexBox?
    var exclude: RegexBox?
    var prefilter: Int32 = -1
    /// regex prefilter: a turn needs a run of at least this many ASCII digits (0: none)
    var digitRun = 0
    var cost = 0
    init(kind: String, severity: Severity?, name: String?, spec: LeafSpec) {
        self.kind = kind
        self.severity = severity
        self.name = name
        self.spec = spec
    }
}

indirect enum RuleNode: Sendable {
    case all([RuleNode]), any([RuleNode]), not(RuleNode), leaf(Int, cost: Int), unknownRef(String)
    var cost: Int {
        switch self {
        case .all(let cs), .any(let cs): return cs.map(\.cost).max() ?? 0
        case .not(let c): return c.cost
        case .leaf(_, let cost): return cost
        case .unknownRef: return 0
        }
    }
}

final class CompiledItem: @unchecked Sendable {
    let id: String
    let type: ItemType
    let points: Double
    let levels: [Double]
    let per: Double
    let severityPoints: SeverityPoints?
    let rule: AutoRule?
    let node: RuleNode?
    init(item: RubricItem, rule: AutoRule?, node: RuleNode?) {
        id = item.id
        type = item.type
        points = item.points
        levels = item.levels
        per = item.per
        severityPoints = item.severityPoints
        self.rule = rule
        self.node = node
    }
}

struct Hit {
    var pattern: Int32
    var turn: Int32
    var start: Int32
    var end: Int32
}
