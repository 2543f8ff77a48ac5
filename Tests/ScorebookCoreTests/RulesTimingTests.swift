import XCTest
@testable import ScorebookCore

final class RulesTimingTests: XCTestCase {
    // MARK: silence / max_silence

    func testSilenceThresholdCountsAndAfterCustomer() throws {
        let turns = [ag(0, 2, "您好"), cu(3, 5, "查下余额"), ag(15, 17, "好的"), ag(22, 24, "查到了"), cu(25, 26, "谢谢")]
        // gaps: 1, 1, 10 (after customer), 5 (after agent), 1
        XCTAssertEqual(try answerX("{silence: {longer_than: 10}}", turns), .yes, "exactly N seconds is not longer than N")
        XCTAssertEqual(try answerX("{silence: {longer_than: 9.5}}", turns), .no)
        XCTAssertEqual(try answerX("{max_silence: {seconds: 10}}", turns), .yes)
        XCTAssertEqual(try answerX("{max_silence: {seconds: 4}}", turns), .no)
        XCTAssertEqual(try answerX("{silence: {longer_than: 4, after: customer}}", turns), .no)
        XCTAssertEqual(try answerX("{silence: {longer_than: 4, allow: 2}}", turns), .yes)
        let (_, outcome) = try evalX("{silence: {longer_than: 4, after: customer}}", turns)
        XCTAssertEqual(outcome.findings.count, 1)
        XCTAssertEqual(outcome.findings[0].turnIndex, 2)
        XCTAssertEqual(outcome.findings[0].at, 5)
        XCTAssertEqual(outcome.findings[0].measured, 10)

        let deduction = "{id: x, text: 静音, type: deduction, points: 10, per: 2, auto: {silence: {longer_than: 4}}}"
        let o = try rulesEngine([deduction]).evaluate(session: testSession(), turns: turns)
        XCTAssertEqual(o.answers["x"], .number(2))
        XCTAssertEqual(o.deductions["x"], 4)
    }

    func testSilenceOverlappingTurnsUseTheLatestEnd() throws {
        // the agent's short 嗯 inside the customer's long turn is no gap
        let turns = [cu(0, 20, "我说一下情况"), ag(5, 6, "嗯"), ag(21, 22, "明白了")]
        XCTAssertEqual(try answerX("{silence: {longer_than: 3}}", turns), .yes)
    }

    func testRulesNeedingEndAreSkippedWithoutIt() throws {
        let turns = [ag(0, nil, "您好"), cu(3, nil, "查下余额"), ag(30, nil, "好的")]
        for rule in ["{silence: {longer_than: 4}}", "{speech_rate: {max: 300}}", "{interrupts: {}}", "{abnormal_hangup: {seconds: 5}}"] {
            let (answer, outcome) = try evalX(rule, turns)
            XCTAssertEqual(answer, .na, rule)
            XCTAssertEqual(outcome.skipped.count, 1, rule)
            XCTAssertEqual(outcome.skipped.first?.itemID, "x")
            XCTAssertTrue(outcome.skipped.first?.reason.contains("end") ?? false, rule)
            XCTAssertTrue(outcome.findings.isEmpty)
        }
        // response latency works from `at` without end times
        XCTAssertEqual(try answerX("{response_latency: {seconds: 20}}", turns), .no)
        XCTAssertEqual(try answerX("{response_latency: {seconds: 27}}", turns), .yes)
    }

    // MARK: speech rate

