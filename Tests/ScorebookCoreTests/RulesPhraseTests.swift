import XCTest
@testable import ScorebookCore

final class RulesPhraseTests: XCTestCase {
    // MARK: normalization and the automaton

    func testNormalizationFoldsWidthCaseAndWhitespace() {
        XCTAssertEqual(TextNormalizer.normalize("　ＨＥＬＬＯ，您 好！\n"), "hello,您好!")
        // every Unicode space (thin, em, narrow no-break, ... from ASR and pasted chat) and zero-width ones
        for space in ["\u{0085}", "\u{1680}", "\u{2000}", "\u{2002}", "\u{2003}", "\u{2009}", "\u{200A}", "\u{200B}",
                      "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{FEFF}"] {
            XCTAssertEqual(TextNormalizer.normalize("请\(space)稍等"), "请稍等", "U+\(String(space.unicodeScalars.first!.value, radix: 16))")
        }
        // neighbours that are not spaces stay: U+200C (joiner), U+2010 (hyphen), U+2030 (per mille)
        XCTAssertEqual(TextNormalizer.normalize("a\u{200C}b\u{2010}c\u{2030}"), "a\u{200C}b\u{2010}c\u{2030}")
        XCTAssertEqual(TextNormalizer.normalize("工号ＡＢ１０２４"), "工号ab1024")
        XCTAssertEqual(TextNormalizer.normalize("请稍等。"), "请稍等。")  // Chinese full stop is kept
    }

    func testScanNormalizationAgreesWithTheRulesAndMapsBackToTheSource() {
        // the transcript scan's normalization (into a raw buffer, CJK fast path) gives the same bytes as the
        // String form, and what the rules say
        let samples = ["　ＨＥＬＬＯ，您 好！\n": "hello,您好!", "工号ＡＢ１０２４": "工号ab1024", "请稍等。": "请稍等。", "": "",
                       " ": "", "\u{00A0}x\u{3000}y": "xy", "ｚ您ＡＢｃ 好\t": "z您abc好", "한국어 text é ü": "한국어textéü",
                       "😀 emoji 您好": "😀emoji您好", "￥１００元，～": "￥100元,~"]
        for (text, expected) in samples {
            let src = Array(text.utf8)
            var dst = [UInt8](repeating: 0, count: src.count)
            let n = src.withUnsafeBufferPointer { s in dst.withUnsafeMutableBufferPointer { TextNormalizer.normalize(s, into: $0.baseAddress!) } }
            XCTAssertEqual(String(decoding: dst[0..<n], as: UTF8.self), expected, text)
            XCTAssertEqual(TextNormalizer.normalize(text), expected, text)
        }
        // normalized "hello,您好" ← "　ＨＥＬＬＯ，您 好"; bytes 2..<4 are "ll" ← "ＬＬ", 6..<12 "您好" ← "您 好"
        let src = Array("　ＨＥＬＬＯ，您 好！".utf8)
        src.withUnsafeBufferPointer { s in
            XCTAssertEqual(TextNormalizer.sourceRange(s, normalized: 2, 4).map { String(decoding: src[$0], as: UTF8.self) }, "ＬＬ")
            XCTAssertEqual(TextNormalizer.sourceRange(s, normalized: 6, 12).map { String(decoding: src[$0], as: UTF8.self) }, "您 好")
            XCTAssertNil(TextNormalizer.sourceRange(s, normalized: 6, 99))
            XCTAssertNil(TextNormalizer.sourceRange(s, normalized: 3, 3))
        }
    }

