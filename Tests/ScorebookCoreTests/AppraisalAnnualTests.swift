import XCTest
@testable import ScorebookCore

final class AppraisalAnnualTests: XCTestCase {
    private func months(_ finals: [Int: Double?], year: String = "2026") -> [MonthScore] {
        finals.keys.sorted().map { MonthScore(period: String(format: "%@-%02d", year, $0), finalScore: finals[$0]!) }
    }

    func testAnnualIsMeanOfUnroundedMonthlyFinals() throws {
        let scheme = try AppraisalFixtures.shipped("annual")  // min_months 6
        // Jan–Mar 89.994 (rounded 89.99), Apr–Jun 89.9955 (rounded 90.00)
        // mean of unrounded = (3×89.994 + 3×89.9955)/6 = 539.9685/6 = 89.99475 → 89.99 → B
        // (the mean of the ROUNDED months would be 89.995 → 90.00 → A: not the rule)
        var finals: [Int: Double?] = [1: 89.994, 2: 89.994, 3: 89.994, 4: 89.9955, 5: 89.9955, 6: 89.9955]
        finals[7] = .some(nil)  // a month without a final score (no_data) does not count
        let input = AnnualInput(employeeID: "E1", team: "T1", year: "2026",
                                months: months(finals) + [MonthScore(period: "2025-12", finalScore: 10)])  // other year ignored
        let result = try Appraisal.annual(input, scheme: scheme)
        XCTAssertEqual(result.status, .graded)
        XCTAssertEqual(result.period, "2026")
        XCTAssertEqual(result.finalScoreUnrounded, 89.99475)
        XCTAssertEqual(result.finalScore, 89.99)
        XCTAssertEqual(result.grade, "B")
        XCTAssertEqual(result.bonusCoefficient, 1.0)
        XCTAssertEqual(result.components["m01"], 89.994)
        XCTAssertNil(result.components["m07"]!)
        XCTAssertEqual(result.missing, ["m07", "m08", "m09", "m10", "m11", "m12"])
        XCTAssertEqual(result.hrValue("months", name: "张三"), .number(6))
        XCTAssertTrue(result.explanation.lines.contains { $0.contains("mean of 6 monthly finals = 89.99475") })
    }

    func testTooFewMonthsIsIncompleteNotGraded() throws {
        let scheme = try AppraisalFixtures.shipped("annual")
        // 5 months (Aug–Dec, a new hire) < min_months 6 → listed as incomplete
        let input = AnnualInput(employeeID: "E2", team: "T1", year: "2026",
                                months: months([8: 95, 9: 95, 10: 95, 11: 95, 12: 95]))
        let result = try Appraisal.annual(input, scheme: scheme)
        XCTAssertEqual(result.status, .incomplete)
        XCTAssertNil(result.finalScore)
        XCTAssertNil(result.grade)
        XCTAssertNil(result.bonusCoefficient)
        XCTAssertEqual(result.missing, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])
        XCTAssertTrue(result.explanation.lines.contains { $0.contains("INCOMPLETE") })
        // a sixth month makes it complete: (5×95 + 80)/6 = 555/6 = 92.5 → A, annual bonus 1.5
        let six = try Appraisal.annual(AnnualInput(employeeID: "E2", team: "T1", year: "2026",
                                                   months: input.months + months([7: 80])), scheme: scheme)
        XCTAssertEqual(six.finalScore, 92.5)
        XCTAssertEqual(six.grade, "A")
        XCTAssertEqual(six.bonusCoefficient, 1.5)
    }

    func testAnnualFromMonthlyResults() throws {
        let monthly = try AppraisalFixtures.monthly()
        let annual = try AppraisalFixtures.shipped("annual")
        var scores: [MonthScore] = []
        for month in 1...12 {
            // qa only, manual 70 + month → finals 71 … 82; mean = 76.5
            let result = try Appraisal.monthly(MonthlyInput(employeeID: "E1", team: "T1", period: String(format: "2026-%02d", month),
                                                            inspections: [QAScore(mode: .manual, score: 70 + Double(month))]),
                                               scheme: monthly)
            scores.append(MonthScore(result))
        }
        let result = try Appraisal.annual(AnnualInput(employeeID: "E1", team: "T1", year: "2026", months: scores), scheme: annual)
        XCTAssertEqual(result.finalScore, 76.5)
        XCTAssertEqual(result.grade, "C")
        XCTAssertEqual(result.tieBreakQA, 76.5)
        XCTAssertTrue(result.missing.isEmpty)
        XCTAssertThrowsError(try Appraisal.annual(AnnualInput(employeeID: "E1", team: "T1", year: "2026", months: scores),
                                                  scheme: monthly))
    }
}
