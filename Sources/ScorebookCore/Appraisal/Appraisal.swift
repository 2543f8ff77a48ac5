import Foundation

public enum AppraisalError: Error, CustomStringConvertible, Equatable, Sendable {
    case wrongSchemeKind(scheme: String, kind: SchemeKind, needed: SchemeKind)
    /// A stored rating outside the scale the scheme gives its source (imported with another scheme's scale):
    /// normalizing it would give a component outside 0–100.
    case ratingOutsideScale(employee: String, source: RatingSource, rater: String, criterion: String, score: Double,
                            scale: ClosedRange<Double>, scheme: String)

    public var description: String {
        switch self {
        case let .wrongSchemeKind(scheme, kind, needed):
            return "scheme '\(scheme)' is a \(kind.rawValue) scheme; this appraisal needs a \(needed.rawValue) scheme"
        case let .ratingOutsideScale(employee, source, rater, criterion, score, scale, scheme):
            func shown(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
            return "\(employee)'s \(source.rawValue) rating by \(rater) (\(criterion)) is \(shown(score)), outside the \(source.rawValue) scale \(shown(scale.lowerBound))–\(shown(scale.upperBound)) of scheme '\(scheme)': it was imported with another scheme's scale; appraise with that scheme, or correct the rating"
        }
    }
}

/// The appraisal math of DESIGN.md "Appraisal". Pure: plain inputs in, results out.
///
/// Arithmetic is decimal (`DecimalMath`): every figure enters through its shortest decimal representation,
/// components are stored as the `Double` nearest their decimal value, the final score is computed from
/// those stored component values (so it is reproducible from the database), and rounded half-up to
/// 2 decimals from the shortest representation of the unrounded final.
public enum Appraisal {
    // MARK: monthly

    /// Appraises every agent of a month and applies the scheme's forced distribution, if any.
    public static func monthly(_ inputs: [MonthlyInput], scheme: Scheme) throws -> [AppraisalResult] {
        let results = try inputs.map { try monthly($0, scheme: scheme) }
        return applyForcedDistribution(results, scheme: scheme)
    }

    /// Appraises one agent for one month (no forced distribution: that needs the whole group).
    public static func monthly(_ input: MonthlyInput, scheme: Scheme) throws -> AppraisalResult {
        guard scheme.kind == .monthly else {
            throw AppraisalError.wrongSchemeKind(scheme: scheme.id, kind: scheme.kind, needed: .monthly)
        }
        for component in scheme.components {
            guard case .rating(let spec) = component.spec else { continue }
            let scale = spec.scaleMin...spec.scaleMax
            for r in input.ratings where r.source == spec.source && !scale.contains(r.score) {
                throw AppraisalError.ratingOutsideScale(employee: input.employeeID, source: r.source, rater: r.raterID,
                                                        criterion: r.criterion, score: r.score, scale: scale, scheme: scheme.id)
            }
        }
        var explained: [ComponentExplanation] = []
        for component in scheme.components {
            var entry: ComponentExplanation
            switch component.spec {
            case .qa(let spec): entry = qa(spec, input.inspections)
            case .rating(let spec):
                entry = spec.source == .customer ? customer(spec, input.ratings, input.channels) : rating(spec, input.ratings)
            case .kpi(let spec): entry = kpi(spec, input.channels)
            }
            entry.name = component.name
            entry.label = component.label
            explained.append(entry)
        }

        var components: [String: Double?] = [:]
        for entry in explained { components[entry.name] = .some(entry.value) }
        let missing = explained.filter { $0.value == nil }.map(\.name)

        // final = Σ(w × c) / Σ w over the present components.
        var weightSum: Decimal = 0
        var weighted: Decimal = 0
        for (component, entry) in zip(scheme.components, explained) {
            guard let value = entry.value else { continue }
            let w = DecimalMath.decimal(component.weight)
            weightSum += w
            weighted += w * DecimalMath.decimal(value)
        }
        var weights: [WeightShare] = []
        for (component, entry) in zip(scheme.components, explained) {
            let share: Decimal = entry.value != nil && weightSum > 0 ? DecimalMath.decimal(component.weight) / weightSum : 0
            weights.append(WeightShare(
                component: component.name, label: component.label, weight: component.weight, present: entry.value != nil,
                share: DecimalMath.double(share),
                contribution: entry.value.map { DecimalMath.double(share * DecimalMath.decimal($0)) }))
        }
        let unrounded: Double? = weightSum > 0 ? DecimalMath.double(weighted / weightSum) : nil

        var result = AppraisalResult(
            employeeID: input.employeeID, team: input.team, period: input.period, schemeID: scheme.id,
            schemeVersion: scheme.version, kind: .monthly, status: unrounded == nil ? .noData : .graded,
            components: components, missing: missing, finalScoreUnrounded: unrounded, finalScore: nil, grade: nil,
            gradeLabel: nil, bonusCoefficient: nil, forcedMoves: [], tieBreakQA: components["qa"] ?? nil,
            explanation: Explanation(
                employeeID: input.employeeID, period: input.period, schemeID: scheme.id, schemeVersion: scheme.version,
                kind: .monthly, components: explained, weights: weights, months: nil, minMonths: nil,
                finalScoreUnrounded: unrounded, finalScore: nil, band: nil, forcedMoves: [],
                status: unrounded == nil ? .noData : .graded))
        grade(&result, scheme: scheme)
        return result
    }

