import Foundation

/// Evaluates sessions against a `RuleEngine`. Keeps scratch buffers between sessions, so create one per
/// thread and reuse it; it is cheap to create.
public struct RuleEvaluator {
    public let engine: RuleEngine
    var turns: [TurnHeader] = []
    var hits: [Hit] = []
    /// per turn: the longest run of ASCII digits of its normalized text (when a regex needs it)
    var digitRuns: [Int32] = []
    /// content characters per turn, computed on first use (-1: not yet)
    var charCounts: [Int32] = []
    /// sentences of every turn (when a repetition rule needs them)
    var sentences: [Sentence] = []
    /// scratch for one normalized turn (`withNormalizedTurn`)
    var norm: [UInt8] = []
    /// every turn normalized, one after another, each followed by 0xFF (`ensureScanned`)
    var allNorm: [UInt8] = []
    /// where each turn starts in `allNorm` (one more entry: the end)
    var turnStart: [Int32] = []
    /// the automaton's occurrences in `allNorm`, and its scratch space
    var phraseHits: [PhraseHit] = []
    var phraseSpill: [PhraseHit] = []
    /// the occurrences a counting phrase rule counts (`keepLeftmostLongest`), reused between rules and sessions
    var counted: [Hit] = []
    var scanned = false
    var base: UnsafePointer<UInt8>? = nil
    var hasTranscript = false
    var allEnds = true
    var transcriptEnd = 0.0
    var session: Session? = nil
    var itemID = ""

    static let eps = 1e-9

    init(engine: RuleEngine) { self.engine = engine }

    public mutating func evaluate(session: Session, turns: [Turn]?) -> AutoOutcome {
        guard let turns else { return run(session: session, bytes: nil) }
        let bytes = TranscriptCodec.encode(turns)
        return bytes.withUnsafeBytes { raw in
            // encode() output always decodes
            (try? evaluate(session: session, encodedTranscript: raw)) ?? AutoOutcome(itemIDs: engine.itemIDs)
        }
    }

    public mutating func evaluate(session: Session, encodedTranscript: UnsafeRawBufferPointer?) throws -> AutoOutcome {
        guard let encodedTranscript else { return run(session: session, bytes: nil) }
        try TranscriptCodec.readHeaders(encodedTranscript, into: &turns)
        return run(session: session, bytes: encodedTranscript)
    }

    mutating func run(session: Session, bytes: UnsafeRawBufferPointer?) -> AutoOutcome {
        self.session = session
        hits.removeAll(keepingCapacity: true)
        digitRuns.removeAll(keepingCapacity: true)
        sentences.removeAll(keepingCapacity: true)
        charCounts.removeAll(keepingCapacity: true)
        scanned = false
        hasTranscript = bytes != nil
        if let bytes {
            base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            allEnds = true
            transcriptEnd = 0
            for t in turns {
                if !t.hasEnd { allEnds = false }
                transcriptEnd = max(transcriptEnd, t.endOrAt)
            }
        } else {
            turns.removeAll(keepingCapacity: true)
            base = nil
            allEnds = false
        }
        defer { base = nil; self.session = nil }

        var outcome = AutoOutcome(itemIDs: engine.itemIDs)
        for position in engine.items.indices {
            let item = engine.items[position]
            guard let node = item.node else { continue }  // N/A
            itemID = item.id
            var skips: [SkippedRule] = []
            var result = eval(node, negated: false, skips: &skips)
            guard let holds = result.holds else {
                outcome.skipped.append(contentsOf: skips)
                continue  // N/A
            }
            if !holds && result.findings.isEmpty, let rule = item.rule {
                result.findings.append(Finding(itemID: item.id, rule: rule.kinds().first ?? "rule", ruleName: rule.name,
                                               severity: rule.severity, message: "the rule does not hold"))
            }
            let scored = AutoAnswer.of(type: item.type, levels: item.levels, points: item.points, per: item.per,
                                       severityPoints: item.severityPoints, holds: holds,
                                       findingSeverities: result.findings.lazy.map(\.severity))
            outcome.itemAnswers[position] = scored.answer
            if let lost = scored.deduction { outcome.itemDeductions[position] = lost }
            if !holds { outcome.findings.append(contentsOf: result.findings) }
        }
        return outcome
    }

    struct Result {
        var holds: Bool?
        var findings: [Finding] = []
    }

    // MARK: composition (Kleene three-valued logic: nil = not applicable)

