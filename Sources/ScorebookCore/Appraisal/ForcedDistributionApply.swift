import Foundation

extension Appraisal {
    /// Applies the scheme's forced distribution (强制分布) to the results of one period.
    ///
    /// Groups are the teams (`scope: team`) or all results (`scope: center`); only graded results count
    /// and move. Bands are processed from the top: when more agents hold a limited grade than
    /// floor(max_share × graded agents of the group) allows, the agents of that grade are ranked by the
    /// ROUNDED final score (the published one, high first), ties by the higher qa figure (`tieBreakQA`,
    /// a missing qa ranks last), then by employee id (ascending); those beyond the allowance move down one
    /// grade (taking that grade's label and bonus; the score is unchanged). Agents moved into a band that
    /// itself has a limit take part in that band's cut, so moves cascade. Every step is recorded in
    /// `forcedMoves` and in the explanation. Without a forced distribution the results are returned as given.
    public static func applyForcedDistribution(_ results: [AppraisalResult], scheme: Scheme) -> [AppraisalResult] {
        guard let forced = scheme.forcedDistribution else { return results }
        var results = results
        var groups: [String: [Int]] = [:]
        var groupOrder: [String] = []
        for (index, result) in results.enumerated() where result.status == .graded && result.grade != nil {
            let key = forced.scope == .team ? result.team : "center"
            if groups[key] == nil { groupOrder.append(key) }
            groups[key, default: []].append(index)
        }
        for key in groupOrder {
            let members = groups[key]!
            for (bandIndex, band) in scheme.bands.enumerated() {
                guard let limit = forced.limit(for: band.grade), bandIndex + 1 < scheme.bands.count else { continue }
                let next = scheme.bands[bandIndex + 1]
                var product = DecimalMath.decimal(limit.maxShare) * Decimal(members.count)
                var allowedDecimal = Decimal()
                NSDecimalRound(&allowedDecimal, &product, 0, .down)
                let allowed = NSDecimalNumber(decimal: allowedDecimal).intValue
                var holders = members.filter { results[$0].grade == band.grade }
                guard holders.count > allowed else { continue }
                holders.sort { a, b in
                    let ra = results[a], rb = results[b]
                    let sa = DecimalMath.decimal(ra.finalScore ?? 0), sb = DecimalMath.decimal(rb.finalScore ?? 0)
                    if sa != sb { return sa > sb }
                    let qa = ra.tieBreakQA.map(DecimalMath.decimal), qb = rb.tieBreakQA.map(DecimalMath.decimal)
                    if qa != qb {
                        guard let qa else { return false }
                        guard let qb else { return true }
                        return qa > qb
                    }
                    return ra.employeeID < rb.employeeID
                }
                for (rank, index) in holders.enumerated() where rank >= allowed {
                    let share = DecimalMath.plain(limit.maxShare * 100)
                    let move = ForcedMove(
                        from: band.grade, to: next.grade, group: key, groupSize: members.count, maxShare: limit.maxShare,
                        allowed: allowed, candidates: holders.count, rank: rank + 1,
                        reason: "强制分布: \(forced.scope == .team ? "班组 team" : "中心 center") \(key) 共 \(members.count) 人, "
                            + "\(band.grade)(\(band.label)) 至多 \(share)% = \(allowed) 人; 本人在 \(holders.count) 名 "
                            + "\(band.grade) 中排第 \(rank + 1) 名 → 调整为 \(next.grade)(\(next.label))")
                    results[index].grade = next.grade
                    results[index].gradeLabel = next.label
                    results[index].bonusCoefficient = next.bonus
                    results[index].forcedMoves.append(move)
                    results[index].explanation.forcedMoves.append(move)
                }
            }
        }
        return results
    }
}
