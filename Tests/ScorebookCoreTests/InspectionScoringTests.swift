import XCTest
@testable import ScorebookCore

final class InspectionScoringTests: XCTestCase {
    // s1 compliance w2: a yes_no 10 (critical form), b yes_no 5 (na allowed)
    // s2 accuracy   w1: c scale [0,5,10], d deduction 10 per 4
    // s3 etiquette  w1: e yes_no 5 (critical section), f scale [0,3,5] (na allowed)
    static let yaml = """
    id: t
    version: 1
    name: Test form
    sections:
      - id: s1
        name: 合规
        dimension: compliance
        weight: 2
        items:
          - {id: a, text: 核实身份, type: yes_no, points: 10, critical: form}
          - {id: b, text: 风险揭示, type: yes_no, points: 5, na: true}
      - id: s2
        name: 准确
        dimension: accuracy
        weight: 1
        items:
          - {id: c, text: 解答正确, type: scale, levels: [0, 5, 10], points: 10}
          - {id: d, text: 不必要等待, type: deduction, points: 10, per: 4}
      - id: s3
        name: 礼仪
        dimension: etiquette
        weight: 1
        items:
          - {id: e, text: 问候, type: yes_no, points: 5, critical: section}
          - {id: f, text: 礼貌用语, type: scale, levels: [0, 3, 5], points: 5, na: true}
    """

    var rubric: Rubric!

    override func setUpWithError() throws {
        rubric = try RubricParser.parse(Self.yaml, file: "t.yaml")
    }

    func score(_ answers: [String: Answer]) throws -> InspectionScore {
        try InspectionScoring.validate(rubric, answers: answers)
        return InspectionScoring.score(rubric, answers: answers)
    }

    func testWeightedSectionsAndNA() throws {
        // s1 = 100 × 10/10 = 100 (b is N/A, counts in neither sum)
        // s2 = 100 × (5 + (10 − 4)) / 20 = 55
        // s3 = 100 × (5 + 3) / 10 = 80
        // score = (2·100 + 1·55 + 1·80) / 4 = 83.75
        let result = try score(["a": .yes, "b": .na, "c": .number(5), "d": .number(1), "e": .yes, "f": .number(3)])
        XCTAssertEqual(result.score!, 83.75, accuracy: 1e-12)
        XCTAssertEqual(result.dimension(.compliance)!, 100, accuracy: 1e-12)
        XCTAssertEqual(result.dimension(.accuracy)!, 55, accuracy: 1e-12)
        XCTAssertEqual(result.dimension(.etiquette)!, 80, accuracy: 1e-12)
        XCTAssertFalse(result.criticalFailed)
    }

    func testUnroundedScore() throws {
        // s1 = 100 × (10 + 0)/15 = 66.666…; s2 = 100 × (10 + 10)/20 = 100; s3 = 100
        // score = (2·66.666… + 100 + 100)/4 = 83.333…
        let result = try score(["a": .yes, "b": .no, "c": .number(10), "d": .number(0), "e": .yes, "f": .number(5)])
        XCTAssertEqual(result.score!, (2 * 200.0 / 3 + 200) / 4, accuracy: 1e-12)
        XCTAssertEqual(result.dimension(.compliance)!, 200.0 / 3, accuracy: 1e-12)
    }

    func testDeductionNeverBelowZero() throws {
        // d: 10 − 3·4 = −2 → 0; s2 = 100 × (5 + 0)/20 = 25
        let result = try score(["c": .number(5), "d": .number(3)])
        XCTAssertEqual(result.sections[1].score!, 25, accuracy: 1e-12)
        XCTAssertEqual(result.items.first { $0.itemID == "d" }?.earned, 0)
        // only s2 answered: score = 25, compliance and etiquette N/A
        XCTAssertEqual(result.score!, 25, accuracy: 1e-12)
        XCTAssertNil(result.dimension(.compliance))
        XCTAssertNil(result.dimension(.etiquette))
    }

    func testSectionCriticalZeroesItsSection() throws {
        // e failed (critical: section): s3 = 0 instead of 100 × 3/10 = 30
        // score = (2·100 + 55 + 0)/4 = 63.75
        let result = try score(["a": .yes, "c": .number(5), "d": .number(1), "e": .no, "f": .number(3)])
        XCTAssertEqual(result.sections[2].score, 0)
        XCTAssertTrue(result.sections[2].criticalFailed)
        XCTAssertEqual(result.score!, 63.75, accuracy: 1e-12)
        XCTAssertEqual(result.dimension(.etiquette), 0)
        XCTAssertFalse(result.criticalFailed)
    }

    func testFormCriticalZeroesInspectionKeepsDimensions() throws {
        // a failed (critical: form): score 0; dimensions as computed: compliance 0, accuracy 55, etiquette 80
        let result = try score(["a": .no, "b": .na, "c": .number(5), "d": .number(1), "e": .yes, "f": .number(3)])
        XCTAssertEqual(result.score, 0)
        XCTAssertTrue(result.criticalFailed)
        XCTAssertEqual(result.dimension(.compliance)!, 0, accuracy: 1e-12)
        XCTAssertEqual(result.dimension(.accuracy)!, 55, accuracy: 1e-12)
        XCTAssertEqual(result.dimension(.etiquette)!, 80, accuracy: 1e-12)
    }

