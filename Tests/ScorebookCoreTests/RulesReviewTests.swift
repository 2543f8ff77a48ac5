import XCTest
import Foundation
@testable import ScorebookCore

final class RulesReviewTests: XCTestCase {
    func testReviewRecomputesDeductionAndYesNo() throws {
        let items = [
            "{id: ban, text: 禁语, type: deduction, points: 10, severity: {light: 1, moderate: 3, severe: 5}, auto: {phrases_forbidden: {phrases: [不知道], severity: severe}}}",
            yesNo("{phrases_forbidden: {phrases: [自己看]}}", id: "yn"),
        ]
        let engine = try rulesEngine(items)
        let turns = [ag(1, 2, "不知道"), ag(3, 4, "真不知道，你自己看")]
        let o = engine.evaluate(session: testSession(), turns: turns)
        XCTAssertEqual(o.answers["ban"], .number(2))
        XCTAssertEqual(o.deductions["ban"], 10)
        // the inspector rejects the first "ban" finding and the only "yn" finding
        var rejectedOne = false
        let reviewed = o.findings.map { f -> ReviewedFinding in
            var rejected = f.itemID == "yn"
            if f.itemID == "ban", !rejectedOne { rejected = true; rejectedOne = true }
            return ReviewedFinding(itemID: f.itemID, severity: f.severity, rejected: rejected)
        }
        let r = AutoReview.apply(engine.rubric, answers: o.answers, findings: reviewed)
        XCTAssertEqual(r.answers["ban"], .number(1))
        XCTAssertEqual(r.deductions["ban"], 5)
        XCTAssertEqual(r.answers["yn"], .yes)
        let answers = r.answers
        let deductions = r.deductions
        let before = InspectionScoring.score(engine.rubric, answers: o.answers, deductions: o.deductions)
        let after = InspectionScoring.score(engine.rubric, answers: answers, deductions: deductions)
        XCTAssertEqual(before.score!, 0, accuracy: 1e-9)          // (0 + 0) / 15
        XCTAssertEqual(after.score!, 100 * 10 / 15, accuracy: 1e-9)  // (5 + 5) / 15
    }

    /// A yes/no `all_of` stopped at its first failing child, so the second child's violation left no finding:
    /// rejecting the first child's finding (the ASR missed the goodbye) passed the item although the agent
    /// still said 挂了. Every child is evaluated now; the item stays failed until every finding is rejected.
    func testAYesNoAllOfLeavesEveryFailingChildsFindings() throws {
        let engine = try rulesEngine([yesNo("{all_of: [{phrases_required: {phrases: [再见], window: last 1 turns}}, {not: {keywords: {phrases: [挂了]}}}]}", id: "close")])
        let o = engine.evaluate(session: testSession(), turns: [ag(1, 2, "您好"), ag(3, 4, "好的，我挂了")])
        XCTAssertEqual(o.answers["close"], .no)
        XCTAssertEqual(o.findings.count, 2, "\(o.findings.map(\.message))")
        XCTAssertEqual(o.findings.map(\.matchedText), [nil, "挂了"])
        func review(rejecting rejected: (Finding) -> Bool) -> Answer? {
            AutoReview.apply(engine.rubric, answers: o.answers,
                             findings: o.findings.map { ReviewedFinding(itemID: $0.itemID, severity: $0.severity, rejected: rejected($0)) }).answers["close"]
        }
        XCTAssertEqual(review { $0.matchedText == nil }, .no, "挂了 still stands")
        XCTAssertEqual(review { _ in true }, .yes)
        // a fresh evaluation of what the review says happened agrees: goodbye said, 挂了 said → no
        XCTAssertEqual(engine.evaluate(session: testSession(), turns: [ag(1, 2, "您好"), ag(3, 4, "好的再见，我挂了")]).answers["close"], .no)
    }

