import Foundation
import XCTest
@testable import ScorebookCore

/// Builds a one-section rubric around flow-style item mappings.
func rulesRubricYAML(_ items: [String], conditions: String? = nil) -> String {
    var s = "id: t\nversion: 1\nname: 测试表\n"
    if let conditions { s += "conditions:\n" + conditions }
    s += "sections:\n  - id: s\n    name: 服务\n    dimension: etiquette\n    weight: 1\n    items:\n"
    for item in items { s += "      - " + item + "\n" }
    return s
}

func rulesEngine(_ items: [String], conditions: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> RuleEngine {
    RuleEngine(rubric: try RubricParser.parse(rulesRubricYAML(items, conditions: conditions), file: "test.yaml"))
}

/// A yes_no item `x` with the given `auto:` flow mapping.
func yesNo(_ auto: String, id: String = "x") -> String {
    "{id: \(id), text: 规则, type: yes_no, points: 5, auto: \(auto)}"
}

/// A session connected at 09:00:00 for `length` seconds (300 unless given).
func testSession(handle: Double? = 300, first: Double? = 3, wait: Double? = 10, resolved: Bool? = true,
                 transferred: Bool? = false, csat: Int? = 5, channel: Channel = .video, length: Int = 300) -> Session {
    let end = String(format: "2026-10-08T09:%02d:%02d", length / 60, length % 60)
    return Session(sessionID: "S1", agentID: "A1", channel: channel, startedAt: "2026-10-08T09:00:00",
            endedAt: end, waitSeconds: wait, firstResponseSeconds: first, handleSeconds: handle,
            resolved: resolved, transferred: transferred, csat: csat)
}

func ag(_ at: Double, _ end: Double? = nil, _ text: String) -> Turn { Turn(at: at, end: end, speaker: .agent, text: text) }
func cu(_ at: Double, _ end: Double? = nil, _ text: String) -> Turn { Turn(at: at, end: end, speaker: .customer, text: text) }

/// Evaluates item `x` of a one-item rubric; also checks that evaluation on the encoded bytes agrees.
func evalX(_ auto: String, _ turns: [Turn]?, session: Session = testSession(),
           file: StaticString = #filePath, line: UInt = #line) throws -> (Answer?, AutoOutcome) {
    let engine = try rulesEngine([yesNo(auto)])
    let outcome = engine.evaluate(session: session, turns: turns)
    if let turns {
        let bytes = TranscriptCodec.encode(turns)
        let viaBytes = try bytes.withUnsafeBytes { try engine.evaluate(session: session, encodedTranscript: $0) }
        XCTAssertEqual(outcome, viaBytes, "bytes and turns disagree", file: file, line: line)
    }
    return (outcome.answers["x"], outcome)
}

func answerX(_ auto: String, _ turns: [Turn]?, session: Session = testSession(),
             file: StaticString = #filePath, line: UInt = #line) throws -> Answer? {
    try evalX(auto, turns, session: session, file: file, line: line).0
}