    func testAutomatonFindsOverlappingPatternsInOnePass() {
        let patterns = ["he", "she", "his", "hers"].map { Array($0.utf8) }
        let automaton = PhraseAutomaton(patterns: patterns)
        func scan(_ automaton: PhraseAutomaton, _ text: String) -> [String] {
            var hits: [PhraseHit] = [], spill: [PhraseHit] = []
            Array(text.utf8).withUnsafeBufferPointer { automaton.scan($0, into: &hits, spill: &spill) }
            return hits.map { "\($0.pattern)@\($0.start)-\($0.end)" }
        }
        XCTAssertEqual(scan(automaton, "ushers").sorted(), ["0@2-4", "1@1-4", "3@2-6"])  // she, he, hers
        let zh = PhraseAutomaton(patterns: [Array("您好".utf8), Array("好".utf8)])
        XCTAssertEqual(scan(zh, "您好，你好").count, 3)  // 您好, 好, 好
    }

    func testPhrasesNeverMatchAcrossTurnsAndKeepTheirTurnAndOffsets() throws {
        // All turns are scanned as one buffer: a phrase split over two turns is not said, and each hit keeps
        // its own turn and its place in that turn (empty and whitespace-only turns in between).
        let item = "{id: ban, text: 服务禁语, type: deduction, points: 10, per: 1, auto: {phrases_forbidden: {phrases: [不知道, 您好]}}}"
        let engine = try rulesEngine([item])
        let split = engine.evaluate(session: testSession(), turns: [ag(1, 2, "我不"), ag(3, 4, "知道"), ag(5, 6, "您"), ag(7, 8, "好")])
        XCTAssertEqual(split.answers["ban"], .number(0))
        let turns = [ag(1, 2, ""), ag(3, 4, "  "), ag(5, 6, "您 好，我　不知道"), cu(7, 8, "不知道"), ag(9, 10, "不知道")]
        let outcome = engine.evaluate(session: testSession(), turns: turns)
        XCTAssertEqual(outcome.answers["ban"], .number(3))
        XCTAssertEqual(outcome.findings.map(\.turnIndex), [2, 2, 4])
        XCTAssertEqual(outcome.findings.map(\.matchedText), ["您 好", "不知道", "不知道"])
        XCTAssertEqual(outcome.findings.map(\.at), [5, 5, 9])
    }

    func testAutomatonAgreesWithABruteForceSearch() {
        // The scan cuts the text in two at a byte in no pattern and scans the halves in lockstep; whatever the
        // cut, it must find exactly what a naive search finds, in order of their end.
        let patterns = ["您好", "好", "不知道", "知道了", "ab", "bab", "了"].map { Array($0.utf8) }
        let automaton = PhraseAutomaton(patterns: patterns)
        let pieces = ["您", "好", "不", "知", "道", "了", "a", "b", "。", "x", " "]
        var rng = SeededRandom(seed: 42)
        for length in 0..<60 {
            for _ in 0..<20 {
                let text = Array((0..<length).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined().utf8)
                var expected: [PhraseHit] = []
                if !text.isEmpty {
                    for end in 1...text.count {
                        for (id, p) in patterns.enumerated() where p.count <= end && Array(text[(end - p.count)..<end]) == p {
                            expected.append(PhraseHit(pattern: Int32(id), start: Int32(end - p.count), end: Int32(end)))
                        }
                    }
                }
                var hits: [PhraseHit] = [], spill: [PhraseHit] = []
                text.withUnsafeBufferPointer { automaton.scan($0, into: &hits, spill: &spill) }
                let order = { (x: PhraseHit, y: PhraseHit) in (x.end, x.pattern) < (y.end, y.pattern) }
                XCTAssertEqual(hits.sorted(by: order), expected.sorted(by: order), String(decoding: text, as: UTF8.self))
                XCTAssertEqual(hits.map(\.end), hits.map(\.end).sorted(), "in order of their end")
            }
        }
    }

    // MARK: greeting_within

    let greeting = "{greeting_within: {phrases: [您好, 你好], seconds: 10}}"

