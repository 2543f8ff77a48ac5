import XCTest
@testable import ScorebookCore

/// Hand-computed component values (DESIGN.md "Appraisal", "Precisely").
final class AppraisalComponentTests: XCTestCase {
    private func appraise(_ input: MonthlyInput, _ scheme: Scheme? = nil) throws -> AppraisalResult {
        try Appraisal.monthly(input, scheme: scheme ?? AppraisalFixtures.monthly())
    }

    private func input(inspections: [QAScore] = [], ratings: [RatingScore] = [], channels: [ChannelKPIs] = []) -> MonthlyInput {
        MonthlyInput(employeeID: "E1", team: "T1", period: "2026-10", inspections: inspections, ratings: ratings, channels: channels)
    }

    private func component(_ result: AppraisalResult, _ name: String) -> ComponentExplanation {
        result.explanation.components.first { $0.name == name }!
    }

    // MARK: normalization 100 × (score − min)/(max − min)

    func testNormalizationOfEachScale() {
        let oneToFive = RatingSpec(source: .peer, scaleMin: 1, scaleMax: 5)
        // [1, 5]: span 4 → 1→0, 2→25, 3→50, 4→75, 5→100
        XCTAssertEqual([1, 2, 3, 4, 5].map { Appraisal.normalize($0, oneToFive) }, [0, 25, 50, 75, 100])
        // [0, 10]: 7 → 70; [0, 100]: 83.5 → 83.5
        XCTAssertEqual(Appraisal.normalize(7, RatingSpec(source: .self, scaleMin: 0, scaleMax: 10)), 70)
        XCTAssertEqual(Appraisal.normalize(83.5, RatingSpec(source: .self, scaleMin: 0, scaleMax: 100)), 83.5)
        // [1, 10]: 4 → 100 × 3/9 = 33.33…
        XCTAssertEqual(DecimalMath.double(Appraisal.normalize(4, RatingSpec(source: .self, scaleMin: 1, scaleMax: 10))),
                       100.0 / 3, accuracy: 1e-12)
        // [1, 3]: 2 → 50
        XCTAssertEqual(Appraisal.normalize(2, RatingSpec(source: .self, scaleMin: 1, scaleMax: 3)), 50)
    }

    // MARK: self / supervisor

    func testSelfIsMeanOfNormalizedCriteria() throws {
        // criteria 4 and 5 on [1, 5] → 75 and 100 → 87.5
        let result = try appraise(input(ratings: AppraisalFixtures.ratings(.self, "E1", [4, 5])))
        XCTAssertEqual(result.components["self"], 87.5)
    }

    func testSupervisorIsMeanOverRaters() throws {
        // S1: criteria 5, 3 → (100 + 50)/2 = 75; S2: one criterion 2 → 25; mean over raters (75 + 25)/2 = 50
        // (a mean over rows would be (100 + 50 + 25)/3 = 58.33 — not the rule)
        let ratings = AppraisalFixtures.ratings(.supervisor, "S1", [5, 3]) + AppraisalFixtures.ratings(.supervisor, "S2", [2])
        let result = try appraise(input(ratings: ratings))
        XCTAssertEqual(result.components["supervisor"], 50)
        XCTAssertEqual(component(result, "supervisor").rating?.raters.map(\.value), [75, 25])
        XCTAssertNil(result.components["self"]!)
        XCTAssertTrue(result.missing.contains("self"))
    }

    // MARK: peer trimming and minimum raters

    func testPeerWithFourRatersIsNotTrimmed() throws {
        // trim_at 5; 4 raters: 5, 4, 3, 1 → 100, 75, 50, 0 → (225)/4 = 56.25
        let ratings = [("P1", 5.0), ("P2", 4), ("P3", 3), ("P4", 1)].flatMap { AppraisalFixtures.ratings(.peer, $0.0, [$0.1]) }
        let result = try appraise(input(ratings: ratings))
        XCTAssertEqual(result.components["peer"], 56.25)
        XCTAssertEqual(component(result, "peer").rating?.raters.filter(\.trimmed).count, 0)
    }