    /// Rounds the unrounded final half-up to 2 decimals and reads the band from the ROUNDED value.
    ///
    /// A component can be a repeating decimal (850/9 = 94.444…) that is stored as the nearest `Double`, a few
    /// units in the 14th digit below or above its true value; a final whose true value sits exactly on a
    /// half (89.995) would then come out as 89.99499999999999 and round down. So the final is first settled
    /// to `settlePlaces` decimals (half-up), which absorbs that representation error (≈ 1e-13) and can only
    /// differ from exact arithmetic for a true value within 5e-11 of a half that is not on it.
    static func grade(_ result: inout AppraisalResult, scheme: Scheme) {
        guard let unrounded = result.finalScoreUnrounded else { return }
        let settled = DecimalMath.roundHalfUp(DecimalMath.decimal(unrounded), places: settlePlaces)
        let rounded = DecimalMath.roundHalfUp(settled, places: 2)
        let band = scheme.band(for: rounded)
        result.finalScore = DecimalMath.double(rounded)
        result.grade = band.grade
        result.gradeLabel = band.label
        result.bonusCoefficient = band.bonus
        result.explanation.finalScore = result.finalScore
        result.explanation.band = band
    }

    /// Decimals the unrounded final is settled to before the half-up rounding to 2 (see `grade`).
    static let settlePlaces = 10

    // MARK: components

    private static func blank() -> ComponentExplanation {
        ComponentExplanation(name: "", label: "", value: nil, missingReason: nil, qa: nil, rating: nil, kpi: nil)
    }

    /// qa = (m·manual_mean + a·auto_mean)/(m + a) over the modes present (and counted by the scheme).
    static func qa(_ spec: QASpec, _ inspections: [QAScore]) -> ComponentExplanation {
        var entry = blank()
        var modes: [QAExplanation.Mode] = []
        var weightSum: Decimal = 0
        var weighted: Decimal = 0
        for mode in InspectionMode.allCases {
            let scores = inspections.filter { $0.mode == mode }.map { DecimalMath.decimal($0.score) }
            let mean = DecimalMath.mean(scores)
            let weight = spec.weight(mode)
            modes.append(.init(mode: mode, weight: weight, count: scores.count, mean: mean.map(DecimalMath.double),
                               counted: weight != nil))
            if let weight, let mean {
                let w = DecimalMath.decimal(weight)
                weightSum += w
                weighted += w * mean
            }
        }
        entry.qa = QAExplanation(modes: modes)
        if weightSum > 0 {
            entry.value = DecimalMath.double(weighted / weightSum)
        } else if inspections.isEmpty {
            entry.missingReason = "无已提交质检 no submitted inspection"
        } else {
            entry.missingReason = "仅有方案不计入的质检方式 only inspections of a mode the scheme does not count"
        }
        return entry
    }

