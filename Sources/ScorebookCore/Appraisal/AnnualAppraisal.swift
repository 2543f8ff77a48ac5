import Foundation

/// The annual appraisal: the mean of the agent's UNROUNDED monthly final scores of the year, given at least
/// the scheme's `min_months` months with a final score; rounded half-up to 2 decimals and graded by the
/// annual scheme's bands. With fewer months the result is `incomplete`: listed (with its months), no final
/// score, no grade, no coefficient.
///
/// The row's components are the twelve months `m01` … `m12` (the unrounded monthly finals, `nil` for a
/// month without one); `missing` lists the months without a final score.
public enum AnnualAppraisal {
    public static let monthKeys = (1...12).map { String(format: "m%02d", $0) }

    static func monthKey(_ period: String, year: String) -> String? {
        let parts = period.split(separator: "-")
        guard parts.count == 2, parts[0] == year, parts[1].count == 2, let month = Int(parts[1]),
              (1...12).contains(month) else { return nil }
        return monthKeys[month - 1]
    }
}

extension Appraisal {
    /// Appraises every agent's year and applies the annual scheme's forced distribution, if any.
    public static func annual(_ inputs: [AnnualInput], scheme: Scheme) throws -> [AppraisalResult] {
        let results = try inputs.map { try annual($0, scheme: scheme) }
        return applyForcedDistribution(results, scheme: scheme)
    }

    public static func annual(_ input: AnnualInput, scheme: Scheme) throws -> AppraisalResult {
        guard scheme.kind == .annual else {
            throw AppraisalError.wrongSchemeKind(scheme: scheme.id, kind: scheme.kind, needed: .annual)
        }
        var byMonth: [String: MonthScore] = [:]
        for month in input.months {
            guard let key = AnnualAppraisal.monthKey(month.period, year: input.year) else { continue }
            byMonth[key] = month
        }
        var components: [String: Double?] = [:]
        var months: [MonthExplanation] = []
        for (index, key) in AnnualAppraisal.monthKeys.enumerated() {
            let score = byMonth[key]?.finalScore
            components[key] = .some(score)
            months.append(MonthExplanation(period: String(format: "%@-%02d", input.year, index + 1), finalScore: score))
        }
        let missing = AnnualAppraisal.monthKeys.filter { components[$0]! == nil }
        let finals = AnnualAppraisal.monthKeys.compactMap { components[$0]! }.map(DecimalMath.decimal)
        let qas = AnnualAppraisal.monthKeys.compactMap { byMonth[$0]?.finalScore != nil ? byMonth[$0]?.qa : nil }
        let minMonths = scheme.minMonths ?? 1
        let complete = finals.count >= minMonths && !finals.isEmpty
        let unrounded = complete ? DecimalMath.mean(finals).map(DecimalMath.double) : nil
        var result = AppraisalResult(
            employeeID: input.employeeID, team: input.team, period: input.year, schemeID: scheme.id,
            schemeVersion: scheme.version, kind: .annual, status: complete ? .graded : .incomplete,
            components: components, missing: missing, finalScoreUnrounded: unrounded, finalScore: nil, grade: nil,
            gradeLabel: nil, bonusCoefficient: nil, forcedMoves: [],
            tieBreakQA: DecimalMath.mean(qas.map(DecimalMath.decimal)).map(DecimalMath.double),
            explanation: Explanation(
                employeeID: input.employeeID, period: input.year, schemeID: scheme.id, schemeVersion: scheme.version,
                kind: .annual, components: [], weights: [], months: months, minMonths: minMonths,
                finalScoreUnrounded: unrounded, finalScore: nil, band: nil, forcedMoves: [],
                status: complete ? .graded : .incomplete))
        grade(&result, scheme: scheme)
        return result
    }
}