    func testPeerWithFiveRatersDropsHighestAndLowest() throws {
        // 5 raters: P1 [5,5]=100, P2 5=100, P3 4=75, P4 [3,3]=50, P5 1=0
        // drop one 100 and the 0 → (100 + 75 + 50)/3 = 75
        let ratings = AppraisalFixtures.ratings(.peer, "P1", [5, 5]) + AppraisalFixtures.ratings(.peer, "P2", [5])
            + AppraisalFixtures.ratings(.peer, "P3", [4]) + AppraisalFixtures.ratings(.peer, "P4", [3, 3])
            + AppraisalFixtures.ratings(.peer, "P5", [1])
        let result = try appraise(input(ratings: ratings))
        XCTAssertEqual(result.components["peer"], 75)
        let raters = component(result, "peer").rating!.raters
        XCTAssertEqual(raters.map(\.value), [100, 100, 75, 50, 0])
        XCTAssertEqual(raters.map(\.trimmed), [true, false, false, false, true])
        // peer raters are anonymized in the explanation
        XCTAssertEqual(raters.map(\.rater), ["同事1", "同事2", "同事3", "同事4", "同事5"])
        XCTAssertFalse(result.explanation.lines.joined().contains("P1"))
    }

    func testPeerBelowMinimumRatersIsMissing() throws {
        // min_raters 3; two raters (even with several criteria each) → missing
        let ratings = AppraisalFixtures.ratings(.peer, "P1", [5, 4, 3]) + AppraisalFixtures.ratings(.peer, "P2", [4])
        let result = try appraise(input(ratings: ratings))
        XCTAssertNil(result.components["peer"]!)
        XCTAssertEqual(result.missing, ["qa", "customer", "supervisor", "peer", "self", "fcr", "response", "handle"])
        XCTAssertTrue(component(result, "peer").missingReason!.contains("only 2 rater(s), minimum 3"))
        // three raters: 100, 75, 50 → 75
        let three = ratings + AppraisalFixtures.ratings(.peer, "P3", [3])
        XCTAssertEqual(try appraise(input(ratings: three)).components["peer"], (75 + 75 + 50) / 3)
    }

    // MARK: customer responses

    func testCustomerNeedsMinimumResponses() throws {
        // 9 csat answers < min_responses 10 → missing
        let nine = [ChannelKPIs(channel: .phone, sessions: 9, resolved: 0, csat: [5, 5, 5, 5, 5, 4, 4, 4, 4])]
        let result = try appraise(input(channels: nine))
        XCTAssertNil(result.components["customer"]!)
        XCTAssertTrue(component(result, "customer").missingReason!.contains("only 9 response(s), minimum 10"))

        // 8 csat (4×5, 4×4) + 2 customer rating rows (3 and 1) = 10 responses:
        // 4×100 + 4×75 + 50 + 0 = 750 → 750/10 = 75
        let channels = [ChannelKPIs(channel: .phone, sessions: 4, resolved: 0, csat: [5, 5, 4, 4]),
                        ChannelKPIs(channel: .video, sessions: 4, resolved: 0, csat: [5, 5, 4, 4])]
        let rows = [RatingScore(source: .customer, raterID: "R1", criterion: "overall", score: 3),
                    RatingScore(source: .customer, raterID: "R2", criterion: "overall", score: 1)]
        let ten = try appraise(input(ratings: rows, channels: channels))
        XCTAssertEqual(ten.components["customer"], 75)
        XCTAssertEqual(component(ten, "customer").rating?.responses, 10)
        XCTAssertEqual(component(ten, "customer").rating?.csatResponses, 8)
    }

