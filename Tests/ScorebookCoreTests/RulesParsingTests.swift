import XCTest
@testable import ScorebookCore

final class RulesParsingTests: XCTestCase {
    // MARK: transcript codec

    func testCodecRoundTripWithChineseTextAndMissingEnd() throws {
        let turns = [ag(0, 2.25, "您好，视频客服工号１０２４为您服务"), cu(3.5, nil, "我想查一下 余额"),
                     ag(1234.567, 1240.125, ""), cu(1241, 1242, "emoji 🙂 ok")]
        let bytes = TranscriptCodec.encode(turns)
        XCTAssertEqual(try TranscriptCodec.decode(bytes), turns)
        XCTAssertEqual(try TranscriptCodec.decode(TranscriptCodec.encode([])), [])
        // compact: header + per turn 1 flag byte, 8 or 16 time bytes, a 1-byte length, the text
        let textBytes = turns.reduce(0) { $0 + $1.text.utf8.count }
        XCTAssertEqual(bytes.count, 2 + 4 + 8 * 7 + 4 + textBytes)
    }

    func testCodecRefusesCorruptBytes() {
        let bytes = TranscriptCodec.encode([ag(0, 1, "您好")])
        XCTAssertThrowsError(try TranscriptCodec.decode(Array(bytes.dropLast())))
        XCTAssertThrowsError(try TranscriptCodec.decode(bytes + [0]))
        XCTAssertThrowsError(try TranscriptCodec.decode([9, 0]))
        XCTAssertThrowsError(try TranscriptCodec.decode([]))
        let engine = RuleEngine(rubric: try! RubricParser.parse(rulesRubricYAML([yesNo("{late_answer: {seconds: 5}}")]), file: "t.yaml"))
        XCTAssertThrowsError(try Array(bytes.dropLast()).withUnsafeBytes { try engine.evaluate(session: testSession(), encodedTranscript: $0) })
    }

    func testEvaluationOnBytesEqualsEvaluationOnTurnsForEveryOperator() throws {
        let rubric = try RubricParser.parse(Self.allOperatorsYAML, file: "all-operators.yaml")
        let engine = RuleEngine(rubric: rubric)
        let transcripts: [[Turn]] = [
            [ag(0, 2, "您好，视频客服工号1024为您服务"), cu(3, 9, "我要投诉，你们这个理财产品"), ag(8.5, 12, "非常抱歉，请您稍等"),
             ag(30, 33, "这款理财产品保本"), cu(34, 35, "我的卡号是6222021234567890"), ag(36, 40, "请您稍等。请您稍等。请您稍等"),
             ag(41, 44, "我需要核实一下"), ag(46, 50, "请问还有什么可以帮您？感谢您的来电")],
            [cu(0, 1, "喂"), ag(12, 13, "你自己看，不知道"), cu(14, 16, "好吧")],
            [ag(0, nil, "您好"), cu(2, nil, "查余额"), ag(3, nil, "为您办理")],
            [],
        ]
        var evaluator = engine.makeEvaluator()
        for turns in transcripts {
            let session = testSession(handle: 70)
            let viaTurns = engine.evaluate(session: session, turns: turns)
            let bytes = TranscriptCodec.encode(turns)
            let viaBytes = try bytes.withUnsafeBytes { try evaluator.evaluate(session: session, encodedTranscript: $0) }
            XCTAssertEqual(viaTurns, viaBytes)
            XCTAssertEqual(Set(viaTurns.answers.keys), Set(rubric.items.map(\.id)))
            for (item, answer) in viaTurns.answers where answer != .na {
                XCTAssertNoThrow(try rubric.item(item)!.validate(answer), item)
            }
        }
        // the first transcript trips the rules it was written for
        let o = engine.evaluate(session: testSession(handle: 70), turns: transcripts[0])
        XCTAssertEqual(o.answers["greet"], .yes)
        XCTAssertEqual(o.answers["promise"], .no)
        XCTAssertEqual(o.answers["guarantee"], .no)
        XCTAssertEqual(o.answers["leak"], .no)
        XCTAssertEqual(o.answers["repeat"], .no)
        XCTAssertEqual(o.answers["interrupt"], .no)
        XCTAssertEqual(o.answers["silence"], .number(1))
        XCTAssertEqual(o.deductions["silence"], 3)
        let findingsJSON = try JSONEncoder().encode(o.findings)
        XCTAssertEqual(try JSONDecoder().decode([Finding].self, from: findingsJSON), o.findings)
        // the third lacks end times: rules that need them are N/A and reported
        let third = engine.evaluate(session: testSession(handle: 70), turns: transcripts[2])
        XCTAssertEqual(third.answers["interrupt"], .na)
        XCTAssertTrue(third.skipped.contains { $0.itemID == "interrupt" && $0.rule == "interruption" })
    }

