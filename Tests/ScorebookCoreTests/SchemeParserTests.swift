import XCTest
@testable import ScorebookCore

final class SchemeParserTests: XCTestCase {
    func testShippedMonthlySchemeIsTheDesignDefault() throws {
        let scheme = try AppraisalFixtures.monthly()
        XCTAssertEqual(scheme.id, "monthly")
        XCTAssertEqual(scheme.version, 1)
        XCTAssertEqual(scheme.kind, .monthly)
        XCTAssertEqual(scheme.components.map(\.name), ["qa", "customer", "supervisor", "peer", "self", "fcr", "response", "handle"])
        XCTAssertEqual(scheme.components.map(\.weight), [30, 20, 15, 10, 5, 10, 5, 5])
        XCTAssertEqual(scheme.component("qa")?.spec, .qa(QASpec(manual: 0.7, auto: 0.3)))
        XCTAssertEqual(scheme.component("customer")?.spec,
                       .rating(RatingSpec(source: .customer, scaleMin: 1, scaleMax: 5, minResponses: 10)))
        XCTAssertEqual(scheme.component("supervisor")?.spec, .rating(RatingSpec(source: .supervisor, scaleMin: 1, scaleMax: 5)))
        XCTAssertEqual(scheme.component("peer")?.spec,
                       .rating(RatingSpec(source: .peer, scaleMin: 1, scaleMax: 5, minRaters: 3, trimAt: 5)))
        XCTAssertEqual(scheme.component("self")?.spec, .rating(RatingSpec(source: .self, scaleMin: 1, scaleMax: 5)))
        XCTAssertEqual(scheme.component("fcr")?.spec,
                       .kpi(KPISpec(kpi: .firstContactResolution, bounds: KPIBounds(worst: 0.6, target: 0.9))))
        XCTAssertEqual(scheme.component("response")?.spec,
                       .kpi(KPISpec(kpi: .firstResponseSeconds, bounds: KPIBounds(worst: 30, target: 5))))
        XCTAssertEqual(scheme.component("handle")?.spec,
                       .kpi(KPISpec(kpi: .handleSeconds, bounds: KPIBounds(worst: 900, target: 300))))
        XCTAssertEqual(scheme.bands, [
            GradeBand(grade: "A", label: "优秀", min: 90, bonus: 1.2), GradeBand(grade: "B", label: "良好", min: 80, bonus: 1.0),
            GradeBand(grade: "C", label: "合格", min: 60, bonus: 0.8), GradeBand(grade: "D", label: "不合格", min: 0, bonus: 0),
        ])
        XCTAssertNil(scheme.forcedDistribution)
        XCTAssertEqual(scheme.hrColumns.map(\.id), ["employee_id", "name", "team", "period", "qa", "customer", "supervisor",
                                                    "peer", "self", "fcr", "response", "handle", "final_score", "grade",
                                                    "bonus_coefficient", "missing"])
        XCTAssertEqual(scheme.hrColumns.first { $0.id == "peer" }?.label, "同事评价")
        XCTAssertEqual(scheme.hrColumns.first { $0.id == "employee_id" }?.label, "工号")
    }

    func testShippedAnnualScheme() throws {
        let scheme = try AppraisalFixtures.shipped("annual")
        XCTAssertEqual(scheme.kind, .annual)
        XCTAssertEqual(scheme.minMonths, 6)
        XCTAssertEqual(scheme.monthlyScheme, "monthly")
        XCTAssertTrue(scheme.components.isEmpty)
        XCTAssertEqual(scheme.bands.map(\.grade), ["A", "B", "C", "D"])
        XCTAssertEqual(scheme.bands.map(\.label), ["优秀", "良好", "合格", "不合格"])
        XCTAssertEqual(scheme.hrColumns.map(\.id), ["employee_id", "name", "team", "period"] + AnnualAppraisal.monthKeys
                       + ["months", "final_score", "grade", "bonus_coefficient", "missing"])
        XCTAssertEqual(scheme.hrColumns.first { $0.id == "m03" }?.label, "3月")
    }