    func testCsatKeepsItsOwn1To5ScaleWhateverTheCustomerScale() throws {
        // customer rows on a 0–10 scale: a row of 5 → 50; a csat of 5 is the top of 1–5 → 100; a csat of 2 → 25.
        // (50 + 100 + 25)/3 = 58.333…
        let scheme = try SchemeParser.parse("""
            id: ten
            version: 1
            components:
              customer: {weight: 1, scale: [0, 10], min_responses: 1}
            bands:
              - {grade: A, label: 优秀, min: 0, bonus: 1}
            """, file: "ten.yaml")
        let result = try Appraisal.monthly(MonthlyInput(
            employeeID: "E1", team: "T1", period: "2026-10", inspections: [],
            ratings: [RatingScore(source: .customer, raterID: "R1", criterion: "overall", score: 5)],
            channels: [ChannelKPIs(channel: .phone, sessions: 2, resolved: 0, csat: [5, 2])]), scheme: scheme)
        XCTAssertEqual(try XCTUnwrap(result.components["customer"] ?? nil), 175.0 / 3, accuracy: 1e-12)
    }

    // MARK: qa

    func testQAWeightsManualAndAutoMeans() throws {
        // manual 90, 80 → 85; auto 70, 60, 80 → 70; (0.7×85 + 0.3×70)/(0.7 + 0.3) = 59.5 + 21 = 80.5
        let inspections = [QAScore(mode: .manual, score: 90), QAScore(mode: .manual, score: 80),
                           QAScore(mode: .auto, score: 70), QAScore(mode: .auto, score: 60), QAScore(mode: .auto, score: 80)]
        XCTAssertEqual(try appraise(input(inspections: inspections)).components["qa"], 80.5)
        // one mode alone gets full weight: auto 70, 60, 80 → 70
        XCTAssertEqual(try appraise(input(inspections: Array(inspections.suffix(3)))).components["qa"], 70)
        // none → missing
        XCTAssertNil(try appraise(input()).components["qa"]!)
    }

    func testQAModeNotInSchemeIsIgnored() throws {
        let scheme = try AppraisalFixtures.twoComponent()  // qa modes: {manual: 1}
        let result = try Appraisal.monthly(MonthlyInput(employeeID: "E1", team: "T", period: "2026-10",
                                                        inspections: [QAScore(mode: .auto, score: 90)]), scheme: scheme)
        XCTAssertNil(result.components["qa"]!)
        XCTAssertEqual(result.status, .noData)
    }

    // MARK: KPIs

    func testFirstContactResolutionMapping() throws {
        // 40/50 = 0.8 → 100 × (0.8 − 0.6)/(0.9 − 0.6) = 66.67
        let r = try appraise(input(channels: [ChannelKPIs(channel: .phone, sessions: 30, resolved: 24),
                                              ChannelKPIs(channel: .video, sessions: 20, resolved: 16)]))
        XCTAssertClose(r.components["fcr"]!, 200.0 / 3)
        // 27/30 = 0.9 → 100; 18/30 = 0.6 → 0; 29/30 = 0.967 → 111.1 clamped to 100; 15/30 = 0.5 → −33.3 clamped to 0
        for (resolved, expected) in [(27, 100.0), (18, 0), (29, 100), (15, 0), (24, 200.0 / 3)] {
            let result = try appraise(input(channels: [ChannelKPIs(channel: .chat, sessions: 30, resolved: resolved)]))
            XCTAssertClose(result.components["fcr"]!, expected, "\(resolved)/30")
        }
        let clamped = component(try appraise(input(channels: [ChannelKPIs(channel: .chat, sessions: 30, resolved: 15)])), "fcr")
        XCTAssertClose(clamped.kpi?.parts.first?.unclamped, -100.0 / 3)
        XCTAssertEqual(clamped.kpi?.parts.first?.mapped, 0)
    }