    func testSpeechRatePerTurnAndAverage() throws {
        // 10 content chars in 2 s = 300/min; 10 chars in 5 s = 120/min; punctuation is not counted
        let sample = Array("您好，视频客服工号一零二".utf8)
        XCTAssertEqual(sample.withUnsafeBufferPointer { TextNormalizer.contentCharacters($0) }, 11)
        let t2 = [ag(0, 2, "您好视频客服工号一零"), cu(3, 4, "嗯"), ag(5, 10, "请问有什么可以帮您？")]
        XCTAssertEqual(try answerX("{speech_rate: {max: 300, per: turn}}", t2), .yes, "exactly the maximum passes")
        XCTAssertEqual(try answerX("{speech_rate: {max: 299, per: turn}}", t2), .no)
        XCTAssertEqual(try answerX("{speech_rate: {min: 121, per: turn}}", t2), .no)
        // second turn: 9 chars in 5 s = 108/min; average: 19 chars over 7 s = 162.86/min
        XCTAssertEqual(try answerX("{speech_rate: {min: 108, per: turn}}", t2), .yes)
        XCTAssertEqual(try answerX("{speech_rate: {min: 150, max: 170}}", t2), .yes)
        let (answer, outcome) = try evalX("{speech_rate: {max: 160}}", t2)
        XCTAssertEqual(answer, .no)
        XCTAssertEqual(outcome.findings.first?.measured ?? 0, 19.0 / 7 * 60, accuracy: 1e-9)
        XCTAssertEqual(try answerX("{speech_rate: {min: 121, per: turn, min_chars: 10}}", t2), .yes, "short turns ignored")
        // nothing left to measure (every turn short, or no agent turn with text and a duration): not applied
        XCTAssertEqual(try answerX("{speech_rate: {max: 299, per: turn, min_chars: 11}}", t2), .na, "no turn long enough")
        XCTAssertEqual(try answerX("{speech_rate: {min: 121, max: 300}}", [cu(0, 3, "喂喂喂喂")]), .na, "the agent never spoke")
        XCTAssertEqual(try answerX("{speech_rate: {min: 121, max: 300}}", [ag(0, 3, "。。。"), ag(4, 4, "您好视频客服工号一零")]), .na,
                       "no content characters, or no duration")
        XCTAssertEqual(try answerX("{speech_rate: {min: 121, max: 300}}", []), .na, "an empty transcript")
    }

    // MARK: interruption

    func testInterruptionLeadAndMinChars() throws {
        let rule = "{interruption: {lead_ms: 500, min_chars: 3}}"
        XCTAssertEqual(try answerX(rule, [cu(0, 5, "我的卡被吞了怎么办"), ag(4.5, 8, "您先别着急")]), .no, "exactly 500 ms early")
        XCTAssertEqual(try answerX(rule, [cu(0, 5, "我的卡被吞了怎么办"), ag(4.6, 8, "您先别着急")]), .yes, "400 ms")
        XCTAssertEqual(try answerX(rule, [cu(0, 5, "我的卡被吞了怎么办"), ag(2, 3, "嗯嗯")]), .yes, "backchannel too short")
        XCTAssertEqual(try answerX(rule, [cu(0, 5, "我的卡被吞了"), ag(5, 8, "您先别着急")]), .yes, "starts when the customer ends")
        let (answer, outcome) = try evalX("{interrupts: {}}", [cu(0, 5, "我的卡被吞了"), ag(4.9, 8, "您先别着急")])
        XCTAssertEqual(answer, .no)
        XCTAssertEqual(outcome.findings[0].measured!, 100, accuracy: 1e-6)
        XCTAssertEqual(outcome.findings[0].matchedText, "您先别着急")
    }

    // MARK: response latency, late answer, abnormal hang-up

    func testResponseLatency() throws {
        let turns = [ag(0, 2, "您好"), cu(3, 5, "查余额"), cu(6, 8, "储蓄卡"), ag(16, 18, "好的")]
        // measured from the last customer turn's end: 16 − 8 = 8
        XCTAssertEqual(try answerX("{response_latency: {seconds: 8}}", turns), .yes)
        let (answer, outcome) = try evalX("{response_latency: {seconds: 7.5}}", turns)
        XCTAssertEqual(answer, .no)
        XCTAssertEqual(outcome.findings[0].measured, 8)
        XCTAssertEqual(outcome.findings[0].turnIndex, 3)
    }