    static func normalize(_ score: Double, _ spec: RatingSpec) -> Decimal {
        normalize(score, min: spec.scaleMin, max: spec.scaleMax)
    }

    static func normalize(_ score: Double, min: Double, max: Double) -> Decimal {
        let low = DecimalMath.decimal(min)
        return 100 * (DecimalMath.decimal(score) - low) / (DecimalMath.decimal(max) - low)
    }

    /// A session's csat is the customer's 1–5 survey answer (DESIGN "Inputs"), whatever scale the scheme
    /// declares for `customer` rating rows.
    static let csatScale: ClosedRange<Double> = 1...5

    static func rating(_ spec: RatingSpec, _ ratings: [RatingScore]) -> ComponentExplanation {
        var entry = blank()
        let rows = ratings.filter { $0.source == spec.source }
        // A rater's value = mean of the rater's normalized criterion scores.
        var order: [String] = []
        var byRater: [String: [Decimal]] = [:]
        for row in rows {
            if byRater[row.raterID] == nil { order.append(row.raterID) }
            byRater[row.raterID, default: []].append(normalize(row.score, spec))
        }
        var raters: [(id: String, count: Int, value: Decimal)] = order.map { id in
            (id, byRater[id]!.count, DecimalMath.mean(byRater[id]!)!)
        }
        // Ascending by value, then rater id: the first is the lowest and the last the highest.
        raters.sort { $0.value != $1.value ? $0.value < $1.value : $0.id < $1.id }
        var trimmed = Set<Int>()
        if let trimAt = spec.trimAt, raters.count >= trimAt {
            trimmed = [0, raters.count - 1]
        }
        let kept = raters.enumerated().filter { !trimmed.contains($0.offset) }.map(\.element.value)
        var explained = raters.enumerated().map { index, rater in
            RatingExplanation.Rater(rater: rater.id, criteria: rater.count, value: DecimalMath.double(rater.value),
                                    trimmed: trimmed.contains(index))
        }
        if spec.source == .peer {
            // Peer raters are never shown to the ratee: anonymous labels by descending value.
            explained.reverse()
            for index in explained.indices { explained[index].rater = "同事\(index + 1)" }
        } else {
            explained.sort { $0.rater < $1.rater }
        }
        entry.rating = RatingExplanation(
            source: spec.source, scaleMin: spec.scaleMin, scaleMax: spec.scaleMax, raters: explained,
            minRaters: spec.minRaters, trimAt: spec.trimAt, responses: nil, csatResponses: nil, ratingResponses: nil,
            minResponses: nil, rawMean: nil)
        if raters.isEmpty {
            entry.missingReason = "无评价 no rating"
        } else if raters.count < spec.minRaters {
            entry.missingReason = "评价人数不足 only \(raters.count) rater(s), minimum \(spec.minRaters)"
        } else {
            entry.value = DecimalMath.mean(kept).map(DecimalMath.double)
        }
        return entry
    }

    /// customer = mean over responses: each customer rating row (normalized on the scheme's customer scale)
    /// and each session csat (normalized on its own 1–5 scale) is one response.
    static func customer(_ spec: RatingSpec, _ ratings: [RatingScore], _ channels: [ChannelKPIs]) -> ComponentExplanation {
        var entry = blank()
        let rows = ratings.filter { $0.source == .customer }.map(\.score)
        let csat = channels.flatMap(\.csat)
        let raw = (rows + csat).map(DecimalMath.decimal)
        let normalized = rows.map { normalize($0, spec) }
            + csat.map { normalize($0, min: csatScale.lowerBound, max: csatScale.upperBound) }
        entry.rating = RatingExplanation(
            source: .customer, scaleMin: spec.scaleMin, scaleMax: spec.scaleMax, raters: [], minRaters: nil, trimAt: nil,
            responses: normalized.count, csatResponses: csat.count, ratingResponses: rows.count,
            minResponses: spec.minResponses, rawMean: DecimalMath.mean(raw).map(DecimalMath.double))
        if normalized.isEmpty {
            entry.missingReason = "无客户评价 no customer response"
        } else if normalized.count < spec.minResponses {
            entry.missingReason = "客户评价数不足 only \(normalized.count) response(s), minimum \(spec.minResponses)"
        } else {
            entry.value = DecimalMath.mean(normalized).map(DecimalMath.double)
        }
        return entry
    }