    func testGreetingPassFailAndExactThreshold() throws {
        XCTAssertEqual(try answerX(greeting, [ag(2, 4, "您好，视频客服工号1024为您服务")]), .yes)
        XCTAssertEqual(try answerX(greeting, [ag(12, 14, "您好，这里是视频客服")]), .no)
        // "an agent turn containing one of the phrases before N seconds": exactly at N is not before N
        XCTAssertEqual(try answerX(greeting, [ag(10, 12, "您好")]), .no, "a turn starting exactly at N seconds fails")
        XCTAssertEqual(try answerX(greeting, [ag(9.99, 12, "您好")]), .yes)
        XCTAssertEqual(try answerX(greeting, [ag(10.01, 12, "您好")]), .no)
        XCTAssertEqual(try answerX(greeting, [ag(1, 2, "喂？"), ag(3, 4, "请问有什么可以帮您")]), .no)
    }

    func testGreetingSpeakerFilterAndWidth() throws {
        XCTAssertEqual(try answerX(greeting, [cu(1, 2, "您好"), ag(3, 4, "请讲")]), .no, "a customer's 您好 does not count")
        XCTAssertEqual(try answerX("{greeting_within: {phrases: [ABC银行], seconds: 10}}", [ag(1, 3, "　ａｂｃ 银行，您好")]), .yes)
        XCTAssertEqual(try answerX("{greeting_within: {phrases: ['  您好 '], seconds: 10}}", [ag(1, 3, "您　好")]), .yes)
    }

    func testGreetingFindingEvidence() throws {
        let (answer, outcome) = try evalX(greeting, [ag(15, 16, "您好")])
        XCTAssertEqual(answer, .no)
        XCTAssertEqual(outcome.findings.count, 1)
        XCTAssertEqual(outcome.findings[0].itemID, "x")
        XCTAssertEqual(outcome.findings[0].rule, "greeting_within")
        XCTAssertTrue(outcome.findings[0].message.contains("before 10 s"), outcome.findings[0].message)
    }

    // MARK: phrases_required

    func testRequiredAnyAllAndLastWindow() throws {
        let closing = "{phrases_required: {phrases: [还有什么可以帮您, 感谢您的来电], match: all, window: last 30s}}"
        let good = [ag(0, 2, "您好"), cu(3, 60, "我想查余额"), ag(61, 200, "好的已为您查询"),
                    ag(201, 205, "请问还有什么可以帮您？"), cu(206, 207, "没有了"), ag(208, 210, "感谢您的来电，再见")]
        XCTAssertEqual(try answerX(closing, good), .yes)
        var early = good
        early[3] = ag(100, 101, "请问还有什么可以帮您？")  // outside the last 30 s
        let (answer, outcome) = try evalX(closing, early)
        XCTAssertEqual(answer, .no)
        XCTAssertTrue(outcome.findings[0].message.contains("还有什么可以帮您"), outcome.findings[0].message)
        XCTAssertEqual(try answerX("{phrases_required: {phrases: [还有什么可以帮您, 感谢您的来电], match: any, window: last 30s}}", early), .yes)
    }

    func testRequiredBeforeMarker() throws {
        let rule = "{phrases_required: {phrases: [理财非存款, 投资有风险], before: [为您办理], speaker: agent}}"
        XCTAssertEqual(try answerX(rule, [ag(1, 3, "您好"), ag(5, 9, "理财非存款，投资有风险"), cu(10, 11, "好"), ag(12, 14, "现在为您办理")]), .yes)
        XCTAssertEqual(try answerX(rule, [ag(1, 3, "您好"), ag(5, 9, "现在为您办理"), ag(10, 12, "投资有风险")]), .no, "disclosure after the marker")
        XCTAssertEqual(try answerX(rule, [ag(1, 3, "您好"), ag(5, 9, "余额已查询")]), .yes, "no transaction: nothing to precede")
        XCTAssertEqual(try answerX(rule, [ag(5, 9, "投资有风险，现在为您办理")]), .yes, "same turn, before the marker")
    }

    // MARK: phrases_forbidden and deduction severities

