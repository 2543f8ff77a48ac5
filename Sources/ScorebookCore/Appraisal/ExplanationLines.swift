import Foundation

extension Explanation {
    /// A human rendering for `scorebook explain`, in the mixed Chinese/English a bank supervisor reads.
    public var lines: [String] {
        let f = { (x: Double) in DecimalMath.fixed(x, 2) }
        let p = DecimalMath.plain
        var out: [String] = []
        let kindText = kind == .monthly ? "月度考核 monthly" : "年度考核 annual"
        out.append("员工 Agent \(employeeID) · 期间 Period \(period) · \(kindText) · 方案 scheme \(schemeID) v\(schemeVersion)")

        if kind == .annual, let months {
            let present = months.filter { $0.finalScore != nil }
            out.append("月度得分 Monthly final scores (未舍入 unrounded, \(present.count) of 12 months; "
                       + "至少 minimum \(minMonths ?? 1)):")
            for month in months {
                out.append("  \(month.period): " + (month.finalScore.map { "\(p($0))" } ?? "— 无 none"))
            }
            if status == .incomplete {
                out.append("结果 Result: 月数不足，不评级 INCOMPLETE — only \(present.count) month(s), "
                           + "the scheme needs \(minMonths ?? 1); not graded")
            } else if let unrounded = finalScoreUnrounded {
                out.append("年度得分 Annual score = mean of \(present.count) monthly finals = \(p(unrounded))")
            }
        }

        for component in components {
            var line = "\(component.label) \(component.name)"
            if let value = component.value {
                line += " = \(f(value))"
            } else {
                line += ": 缺失 MISSING — \(component.missingReason ?? "")"
            }
            out.append(line)
            out.append(contentsOf: details(component).map { "    " + $0 })
        }

        if kind == .monthly {
            let used = weights.filter(\.present)
            let dropped = weights.filter { !$0.present }
            let sum = used.reduce(Decimal(0)) { $0 + DecimalMath.decimal($1.weight) }
            if used.isEmpty {
                out.append("权重 Weights: 无任何有效项 no component present")
            } else {
                out.append("权重 Weights used (Σ = \(sum)): " + used.map {
                    "\($0.component) \(p($0.weight)) (\(DecimalMath.fixed($0.share * 100, 2))%)"
                }.joined(separator: ", "))
                if !dropped.isEmpty {
                    out.append("  缺失项不计权重 dropped as missing: " + dropped.map { "\($0.component) \(p($0.weight))" }
                        .joined(separator: ", ") + "; the other weights are renormalized")
                }
                let terms = used.compactMap { w -> String? in
                    guard let c = components.first(where: { $0.name == w.component })?.value else { return nil }
                    return "\(p(w.weight))×\(f(c))"
                }
                out.append("  综合 Final = (" + terms.joined(separator: " + ") + ") / \(sum)  (components shown rounded, computed unrounded)")
            }
        }

        if let unrounded = finalScoreUnrounded, let rounded = finalScore {
            out.append("综合得分 Final score: \(p(unrounded)) → \(f(rounded)) (四舍五入到两位小数 rounded half-up to 2 decimals)")
        } else if status == .noData {
            out.append("综合得分 Final score: 无 none — 本期没有任何考核项 no component present; not graded (status no_data)")
        }
        if let band, let rounded = finalScore {
            out.append("等级 Grade: \(band.grade) \(band.label) (\(f(rounded)) ≥ \(p(band.min))), "
                       + "绩效系数 bonus coefficient \(p(band.bonus))")
        }
        for move in forcedMoves {
            out.append("强制分布 Forced distribution: \(move.from) → \(move.to). \(move.reason)")
        }
        if let last = forcedMoves.last {
            out.append("最终等级 Final grade after forced distribution: \(last.to)")
        }
        return out
    }

