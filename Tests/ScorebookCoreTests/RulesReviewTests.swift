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