    func testTimeKPIsMapDownwards() throws {
        // first response: 300 s over 20 sessions = 15 s → 100 × (15 − 30)/(5 − 30) = 60
        // handle: 12000 s over 20 = 600 s → 100 × (600 − 900)/(300 − 900) = 50
        // sessions without a time do not count (sessions 25, counts 20)
        let channels = [ChannelKPIs(channel: .phone, sessions: 25, resolved: 0, firstResponseSum: 300, firstResponseCount: 20,
                                    handleSum: 12000, handleCount: 20)]
        let result = try appraise(input(channels: channels))
        XCTAssertEqual(result.components["response"], 60)
        XCTAssertEqual(result.components["handle"], 50)
        // clamping: 40 s is worse than worst (−40 → 0); 3 s beats target (108 → 100); 200 s handle → 116.7 → 100
        XCTAssertEqual(Appraisal.mapKPI(40, bounds: KPIBounds(worst: 30, target: 5)), 0)
        XCTAssertEqual(Appraisal.mapKPI(3, bounds: KPIBounds(worst: 30, target: 5)), 100)
        XCTAssertEqual(Appraisal.mapKPI(200, bounds: KPIBounds(worst: 900, target: 300)), 100)
        XCTAssertEqual(Appraisal.mapKPI(900, bounds: KPIBounds(worst: 900, target: 300)), 0)
        XCTAssertEqual(Appraisal.mapKPI(300, bounds: KPIBounds(worst: 900, target: 300)), 100)
        // no time at all → missing
        let none = try appraise(input(channels: [ChannelKPIs(channel: .phone, sessions: 3, resolved: 1)]))
        XCTAssertNil(none.components["handle"]!)
        XCTAssertEqual(none.components["fcr"], 0)  // 1/3 = 0.333 < worst 0.6 → 0
    }

    func testPerChannelBounds() throws {
        let scheme = try SchemeParser.parse("""
        id: pc
        version: 1
        components:
          handle: {weight: 1, kpi: handle_seconds, worst: 900, target: 300, channels: {video: {worst: 1200, target: 400}}}
        bands:
          - {grade: A, label: 优秀, min: 0, bonus: 1}
        """, file: "pc.yaml")
        // phone: 3600 s / 6 = 600 s, default bounds → 100 × (600 − 900)/(300 − 900) = 50
        // video: 2400 s / 4 = 600 s, video bounds → 100 × (600 − 1200)/(400 − 1200) = 75
        // session-weighted: (6 × 50 + 4 × 75)/10 = 60   (pooled would be 6000/10 = 600 s → 50)
        let channels = [ChannelKPIs(channel: .phone, sessions: 6, resolved: 0, handleSum: 3600, handleCount: 6),
                        ChannelKPIs(channel: .video, sessions: 4, resolved: 0, handleSum: 2400, handleCount: 4)]
        let result = try appraise(input(channels: channels), scheme)
        XCTAssertEqual(result.components["handle"], 60)
        // parts in Channel.allCases order (video, phone, chat)
        XCTAssertEqual(component(result, "handle").kpi?.parts.map(\.channel), [.video, .phone])
        XCTAssertEqual(component(result, "handle").kpi?.parts.map(\.mapped), [75, 50])
        XCTAssertEqual(component(result, "handle").kpi?.parts.map(\.worst), [1200, 900])
    }

    // MARK: final score