    func testPerChannelBoundsAndForcedDistributionParse() throws {
        let scheme = try SchemeParser.parse("""
        id: c
        version: 2
        components:
          handle: {weight: 5, kpi: handle_seconds, worst: 900, target: 300, channels: {video: {worst: 1200, target: 400}, chat: {target: 200}}}
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: D, label: 不合格, min: 0, bonus: 0}
        forced_distribution: {scope: team, limits: [{grade: A, max_share: 0.2}]}
        """, file: "c.yaml")
        guard case .kpi(let spec)? = scheme.component("handle")?.spec else { return XCTFail("not a KPI") }
        XCTAssertEqual(spec.bounds(for: .video), KPIBounds(worst: 1200, target: 400))
        XCTAssertEqual(spec.bounds(for: .chat), KPIBounds(worst: 900, target: 200))  // worst inherited
        XCTAssertEqual(spec.bounds(for: .phone), KPIBounds(worst: 900, target: 300))  // defaults
        XCTAssertEqual(scheme.forcedDistribution, ForcedDistribution(scope: .team, limits: [.init(grade: "A", maxShare: 0.2)]))
        // Without hr_columns the default order is derived.
        XCTAssertEqual(scheme.hrColumns.map(\.id), ["employee_id", "name", "team", "period", "handle", "final_score", "grade",
                                                    "bonus_coefficient", "missing"])
        XCTAssertEqual(scheme.component("handle")?.label, "平均处理时长")
    }

    // MARK: validation errors: file, line, field, reason

    private let bands = """
    bands:
      - {grade: A, label: 优秀, min: 90, bonus: 1.2}
      - {grade: D, label: 不合格, min: 0, bonus: 0}
    """

