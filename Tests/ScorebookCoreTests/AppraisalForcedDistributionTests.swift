import XCTest
@testable import ScorebookCore

final class AppraisalForcedDistributionTests: XCTestCase {
    private let limits = "forced_distribution: {scope: team, limits: [{grade: A, max_share: 0.2}, {grade: B, max_share: 0.3}]}"

    func testLowestOfTheBandMoveDownWithTiesAndCascade() throws {
        let scheme = try AppraisalFixtures.twoComponent(extra: limits)
        // final = (qa + supervisor)/2; team T1 has 10 graded agents → A at most floor(0.2×10) = 2, B at most 3.
        let inputs = [
            AppraisalFixtures.agent("E01", qa: 96, supervisor: 94),  // 95
            AppraisalFixtures.agent("E02", qa: 90, supervisor: 94),  // 92, qa 90
            AppraisalFixtures.agent("E04", qa: 94, supervisor: 90),  // 92, qa 94, id E04
            AppraisalFixtures.agent("E03", qa: 94, supervisor: 90),  // 92, qa 94, id E03
            AppraisalFixtures.agent("E05", qa: 91, supervisor: 91),  // 91
            AppraisalFixtures.agent("E06", qa: 85, supervisor: 85),  // 85 B
            AppraisalFixtures.agent("E07", qa: 82, supervisor: 82),  // 82 B
            AppraisalFixtures.agent("E08", qa: 75, supervisor: 75),  // 75 C
            AppraisalFixtures.agent("E09", qa: 70, supervisor: 70),  // 70 C
            AppraisalFixtures.agent("E10", qa: 50, supervisor: 50),  // 50 D
            AppraisalFixtures.agent("E11", qa: nil, supervisor: nil),  // no_data: not counted, not moved
            AppraisalFixtures.agent("F01", team: "T2", qa: 99, supervisor: 99),  // other team: 1 agent, floor(0.2) = 0 → B → C
        ]
        let results = try Appraisal.monthly(inputs, scheme: scheme)
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.employeeID, $0) })
        // A holders ranked: E01 95; then the 92s by higher qa: E03 and E04 (qa 94; E03 < E04 by id), E02 (qa 90); E05 91.
        // Keep 2: E01, E03. Move E04 (rank 3), E02 (rank 4), E05 (rank 5) to B.
        XCTAssertEqual(byID["E01"]?.grade, "A")
        XCTAssertEqual(byID["E03"]?.grade, "A")
        for id in ["E04", "E02", "E05"] {
            XCTAssertEqual(byID[id]?.grade, "B", id)
            XCTAssertEqual(byID[id]?.bandGrade, "A", id)
            XCTAssertEqual(byID[id]?.bonusCoefficient, 1.0, id)
            XCTAssertEqual(byID[id]?.forcedMoves.first?.from, "A")
        }
        XCTAssertEqual(byID["E04"]?.forcedMoves.first?.rank, 3)
        XCTAssertEqual(byID["E02"]?.forcedMoves.first?.rank, 4)
        XCTAssertEqual(byID["E05"]?.forcedMoves.first?.rank, 5)
        XCTAssertEqual(byID["E04"]?.forcedMoves.first?.allowed, 2)
        XCTAssertEqual(byID["E04"]?.forcedMoves.first?.groupSize, 10)
        XCTAssertEqual(byID["E04"]?.finalScore, 92)  // the score itself never changes
        // B now holds E04 92, E02 92, E05 91, E06 85, E07 82 → 5 > 3: E06 and E07 cascade to C.
        XCTAssertEqual(byID["E06"]?.grade, "C")
        XCTAssertEqual(byID["E07"]?.grade, "C")
        XCTAssertEqual(byID["E06"]?.bonusCoefficient, 0.8)
        XCTAssertEqual(byID["E06"]?.forcedMoves.map(\.rank), [4])
        XCTAssertEqual(byID["E08"]?.grade, "C")
        XCTAssertTrue(byID["E08"]!.forcedMoves.isEmpty)
        XCTAssertEqual(byID["E10"]?.grade, "D")
        XCTAssertEqual(byID["E11"]?.status, .noData)
        XCTAssertNil(byID["E11"]?.grade)
        // Team T2 alone: floor(0.2×1) = 0 A, floor(0.3×1) = 0 B → moved twice, A → B → C.
        XCTAssertEqual(byID["F01"]?.forcedMoves.map(\.to), ["B", "C"])
        XCTAssertEqual(byID["F01"]?.grade, "C")
        // explain says so
        let lines = byID["E04"]!.explanation.lines
        XCTAssertTrue(lines.contains { $0.contains("强制分布") && $0.contains("A → B") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("排第 3 名") })
    }

    func testFullTieFallsBackToEmployeeID() throws {
        let scheme = try AppraisalFixtures.twoComponent(extra: "forced_distribution: {scope: center, limits: [{grade: A, max_share: 0.5}]}")
        // 4 agents across two teams, center scope: A allowed floor(0.5×4) = 2; three identical A's (95, qa 95)
        let inputs = [
            AppraisalFixtures.agent("E3", team: "T1", qa: 95, supervisor: 95),
            AppraisalFixtures.agent("E1", team: "T2", qa: 95, supervisor: 95),
            AppraisalFixtures.agent("E2", team: "T1", qa: 95, supervisor: 95),
            AppraisalFixtures.agent("E4", team: "T2", qa: 70, supervisor: 70),
        ]
        let results = try Appraisal.monthly(inputs, scheme: scheme)
        XCTAssertEqual(results.map(\.grade), ["B", "A", "A", "C"])  // E3 (last by id) moves down
        XCTAssertEqual(results[0].forcedMoves.first?.group, "center")
    }

    func testWithinLimitNothingMoves() throws {
        let scheme = try AppraisalFixtures.twoComponent(extra: limits)
        var inputs: [MonthlyInput] = []
        for i in 1...5 {
            let score = Double(70 + i * 4)
            inputs.append(AppraisalFixtures.agent("E\(i)", qa: score, supervisor: score))
        }
        // finals 74, 78, 82, 86, 90 → one A of 5 = floor(1.0) allowed; B: 2 of floor(1.5) = 1 → E3 (82) moves to C
        let results = try Appraisal.monthly(inputs, scheme: scheme)
        XCTAssertEqual(results.map(\.grade), ["C", "C", "C", "B", "A"])
        XCTAssertEqual(results[2].forcedMoves.map(\.from), ["B"])
    }
}