    func testAllComponentsHandComputed() throws {
        let ratings = AppraisalFixtures.ratings(.supervisor, "S1", [4])        // 75
            + AppraisalFixtures.ratings(.self, "E1", [5])                     // 100
            + [("P1", 5.0), ("P2", 5), ("P3", 4), ("P4", 3), ("P5", 1)]        // trim 100 & 0 → (100+75+50)/3 = 75
                .flatMap { AppraisalFixtures.ratings(.peer, $0.0, [$0.1]) }
        let inspections = [QAScore(mode: .manual, score: 90), QAScore(mode: .manual, score: 80),
                           QAScore(mode: .auto, score: 70)]                  // (0.7×85 + 0.3×70) = 80.5
        let channels = [ChannelKPIs(channel: .phone, sessions: 10, resolved: 8, firstResponseSum: 150, firstResponseCount: 10,
                                    handleSum: 6000, handleCount: 10, csat: [5, 5, 5, 5, 4, 4, 4, 4, 3, 1])]
        // customer: 4×100 + 4×75 + 50 + 0 = 750 / 10 = 75
        // fcr 0.8 → 66.666…; response 15 s → 60; handle 600 s → 50
        // final = (30×80.5 + 20×75 + 15×75 + 10×75 + 5×100 + 10×66.666… + 5×60 + 5×50)/100
        //       = (2415 + 1500 + 1125 + 750 + 500 + 666.666… + 300 + 250)/100 = 7506.666…/100 = 75.0666… → 75.07 → C
        let result = try appraise(input(inspections: inspections, ratings: ratings, channels: channels))
        XCTAssertEqual(result.components["qa"], 80.5)
        XCTAssertEqual(result.components["customer"], 75)
        XCTAssertEqual(result.components["peer"], 75)
        XCTAssertTrue(result.missing.isEmpty)
        XCTAssertClose(result.finalScoreUnrounded, 75.0 + 0.2 / 3)
        XCTAssertEqual(result.finalScore, 75.07)
        XCTAssertEqual(result.grade, "C")
        XCTAssertEqual(result.gradeLabel, "合格")
        XCTAssertEqual(result.bonusCoefficient, 0.8)
        XCTAssertEqual(result.status, .graded)
    }

    func testMissingComponentsAreDroppedAndWeightsRenormalized() throws {
        // only qa (manual 80) and supervisor (3 → 50): (30×80 + 15×50)/(30 + 15) = 3150/45 = 70 → C
        let result = try appraise(input(inspections: [QAScore(mode: .manual, score: 80)],
                                        ratings: AppraisalFixtures.ratings(.supervisor, "S1", [3])))
        XCTAssertEqual(result.finalScoreUnrounded, 70)
        XCTAssertEqual(result.finalScore, 70)
        XCTAssertEqual(result.grade, "C")
        XCTAssertEqual(result.missing, ["customer", "peer", "self", "fcr", "response", "handle"])
        let weights = result.explanation.weights
        XCTAssertClose(weights.first { $0.component == "qa" }?.share, 2.0 / 3)   // 30/45
        XCTAssertClose(weights.first { $0.component == "supervisor" }?.share, 1.0 / 3)  // 15/45
        XCTAssertEqual(weights.first { $0.component == "customer" }?.share, 0)
        XCTAssertEqual(weights.first { $0.component == "customer" }?.weight, 20)
        XCTAssertTrue(result.explanation.lines.contains { $0.contains("dropped as missing") && $0.contains("customer 20") })
    }

    /// A KPI's sum of times carries binary noise from SQLite's floating-point TOTAL (0.1 + 0.2): the
    /// explanation shows it to 6 places, the value itself as computed.
    func testExplanationShowsATimeSumWithoutBinaryNoise() throws {
        let channels = [ChannelKPIs(channel: .phone, sessions: 2, resolved: 2, firstResponseSum: 0.1 + 0.2, firstResponseCount: 2)]
        let lines = try appraise(input(channels: channels)).explanation.lines.joined(separator: "\n")
        XCTAssertTrue(lines.contains("0.3 s / 2 会话 sessions = 0.15 s"), lines)
        XCTAssertFalse(lines.contains("0.30000000000000004"), lines)
    }

    func testNoComponentMeansNoFinalScore() throws {
        let result = try appraise(input())
        XCTAssertEqual(result.status, .noData)
        XCTAssertNil(result.finalScore)
        XCTAssertNil(result.finalScoreUnrounded)
        XCTAssertNil(result.grade)
        XCTAssertNil(result.bonusCoefficient)
        XCTAssertEqual(result.missing.count, 8)
        XCTAssertEqual(result.components.count, 8)
        XCTAssertTrue(result.explanation.lines.contains { $0.contains("no_data") })
    }

    func testWrongSchemeKindIsRefused() throws {
        let annual = try AppraisalFixtures.shipped("annual")
        XCTAssertThrowsError(try appraise(input(), annual))
    }
}