    /// Review gives what the rule gives for the findings still standing, `allow:` included.
    func testReviewAppliesTheRulesAllowance() throws {
        // points 10, per 3, one 笨 allowed
        let engine = try rulesEngine(["{id: ben, text: 禁语, type: deduction, points: 10, per: 3, auto: {phrases_forbidden: {phrases: [笨], allow: 1}}}"])
        let two = engine.evaluate(session: testSession(), turns: [ag(1, 2, "你真笨"), ag(3, 4, "笨死了")])
        XCTAssertEqual(two.answers["ben"], .number(2))
        XCTAssertEqual(two.deductions["ben"], 6)
        func score(_ answers: [String: Answer], _ deductions: [String: Double]) -> Double {
            InspectionScoring.score(engine.rubric, answers: answers, deductions: deductions).score!
        }
        XCTAssertEqual(score(two.answers, two.deductions), 40, accuracy: 1e-9)  // 10 − 2 × 3 = 4 of 10
        func review(_ outcome: AutoOutcome, rejecting k: Int) -> (answers: [String: Answer], deductions: [String: Double]) {
            let reviewed = outcome.findings.enumerated().map { ReviewedFinding(itemID: $1.itemID, severity: $1.severity, rejected: $0 < k) }
            return AutoReview.apply(engine.rubric, answers: outcome.answers, findings: reviewed)
        }
        let none = review(two, rejecting: 0)
        XCTAssertEqual(none.answers["ben"], .number(2))
        XCTAssertEqual(score(none.answers, none.deductions), 40, accuracy: 1e-9)
        // one 笨 left standing is within the allowance: 10 of 10, as a session with one 笨 scores
        let one = review(two, rejecting: 1)
        XCTAssertEqual(one.answers["ben"], .number(0))
        XCTAssertEqual(one.deductions["ben"], 0)
        XCTAssertEqual(score(one.answers, one.deductions), 100, accuracy: 1e-9)
        let fresh = engine.evaluate(session: testSession(), turns: [ag(1, 2, "你真笨")])
        XCTAssertEqual(fresh.answers["ben"], one.answers["ben"])
        XCTAssertEqual(fresh.deductions["ben"], one.deductions["ben"])

        // severity-weighted: points 20, severe = 5 each, one allowed; once over the allowance every occurrence counts
        let weighted = try rulesEngine(["{id: ben, text: 禁语, type: deduction, points: 20, severity: {light: 1, moderate: 3, severe: 5}, auto: {phrases_forbidden: {phrases: [笨], allow: 1, severity: severe}}}"])
        let three = weighted.evaluate(session: testSession(), turns: [ag(1, 2, "笨"), ag(3, 4, "笨"), ag(5, 6, "笨")])
        XCTAssertEqual(three.deductions["ben"], 15)
        let reviewed = { (k: Int) in AutoReview.apply(weighted.rubric, answers: three.answers, findings: three.findings.enumerated().map {
            ReviewedFinding(itemID: $1.itemID, severity: $1.severity, rejected: $0 < k) }) }
        XCTAssertEqual(reviewed(1).answers["ben"], .number(2))  // 2 > allow 1: both count, 2 × 5
        XCTAssertEqual(reviewed(1).deductions["ben"], 10)
        XCTAssertEqual(reviewed(2).answers["ben"], .number(0))
        XCTAssertEqual(reviewed(2).deductions["ben"], 0)

        // yes/no with allow 1: two 滚 fail it; rejecting one makes it pass
        let yn = try rulesEngine([yesNo("{phrases_forbidden: {phrases: [滚], allow: 1}}", id: "yn")])
        let twice = yn.evaluate(session: testSession(), turns: [ag(1, 2, "滚"), ag(3, 4, "你滚")])
        XCTAssertEqual(twice.answers["yn"], .no)
        XCTAssertEqual(twice.findings.count, 2)
        let passed = AutoReview.apply(yn.rubric, answers: twice.answers, findings: twice.findings.enumerated().map {
            ReviewedFinding(itemID: $1.itemID, severity: $1.severity, rejected: $0 == 0) })
        XCTAssertEqual(passed.answers["yn"], .yes)
        XCTAssertEqual(InspectionScoring.score(yn.rubric, answers: passed.answers, deductions: passed.deductions).score!, 100, accuracy: 1e-9)
    }

    func testOneEngineSharedByThreadsGivesTheSameOutcomes() throws {
        let engine = RuleEngine(rubric: try RubricParser.parse(RulesParsingTests.allOperatorsYAML, file: "a.yaml"))
        var transcripts: [[UInt8]] = []
        for k in 0..<40 {
            let start = Double(k % 12)
            let opening = k % 3 == 0 ? "您好，工号1024" : "喂"
            let reply = k % 2 == 0 ? "非常抱歉，请您稍等" : "你自己看"
            let turns: [Turn] = [ag(start, start + 2, opening), cu(20, 25, "我要投诉"), ag(24, 30, reply),
                                 ag(60, 62, "请问还有什么可以帮您？感谢您的来电")]
            transcripts.append(TranscriptCodec.encode(turns))
        }
        let session = testSession(handle: 70)
        let expected = try transcripts.map { t in try t.withUnsafeBytes { try engine.evaluate(session: session, encodedTranscript: $0) } }
        let results = UnsafeMutableBufferPointer<AutoOutcome?>.allocate(capacity: transcripts.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            var evaluator = engine.makeEvaluator()
            for (index, t) in transcripts.enumerated() where index % 4 == worker {
                results[index] = try? t.withUnsafeBytes { try evaluator.evaluate(session: session, encodedTranscript: $0) }
            }
        }
        for index in transcripts.indices { XCTAssertEqual(results[index], expected[index]) }
    }
}
