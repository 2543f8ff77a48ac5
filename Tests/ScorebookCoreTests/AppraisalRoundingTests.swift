import XCTest
@testable import ScorebookCore

final class AppraisalRoundingTests: XCTestCase {
    func testHalfUpViaShortestDecimal() {
        // 89.995 is stored as 89.99499999999999744…; naive (x*100).rounded()/100 would give 89.99
        XCTAssertEqual(DecimalMath.roundHalfUp(89.995), 90.00)
        XCTAssertEqual(DecimalMath.roundHalfUp(79.994999), 79.99)
        XCTAssertEqual(DecimalMath.roundHalfUp(59.995), 60.00)
        XCTAssertEqual(DecimalMath.roundHalfUp(1.005), 1.01)
        XCTAssertEqual(DecimalMath.roundHalfUp(2.675), 2.68)
        XCTAssertEqual(DecimalMath.roundHalfUp(0.125), 0.13)
        XCTAssertEqual(DecimalMath.roundHalfUp(80.004999), 80.00)
        XCTAssertEqual(DecimalMath.roundHalfUp(100.0), 100)
        XCTAssertEqual(DecimalMath.fixed(89.995), "90.00")
        XCTAssertEqual(DecimalMath.fixed(75), "75.00")
        XCTAssertEqual(DecimalMath.fixed(0.5, 4), "0.5000")
    }

    private func graded(_ final: Double) throws -> AppraisalResult {
        // supervisor alone on a [0, 100] scale: the final equals the supervisor score
        let scheme = try AppraisalFixtures.twoComponent()
        return try Appraisal.monthly(AppraisalFixtures.agent("E1", qa: nil, supervisor: final), scheme: scheme)
    }

    func testRoundingAtBoundariesDecidesTheGrade() throws {
        // (final, rounded, grade)
        let cases: [(Double, Double, String)] = [
            (89.995, 90.00, "A"), (79.994999, 79.99, "C"), (59.995, 60.00, "C"), (89.994999, 89.99, "B"),
            (79.995, 80.00, "B"), (59.994, 59.99, "D"),
        ]
        for (final, rounded, grade) in cases {
            let result = try graded(final)
            XCTAssertEqual(result.finalScoreUnrounded, final)
            XCTAssertEqual(result.finalScore, rounded, "\(final)")
            XCTAssertEqual(result.grade, grade, "\(final)")
        }
    }

    func testAFinalOnAHalfThroughARepeatingDecimalComponentRoundsUp() throws {
        // supervisor (weight 9, scale 1–5): one rater, eight criteria at 5 and one at 3 → (8×100 + 50)/9 = 850/9,
        // stored as 94.44444444444444 (below 94.444…); self (weight 1, scale 0–100) 49.95.
        // Exactly: (9 × 850/9 + 49.95)/10 = 899.95/10 = 89.995 → 90.00 → A (it came out 89.99, B).
        let scheme = try SchemeParser.parse("""
            id: nine
            version: 1
            components:
              supervisor: {weight: 9, scale: [1, 5]}
              self: {weight: 1, scale: [0, 100]}
            bands:
              - {grade: A, label: 优秀, min: 90, bonus: 1.2}
              - {grade: B, label: 良好, min: 80, bonus: 1.0}
              - {grade: D, label: 不合格, min: 0, bonus: 0.0}
            """, file: "nine.yaml")
        let input = MonthlyInput(employeeID: "E1", team: "T1", period: "2026-10", inspections: [],
                                 ratings: AppraisalFixtures.ratings(.supervisor, "S1", [5, 5, 5, 5, 5, 5, 5, 5, 3])
                                     + AppraisalFixtures.ratings(.self, "E1", [49.95]))
        let result = try Appraisal.monthly(input, scheme: scheme)
        XCTAssertEqual(try XCTUnwrap(result.finalScoreUnrounded), 89.995, accuracy: 1e-12)
        XCTAssertEqual(result.finalScore, 90.00)
        XCTAssertEqual(result.grade, "A")
        // Just below the half stays below: 89.994999 → 89.99 (settling touches only the 11th decimal).
        XCTAssertEqual(try graded(89.994999).finalScore, 89.99)
    }

    func testBandEdges() throws {
        let cases: [(Double, String, Double)] = [
            (100, "A", 1.2), (90, "A", 1.2), (89.99, "B", 1.0), (80, "B", 1.0), (79.99, "C", 0.8), (60, "C", 0.8),
            (59.99, "D", 0), (0, "D", 0),
        ]
        for (final, grade, bonus) in cases {
            let result = try graded(final)
            XCTAssertEqual(result.grade, grade, "\(final)")
            XCTAssertEqual(result.bonusCoefficient, bonus, "\(final)")
        }
    }

    func testWeightedMeanLandingOnHalfIsRoundedUp() throws {
        // (89.99 + 90)/2 = 89.995 exactly in decimal → 90.00 → A.
        let scheme = try AppraisalFixtures.twoComponent()
        let result = try Appraisal.monthly(AppraisalFixtures.agent("E1", qa: 89.99, supervisor: 90), scheme: scheme)
        XCTAssertEqual(result.finalScoreUnrounded, 89.995)
        XCTAssertEqual(result.finalScore, 90)
        XCTAssertEqual(result.grade, "A")
        // qa mean of 89.99 and 90 is 89.995 too (decimal mean), then final = (89.995 + 89.995)/2
        let two = try Appraisal.monthly(MonthlyInput(
            employeeID: "E2", team: "T1", period: "2026-10",
            inspections: [QAScore(mode: .manual, score: 89.99), QAScore(mode: .manual, score: 90)],
            ratings: AppraisalFixtures.ratings(.supervisor, "S1", [89.995])), scheme: scheme)
        XCTAssertEqual(two.components["qa"], 89.995)
        XCTAssertEqual(two.finalScore, 90)
        XCTAssertEqual(two.grade, "A")
        XCTAssertTrue(two.explanation.lines.contains { $0.contains("89.995 → 90.00") })
    }

    func testResultIsCodableWithIssueFourKeys() throws {
        let scheme = try AppraisalFixtures.monthly()
        let result = try Appraisal.monthly(MonthlyInput(employeeID: "E1", team: "T1", period: "2026-10",
                                                        inspections: [QAScore(mode: .manual, score: 89.995)]), scheme: scheme)
        let data = try JSONEncoder().encode(result)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertEqual(object["employee_id"] as? String, "E1")
        XCTAssertEqual(object["period"] as? String, "2026-10")
        XCTAssertEqual(object["final_score"] as? Double, 90)
        XCTAssertEqual(object["grade"] as? String, "A")
        XCTAssertEqual(object["bonus_coefficient"] as? Double, 1.2)
        XCTAssertEqual((object["missing"] as? [String])?.count, 7)
        let components = object["components"] as! [String: Any]
        XCTAssertEqual(components.count, 8)
        XCTAssertTrue(components["peer"] is NSNull)
        XCTAssertEqual(try JSONDecoder().decode(AppraisalResult.self, from: data), result)
    }
}
