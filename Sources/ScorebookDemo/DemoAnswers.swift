import ScorebookCore

/// What an inspector would notice reading a transcript.
struct TranscriptFacts {
    var greetingAt: Double?       // first agent turn naming the 工号
    var accountMatter = false
    var verified = false
    var productNamed = false
    var riskDisclosed = false
    var forbidden = 0
    var closingAsked = false
    var thanked = false
    var polite = 0
    var interruptions = 0
    var unexplainedSilence = false
    var holdApology = true

    init(_ turns: [Turn]) {
        var previous: Turn?
        var held = false
        var sawRequest = false
        for turn in turns {
            let text = turn.text
            if turn.speaker == .agent {
                if greetingAt == nil, text.contains("工号") { greetingAt = turn.at }
                if text.contains("身份") || text.contains("核实") { verified = true }
                if text.contains("投资须谨慎") { riskDisclosed = true }
                for phrase in ["不知道", "不归我管", "你自己看", "听不懂吗"] where text.contains(phrase) { forbidden += 1 }
                if text.contains("还有其他") { closingAsked = true }
                if text.contains("感谢") || text.contains("谢谢") { thanked = true }
                for word in ["您好", "请", "谢谢", "对不起", "再见", "稍等"] where text.contains(word) { polite += 1 }
                if let previous, previous.speaker == .customer, let end = previous.end, turn.at < end { interruptions += 1 }
                if let previous, turn.at - (previous.end ?? previous.at) > 15 {
                    if previous.speaker == .agent && previous.text.contains("稍等") {
                        held = true
                        if !(text.contains("久等") || text.contains("耐心等待")) { holdApology = false }
                    } else {
                        unexplainedSilence = true
                    }
                }
            }
            if text.contains("理财") || text.contains("基金") { productNamed = true }
            // The customer's request (first customer turn) decides whether this is an account matter.
            if turn.speaker == .customer, !sawRequest {
                sawRequest = true
                accountMatter = ["卡", "账户", "账单", "余额", "转账", "手机银行", "挂失"].contains { text.contains($0) }
            }
            previous = turn
        }
        _ = held
    }
}

/// How an item relates to the transcript, guessed from its id and text.
private enum ItemTopic {
    case risk, identity, forbidden, greeting, closing, interruption, silence, polite, ticket, other

    init(_ item: RubricItem) {
        let key = (item.id + " " + item.text).lowercased()
        func has(_ words: [String]) -> Bool { words.contains { key.contains($0) } }
        if has(["禁语", "forbidden", "不当用语"]) { self = .forbidden }
        else if has(["风险", "risk"]) { self = .risk }
        else if has(["身份", "identity", "verif"]) { self = .identity }
        else if has(["打断", "抢话", "interrupt"]) { self = .interruption }
        else if has(["问候", "开场", "工号", "greet", "opening"]) { self = .greeting }
        else if has(["结束", "结束语", "还有其他", "closing", "thank", "感谢"]) { self = .closing }
        else if has(["沉默", "静默", "冷场", "silence", "久等", "hold"]) { self = .silence }
        else if has(["礼貌", "文明用语", "polite", "您好"]) { self = .polite }
        else if has(["工单", "ticket"]) { self = .ticket }
        else { self = .other }
    }
}

extension DemoGenerator {
    /// Answers a person might give scoring `session` against any `rubric`: valid for every item (type,
    /// levels, whole deduction counts, N/A only where allowed). Items about the greeting, identity check,
    /// risk disclosure, forbidden phrases, interruptions, silences, politeness and closing follow the
    /// transcript (a missing risk disclosure fails); the rest follow the agent's hidden skill. A
    /// `critical: form` item not tied to the transcript fails in well under 1% of inspections.
    public func manualAnswers(for rubric: Rubric, session: Session, turns: [Turn],
                              rng: inout SeededRandom) -> [String: Answer] {
        let skill = self.skill(of: session.agentID) ?? 0.6
        let facts = TranscriptFacts(turns)
        var answers: [String: Answer] = [:]
        for item in rubric.items {
            // nil: not applicable; true/false: pass/fail from the transcript; count for deductions.
            var applicable = true
            var pass: Bool?
            var count: Int?
            switch ItemTopic(item) {
            case .risk:
                applicable = facts.productNamed
                pass = facts.riskDisclosed
            case .identity:
                applicable = facts.accountMatter
                pass = facts.verified
            case .forbidden:
                count = facts.forbidden
            case .interruption:
                count = facts.interruptions
            case .greeting:
                pass = (facts.greetingAt ?? 99) <= 5
            case .closing:
                pass = facts.closingAsked && facts.thanked
            case .silence:
                pass = !facts.unexplainedSilence && facts.holdApology
            case .polite:
                pass = facts.polite >= 3 && facts.forbidden == 0
            case .ticket:
                applicable = session.resolved == false
            case .other:
                if item.allowsNA && rng.chance(0.05) { applicable = false }
            }
            if !applicable && item.allowsNA {
                answers[item.id] = .na
                continue
            }
            if !applicable { pass = true; count = 0 }
            if let count, pass == nil { pass = count == 0 }
            if pass == nil {
                // Judged by the inspector: follows skill; red-line items almost never fail.
                let failChance: Double
                switch item.critical {
                case .form?: failChance = 0.002 + 0.02 * (1 - skill) * (1 - skill)
                case .section?: failChance = 0.01 + 0.06 * (1 - skill)
                case nil: failChance = 0.02 + 0.25 * (1 - skill)
                }
                pass = !rng.chance(failChance)
            }
            answers[item.id] = answer(for: item, pass: pass!, count: count, skill: skill, rng: &rng)
        }
        return answers
    }

    private func answer(for item: RubricItem, pass: Bool, count: Int?, skill: Double,
                        rng: inout SeededRandom) -> Answer {
        switch item.type {
        case .yesNo:
            return pass ? .yes : .no
        case .scale:
            let levels = item.levels.isEmpty ? [item.points] : item.levels
            if !pass { return .number(levels.count > 1 ? levels[rng.int(below: levels.count - 1)] : levels[0]) }
            if item.critical != nil || levels.count == 1 { return .number(levels[levels.count - 1]) }
            // A pass earns the top level or, less often for weaker agents, the one below.
            let top = rng.chance(0.45 + 0.55 * skill)
            return .number(levels[top ? levels.count - 1 : levels.count - 2])
        case .deduction:
            if let count { return .number(Double(count)) }
            if !pass { return .number(Double(1 + (rng.chance(0.3) ? 1 : 0))) }
            return .number(0)
        }
    }
}