    func testForbiddenCountsOccurrencesForDeduction() throws {
        let item = "{id: ban, text: 服务禁语, type: deduction, points: 10, severity: {light: 1, moderate: 3, severe: 5}, auto: {severity: moderate, phrases_forbidden: {phrases: [不知道, 自己看]}}}"
        let engine = try rulesEngine([item])
        let turns = [ag(1, 2, "您好"), cu(3, 4, "这是什么费用"), ag(5, 8, "我不知道，你自己看"), ag(9, 10, "真的不知道")]
        let outcome = engine.evaluate(session: testSession(), turns: turns)
        XCTAssertEqual(outcome.answers["ban"], .number(3))
        XCTAssertEqual(outcome.deductions["ban"], 9)
        XCTAssertEqual(outcome.findings.map(\.matchedText), ["不知道", "自己看", "不知道"])
        XCTAssertEqual(outcome.findings.map(\.turnIndex), [2, 2, 3])
        XCTAssertEqual(outcome.findings[0].at, 5)
        XCTAssertEqual(outcome.findings[0].severity, .moderate)
        let score = InspectionScoring.score(engine.rubric, answers: outcome.answers, deductions: outcome.deductions)
        XCTAssertEqual(score.score!, 10, accuracy: 1e-9)  // 100 × (10 − 9) / 10

        let clean = engine.evaluate(session: testSession(), turns: [ag(1, 2, "您好")])
        XCTAssertEqual(clean.answers["ban"], .number(0))
        XCTAssertEqual(clean.deductions["ban"], 0)
        // a customer saying it does not count (speaker defaults to agent)
        XCTAssertEqual(engine.evaluate(session: testSession(), turns: [cu(1, 2, "你自己看嘛")]).answers["ban"], .number(0))
    }

    /// Occurrences are counted as non-overlapping matches per turn, leftmost first and, from one place, the
    /// longest (the shipped form lists both 你自己看 and 自己看): one utterance is one occurrence, one finding.
    func testForbiddenCountsNonOverlappingLeftmostLongestOccurrences() throws {
        let item = "{id: ban, text: 服务禁语, type: deduction, points: 10, per: 2, auto: {phrases_forbidden: {phrases: [不知道, 你自己看, 自己看, 知道]}}}"
        let engine = try rulesEngine([item])
        func check(_ turns: [Turn], _ matched: [String], _ turnIndices: [Int], line: UInt = #line) {
            let o = engine.evaluate(session: testSession(), turns: turns)
            XCTAssertEqual(o.answers["ban"], .number(Double(matched.count)), line: line)
            XCTAssertEqual(o.deductions["ban"], 2 * Double(matched.count), line: line)
            XCTAssertEqual(o.findings.map(\.matchedText), matched, line: line)
            XCTAssertEqual(o.findings.map(\.turnIndex), turnIndices, line: line)
        }
        check([ag(1, 2, "你自己看吧")], ["你自己看"], [0])                         // 自己看 lies inside 你自己看
        check([ag(1, 2, "我不知道")], ["不知道"], [0])                             // 知道 lies inside 不知道
        check([ag(1, 2, "你自己看，自己看着办")], ["你自己看", "自己看"], [0, 0])  // two separate occurrences
        check([ag(1, 2, "你自己看吧"), ag(3, 4, "自己看")], ["你自己看", "自己看"], [0, 1])
        check([ag(1, 2, "不知道知道")], ["不知道", "知道"], [0, 0])                // adjacent, not overlapping

        // leftmost wins over longest: 你自己 starts first, so 自己看吧 (overlapping it) does not count
        let leftmost = try rulesEngine(["{id: ban, text: 禁语, type: deduction, points: 10, per: 2, auto: {phrases_forbidden: {phrases: [自己看吧, 你自己]}}}"])
        let l = leftmost.evaluate(session: testSession(), turns: [ag(1, 2, "你自己看吧")])
        XCTAssertEqual(l.answers["ban"], .number(1))
        XCTAssertEqual(l.findings.map(\.matchedText), ["你自己"])
        // from one start, the longest: 自己看 rather than 自己
        let longest = try rulesEngine(["{id: ban, text: 禁语, type: deduction, points: 10, per: 2, auto: {phrases_forbidden: {phrases: [自己, 自己看]}}}"])
        XCTAssertEqual(longest.evaluate(session: testSession(), turns: [ag(1, 2, "自己看")]).findings.map(\.matchedText), ["自己看"])
        // keywords `match: none` counts the same way against its allowance: 我不知道 is one occurrence ≤ allow 1
        XCTAssertEqual(try answerX("{keywords: {phrases: [不知道, 知道], match: none, allow: 1}}", [ag(1, 2, "我不知道")]), .yes)
        XCTAssertEqual(try answerX("{phrases_forbidden: {phrases: [你自己看, 自己看], allow: 1}}", [ag(1, 2, "你自己看吧")]), .yes)
    }

