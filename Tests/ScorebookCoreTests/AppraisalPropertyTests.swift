import XCTest
@testable import ScorebookCore

/// Scaling every weight (component weights and qa mode weights) by the same factor never changes a result.
final class AppraisalPropertyTests: XCTestCase {
    private func scheme(_ k: Decimal) throws -> Scheme {
        // Scaled exactly in decimal (k × weight), then written into the YAML as that decimal.
        func w(_ x: Decimal) -> String { "\(x * k)" }
        return try SchemeParser.parse("""
        id: p
        version: 1
        components:
          qa:         {weight: \(w(30)), modes: {manual: \(w(0.7)), auto: \(w(0.3))}}
          customer:   {weight: \(w(20)), scale: [1, 5], min_responses: 3}
          supervisor: {weight: \(w(15)), scale: [1, 5]}
          peer:       {weight: \(w(10)), scale: [1, 5], min_raters: 3, trim_at: 5}
          self:       {weight: \(w(5)),  scale: [1, 5]}
          fcr:        {weight: \(w(10)), kpi: first_contact_resolution, worst: 0.60, target: 0.90}
          response:   {weight: \(w(5)),  kpi: first_response_seconds, worst: 30, target: 5}
          handle:     {weight: \(w(5)),  kpi: handle_seconds, worst: 900, target: 300, channels: {video: {worst: 1200, target: 400}}}
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: B, label: 良好, min: 80, bonus: 1.0}
          - {grade: C, label: 合格, min: 60, bonus: 0.8}
          - {grade: D, label: 不合格, min: 0, bonus: 0.0}
        forced_distribution: {scope: team, limits: [{grade: A, max_share: 0.2}, {grade: B, max_share: 0.4}]}
        """, file: "p.yaml")
    }

    private func randomInput(_ id: Int, _ g: inout SeededGenerator) -> MonthlyInput {
        func maybe(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &g) < p }
        var inspections: [QAScore] = []
        if maybe(0.85) {
            for _ in 0..<Int.random(in: 0...4, using: &g) {
                inspections.append(QAScore(mode: maybe(0.5) ? .manual : .auto,
                                           score: (Double.random(in: 40...100, using: &g) * 100).rounded() / 100))
            }
        }
        var ratings: [RatingScore] = []
        for source in RatingSource.allCases where maybe(0.8) {
            let raters = source == .self ? 1 : Int.random(in: 1...7, using: &g)
            for r in 0..<raters {
                for c in 0..<Int.random(in: 1...3, using: &g) {
                    ratings.append(RatingScore(source: source, raterID: "\(source)\(r)", criterion: "c\(c)",
                                               score: Double(Int.random(in: 1...5, using: &g))))
                }
            }
        }
        var channels: [ChannelKPIs] = []
        for channel in Channel.allCases where maybe(0.6) {
            let sessions = Int.random(in: 1...40, using: &g)
            let timed = Int.random(in: 0...sessions, using: &g)
            channels.append(ChannelKPIs(
                channel: channel, sessions: sessions, resolved: Int.random(in: 0...sessions, using: &g),
                firstResponseSum: Double(Int.random(in: 0...(timed * 40), using: &g)), firstResponseCount: timed,
                handleSum: Double(Int.random(in: 0...(timed * 1300), using: &g)), handleCount: timed,
                csat: (0..<Int.random(in: 0...5, using: &g)).map { _ in Double(Int.random(in: 1...5, using: &g)) }))
        }
        return MonthlyInput(employeeID: String(format: "E%03d", id), team: "T\(id % 3)", period: "2026-10",
                            inspections: inspections, ratings: ratings, channels: channels)
    }

    func testScalingAllWeightsNeverChangesAResult() throws {
        var generator = SeededGenerator(seed: 20261023)
        let inputs = (0..<120).map { randomInput($0, &generator) }
        let reference = try Appraisal.monthly(inputs, scheme: scheme(1))
        XCTAssertGreaterThan(reference.filter { $0.status == .graded }.count, 100)
        for factor in ["0.1", "0.25", "3", "7", "12.5", "1000", "0.003", "1.7"] {
            let scaled = try Appraisal.monthly(inputs, scheme: scheme(Decimal(string: factor)!))
            for (a, b) in zip(reference, scaled) {
                let context = "factor \(factor), \(a.employeeID)"
                XCTAssertEqual(a.finalScore, b.finalScore, context)
                XCTAssertEqual(a.grade, b.grade, context)
                XCTAssertEqual(a.bonusCoefficient, b.bonusCoefficient, context)
                XCTAssertEqual(a.missing, b.missing, context)
                XCTAssertEqual(a.status, b.status, context)
                XCTAssertEqual(a.forcedMoves.map(\.to), b.forcedMoves.map(\.to), context)
                XCTAssertEqual(a.explanation.weights.map(\.share), b.explanation.weights.map(\.share), context)
                if let x = a.finalScoreUnrounded, let y = b.finalScoreUnrounded {
                    XCTAssertEqual(x, y, accuracy: 1e-9, context)
                } else {
                    XCTAssertEqual(a.finalScoreUnrounded, b.finalScoreUnrounded, context)
                }
                for (name, value) in a.components {
                    if let x = value, let y = b.components[name] ?? nil {
                        XCTAssertEqual(x, y, accuracy: 1e-9, "\(context) \(name)")
                    } else {
                        XCTAssertNil(b.components[name] ?? nil, "\(context) \(name)")
                    }
                }
            }
        }
    }
}