    func testLateAnswer() throws {
        XCTAssertEqual(try answerX("{late_answer: {seconds: 5}}", [cu(0, 1, "喂"), ag(5, 6, "您好")]), .yes)
        XCTAssertEqual(try answerX("{late_answer: {seconds: 5}}", [cu(0, 1, "喂"), ag(5.5, 6, "您好")]), .no)
        XCTAssertEqual(try answerX("{late_answer: {seconds: 5}}", [cu(0, 1, "喂")]), .no, "the agent never spoke")
        XCTAssertEqual(try answerX("{late_answer: {seconds: 5}}", nil), .na, "no transcript")
    }

    func testAbnormalHangup() throws {
        let turns = [ag(0, 2, "您好"), cu(3, 100, "我还有问题")]
        // the connection lasts 110 s / 111 s; handle_seconds (talk + after-call work) plays no part
        XCTAssertEqual(try answerX("{abnormal_hangup: {seconds: 10}}", turns, session: testSession(handle: 900, length: 110)), .yes)
        XCTAssertEqual(try answerX("{abnormal_hangup: {seconds: 10}}", turns, session: testSession(handle: 110, length: 111)), .no)
        var noEnd = testSession(length: 110)
        noEnd.endedAt = "not a time"
        XCTAssertEqual(try answerX("{abnormal_hangup: {seconds: 10}}", turns, session: noEnd), .na)
    }

    // MARK: metadata

    func testMetadataComparisons() throws {
        let s = testSession(handle: 600, first: 5, resolved: true, transferred: false, csat: 2, channel: .phone)
        XCTAssertEqual(try answerX("{handle_time: {max_seconds: 600}}", [], session: s), .yes)
        XCTAssertEqual(try answerX("{handle_time: {max_seconds: 599}}", [], session: s), .no)
        XCTAssertEqual(try answerX("{first_response: {max_seconds: 5}}", nil, session: s), .yes, "metadata needs no transcript")
        XCTAssertEqual(try answerX("{first_response: {max_seconds: 4.9}}", nil, session: s), .no)
        XCTAssertEqual(try answerX("{metadata: {field: csat, op: '>=', value: 3}}", nil, session: s), .no)
        XCTAssertEqual(try answerX("{metadata: {field: csat, op: lt, value: 3}}", nil, session: s), .yes)
        XCTAssertEqual(try answerX("{metadata: {field: transferred, op: '==', value: false}}", nil, session: s), .yes)
        XCTAssertEqual(try answerX("{metadata: {field: resolved, op: '!=', value: true}}", nil, session: s), .no)
        XCTAssertEqual(try answerX("{metadata: {field: channel, op: eq, value: phone}}", nil, session: s), .yes)
        XCTAssertEqual(try answerX("{metadata: {field: turn_count, op: '>', value: 1}}", [ag(0, 1, "您好"), cu(1, 2, "嗯")], session: s), .yes)
        let (answer, outcome) = try evalX("{metadata: {field: csat, op: '>=', value: 3}}", nil, session: testSession(csat: nil))
        XCTAssertEqual(answer, .na)
        XCTAssertEqual(outcome.skipped, [SkippedRule(itemID: "x", rule: "metadata", reason: "the session has no csat")])
        let (_, failed) = try evalX("{handle_time: {max_seconds: 599}}", nil, session: s)
        XCTAssertEqual(failed.findings.first?.measured, 600)
        XCTAssertEqual(failed.findings.first?.rule, "handle_time")
    }

    // MARK: composition

