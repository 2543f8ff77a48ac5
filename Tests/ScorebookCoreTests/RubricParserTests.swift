import XCTest
@testable import ScorebookCore

final class RubricParserTests: XCTestCase {
    func parseError(_ yaml: String) -> DefinitionError? {
        do {
            _ = try RubricParser.parse(yaml, file: "bad.yaml")
            return nil
        } catch let error as DefinitionError {
            return error
        } catch {
            XCTFail("unexpected error type: \(error)")
            return nil
        }
    }

    static func rubric(weight: String = "1", items: String) -> String {
        """
        id: r
        version: 1
        name: R
        sections:
          - id: s
            name: S
            dimension: accuracy
            weight: \(weight)
            items:
        \(items)
        """
    }

    func testParsesShippedStyleRubric() throws {
        let r = try RubricParser.parse(InspectionScoringTests.yaml, file: "t.yaml")
        XCTAssertEqual(r.id, "t")
        XCTAssertEqual(r.version, 1)
        XCTAssertEqual(r.sections.map(\.weight), [2, 1, 1])
        XCTAssertEqual(r.items.count, 6)
        XCTAssertEqual(r.item("a")?.critical, .form)
        XCTAssertEqual(r.item("e")?.critical, .section)
        XCTAssertEqual(r.item("d")?.per, 4)
        XCTAssertEqual(r.item("c")?.levels, [0, 5, 10])
        XCTAssertTrue(r.item("b")!.allowsNA)
        XCTAssertEqual(r.sections[2].dimension, .etiquette)
    }

    func testNonPositiveWeight() {
        let e = parseError(Self.rubric(weight: "0", items: "      - {id: x, text: X, type: yes_no, points: 5}"))
        XCTAssertEqual(e?.file, "bad.yaml")
        XCTAssertEqual(e?.line, 8)
        XCTAssertEqual(e?.reason, "section 's': weight must be positive, found 0")
        let negative = parseError(Self.rubric(weight: "-2", items: "      - {id: x, text: X, type: yes_no, points: 5}"))
        XCTAssertEqual(negative?.reason, "section 's': weight must be positive, found -2")
    }

    func testDuplicateItemIDs() {
        let e = parseError(Self.rubric(items: """
              - {id: x, text: X, type: yes_no, points: 5}
              - {id: x, text: Y, type: yes_no, points: 5}
        """))
        XCTAssertEqual(e?.reason, "duplicate item id 'x'")
        XCTAssertEqual(e?.line, 11)
    }

