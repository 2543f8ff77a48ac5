import Foundation
import XCTest
@testable import ScorebookCore

/// Helpers shared by the appraisal and scheme tests.
enum AppraisalFixtures {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func shipped(_ name: String) throws -> Scheme {
        let url = repositoryRoot.appendingPathComponent("Reports/\(name).yaml")
        return try SchemeParser.parse(String(contentsOf: url, encoding: .utf8), file: "Reports/\(name).yaml")
    }

    static func monthly() throws -> Scheme { try shipped("monthly") }

    /// A small scheme: qa (manual only) and supervisor on a 0–100 scale, equal weights, DESIGN bands.
    static func twoComponent(extra: String = "", qaWeight: Double = 1, supWeight: Double = 1) throws -> Scheme {
        try SchemeParser.parse("""
        id: two
        version: 1
        components:
          qa: {weight: \(qaWeight), modes: {manual: 1}}
          supervisor: {weight: \(supWeight), scale: [0, 100]}
        bands:
          - {grade: A, label: 优秀, min: 90, bonus: 1.2}
          - {grade: B, label: 良好, min: 80, bonus: 1.0}
          - {grade: C, label: 合格, min: 60, bonus: 0.8}
          - {grade: D, label: 不合格, min: 0, bonus: 0.0}
        \(extra)
        """, file: "two.yaml")
    }

    static func ratings(_ source: RatingSource, _ rater: String, _ scores: [Double]) -> [RatingScore] {
        scores.enumerated().map { RatingScore(source: source, raterID: rater, criterion: "c\($0.offset + 1)", score: $0.element) }
    }

    /// An agent whose final under `twoComponent` is (qa + supervisor) / 2.
    static func agent(_ id: String, team: String = "T1", qa: Double?, supervisor: Double?) -> MonthlyInput {
        MonthlyInput(employeeID: id, team: team, period: "2026-10",
                     inspections: qa.map { [QAScore(mode: .manual, score: $0)] } ?? [],
                     ratings: supervisor.map { ratings(.supervisor, "S1", [$0]) } ?? [])
    }
}

/// SplitMix64: a tiny seeded generator so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func XCTAssertClose(_ a: Double?, _ b: Double, accuracy: Double = 1e-9, _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    guard let a else { return XCTFail("nil, expected \(b) \(message)", file: file, line: line) }
    XCTAssertEqual(a, b, accuracy: accuracy, message, file: file, line: line)
}