    /// The one-pass selection over the automaton's hits (in order of their end) equals the plain definition:
    /// from the left, the first place a phrase starts, the longest phrase there, then on after it.
    func testOccurrenceSelectionAgreesWithAPlainLeftToRightSearch() throws {
        let phrases = ["a", "ab", "bab", "abab", "ba", "c"]
        var rng = SeededRandom(seed: 7)
        for _ in 0..<40 {
            let listed = phrases.filter { _ in rng.next() % 2 == 0 }
            guard !listed.isEmpty else { continue }
            let engine = try rulesEngine(["{id: ban, text: 禁语, type: deduction, points: 100, per: 1, auto: {phrases_forbidden: {phrases: [\(listed.joined(separator: ", "))]}}}"])
            for length in 0..<14 {
                let turns = (0..<2).map { k in ag(Double(k), Double(k) + 1, String((0..<length).map { _ in Array("abcx")[Int(rng.next() % 4)] })) }
                var expected: [String] = []
                for turn in turns {
                    let text = Array(turn.text)
                    var i = 0
                    while i < text.count {
                        let here = listed.filter { p in text.count - i >= p.count && String(text[i..<(i + p.count)]) == p }
                        guard let longest = here.max(by: { $0.count < $1.count }) else { i += 1; continue }
                        expected.append(longest)
                        i += longest.count
                    }
                }
                let outcome = engine.evaluate(session: testSession(), turns: turns)
                XCTAssertEqual(outcome.findings.map { $0.matchedText ?? "" }, expected, "\(listed) \(turns.map(\.text))")
            }
        }
    }

    func testForbiddenMatchedTextIsOriginal() throws {
        let (_, outcome) = try evalX("{phrases_forbidden: {phrases: [SB]}}", [ag(1, 2, "你真是Ｓ Ｂ")])
        XCTAssertEqual(outcome.findings.first?.matchedText, "Ｓ Ｂ")
    }

    func testLeafSeverityOverridesRuleSeverityPerFinding() throws {
        let item = "{id: d, text: 扣分, type: deduction, points: 10, severity: {light: 1, moderate: 2, severe: 6}, auto: {severity: light, all_of: [{phrases_forbidden: {phrases: [滚]}}, {phrases_forbidden: {phrases: [投诉也没用], severity: severe}}]}}"
        let engine = try rulesEngine([item])
        let outcome = engine.evaluate(session: testSession(), turns: [ag(1, 2, "滚"), ag(3, 4, "你投诉也没用")])
        XCTAssertEqual(outcome.answers["d"], .number(2))
        XCTAssertEqual(outcome.deductions["d"], 7)
        XCTAssertEqual(outcome.findings.map(\.severity), [.light, .severe])
    }

    // MARK: keywords