    /// Adds up aggregates given twice for one channel; `Channel.allCases` order.
    static func merged(_ channels: [ChannelKPIs]) -> [ChannelKPIs] {
        var byChannel: [Channel: ChannelKPIs] = [:]
        for part in channels {
            guard var entry = byChannel[part.channel] else { byChannel[part.channel] = part; continue }
            entry.sessions += part.sessions
            entry.resolved += part.resolved
            entry.firstResponseSum += part.firstResponseSum
            entry.firstResponseCount += part.firstResponseCount
            entry.handleSum += part.handleSum
            entry.handleCount += part.handleCount
            entry.csat += part.csat
            byChannel[part.channel] = entry
        }
        return Channel.allCases.compactMap { byChannel[$0] }
    }

    /// Maps a KPI value to 100 × (value − worst)/(target − worst), clamped to [0, 100].
    public static func mapKPI(_ value: Double, bounds: KPIBounds) -> Double {
        DecimalMath.double(DecimalMath.clamp(mapUnclamped(DecimalMath.decimal(value), bounds), 0, 100))
    }

    static func mapUnclamped(_ value: Decimal, _ bounds: KPIBounds) -> Decimal {
        let worst = DecimalMath.decimal(bounds.worst)
        return 100 * (value - worst) / (DecimalMath.decimal(bounds.target) - worst)
    }

    static func kpi(_ spec: KPISpec, _ channels: [ChannelKPIs]) -> ComponentExplanation {
        var entry = blank()
        func figures(_ part: ChannelKPIs) -> (count: Int, numerator: Decimal) {
            switch spec.kpi {
            case .firstContactResolution: return (part.sessions, Decimal(part.resolved))
            case .firstResponseSeconds: return (part.firstResponseCount, DecimalMath.decimal(part.firstResponseSum))
            case .handleSeconds: return (part.handleCount, DecimalMath.decimal(part.handleSum))
            }
        }
        func part(_ channel: Channel?, _ count: Int, _ numerator: Decimal, _ bounds: KPIBounds)
            -> (KPIExplanation.ChannelPart, Decimal) {
            let value = numerator / Decimal(count)
            let unclamped = mapUnclamped(value, bounds)
            let mapped = DecimalMath.clamp(unclamped, 0, 100)
            return (.init(channel: channel, count: count, numerator: DecimalMath.double(numerator),
                          value: DecimalMath.double(value), worst: bounds.worst, target: bounds.target,
                          unclamped: DecimalMath.double(unclamped), mapped: DecimalMath.double(mapped)), mapped)
        }
        let channels = merged(channels)
        var parts: [KPIExplanation.ChannelPart] = []
        var total = 0
        var value: Decimal?
        if spec.perChannel {
            var weighted: Decimal = 0
            for channel in channels {
                let (count, numerator) = figures(channel)
                guard count > 0 else { continue }
                let (explained, mapped) = part(channel.channel, count, numerator, spec.bounds(for: channel.channel))
                parts.append(explained)
                total += count
                weighted += Decimal(count) * mapped
            }
            if total > 0 { value = weighted / Decimal(total) }
        } else {
            var numerator: Decimal = 0
            for channel in channels {
                let figure = figures(channel)
                total += figure.count
                numerator += figure.numerator
            }
            if total > 0 {
                let (explained, mapped) = part(nil, total, numerator, spec.bounds)
                parts.append(explained)
                value = mapped
            }
        }
        entry.kpi = KPIExplanation(kpi: spec.kpi, perChannel: spec.perChannel, minSessions: spec.minSessions, parts: parts)
        if total == 0 {
            entry.missingReason = spec.kpi == .firstContactResolution
                ? "本期无会话 no session" : "无该项时长数据 no session with this time"
        } else if total < spec.minSessions {
            entry.missingReason = "会话数不足 only \(total) session(s), minimum \(spec.minSessions)"
        } else {
            entry.value = value.map(DecimalMath.double)
        }
        return entry
    }
}