    /// A key written without a value was read as absent: `critical:` made a red-line item silently not
    /// critical, `auto:` an item silently without its rule; one text where a list goes was one phrase.
    func testAKeyWithoutAValueAndATextForAListAreRefused() {
        let critical = parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, critical: }"))
        XCTAssertEqual(critical?.line, 10)
        XCTAssertTrue(critical?.reason.contains("'critical' has no value: give one, or leave the key out") == true, "\(String(describing: critical))")
        let auto = parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, auto: }"))
        XCTAssertTrue(auto?.reason.contains("'auto' has no value") == true, "\(String(describing: auto))")
        XCTAssertNil(parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, auto: ~}")), "~ says none on purpose")
        let one = parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, auto: {phrases_required: {phrases: 欢迎致电，欢迎来电}}}"))
        XCTAssertTrue(one?.reason.contains("'欢迎致电，欢迎来电' is one text; a list is written [a, b]") == true, "\(String(describing: one))")
        XCTAssertNil(parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, auto: {phrases_required: {phrases: 您好}}}")),
                     "one phrase without a comma is still a list of one")
        // what an earlier version stored stays readable (a finalized month's workbook reads its rubric again)
        let stored = Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, critical: , auto: {phrases_required: {phrases: 欢迎致电，欢迎来电}}}")
        XCTAssertNotNil(parseError(stored))
        let lenient = try? RubricParser.parse(stored, file: "stored rubric", strict: false)
        XCTAssertNil(lenient?.item("x")?.critical)
        XCTAssertNotNil(lenient?.item("x")?.auto)
    }

    func testScaleTopLevelMustEqualPoints() {
        let e = parseError(Self.rubric(items: "      - {id: x, text: X, type: scale, levels: [0, 5, 8], points: 10}"))
        XCTAssertEqual(e?.reason, "item 'x': the highest level (8) must equal points (10)")
        XCTAssertEqual(e?.line, 10)
    }

    func testYAMLSyntaxError() {
        let e = parseError("id: r\nversion: 1\nname: [unclosed\nsections: []\n")
        XCTAssertNotNil(e)
        XCTAssertTrue(e!.reason.hasPrefix("YAML syntax error"), e!.reason)
        XCTAssertNotNil(e?.line)
        XCTAssertTrue(e!.description.hasPrefix("bad.yaml:"), e!.description)
    }

    /// A key said twice in one mapping: one line naming the file and the line of the repeated key.
    func testDuplicateKeyIsOneLineWithFileAndLine() {
        let yaml = Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5}")
            .replacingOccurrences(of: "    weight: 1\n", with: "    weight: 1\n    weight: 2\n")
        let e = parseError(yaml)
        XCTAssertEqual(e?.line, 9)
        XCTAssertEqual(e?.reason, "duplicate key 'weight' (first at line 8)")
        XCTAssertEqual(e?.description, "bad.yaml:9: duplicate key 'weight' (first at line 8)")
        // in a flow mapping, on one line
        let flow = parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, points: 6}"))
        XCTAssertEqual(flow?.description, "bad.yaml:10: duplicate key 'points'")
    }

    /// A character YAML refuses (libyaml's reader) is named with its line too.
    func testReaderErrorHasTheLine() {
        let e = parseError("id: r\nversion: 1\nname: R\u{1}\nsections: []\n")
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e.map { $0.description.contains("\n") }, false, e?.description ?? "")
        XCTAssertTrue(e?.description.hasPrefix("bad.yaml:3: YAML syntax error: ") ?? false, e?.description ?? "")
    }

    func testOtherMistakes() {
        XCTAssertEqual(parseError(Self.rubric(items: "      - {id: x, text: X, type: multiple, points: 5}"))?.reason,
                       "item 'x': unknown type 'multiple' (yes_no, scale or deduction)")
        XCTAssertEqual(parseError(Self.rubric(items: "      - {id: x, text: X, type: deduction, points: 5}"))?.reason,
                       "missing required key 'per'")
        XCTAssertEqual(parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, critical: team}"))?.reason,
                       "item 'x': critical must be 'section' or 'form', found 'team'")
        XCTAssertEqual(parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 5, wieght: 1}"))?.field,
                       "sections[0].items[0].wieght")
        XCTAssertEqual(parseError(Self.rubric(items: "      - {id: x, text: X, type: yes_no, points: 0}"))?.reason,
                       "item 'x': points must be positive")
        XCTAssertEqual(parseError(Self.rubric(items: "      - {id: x, text: X, type: scale, levels: [0, 5], points: 5, per: 1}"))?.reason,
                       "item 'x': 'per' does not apply to a scale item")
        XCTAssertEqual(parseError(Self.rubric(items: "      - {id: x, text: X, type: scale, levels: [0, 5], points: 5, severity: {light: 1, moderate: 2, severe: 3}}"))?.reason,
                       "item 'x': 'severity' does not apply to a scale item")
        XCTAssertEqual(parseError("id: r\nversion: 0\nname: R\nsections: []\n")?.reason, "version must be a whole number ≥ 1")
        XCTAssertEqual(parseError("id: r\nversion: 1\nname: R\nsections: []\n")?.reason, "a rubric needs at least one section")
    }

    func testErrorDescriptionNamesFileLineFieldReason() {
        let e = DefinitionError(file: "f.yaml", line: 3, field: "sections[0].weight", reason: "must be positive")
        XCTAssertEqual(e.description, "f.yaml:3: sections[0].weight: must be positive")
    }
}