    mutating func eval(_ node: RuleNode, negated: Bool, skips: inout [SkippedRule]) -> Result {
        switch node {
        case .leaf(let index, _):
            let leaf = engine.leaves[index]
            let r = evalLeaf(leaf, wantFindingsWhen: negated)
            if r.holds == nil { skips.append(SkippedRule(itemID: itemID, rule: leaf.kind, reason: r.skip ?? "not applicable")) }
            return Result(holds: r.holds, findings: r.findings)
        case .unknownRef(let name):
            skips.append(SkippedRule(itemID: itemID, rule: "ref", reason: "unknown condition '\(name)'"))
            return Result(holds: nil)
        case .not(let child):
            let r = eval(child, negated: !negated, skips: &skips)
            return Result(holds: r.holds.map { !$0 }, findings: r.findings)
        case .all(let children):
            var holds: Bool? = true
            var findings: [Finding] = []
            for child in children {
                let r = eval(child, negated: negated, skips: &skips)
                findings.append(contentsOf: r.findings)
                // every child is evaluated, a failed one too: each failing child leaves its findings, so a review
                // that rejects one child's findings still finds the item failed by another (stopping at the
                // first let a yes/no item pass once that one was rejected)
                if r.holds == false { holds = false } else if r.holds == nil, holds == true { holds = nil }
            }
            return Result(holds: holds, findings: isBad(holds, negated) ? findings : [])
        case .any(let children):
            var holds: Bool? = false
            var findings: [Finding] = []
            for child in children {
                let r = eval(child, negated: negated, skips: &skips)
                findings.append(contentsOf: r.findings)
                if r.holds == true { holds = true; break } else if r.holds == nil, holds == false { holds = nil }
            }
            return Result(holds: holds, findings: isBad(holds, negated) ? findings : [])
        }
    }

    @inline(__always) func isBad(_ holds: Bool?, _ negated: Bool) -> Bool {
        negated ? holds == true : holds == false
    }

    struct LeafResult {
        var holds: Bool?
        var findings: [Finding] = []
        var skip: String?
        static func skipped(_ reason: String) -> LeafResult { LeafResult(holds: nil, skip: reason) }
    }

    // MARK: turns and text

    @inline(__always) func text(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let t = turns[i]
        return UnsafeBufferPointer(start: base! + Int(t.textStart), count: Int(t.textLength))
    }

    func originalText(_ i: Int) -> String { String(decoding: text(i), as: UTF8.self) }

    /// Original text of the normalized byte range [start, end) of turn i.
    func originalText(_ i: Int, start: Int, end: Int) -> String {
        let src = text(i)
        guard let range = TextNormalizer.sourceRange(src, normalized: start, end) else { return originalText(i) }
        return String(decoding: UnsafeBufferPointer(rebasing: src[range]), as: UTF8.self)
    }

    func inWindow(_ window: TurnWindow?, _ i: Int) -> Bool {
        guard let window else { return true }
        switch window {
        case .firstSeconds(let s): return turns[i].at <= s + Self.eps
        case .beforeSeconds(let s): return turns[i].at < s - Self.eps
        case .lastSeconds(let s): return turns[i].endOrAt >= transcriptEnd - s - Self.eps
        case .firstTurns(let k): return i < k
        case .lastTurns(let k): return i >= turns.count - k
        }
    }