    /// Items over two metadata facts: a = transferred, b = resolved.
    func testCompositionTruthTables() throws {
        let a = "{metadata: {field: transferred, op: '==', value: true}}"
        let b = "{metadata: {field: resolved, op: '==', value: true}}"
        let engine = try rulesEngine([
            yesNo("{all_of: [\(a), \(b)]}", id: "and"),
            yesNo("{any_of: [\(a), \(b)]}", id: "or"),
            yesNo("{not: \(a)}", id: "nota"),
            yesNo("{not: {all_of: [\(a), {not: \(b)}]}}", id: "implies"),
        ])
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
            let o = engine.evaluate(session: testSession(resolved: tb, transferred: ta), turns: nil)
            XCTAssertEqual(o.answers["and"], ta && tb ? .yes : .no, "\(ta) and \(tb)")
            XCTAssertEqual(o.answers["or"], ta || tb ? .yes : .no, "\(ta) or \(tb)")
            XCTAssertEqual(o.answers["nota"], ta ? .no : .yes)
            XCTAssertEqual(o.answers["implies"], !ta || tb ? .yes : .no)
            XCTAssertEqual(o.findings.filter { $0.itemID == "and" }.isEmpty, ta && tb)
        }
    }

    func testCompositionWithNotApplicable() throws {
        let missing = "{metadata: {field: csat, op: '>=', value: 3}}"
        let yes = "{metadata: {field: channel, op: '==', value: video}}"
        let no = "{metadata: {field: channel, op: '==', value: chat}}"
        let engine = try rulesEngine([
            yesNo("{any_of: [\(missing), \(yes)]}", id: "or_true"),
            yesNo("{any_of: [\(missing), \(no)]}", id: "or_unknown"),
            yesNo("{all_of: [\(missing), \(no)]}", id: "and_false"),
            yesNo("{all_of: [\(missing), \(yes)]}", id: "and_unknown"),
            yesNo("{not: \(missing)}", id: "not_unknown"),
        ])
        let o = engine.evaluate(session: testSession(csat: nil), turns: nil)
        XCTAssertEqual(o.answers["or_true"], .yes)
        XCTAssertEqual(o.answers["or_unknown"], .na)
        XCTAssertEqual(o.answers["and_false"], .no)
        XCTAssertEqual(o.answers["and_unknown"], .na)
        XCTAssertEqual(o.answers["not_unknown"], .na)
        XCTAssertEqual(Set(o.skipped.map(\.itemID)), ["or_unknown", "and_unknown", "not_unknown"])
    }

    func testNotGivesPositiveEvidence() throws {
        let (answer, outcome) = try evalX("{not: {keywords: {phrases: [保本]}}}", [ag(1, 2, "这个产品保本")])
        XCTAssertEqual(answer, .no)
        XCTAssertEqual(outcome.findings.first?.matchedText, "保本")
        XCTAssertEqual(outcome.findings.first?.turnIndex, 0)
    }

    func testNamedConditionsAndScaleItems() throws {
        let conditions = """
          greeted: {greeting_within: {phrases: [您好], seconds: 10}}
          polite: {all_of: [{ref: greeted}, {keywords: {phrases: [请稍等, 谢谢]}}]}

        """
        let engine = try rulesEngine(["{id: sc, text: 礼貌, type: scale, points: 10, levels: [0, 5, 10], auto: {name: 礼貌用语, ref: polite}}"],
                                     conditions: conditions)
        XCTAssertEqual(engine.evaluate(session: testSession(), turns: [ag(1, 2, "您好"), ag(3, 4, "谢谢")]).answers["sc"], .number(10))
        let o = engine.evaluate(session: testSession(), turns: [ag(11, 12, "您好"), ag(13, 14, "谢谢")])
        XCTAssertEqual(o.answers["sc"], .number(0))
        XCTAssertEqual(o.findings.first?.ruleName, "greeted")
        XCTAssertEqual(RuleEngine.ruleKinds(engine.rubric)["sc"], ["all_of", "greeting_within", "keywords", "ref"])
    }

    func testItemsWithoutRulesAreNA() throws {
        let engine = try rulesEngine(["{id: manual, text: 着装规范, type: yes_no, points: 5}", yesNo("{late_answer: {seconds: 5}}")])
        let o = engine.evaluate(session: testSession(), turns: [ag(1, 2, "您好")])
        XCTAssertEqual(o.answers, ["manual": .na, "x": .yes])
    }
}