    // MARK: a rubric using every operator

    static let allOperatorsYAML = #"""
    id: all-operators
    version: 1
    name: 全部算子
    conditions:
      greeted: {greeting_within: {phrases: [您好, 你好], seconds: 10}}
      fast_handle: {handle_time: {max_seconds: 600}}
    sections:
      - id: etiquette
        name: 服务礼仪
        dimension: etiquette
        weight: 40
        items:
          - {id: greet, text: 10秒内问候, type: yes_no, points: 5, auto: {ref: greeted}}
          - id: closing
            text: 结束语
            type: yes_no
            points: 5
            auto:
              phrases_required: {phrases: [还有什么可以帮您, 感谢您的来电], match: all, window: last 30s}
          - id: polite
            text: 礼貌用语
            type: scale
            points: 10
            levels: [0, 5, 10]
            auto: {keywords: {phrases: [请, 谢谢, 抱歉, 稍等], match: 2, speaker: agent, scope: session, window: first 10 turns}}
          - id: banned
            text: 服务禁语
            type: deduction
            points: 10
            severity: {light: 1, moderate: 3, severe: 5}
            auto: {severity: moderate, phrases_forbidden: {phrases: [不知道, 自己看, 听不懂吗], allow: 0}}
          - {id: rate, text: 语速适中, type: yes_no, points: 5, auto: {speech_rate: {min: 120, max: 320, per: session}}}
          - {id: interrupt, text: 不抢话, type: yes_no, points: 5, auto: {interruption: {lead_ms: 300, min_chars: 3}}}
          - {id: interrupts, text: 不打断, type: yes_no, points: 5, auto: {interrupts: {min_chars: 2}}}
          - {id: repeat, text: 不机械重复, type: yes_no, points: 5, auto: {repetition: {times: 3, min_chars: 4}}}
          - id: silence
            text: 冷场
            type: deduction
            points: 10
            per: 1
            severity: {light: 1, moderate: 3, severe: 5}
            auto: {silence: {longer_than: 15, after: any, severity: moderate}}
          - {id: max_silence, text: 最长静默, type: yes_no, points: 5, auto: {max_silence: {seconds: 30}}}
      - id: compliance
        name: 合规
        dimension: compliance
        weight: 40
        items:
          - id: risk
            text: 办理前风险提示
            type: yes_no
            points: 10
            critical: form
            auto: {phrases_required: {phrases: [理财非存款, 投资有风险], match: any, before: [为您办理]}}
          - {id: leak, text: 不泄露卡号, type: yes_no, points: 10, auto: {regex: {pattern: '\d{16,19}', exclude: '工号\d+', speaker: any, expect: absent}}}
          - {id: staff_id, text: 报工号, type: yes_no, points: 5, auto: {regex: {pattern: '工号\d{4}', window: first 15 s}}}
          - {id: guarantee, text: 不承诺保本, type: yes_no, points: 10, auto: {context: {when: [理财产品], then: [保本, 稳赚], within_turns: 2, must: not_follow}}}
          - {id: apology, text: 投诉后致歉, type: yes_no, points: 5, auto: {context: {when: [投诉], when_speaker: customer, then: [抱歉, 对不起], then_speaker: agent, within_turns: 1, must: follow}}}
          - {id: promise, text: 核实后承诺回复, type: yes_no, points: 5, auto: {context: {when: [我需要核实], then: [工单, 回复您], within_turns: 1}}}
      - id: efficiency
        name: 效率
        dimension: accuracy
        weight: 20
        items:
          - {id: latency, text: 及时回应, type: yes_no, points: 5, auto: {response_latency: {seconds: 20, allow: 1}}}
          - {id: late, text: 及时接听, type: yes_no, points: 5, auto: {late_answer: {seconds: 10}}}
          - {id: hangup, text: 无异常挂机, type: yes_no, points: 5, auto: {abnormal_hangup: {seconds: 30}}}
          - {id: first, text: 首次响应, type: yes_no, points: 5, auto: {first_response: {max_seconds: 5}}}
          - id: handle
            text: 处理时长
            type: yes_no
            points: 5
            auto:
              name: 时长与转接
              all_of:
                - {ref: fast_handle}
                - {not: {metadata: {field: transferred, op: '==', value: true}}}
                - any_of:
                    - {metadata: {field: csat, op: '>=', value: 4}}
                    - {metadata: {field: resolved, op: eq, value: true}}
          - {id: manual, text: 着装规范（人工）, type: yes_no, points: 5}
    """#

    func testRubricWithEveryOperatorParses() throws {
        let rubric = try RubricParser.parse(Self.allOperatorsYAML, file: "all-operators.yaml")
        XCTAssertEqual(rubric.conditions.count, 2)
        let kinds = Set(RuleEngine.ruleKinds(rubric).values.flatMap { $0 })
        let expected: Set<String> = ["greeting_within", "phrases_required", "phrases_forbidden", "keywords", "regex", "context",
                                     "silence", "max_silence", "speech_rate", "interruption", "interrupts", "response_latency",
                                     "late_answer", "abnormal_hangup", "repetition", "metadata", "handle_time", "first_response",
                                     "all_of", "any_of", "not", "ref"]
        XCTAssertEqual(kinds, expected)
        XCTAssertNil(RuleEngine.ruleKinds(rubric)["manual"])
        XCTAssertEqual(rubric.item("banned")?.auto?.severity, .moderate)
        XCTAssertEqual(rubric.item("handle")?.auto?.name, "时长与转接")
    }

    // MARK: malformed rules

    func assertRefused(_ auto: String, _ reasonFragment: String, item: String = "x", conditions: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) {
        let yaml = rulesRubricYAML([yesNo(auto, id: item)], conditions: conditions)
        XCTAssertThrowsError(try RubricParser.parse(yaml, file: "bad.yaml"), file: file, line: line) { error in
            guard let e = error as? DefinitionError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(e.file, "bad.yaml", file: file, line: line)
            XCTAssertNotNil(e.line, file: file, line: line)
            let text = e.description
            if conditions == nil { XCTAssertTrue(text.contains("item '\(item)'"), text, file: file, line: line) }
            XCTAssertTrue(text.contains(reasonFragment), text, file: file, line: line)
        }
    }

    func testMalformedRulesAreRefusedWithFileItemAndReason() {
        assertRefused("{keyword: {phrases: [您好]}}", "unknown operator 'keyword'", item: "greet")
        assertRefused(#"{regex: {pattern: '工号(\d+'}}"#, "does not compile")
        assertRefused(#"{regex: {pattern: '\d+', exclude: '[a-'}}"#, "does not compile")
        assertRefused("{keywords: {phrases: [您好], window: first 10}}", "has no unit")
        assertRefused("{keywords: {phrases: [您好], window: first 10 minutes}}", "unknown unit")
        assertRefused("{keywords: {phrases: [您好], window: middle 10s}}", "window must read")
        assertRefused("{keywords: {match: any}}", "missing required option 'phrases'")
        assertRefused("{keywords: {phrases: []}}", "phrase list is empty")
        assertRefused("{keywords: {phrases: ['  ']}}", "empty")
        assertRefused("{silence: {longer_than: -5}}", "must not be negative")
        assertRefused("{greeting_within: {phrases: [您好]}}", "missing required option 'seconds'")
        assertRefused("{greeting_within: {phrases: [您好], second: 10}}", "unknown option 'second'")
        assertRefused("{response_latency: {seconds: 5, allow: -1}}", "must not be negative")
        assertRefused("{keywords: {phrases: [您好], match: some}}", "match must be any, all, none")
        assertRefused("{keywords: {phrases: [您好], speaker: robot}}", "speaker must be agent, customer or any")
        assertRefused("{speech_rate: {per: turn}}", "needs min or max")
        assertRefused("{speech_rate: {min: 300, max: 100}}", "above max")
        assertRefused("{metadata: {field: mood, op: '==', value: 1}}", "unknown session field 'mood'")
        assertRefused("{metadata: {field: csat, op: '=>', value: 1}}", "unknown comparison '=>'")
        assertRefused("{metadata: {field: transferred, op: '>', value: true}}", "use == or !=")
        assertRefused("{repetition: {times: 1}}", "times must be a whole number ≥ 2")
        assertRefused("{all_of: []}", "needs at least one condition")
        assertRefused("{not: {keywords: {phrases: [a]}, late_answer: {seconds: 1}}}", "exactly one operator")
        assertRefused("{keywords: {phrases: [您好]}, late_answer: {seconds: 1}}", "exactly one operator")
        assertRefused("{severity: fatal, late_answer: {seconds: 1}}", "severity must be light, moderate or severe")
        assertRefused("{ref: nowhere}", "ref 'nowhere' names no condition")
        assertRefused("{phrases_required: {phrases: [您好], match: none}}", "use phrases_forbidden")
        assertRefused("{phrases_required: {phrases: [投资有风险, 过往业绩], match: 3}}",
                      "match 3 asks for 3 different phrases but the list has 2: the rule could never pass")
        assertRefused("{keywords: {phrases: [您好], match: 2}}", "could never pass")
        assertRefused("{context: {when: [核实], then: [工单], must: maybe}}", "must is 'follow' or 'not_follow'")
        assertRefused("{response_latency: {seconds: soon}}", "expected a number, found 'soon'")
        assertRefused("{keywords: {phrases: [您好], allow: 1.5}}", "expected a whole number")
    }

    func testMalformedNamedConditions() {
        assertRefused("{ref: a}", "condition 'a': refers to itself", conditions: "  a: {not: {ref: b}}\n  b: {ref: a}\n")
        assertRefused("{ref: a}", "condition 'a': unknown operator 'kw'", conditions: "  a: {kw: {phrases: [x]}}\n")
    }

    func testErrorNamesTheLineOfTheBadOption() {
        let yaml = """
        id: t
        version: 1
        name: 测试
        sections:
          - id: s
            name: S
            dimension: etiquette
            weight: 1
            items:
              - id: greet
                text: 问候
                type: yes_no
                points: 5
                auto:
                  keywords:
                    phrases: [您好]
                    window: last 3
        """
        XCTAssertThrowsError(try RubricParser.parse(yaml, file: "Rubrics/video-service.yaml")) { error in
            let e = error as! DefinitionError
            XCTAssertEqual(e.line, 17)
            XCTAssertTrue(e.description.hasPrefix("Rubrics/video-service.yaml:17"), e.description)
            XCTAssertTrue(e.description.contains("item 'greet': keywords: window 'last 3' has no unit"), e.description)
        }
    }
}