    /// Runs `body` on the normalized bytes of turn i (a reused buffer; valid only inside `body`).
    mutating func withNormalizedTurn<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let src = text(i)
        if norm.count < src.count { norm = [UInt8](repeating: 0, count: max(src.count * 2, 1024)) }
        var buffer = norm
        norm = []
        let result = buffer.withUnsafeMutableBufferPointer { dst -> R in
            let n = TextNormalizer.normalize(src, into: dst.baseAddress!)
            return body(UnsafeBufferPointer(start: dst.baseAddress!, count: n))
        }
        norm = buffer
        return result
    }

    /// The single pass over the transcript: every turn is normalized once into one buffer, each followed by
    /// the byte 0xFF (which is in no pattern, so the automaton is back at its root when a turn starts: no
    /// match spans two turns), and the buffer is scanned once for every phrase of every rule. The same pass
    /// notes digit runs and sentences when rules need them.
    mutating func ensureScanned() {
        guard !scanned else { return }
        scanned = true
        let scan = engine.needsScan, digits = engine.needsDigitRuns, split = engine.needsSentences
        guard scan || digits || split else { return }
        var capacity = 0
        for t in turns { capacity += Int(t.textLength) + 1 }  // normalization never grows text
        if allNorm.count < capacity { allNorm = [UInt8](repeating: 0, count: max(capacity * 2, 4096)) }
        var buffer = allNorm
        allNorm = []
        var found = hits
        var runs = digitRuns
        var said = sentences
        var start = turnStart
        hits = []; digitRuns = []; sentences = []; turnStart = []
        start.removeAll(keepingCapacity: true)
        start.append(contentsOf: repeatElement(0, count: turns.count + 1))
        buffer.withUnsafeMutableBufferPointer { dst in
            let base = dst.baseAddress!
            // turn i's normalized text is base[start[i] ..< start[i + 1] - 1]
            var o = 0
            for i in 0..<turns.count {
                start[i] = Int32(o)
                o += TextNormalizer.normalize(text(i), into: base + o)
                base[o] = 0xFF
                o += 1
            }
            start[turns.count] = Int32(o)
            if scan {
                var occurrences = phraseHits, spill = phraseSpill
                occurrences.removeAll(keepingCapacity: true)
                engine.automaton.scan(UnsafeBufferPointer(start: base, count: o), into: &occurrences, spill: &spill)
                var turn = 0
                for h in occurrences {
                    while h.end >= start[turn + 1] { turn += 1 }
                    let offset = start[turn]
                    found.append(Hit(pattern: h.pattern, turn: Int32(turn), start: h.start - offset, end: h.end - offset))
                }
                phraseHits = occurrences
                phraseSpill = spill
            }
            guard digits || split else { return }
            for i in 0..<turns.count {
                let buf = UnsafeBufferPointer(start: base + Int(start[i]), count: Int(start[i + 1] - start[i]) - 1)
                if digits {
                    var run: Int32 = 0, longest: Int32 = 0
                    for b in buf { if b &- 0x30 < 10 { run += 1; if run > longest { longest = run } } else { run = 0 } }
                    runs.append(longest)
                }
                if split { Self.splitSentences(buf, turn: Int32(i), speaker: turns[i].speaker, into: &said) }
            }
        }
        allNorm = buffer
        turnStart = start
        hits = found
        digitRuns = runs
        sentences = said
    }

    /// Splits normalized text at 。 ! ? ; . … and records each sentence's FNV-1a hash and content length.
    static func splitSentences(_ buf: UnsafeBufferPointer<UInt8>, turn: Int32, speaker: Speaker, into out: inout [Sentence]) {
        var start = 0
        var k = 0
        let n = buf.count
        func cut(_ end: Int) {
            guard end > start else { return }
            let sentence = UnsafeBufferPointer(rebasing: buf[start..<end])
            let c = TextNormalizer.contentCharacters(sentence)
            guard c > 0 else { return }
            var h: UInt64 = 0xcbf29ce484222325
            for b in sentence { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            out.append(Sentence(hash: h, turn: turn, speaker: speaker, chars: Int32(c), start: Int32(start), end: Int32(end)))
        }
        while k < n {
            let b = buf[k]
            if b == 0x2E || b == 0x21 || b == 0x3F || b == 0x3B { cut(k); k += 1; start = k; continue }
            if b == 0xE3, k + 2 < n, buf[k + 1] == 0x80, buf[k + 2] == 0x82 { cut(k); k += 3; start = k; continue }  // 。
            if b == 0xE2, k + 2 < n, buf[k + 1] == 0x80, buf[k + 2] == 0xA6 { cut(k); k += 3; start = k; continue }  // …
            k += 1
        }
        cut(n)
    }

    /// Content characters of turn i (letters, digits, ideographs; no spaces or punctuation), cached.
    mutating func chars(_ i: Int) -> Int {
        if charCounts.isEmpty { charCounts = [Int32](repeating: -1, count: turns.count) }
        if charCounts[i] < 0 { charCounts[i] = Int32(TextNormalizer.contentCharacters(text(i))) }
        return Int(charCounts[i])
    }

    func finding(_ leaf: CompiledLeaf, turn: Int? = nil, matched: String? = nil, measured: Double? = nil, _ message: String) -> Finding {
        Finding(itemID: itemID, rule: leaf.kind, ruleName: leaf.name, turnIndex: turn, at: turn.map { turns[$0].at },
                matchedText: matched, measured: measured, severity: leaf.severity, message: message)
    }

    func hitFinding(_ leaf: CompiledLeaf, _ h: Hit, _ message: String) -> Finding {
        finding(leaf, turn: Int(h.turn), matched: originalText(Int(h.turn), start: Int(h.start), end: Int(h.end)), message)
    }

    // MARK: leaves

    mutating func evalLeaf(_ leaf: CompiledLeaf, wantFindingsWhen want: Bool) -> LeafResult {
        switch leaf.spec {
        case .metadata(let field, let op, let value):
            return metadata(leaf, field, op, value, want)
        default:
            break
        }
        guard hasTranscript else { return .skipped("the session has no transcript") }
        switch leaf.spec {
        case .phrases(let spec): return phrases(leaf, spec, want)
        case .regex(let spec): return regex(leaf, spec, want)
        case .context(let spec): return context(leaf, spec, want)
        case .silence(let longerThan, let afterCustomer, _):
            return silence(leaf, longerThan, afterCustomer, want)
        case .speechRate(let lo, let hi, let perTurn, let speaker, let minChars):
            return speechRate(leaf, lo, hi, perTurn, speaker, minChars, want)
        case .interruption(let leadMs, let minChars, _):
            return interruption(leaf, leadMs, minChars, want)
        case .responseLatency(let seconds, _):
            return latency(leaf, seconds, want)
        case .lateAnswer(let seconds):
            return lateAnswer(leaf, seconds, want)
        case .abnormalHangup(let seconds):
            return hangup(leaf, seconds, want)
        case .repetition(let times, let minChars, let speaker):
            return repetition(leaf, times, minChars, speaker, want)
        case .metadata:
            return .skipped("unreachable")
        }
    }

    /// Holds when the occurrences are within the operator's `allow:` (`LeafSpec.holds(occurrences:)`); the
    /// findings are the occurrences (or, negated, one note).
    func counted(_ leaf: CompiledLeaf, _ occurrences: [Finding], want: Bool, none: String) -> LeafResult {
        let holds = leaf.spec.holds(occurrences: occurrences.count)
        guard holds == want else { return LeafResult(holds: holds) }
        return LeafResult(holds: holds, findings: holds ? [finding(leaf, none)] + occurrences : occurrences)
    }

    mutating func phrases(_ leaf: CompiledLeaf, _ spec: PhraseSpec, _ want: Bool) -> LeafResult {
        ensureScanned()
        // the first marker (said by anyone) limits where required phrases count
        var limitTurn = Int32.max, limitOffset = Int32.max
        if !spec.before.isEmpty {
            for h in hits where leaf.set2.local(h.pattern) != nil {
                if h.turn < limitTurn || (h.turn == limitTurn && h.start < limitOffset) { limitTurn = h.turn; limitOffset = h.start }
            }
            if limitTurn == Int32.max {
                // no marker: nothing to precede, the requirement does not arise
                return LeafResult(holds: true, findings: want ? [finding(leaf, "no marker phrase (\(spec.before.joined(separator: "、"))): nothing to precede")] : [])
            }
        }
        let window = spec.window
        let speaker = spec.speaker
        @inline(__always) func qualifies(_ h: Hit) -> Int? {
            guard let local = leaf.set.local(h.pattern) else { return nil }
            let t = Int(h.turn)
            guard speaker.accepts(turns[t].speaker), inWindow(window, t) else { return nil }
            if h.turn > limitTurn || (h.turn == limitTurn && h.end > limitOffset) { return nil }
            return local
        }
        let n = leaf.set.ids.count
        // fast decision without allocating; findings are built below only when they are wanted
        var holds: Bool
        switch spec.match {
        case .any:
            holds = hits.contains { qualifies($0) != nil }
        case .none:
            // Counting: one occurrence per non-overlapping leftmost-longest match in a turn (see
            // `keepLeftmostLongest`), and one finding per occurrence.
            var kept = counted
            counted = []
            kept.removeAll(keepingCapacity: true)
            for h in hits where qualifies(h) != nil { Self.keepLeftmostLongest(h, in: &kept) }
            holds = leaf.spec.holds(occurrences: kept.count)
            var result = LeafResult(holds: holds)
            if holds == want {
                result.findings = holds ? [finding(leaf, "none of the phrases said")]
                                        : kept.map { hitFinding(leaf, $0, "phrase said where the rule wants none of them") }
            }
            counted = kept
            return result
        case .all, .atLeast:
            var need = n
            if case .atLeast(let k) = spec.match { need = k }
            if n <= 64 {
                var mask: UInt64 = 0
                var turnMask: UInt64 = 0
                var currentTurn: Int32 = -1
                holds = false
                for h in hits {
                    guard let local = qualifies(h) else { continue }
                    if h.turn != currentTurn { currentTurn = h.turn; turnMask = 0 }
                    mask |= 1 << UInt64(local)
                    turnMask |= 1 << UInt64(local)
                    if spec.scope == .turn && turnMask.nonzeroBitCount >= need { holds = true; break }
                }
                if spec.scope == .session { holds = mask.nonzeroBitCount >= need }
            } else {
                var all = Set<Int>()
                var perTurn = Set<Int>()
                var currentTurn: Int32 = -1
                holds = false
                for h in hits {
                    guard let local = qualifies(h) else { continue }
                    if h.turn != currentTurn { currentTurn = h.turn; perTurn.removeAll() }
                    all.insert(local)
                    perTurn.insert(local)
                    if spec.scope == .turn && perTurn.count >= need { holds = true; break }
                }
                if spec.scope == .session { holds = all.count >= need }
            }
        }
        guard holds == want else { return LeafResult(holds: holds) }
        var matched: [Hit] = []
        var locals: [Int] = []
        for h in hits {
            guard let local = qualifies(h) else { continue }
            matched.append(h)
            locals.append(local)
        }
        if holds {
            return LeafResult(holds: true, findings: matched.prefix(8).map { hitFinding(leaf, $0, "phrase said") })
        }
        let said = Set(locals)
        let missing = (0..<n).filter { !said.contains($0) }.map { leaf.set.texts[$0] }
        var message: String
        switch spec.match {
        case .any: message = "none of the phrases said: \(leaf.set.texts.joined(separator: "、"))"
        case .atLeast(let k): message = "fewer than \(k) of the phrases said (\(said.count)); missing: \(missing.joined(separator: "、"))"
        default: message = spec.scope == .turn ? "no single turn says all of: \(leaf.set.texts.joined(separator: "、"))"
                                               : "missing phrases: \(missing.joined(separator: "、"))"
        }
        if let window = spec.window { message += " (\(describe(window)))" }
        if limitTurn != Int32.max { message += " before the marker at turn \(limitTurn)" }
        return LeafResult(holds: false, findings: [finding(leaf, turn: limitTurn != Int32.max ? Int(limitTurn) : nil, message)])
    }

    /// Adds hit `h` to `kept`, the occurrences counted so far, so that `kept` stays the leftmost-longest
    /// non-overlapping selection of the hits given (per turn: the occurrence that starts first, of those
    /// starting there the longest, then the next one starting at or after its end). So with 你自己看 and
    /// 自己看 both listed, "你自己看吧" is one occurrence, and with 不知道 and 知道, "我不知道" is one.
    ///
    /// Hits come in order of their end (the automaton's order; a turn's hits follow the previous turn's), so
    /// the kept occurrences that `h` overlaps are a suffix of `kept` within h's turn, and `h` either loses to
    /// the first of them (which starts before it, or at the same place and is at least as long), or beats it
    /// and replaces the whole suffix: every hit seen so far ends by `h.end`, so nothing after `h` is left.
    @inline(__always) static func keepLeftmostLongest(_ h: Hit, in kept: inout [Hit]) {
        var j = kept.count
        while j > 0, kept[j - 1].turn == h.turn, kept[j - 1].end > h.start { j -= 1 }
        if j == kept.count { kept.append(h); return }
        let first = kept[j]
        guard h.start < first.start || (h.start == first.start && h.end > first.end) else { return }
        kept.removeSubrange(j...)
        kept.append(h)
    }

    func describe(_ w: TurnWindow) -> String {
        switch w {
        case .firstSeconds(let s): return "first \(format(s)) s"
        case .beforeSeconds(let s): return "before \(format(s)) s"
        case .lastSeconds(let s): return "last \(format(s)) s"
        case .firstTurns(let k): return "first \(k) turns"
        case .lastTurns(let k): return "last \(k) turns"
        }
    }

    mutating func regex(_ leaf: CompiledLeaf, _ spec: RegexSpec, _ want: Bool) -> LeafResult {
        guard let regex = leaf.regex?.regex else { return .skipped("the regex does not compile") }
        if leaf.prefilter >= 0 || leaf.digitRun > 0 { ensureScanned() }
        var occurrences: [Finding] = []
        for i in 0..<turns.count {
            guard spec.speaker.accepts(turns[i].speaker), inWindow(spec.window, i) else { continue }
            if leaf.prefilter >= 0, !hits.contains(where: { $0.turn == Int32(i) && $0.pattern == leaf.prefilter }) { continue }
            if leaf.digitRun > 0, Int(digitRuns[i]) < leaf.digitRun { continue }
            // (match, its normalized byte range) or nil; offsets between UTF-16 and UTF-8 are counted on the
            // bytes (String's own index conversions build breadcrumbs for every non-ASCII string)
            let found = withNormalizedTurn(i) { buf -> (NSTextCheckingResult, Range<Int>?)? in
                let s = String(decoding: buf, as: UTF8.self)
                let whole = NSRange(location: 0, length: Self.utf16Offset(buf, utf8: buf.count))
                guard let m = regex.firstMatch(in: s, range: whole) else { return nil }
                if let ex = leaf.exclude?.regex, ex.firstMatch(in: s, range: whole) != nil { return nil }
                guard m.range.location != NSNotFound, let a = Self.utf8Offset(buf, utf16: m.range.location),
                      let b = Self.utf8Offset(buf, utf16: m.range.location + m.range.length) else { return (m, nil) }
                return (m, a..<b)
            }
            guard let found else { continue }
            // present, and findings are not wanted when it holds: the first match decides
            if spec.present && !want { return LeafResult(holds: true) }
            let matched = found.1.map { $0.isEmpty ? "" : originalText(i, start: $0.lowerBound, end: $0.upperBound) }
            occurrences.append(finding(leaf, turn: i, matched: matched, "matches /\(spec.pattern)/"))
        }
        if spec.present {
            let holds = !occurrences.isEmpty
            guard holds == want else { return LeafResult(holds: holds) }
            return LeafResult(holds: holds, findings: holds ? occurrences : [finding(leaf, "no turn matches /\(spec.pattern)/")])
        }
        return counted(leaf, occurrences, want: want, none: "no turn matches /\(spec.pattern)/")
    }

    /// The UTF-16 offset of UTF-8 offset `utf8` in `bytes` (valid UTF-8).
    static func utf16Offset(_ bytes: UnsafeBufferPointer<UInt8>, utf8: Int) -> Int {
        var units = 0
        for k in 0..<utf8 {
            let b = bytes[k]
            if b & 0xC0 != 0x80 { units += b >= 0xF0 ? 2 : 1 }  // a scalar starts; 4-byte ones are surrogate pairs
        }
        return units
    }

    /// The UTF-8 offset of UTF-16 offset `utf16` in `bytes` (valid UTF-8); nil when it falls inside a
    /// surrogate pair or past the end.
    static func utf8Offset(_ bytes: UnsafeBufferPointer<UInt8>, utf16: Int) -> Int? {
        var units = 0
        var k = 0
        while k < bytes.count && units < utf16 {
            let b = bytes[k]
            units += b >= 0xF0 ? 2 : 1
            k += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
        }
        return units == utf16 ? min(k, bytes.count) : nil
    }

    mutating func context(_ leaf: CompiledLeaf, _ spec: ContextSpec, _ want: Bool) -> LeafResult {
        ensureScanned()
        var violations: [Finding] = []
        var satisfied: [Finding] = []
        var lastTurn: Int32 = -1
        // for `follow`, a `when` phrase inside a `then` phrase said in the same breath is no trigger: the
        // disclosure 理财非存款 holds the trigger word 理财, and would otherwise ask for another disclosure after
        // itself (`not_follow` keeps every trigger: a forbidden follower after one is still reported)
        func insideFollower(_ a: Hit) -> Bool {
            hits.contains { b in
                b.turn == a.turn && b.start <= a.start && a.end <= b.end && leaf.set2.local(b.pattern) != nil
                    && spec.thenSpeaker.accepts(turns[Int(b.turn)].speaker)
            }
        }
        for a in hits where a.turn != lastTurn && leaf.set.local(a.pattern) != nil && spec.whenSpeaker.accepts(turns[Int(a.turn)].speaker)
            && !(spec.mustFollow && insideFollower(a)) {
            lastTurn = a.turn  // the first trigger of each turn
            var follower: Hit? = nil
            for b in hits where leaf.set2.local(b.pattern) != nil && spec.thenSpeaker.accepts(turns[Int(b.turn)].speaker) {
                if (b.turn == a.turn && b.start >= a.end) || (b.turn > a.turn && Int(b.turn) <= Int(a.turn) + spec.withinTurns) {
                    follower = b
                    break
                }
            }
            var trigger: String { originalText(Int(a.turn), start: Int(a.start), end: Int(a.end)) }
            if spec.mustFollow {
                if follower == nil {
                    let trigger = trigger
                    violations.append(finding(leaf, turn: Int(a.turn), matched: trigger,
                                              "'\(trigger)' not followed by \(spec.then.joined(separator: "、")) within \(spec.withinTurns) turns"))
                } else if want {
                    let trigger = trigger
                    satisfied.append(finding(leaf, turn: Int(a.turn), matched: trigger, "'\(trigger)' followed as required"))
                }
            } else if let b = follower {
                let trigger = trigger
                let said = originalText(Int(b.turn), start: Int(b.start), end: Int(b.end))
                violations.append(finding(leaf, turn: Int(b.turn), matched: said,
                                          "'\(said)' follows '\(trigger)' (turn \(a.turn)) within \(spec.withinTurns) turns"))
            }
        }
        let holds = violations.isEmpty
        guard holds == want else { return LeafResult(holds: holds) }
        if holds { return LeafResult(holds: true, findings: satisfied.isEmpty ? [finding(leaf, "the order rule holds")] : satisfied) }
        return LeafResult(holds: false, findings: violations)
    }

    func silence(_ leaf: CompiledLeaf, _ longerThan: Double, _ afterCustomer: Bool, _ want: Bool) -> LeafResult {
        guard allEnds else { return .skipped("needs turn end times") }
        var occurrences: [Finding] = []
        guard !turns.isEmpty else { return counted(leaf, [], want: want, none: "no turns") }
        var runningEnd = turns[0].end
        var lastSpeaker = turns[0].speaker
        for i in 1..<turns.count {
            let gap = turns[i].at - runningEnd
            if gap > longerThan + Self.eps && (!afterCustomer || lastSpeaker == .customer) {
                var f = finding(leaf, turn: i, measured: gap,
                                "silence of \(format(round(gap * 100) / 100)) s before turn \(i)\(afterCustomer ? " after the customer spoke" : "")")
                f.at = runningEnd
                occurrences.append(f)
            }
            if turns[i].end >= runningEnd { runningEnd = turns[i].end; lastSpeaker = turns[i].speaker }
        }
        return counted(leaf, occurrences, want: want, none: "no silence longer than \(format(longerThan)) s")
    }

    mutating func speechRate(_ leaf: CompiledLeaf, _ lo: Double?, _ hi: Double?, _ perTurn: Bool, _ speaker: SpeakerFilter,
                    _ minChars: Int, _ want: Bool) -> LeafResult {
        guard allEnds else { return .skipped("needs turn end times") }
        func outside(_ rate: Double) -> Bool { (lo.map { rate < $0 - Self.eps } ?? false) || (hi.map { rate > $0 + Self.eps } ?? false) }
        let band = "[\(lo.map(format) ?? "0"), \(hi.map(format) ?? "∞")] chars/min"
        var occurrences: [Finding] = []
        var total = 0, seconds = 0.0, measured = 0
        for i in 0..<turns.count where speaker.accepts(turns[i].speaker) {
            let c = chars(i)
            let d = turns[i].end - turns[i].at
            guard c >= minChars, c > 0, d > 0 else { continue }
            measured += 1
            if perTurn {
                let rate = Double(c) / d * 60
                if outside(rate) { occurrences.append(finding(leaf, turn: i, measured: rate, "speech rate \(Int(rate.rounded())) chars/min outside \(band)")) }
            } else { total += c; seconds += d }
        }
        // nothing said to measure (no such turn, or none with text and a duration): not applied — full marks
        // for a rate nobody spoke at would be a guess
        guard measured > 0 else { return .skipped("no \(speaker == .any ? "" : "\(speaker.rawValue) ")turn with text, a duration\(minChars > 0 ? " and at least \(minChars) characters" : "") to measure") }
        if !perTurn, seconds > 0 {
            let rate = Double(total) / seconds * 60
            if outside(rate) { occurrences.append(finding(leaf, measured: rate, "average speech rate \(Int(rate.rounded())) chars/min outside \(band)")) }
        }
        return counted(leaf, occurrences, want: want, none: "speech rate within \(band)")
    }

    mutating func interruption(_ leaf: CompiledLeaf, _ leadMs: Double, _ minChars: Int, _ want: Bool) -> LeafResult {
        guard allEnds else { return .skipped("needs turn end times") }
        var occurrences: [Finding] = []
        var lastCustomer: Int? = nil
        for i in 0..<turns.count {
            if turns[i].speaker == .customer { lastCustomer = i; continue }
            guard let c = lastCustomer else { continue }
            let lead = (turns[c].end - turns[i].at) * 1000
            if lead > 1e-6 && lead >= leadMs - 1e-6 && chars(i) >= minChars {
                occurrences.append(finding(leaf, turn: i, matched: originalText(i), measured: lead,
                                           "agent started \(Int(lead.rounded())) ms before the customer (turn \(c)) finished"))
            }
        }
        return counted(leaf, occurrences, want: want, none: "no interruption")
    }

    func latency(_ leaf: CompiledLeaf, _ seconds: Double, _ want: Bool) -> LeafResult {
        var occurrences: [Finding] = []
        var pending: Int? = nil
        for i in 0..<turns.count {
            if turns[i].speaker == .customer { pending = i; continue }
            guard let c = pending else { continue }
            pending = nil
            let gap = turns[i].at - turns[c].endOrAt
            if gap > seconds + Self.eps {
                occurrences.append(finding(leaf, turn: i, measured: gap,
                                           "agent answered \(format(round(gap * 100) / 100)) s after the customer (turn \(c))"))
            }
        }
        return counted(leaf, occurrences, want: want, none: "every answer within \(format(seconds)) s")
    }

    func lateAnswer(_ leaf: CompiledLeaf, _ seconds: Double, _ want: Bool) -> LeafResult {
        let first = turns.firstIndex { $0.speaker == .agent }
        let holds = first.map { turns[$0].at <= seconds + Self.eps } ?? false
        guard holds == want else { return LeafResult(holds: holds) }
        guard let first else { return LeafResult(holds: false, findings: [finding(leaf, "the agent never spoke")]) }
        return LeafResult(holds: holds, findings: [finding(leaf, turn: first, measured: turns[first].at,
                                                            "first agent turn at \(format(turns[first].at)) s (limit \(format(seconds)) s)")])
    }

    func hangup(_ leaf: CompiledLeaf, _ seconds: Double, _ want: Bool) -> LeafResult {
        // The connection's length (ended_at − started_at); handle_seconds may include after-call work.
        guard let session, let start = Timestamp.parse(session.startedAt), let end = Timestamp.parse(session.endedAt) else {
            return .skipped("the session has no valid started_at/ended_at")
        }
        guard allEnds else { return .skipped("needs turn end times") }
        let gap = (end - start) - transcriptEnd
        let holds = gap <= seconds + Self.eps
        guard holds == want else { return LeafResult(holds: holds) }
        return LeafResult(holds: holds, findings: [finding(leaf, turn: turns.isEmpty ? nil : turns.count - 1, measured: gap,
                                                            "the session ended \(format(round(gap * 100) / 100)) s after the last turn (limit \(format(seconds)) s)")])
    }

    mutating func repetition(_ leaf: CompiledLeaf, _ times: Int, _ minChars: Int, _ speaker: SpeakerFilter, _ want: Bool) -> LeafResult {
        ensureScanned()
        // sentences are compared by a 64-bit FNV-1a hash of their normalized bytes
        var seen: [(hash: UInt64, count: Int, first: Int)] = []
        for (index, sentence) in sentences.enumerated() where sentence.chars >= minChars && speaker.accepts(sentence.speaker) {
            if let k = seen.firstIndex(where: { $0.hash == sentence.hash }) { seen[k].count += 1 }
            else { seen.append((sentence.hash, 1, index)) }
        }
        var occurrences: [Finding] = []
        for e in seen where e.count >= times {
            let first = sentences[e.first]
            occurrences.append(finding(leaf, turn: Int(first.turn), matched: originalText(Int(first.turn), start: Int(first.start), end: Int(first.end)),
                                       measured: Double(e.count), "the same sentence said \(e.count) times"))
        }
        return counted(leaf, occurrences, want: want, none: "no sentence repeated \(times) times")
    }

    func metadata(_ leaf: CompiledLeaf, _ field: MetadataField, _ op: MetadataOp, _ value: MetadataValue, _ want: Bool) -> LeafResult {
        guard let s = session else { return .skipped("no session") }
        let actual: MetadataValue?
        switch field {
        case .handleSeconds: actual = s.handleSeconds.map { .number($0) }
        case .firstResponseSeconds: actual = s.firstResponseSeconds.map { .number($0) }
        case .waitSeconds: actual = s.waitSeconds.map { .number($0) }
        case .csat: actual = s.csat.map { .number(Double($0)) }
        case .resolved: actual = s.resolved.map { .bool($0) }
        case .transferred: actual = s.transferred.map { .bool($0) }
        case .channel: actual = .text(s.channel.rawValue)
        case .turnCount: actual = hasTranscript ? .number(Double(turns.count)) : nil
        }
        guard let actual else { return .skipped("the session has no \(field.rawValue)") }
        let holds: Bool
        switch (actual, value) {
        case (.number(let a), .number(let b)):
            switch op {
            case .lt: holds = a < b
            case .le: holds = a <= b
            case .gt: holds = a > b
            case .ge: holds = a >= b
            case .eq: holds = a == b
            case .ne: holds = a != b
            }
        default:
            holds = op == .eq ? actual == value : actual != value
        }
        guard holds == want else { return LeafResult(holds: holds) }
        let shown: String
        var measured: Double? = nil
        switch actual {
        case .number(let a): shown = format(a); measured = a
        case .bool(let b): shown = b ? "true" : "false"; measured = b ? 1 : 0
        case .text(let t): shown = t
        }
        let expected: String
        switch value {
        case .number(let b): expected = format(b)
        case .bool(let b): expected = b ? "true" : "false"
        case .text(let t): expected = t
        }
        return LeafResult(holds: holds, findings: [finding(leaf, measured: measured,
                                                            "\(field.rawValue) = \(shown)\(holds ? "" : ", expected") \(op.rawValue) \(expected)")])
    }
}

struct Sentence {
    var hash: UInt64
    var turn: Int32
    var speaker: Speaker
    var chars: Int32
    /// normalized byte range in its turn
    var start: Int32
    var end: Int32
}