    func testAllNASectionIsNA() throws {
        // s1: a unanswered, b N/A → s1 N/A; s3: e yes, f N/A → 100; score = (1·55 + 1·100)/2 = 77.5
        let result = try score(["b": .na, "c": .number(5), "d": .number(1), "e": .yes, "f": .na])
        XCTAssertNil(result.sections[0].score)
        XCTAssertNil(result.dimension(.compliance))
        XCTAssertEqual(result.score!, 77.5, accuracy: 1e-12)
    }

    func testNothingAnsweredIsNA() throws {
        let result = try score(["b": .na, "f": .na])
        XCTAssertNil(result.score)
        XCTAssertTrue(result.dimensions.isEmpty)
        XCTAssertFalse(result.criticalFailed)
    }

    func testCriticalItemAnsweredNAIsNotAFailure() throws {
        // b may be N/A; a critical item not answered is not failed either
        let result = try score(["b": .na, "c": .number(10)])
        XCTAssertFalse(result.criticalFailed)
        XCTAssertEqual(result.score!, 100, accuracy: 1e-12)
    }

    func testAnswersByPositionScoreTheSame() throws {
        // rubric.items order: a b c d e f. d loses 7 points by severity instead of per × count (4 × 1):
        // s1 = 100 × 0/10 → form critical a failed; s2 = 100 × (5 + 3)/20 = 40; s3 = 100 × (0 + 5)/10 → 0 (e
        // critical: section). Dimensions: compliance 0, accuracy 40, etiquette 0; score 0 (form critical).
        let byPosition: [Answer] = [.no, .na, .number(5), .number(1), .no, .number(5)]
        let lean = InspectionScoring.score(rubric, itemAnswers: byPosition, itemDeductions: [nil, nil, nil, 7, nil, nil],
                                           details: false)
        XCTAssertEqual(lean.score, 0)
        XCTAssertTrue(lean.criticalFailed)
        XCTAssertEqual(lean.dimension(.compliance)!, 0, accuracy: 1e-12)
        XCTAssertEqual(lean.dimension(.accuracy)!, 40, accuracy: 1e-12)
        XCTAssertEqual(lean.dimension(.etiquette)!, 0, accuracy: 1e-12)
        XCTAssertTrue(lean.sections.isEmpty && lean.items.isEmpty, "details: false leaves the breakdown out")
        let ids = rubric.items.map(\.id)
        let full = InspectionScoring.score(rubric, answers: Dictionary(uniqueKeysWithValues: zip(ids, byPosition)),
                                           deductions: ["d": 7])
        XCTAssertEqual(full.score, lean.score)
        XCTAssertEqual(full.dimensions, lean.dimensions)
        XCTAssertEqual(full.items.map(\.earned), [0, nil, 5, 3, 0, 5])
        XCTAssertEqual(InspectionScoring.score(rubric, itemAnswers: byPosition, itemDeductions: [nil, nil, nil, 7, nil, nil]), full)
        // no deductions given: d loses per × count = 4 → s2 = 100 × (5 + 6)/20 = 55
        XCTAssertEqual(InspectionScoring.score(rubric, itemAnswers: byPosition, itemDeductions: []).dimension(.accuracy)!,
                       55, accuracy: 1e-12)
    }

    func testInvalidAnswersAreRefused() {
        func reason(_ answers: [String: Answer]) -> String? {
            do { try InspectionScoring.validate(rubric, answers: answers); return nil } catch { return "\(error)" }
        }
        XCTAssertEqual(reason(["c": .number(7)]), "item 'c': value 7 not allowed: levels are 0, 5, 10")
        XCTAssertEqual(reason(["a": .na]), "item 'a': N/A is not allowed for this item")
        XCTAssertEqual(reason(["zz": .yes]), "item 'zz': unknown item id (rubric t v1)")
        XCTAssertEqual(reason(["d": .number(1.5)]), "item 'd': value 1.5 not allowed: a deduction item takes a whole occurrence count ≥ 0")
        XCTAssertEqual(reason(["a": .number(1)]), "item 'a': value 1 not allowed: a yes_no item takes yes or no")
        XCTAssertNotNil(reason(["c": .yes]))
        XCTAssertNil(reason(["b": .na, "c": .number(0), "d": .number(4)]))
    }

    func testAnswerParsing() {
        XCTAssertEqual(Answer.parse("yes"), .yes)
        XCTAssertEqual(Answer.parse(" NO "), .no)
        XCTAssertEqual(Answer.parse("na"), .na)
        XCTAssertEqual(Answer.parse("N/A"), .na)
        XCTAssertEqual(Answer.parse("15"), .number(15))
        XCTAssertNil(Answer.parse("maybe"))
        XCTAssertEqual(Answer.number(5).description, "5")
        XCTAssertEqual(Answer.number(2.5).description, "2.5")
    }
}