    private func refuse(_ text: String, line: Int?, contains reason: String, file: StaticString = #filePath, sourceLine: UInt = #line) {
        XCTAssertThrowsError(try SchemeParser.parse(text, file: "bad.yaml"), file: file, line: sourceLine) { error in
            guard let error = error as? DefinitionError else { return XCTFail("\(error)", file: file, line: sourceLine) }
            XCTAssertEqual(error.file, "bad.yaml", file: file, line: sourceLine)
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: sourceLine)
            XCTAssertTrue(error.reason.contains(reason), "\(error)", file: file, line: sourceLine)
            XCTAssertTrue(error.description.hasPrefix("bad.yaml:\(line.map(String.init) ?? "")"), error.description,
                          file: file, line: sourceLine)
        }
    }

    private func monthly(_ components: String, bands: String? = nil, extra: String = "") -> String {
        "id: m\nversion: 1\ncomponents:\n\(components)\n\(bands ?? self.bands)\n\(extra)"
    }

    func testWeightMustBePositive() {
        refuse(monthly("  qa: {weight: 30, modes: {manual: 1}}\n  self: {weight: 0, scale: [1, 5]}"),
               line: 5, contains: "weight must be positive")
        refuse(monthly("  qa: {weight: -3, modes: {manual: 1}}"), line: 4, contains: "weight must be positive")
        refuse(monthly("  qa: {weight: 3, modes: {manual: 0.7, auto: 0}}"), line: 4, contains: "auto weight must be positive")
    }

    func testScaleMinBelowMax() {
        refuse(monthly("  peer: {weight: 10, scale: [5, 1]}"), line: 4, contains: "scale min (5) must be below max (1)")
        refuse(monthly("  peer: {weight: 10, scale: [1, 1]}"), line: 4, contains: "must be below max")
        refuse(monthly("  peer: {weight: 10, scale: [1, 3, 5]}"), line: 4, contains: "scale must be [min, max]")
    }

    func testWorstMustDifferFromTarget() {
        refuse(monthly("  fcr: {weight: 10, kpi: first_contact_resolution, worst: 0.8, target: 0.8}"),
               line: 4, contains: "worst and target must differ")
        refuse(monthly("  h: {weight: 10, kpi: handle_seconds, worst: 900, target: 300, channels: {video: {worst: 300}}}"),
               line: 4, contains: "worst and target must differ")
        refuse(monthly("  fcr: {weight: 10, kpi: first_contact_resolution, worst: 60, target: 90}"),
               line: 4, contains: "rate between 0 and 1")
    }

    func testBandsDescendingAndCoveringZero() {
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", bands: """
        bands:
          - {grade: B, label: 良好, min: 80, bonus: 1.0}
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: D, label: 不合格, min: 0, bonus: 0}
        """), line: 7, contains: "descending")
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", bands: """
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: C, label: 合格, min: 60, bonus: 0.8}
        """), line: 7, contains: "must cover 0")
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", bands: """
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: A, label: 合格, min: 0, bonus: 0.8}
        """), line: 7, contains: "duplicate grade 'A'")
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", bands: """
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.125}
          - {grade: D, label: 不合格, min: 0, bonus: 0}
        """), line: 6, contains: "grade A: bonus 1.125 has more than 2 decimals")
    }

    func testUnknownKeysComponentsAndKPIs() {
        refuse(monthly("  qa: {wieght: 1, modes: {manual: 1}}"), line: 4, contains: "unknown key 'wieght'")
        refuse(monthly("  teamwork: {weight: 1, scale: [1, 5]}"), line: 4, contains: "unknown component 'teamwork'")
        refuse(monthly("  speed: {weight: 1, kpi: talk_seconds, worst: 1, target: 2}"), line: 4, contains: "unknown KPI 'talk_seconds'")
        refuse(monthly("  customer: {weight: 1, scale: [1, 5], trim_at: 5}"), line: 4, contains: "unknown key 'trim_at'")
        refuse(monthly("  h: {weight: 1, kpi: handle_seconds, worst: 900, target: 300, channels: {fax: {worst: 1}}}"),
               line: 4, contains: "unknown channel 'fax'")
        refuse("id: m\nversion: 1\nkomponents: {}\n" + bands, line: 3, contains: "unknown key 'komponents'")
        refuse(monthly("  peer: {weight: 10, scale: [1, 5], trim_at: 2}"), line: 4, contains: "trim_at must be at least 3")
    }

    func testPeerTrimsAtFiveRatersWhenTheSchemeDoesNotSay() throws {
        // DESIGN: "with 5 or more raters the single highest and lowest are dropped first".
        let scheme = try SchemeParser.parse(monthly("  peer: {weight: 10, scale: [1, 5], min_raters: 3}"), file: "p.yaml")
        guard case .rating(let spec)? = scheme.components.first?.spec else { return XCTFail("no peer component") }
        XCTAssertEqual(spec.trimAt, 5)
        let explicit = try SchemeParser.parse(monthly("  peer: {weight: 10, scale: [1, 5], trim_at: 7}"), file: "p.yaml")
        guard case .rating(let seven)? = explicit.components.first?.spec else { return XCTFail("no peer component") }
        XCTAssertEqual(seven.trimAt, 7)
        refuse(monthly("  qa: {weight: 1, kpi: handle_seconds, worst: 900, target: 300}"), line: 4, contains: "reserved component name")
        refuse(monthly("  qa: 30"), line: 4, contains: "must be a mapping")
    }

    func testForcedDistributionErrors() {
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", extra: "forced_distribution: {limits: [{grade: S, max_share: 0.1}]}"),
               line: 8, contains: "unknown grade 'S'")
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", extra: "forced_distribution: {limits: [{grade: D, max_share: 0.1}]}"),
               line: 8, contains: "lowest band")
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", extra: "forced_distribution: {limits: [{grade: A, max_share: 20}]}"),
               line: 8, contains: "between 0 and 1")
    }

    func testHRColumns() {
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}\n  self: {weight: 1, scale: [1, 5]}",
                       extra: "hr_columns: [employee_id, name, team, period, qa, final_score, grade, bonus_coefficient, missing]"),
               line: 9, contains: "must include 'self'")
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", extra: "hr_columns: [employee_id, salary]"),
               line: 8, contains: "unknown HR column 'salary'")
    }

    func testAnnualRules() {
        refuse("id: y\nversion: 1\nkind: annual\n" + bands, line: 1, contains: "missing required key 'min_months'")
        refuse("id: y\nversion: 1\nkind: annual\nmin_months: 13\n" + bands, line: 4, contains: "between 1 and 12")
        refuse("id: y\nversion: 1\nkind: annual\nmin_months: 6\ncomponents:\n  qa: {weight: 1, modes: {manual: 1}}\n" + bands,
               line: 6, contains: "annual scheme has no components")
        refuse(monthly("  qa: {weight: 1, modes: {manual: 1}}", extra: "min_months: 6"), line: 8, contains: "annual scheme only")
        refuse("id: y\nversion: 1\nkind: quarterly\n" + bands, line: 3, contains: "unknown kind 'quarterly'")
    }

    func testYAMLSyntaxErrorNamesTheLine() {
        XCTAssertThrowsError(try SchemeParser.parse("id: m\nversion: 1\ncomponents:\n  qa: {weight: 1\n", file: "bad.yaml")) { error in
            let error = error as? DefinitionError
            XCTAssertEqual(error?.file, "bad.yaml")
            XCTAssertNotNil(error?.line)
            XCTAssertTrue(error?.reason.contains("YAML syntax error") ?? false)
        }
    }
}
