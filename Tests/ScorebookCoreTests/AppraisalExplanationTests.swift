import XCTest
@testable import ScorebookCore

final class AppraisalExplanationTests: XCTestCase {
    func testExplanationNamesInputsWeightsRoundingAndBand() throws {
        let scheme = try AppraisalFixtures.monthly()
        let ratings = AppraisalFixtures.ratings(.supervisor, "S1", [4])
            + [("P1", 5.0), ("P2", 5), ("P3", 4), ("P4", 3), ("P5", 1)].flatMap { AppraisalFixtures.ratings(.peer, $0.0, [$0.1]) }
        let input = MonthlyInput(
            employeeID: "E1001", team: "T1", period: "2026-10",
            inspections: [QAScore(mode: .manual, score: 90), QAScore(mode: .manual, score: 80), QAScore(mode: .auto, score: 70)],
            ratings: ratings,
            channels: [ChannelKPIs(channel: .phone, sessions: 10, resolved: 8, firstResponseSum: 400, firstResponseCount: 10,
                                   handleSum: 6000, handleCount: 10, csat: [5, 4])])
        let result = try Appraisal.monthly(input, scheme: scheme)
        let lines = result.explanation.lines
        let text = lines.joined(separator: "\n")
        if ProcessInfo.processInfo.environment["SHOW_EXPLAIN"] != nil { print(text) }
        XCTAssertTrue(lines[0].contains("E1001") && lines[0].contains("2026-10"))
        XCTAssertTrue(text.contains("人工质检 manual: 2 次 inspections, 平均 mean 85.00"))
        XCTAssertTrue(text.contains("qa = (0.7×85.00 + 0.3×70.00) / (0.7 + 0.3)"))
        XCTAssertTrue(text.contains("同事1: 100.00 (1 项 criteria) 已剔除 TRIMMED"))
        XCTAssertTrue(text.contains("only 2 response(s), minimum 10"))
        XCTAssertTrue(text.contains("截断 clamped 0.00"))  // 40 s first response is beyond worst 30 s
        XCTAssertTrue(text.contains("等级 Grade: C 合格"))
        XCTAssertTrue(text.contains("rounded half-up"))
        // Codable round trip of the explanation alone
        let data = try JSONEncoder().encode(result.explanation)
        XCTAssertEqual(try JSONDecoder().decode(Explanation.self, from: data), result.explanation)
    }
}