    private func details(_ component: ComponentExplanation) -> [String] {
        let f = { (x: Double) in DecimalMath.fixed(x, 2) }
        let p = DecimalMath.plain
        let short = { (x: Double) -> String in
            var text = DecimalMath.fixed(x, 6)
            while text.contains("."), text.hasSuffix("0") || text.hasSuffix(".") { text.removeLast() }
            return text
        }
        var out: [String] = []
        if let qa = component.qa {
            for mode in qa.modes {
                var text = "\(mode.mode.label) \(mode.mode.rawValue): \(mode.count) 次 inspections"
                if let mean = mode.mean { text += ", 平均 mean \(f(mean))" }
                if mode.counted, let weight = mode.weight {
                    text += ", 权重 weight \(p(weight))" + (mode.count == 0 ? " (无 none, not used)" : "")
                } else {
                    text += ", 方案不计入 not counted by the scheme"
                }
                out.append(text)
            }
            let used = qa.modes.filter { $0.counted && $0.count > 0 }
            if used.count > 1 {
                out.append("qa = (" + used.map { "\(p($0.weight!))×\(f($0.mean!))" }.joined(separator: " + ")
                           + ") / (" + used.map { p($0.weight!) }.joined(separator: " + ") + ")")
            } else if used.count == 1 {
                out.append("仅一种质检方式，全权重 one mode alone gets full weight")
            }
        }
        if let rating = component.rating {
            let scale = "量表 scale \(p(rating.scaleMin))–\(p(rating.scaleMax)), 标准化 100×(score−\(p(rating.scaleMin)))/"
                + "\(p(rating.scaleMax - rating.scaleMin))"
            if rating.source == .customer {
                out.append("\(rating.responses ?? 0) 份 responses (\(rating.csatResponses ?? 0) 会话满意度 csat + "
                           + "\(rating.ratingResponses ?? 0) 客户评价 rating rows), 至少 minimum \(rating.minResponses ?? 1); \(scale)")
                if let raw = rating.rawMean { out.append("原始平均 raw mean \(f(raw)) → mean of normalized responses") }
            } else {
                var head = "\(rating.raters.count) 位评价人 rater(s), 至少 minimum \(rating.minRaters ?? 1)"
                if let trimAt = rating.trimAt {
                    head += rating.raters.count >= trimAt
                        ? "; ≥ \(trimAt) 人，去掉一个最高一个最低 highest and lowest dropped"
                        : "; 少于 \(trimAt) 人不去极值 no trimming below \(trimAt)"
                }
                out.append(head + "; \(scale)")
                for rater in rating.raters {
                    out.append("  \(rater.rater): \(f(rater.value)) (\(rater.criteria) 项 criteria)"
                               + (rater.trimmed ? " 已剔除 TRIMMED" : ""))
                }
            }
        }
        if let kpi = component.kpi {
            let unit = kpi.kpi == .firstContactResolution ? "" : " s"
            if kpi.perChannel { out.append("分渠道映射 per channel, weighted by sessions") }
            for part in kpi.parts {
                let channel = part.channel.map { "\($0.label) \($0.rawValue): " } ?? ""
                let value: String
                switch kpi.kpi {
                case .firstContactResolution:
                    value = "\(p(part.numerator))/\(part.count) = \(DecimalMath.fixed(part.value, 4))"
                case .firstResponseSeconds, .handleSeconds:
                    // a sum of many times carries binary noise (128.29999999999998): shown to 6 places
                    value = "\(short(part.numerator))\(unit) / \(part.count) 会话 sessions = \(f(part.value))\(unit)"
                }
                let shown = kpi.kpi == .firstContactResolution ? DecimalMath.fixed(part.value, 4) : f(part.value)
                var text = "\(channel)\(value); worst \(p(part.worst))\(unit) → 0, target \(p(part.target))\(unit) → 100; "
                    + "100×(\(shown)−\(p(part.worst)))/(\(p(part.target))−\(p(part.worst))) = \(f(part.unclamped))"
                if part.unclamped != part.mapped { text += " → 截断 clamped \(f(part.mapped))" }
                out.append(text)
            }
        }
        return out
    }
}