    func testKeywordsMatchModes() throws {
        let turns = [ag(1, 3, "您好"), ag(4, 6, "请稍等"), ag(7, 9, "谢谢")]
        XCTAssertEqual(try answerX("{keywords: {phrases: [您好, 请稍等, 再见], match: 2}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [您好, 请稍等, 再见], match: 3}}", turns), .no)
        XCTAssertEqual(try answerX("{keywords: {phrases: [您好, 请稍等, 谢谢], match: all}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [您好, 请稍等, 谢谢], match: all, scope: turn}}", turns), .no)
        XCTAssertEqual(try answerX("{keywords: {phrases: [您好, 谢谢], match: all, scope: turn}}", [ag(1, 3, "您好，谢谢")]), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [再见], match: none}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [谢谢], match: none}}", turns), .no)
        XCTAssertEqual(try answerX("{keywords: {phrases: [谢谢], match: none, allow: 1}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [谢谢]}}", turns), .yes, "match defaults to any")
    }

    func testKeywordsSpeakerAndTurnWindows() throws {
        let turns = [ag(0, 2, "您好"), cu(3, 5, "我要投诉"), ag(6, 8, "非常抱歉"), cu(9, 10, "算了"), ag(11, 12, "再见")]
        XCTAssertEqual(try answerX("{keywords: {phrases: [投诉], speaker: customer}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [投诉]}}", turns), .no, "speaker defaults to agent")
        XCTAssertEqual(try answerX("{keywords: {phrases: [投诉], speaker: any}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [抱歉], window: first 3 turns}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [抱歉], window: first 2 turns}}", turns), .no)
        XCTAssertEqual(try answerX("{keywords: {phrases: [您好], window: last 2 turns}}", turns), .no)
        XCTAssertEqual(try answerX("{keywords: {phrases: [再见], window: last 1 turn}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [抱歉], window: first 6 s}}", turns), .yes)
        XCTAssertEqual(try answerX("{keywords: {phrases: [抱歉], window: first 5.9 s}}", turns), .no)
        XCTAssertEqual(try answerX("{keywords: {phrases: [抱歉], window: last 4s}}", turns), .yes, "ends exactly at 12 − 4")
        XCTAssertEqual(try answerX("{keywords: {phrases: [抱歉], window: last 3.9s}}", turns), .no)
        XCTAssertEqual(try answerX("{keywords: {phrases: [抱歉], window: last 4 seconds}}", [ag(6, 8, "非常抱歉"), ag(9, 12, "好")]), .yes)
    }

    // MARK: regex

    func testRegexWithExclusionAndAbsent() throws {
        let leak = #"{regex: {pattern: '\d{6,}', exclude: '工号\d+', expect: absent}}"#
        XCTAssertEqual(try answerX(leak, [ag(1, 3, "我的工号1024567")]), .yes, "excluded turn does not count")
        let (answer, outcome) = try evalX(leak, [ag(1, 3, "您的卡号是６２２２０２１２３４")])
        XCTAssertEqual(answer, .no, "full-width digits are matched after normalization")
        XCTAssertEqual(outcome.findings.first?.matchedText, "６２２２０２１２３４")
        XCTAssertEqual(try answerX(#"{regex: {pattern: '\d{6,}', expect: absent, speaker: agent}}"#, [cu(1, 3, "卡号622202")]), .yes)
        XCTAssertEqual(try answerX(#"{regex: {pattern: '工号\s*\d{4}'}}"#, [ag(1, 3, "您好，工号 1024")]), .yes)
        XCTAssertEqual(try answerX(#"{regex: {pattern: '工号\d{4}'}}"#, [ag(1, 3, "您好")]), .no)
    }

    func testRegexEvidenceAfterEmojiAndChineseKeepsTheOriginalWords() throws {
        // UTF-16 offsets from the regex engine are mapped back to the UTF-8 bytes: an emoji before the match
        // is a surrogate pair (2 units, 4 bytes), a Chinese character 1 unit and 3 bytes.
        let (answer, outcome) = try evalX(#"{regex: {pattern: '\d{6,}', expect: absent}}"#, [ag(1, 3, "😀好的，卡号 ６２２２０２ 请核对")])
        XCTAssertEqual(answer, .no)
        XCTAssertEqual(outcome.findings.map(\.matchedText), ["６２２２０２"])
        Array("a😀好b".utf8).withUnsafeBufferPointer { bytes in
            XCTAssertEqual(RuleEvaluator.utf16Offset(bytes, utf8: bytes.count), 5)  // a, 😀 (2), 好, b
            XCTAssertEqual((0...5).map { RuleEvaluator.utf8Offset(bytes, utf16: $0) }, [0, 1, nil, 5, 8, 9])
            XCTAssertNil(RuleEvaluator.utf8Offset(bytes, utf16: 6))
        }
        // present with a match: holds, whichever turn matches first
        XCTAssertEqual(try answerX(#"{regex: {pattern: '工号\d{4}'}}"#, [ag(1, 3, "😀"), ag(4, 5, "工号1024，工号2048")]), .yes)
    }

    /// A pattern typed with full-width punctuation (`卡号：`, as a Chinese author types it) ran on text whose
    /// `：` had become `:`: a red-line rule that could never fire, accepted by `rubric check`.
    func testARegexsFullWidthFormsAreReadAsHalfWidth() throws {
        XCTAssertEqual(TextNormalizer.regexPattern(#"卡号：\d{4}"#), #"卡号\:\d{4}"#)
        XCTAssertEqual(TextNormalizer.regexPattern("（ＶＩＰ）\u{3000}客户"), #"\(VIP\)客户"#, "a literal parenthesis, not a group")
        XCTAssertEqual(TextNormalizer.regexPattern(#"\d{16,19}"#), #"\d{16,19}"#)
        XCTAssertEqual(TextNormalizer.regexPattern("[０－９]{4}"), "[0-9]{4}", "a range inside a class stays a range")
        XCTAssertEqual(TextNormalizer.regexPattern(#"\：x"#), #"\:x"#, "already escaped: not twice")
        XCTAssertEqual(try answerX(#"{regex: {pattern: '尾号[０－９]{4}'}}"#, [ag(1, 3, "尾号7890")]), .yes)
        let leak = #"{regex: {pattern: '卡号：\d{4}', expect: absent}}"#
        XCTAssertEqual(try answerX(leak, [ag(1, 3, "您的卡号：6222 0212 3456 7890。")]), .no)
        XCTAssertEqual(try answerX(leak, [ag(1, 3, "您的卡号:6222")]), .no)
        XCTAssertEqual(try answerX(leak, [ag(1, 3, "卡号后四位")]), .yes)
        XCTAssertEqual(try answerX(#"{regex: {pattern: '（ＶＩＰ）'}}"#, [ag(1, 3, "您是(vip)客户")]), .yes)
    }

    func testRegexPrefilterLiteral() {
        XCTAssertEqual(RuleEngine.requiredLiteral(#"工号\d{4}"#), "工号")
        XCTAssertEqual(RuleEngine.requiredLiteral(#"请问(您)?还有什么"#), "还有什么")
        XCTAssertNil(RuleEngine.requiredLiteral("您好|你好"))
        XCTAssertNil(RuleEngine.requiredLiteral(#"\d+"#))
        XCTAssertEqual(RuleEngine.requiredLiteral("abcd?"), "abc")
    }

    // MARK: context / order

    func testContextMustFollow() throws {
        let rule = "{context: {when: [我需要核实], then: [工单, 回复您], within_turns: 2}}"
        XCTAssertEqual(try answerX(rule, [ag(1, 2, "我需要核实一下"), cu(3, 4, "好"), ag(5, 6, "已为您登记工单")]), .yes)
        XCTAssertEqual(try answerX(rule, [ag(1, 2, "我需要核实一下"), cu(3, 4, "好"), cu(5, 6, "嗯"), ag(7, 8, "已为您登记工单")]), .no)
        XCTAssertEqual(try answerX(rule, [ag(1, 2, "我需要核实，稍后回复您")]), .yes, "same turn after the trigger")
        XCTAssertEqual(try answerX(rule, [ag(1, 2, "回复您之前我需要核实")]), .no, "before the trigger does not count")
        XCTAssertEqual(try answerX(rule, [ag(1, 2, "您好")]), .yes, "no trigger")
        let apology = "{context: {when: [投诉], when_speaker: customer, then: [抱歉, 对不起], then_speaker: agent, within_turns: 1}}"
        XCTAssertEqual(try answerX(apology, [cu(1, 2, "我要投诉"), ag(3, 4, "非常抱歉")]), .yes)
        XCTAssertEqual(try answerX(apology, [cu(1, 2, "我要投诉"), ag(3, 4, "请讲"), ag(5, 6, "抱歉")]), .no)
        XCTAssertEqual(try answerX(apology, [ag(1, 2, "可以投诉"), ag(3, 4, "请讲")]), .yes, "the agent's word is no trigger")
    }

    /// The shipped risk-disclosure rule's disclosure 理财非存款 holds its own trigger word 理财: the disclosure
    /// turn asked for another disclosure after itself, and a red-line section fell to 0 (score 97.5 → 82.5).
    /// A trigger inside a follower of the same turn is no trigger; one beside it still is.
    func testATriggerInsideItsOwnFollowerIsNoTrigger() throws {
        let rule = "{context: {when: [理财, 基金], then: [理财非存款, 投资有风险], within_turns: 2}}"
        XCTAssertEqual(try answerX(rule, [cu(1, 2, "我想买点理财"), ag(3, 4, "好的，先提示您：理财非存款。"),
                                          cu(5, 6, "好"), ag(7, 8, "还有别的吗")]), .yes)
        XCTAssertEqual(try answerX(rule, [ag(1, 2, "理财非存款")]), .yes, "the disclosure alone")
        let (answer, outcome) = try evalX(rule, [ag(1, 2, "理财非存款，这只基金不错"), cu(3, 4, "嗯"), cu(5, 6, "嗯"), ag(7, 8, "好")])
        XCTAssertEqual(answer, .no, "基金 comes after the disclosure: it needs its own")
        XCTAssertEqual(outcome.findings.map(\.matchedText), ["基金"])
        XCTAssertEqual(try answerX(rule, [ag(1, 2, "这款理财，投资有风险")]), .yes)
    }

    func testContextMustNotFollow() throws {
        let rule = "{context: {when: [理财产品], then: [保本, 稳赚], within_turns: 2, must: not_follow}}"
        let (answer, outcome) = try evalX(rule, [ag(1, 2, "这款理财产品"), ag(3, 4, "肯定保本")])
        XCTAssertEqual(answer, .no)
        XCTAssertEqual(outcome.findings.first?.matchedText, "保本")
        XCTAssertEqual(outcome.findings.first?.turnIndex, 1)
        XCTAssertEqual(try answerX(rule, [ag(1, 2, "这款理财产品"), ag(3, 4, "不"), ag(5, 6, "好"), ag(7, 8, "保本")]), .yes)
    }

    // MARK: repetition

    func testRepetition() throws {
        let rule = "{repetition: {times: 3}}"
        let turns = [ag(1, 2, "请您稍等。"), ag(3, 4, "请您稍等！"), cu(5, 6, "好"), ag(7, 8, "请您 稍等")]
        let (answer, outcome) = try evalX(rule, turns)
        XCTAssertEqual(answer, .no)
        XCTAssertEqual(outcome.findings.first?.measured, 3)
        XCTAssertEqual(outcome.findings.first?.matchedText, "请您稍等")
        XCTAssertEqual(try answerX(rule, Array(turns.prefix(3))), .yes)
        XCTAssertEqual(try answerX("{repetition: {times: 2, min_chars: 3}}", [ag(1, 2, "好的。好的。")]), .yes, "short sentences ignored")
    }
}
