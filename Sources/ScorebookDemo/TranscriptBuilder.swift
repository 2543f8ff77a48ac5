import ScorebookCore

/// Builds one transcript. Times are kept in tenths of a second (integers) and converted once per turn.
struct TranscriptBuilder {
    var rng: SeededRandom
    let skill: Double
    let channel: Channel
    /// End of the last turn, tenths.
    var time = 0
    var turns: [Turn] = []
    /// Start of the first agent turn, tenths (the first response).
    var firstAgentAt = -1
    /// Speech rates, characters per minute.
    let agentRate: Int
    let customerRate: Int
    var lastSpeaker: Speaker?

    init(rng: SeededRandom, skill: Double, channel: Channel) {
        var rng = rng
        self.skill = skill
        self.channel = channel
        // Good agents speak at 210–270 characters a minute; some weaker ones rush (up to 340).
        agentRate = rng.chance(0.25 * (1 - skill)) ? rng.int(in: 300...340) : rng.int(in: 210...270)
        customerRate = rng.int(in: 190...290)
        self.rng = rng
        turns.reserveCapacity(26)
    }

    /// The usual pause before a turn, tenths.
    mutating func gap() -> Int {
        channel == .chat ? rng.int(in: 20...120) : rng.int(in: 5...25)
    }

    mutating func say(_ speaker: Speaker, _ text: String, after pause: Int? = nil) {
        var at = time + (pause ?? gap())
        // Interruption: the agent starts before the customer has finished.
        if speaker == .agent, lastSpeaker == .customer, pause == nil, channel != .chat,
           let previous = turns.last, let end = previous.end,
           rng.chance(0.005 + 0.05 * (1 - skill)) {
            let start = Int((previous.at * 10).rounded())
            let endTenths = Int((end * 10).rounded())
            at = max(start + 5, endTenths - rng.int(in: 5...15))
        }
        let chars = text.unicodeScalars.count
        let rate = speaker == .agent ? agentRate : customerRate
        let duration = max(15, chars * 600 / rate)
        let end = at + duration
        if speaker == .agent && firstAgentAt < 0 { firstAgentAt = at }
        turns.append(Turn(at: Double(at) / 10, end: Double(end) / 10, speaker: speaker, text: text))
        time = max(time, end)
        lastSpeaker = speaker
    }

    mutating func build(topic: DemoTopic, greetings: [String]) {
        let careless = 1 - skill
        let target = rng.int(in: 12...25)

        // Opening: a greeting with the 工号 within a few seconds, sometimes late, sometimes sloppy.
        var greetAt = channel == .chat
            ? rng.int(in: 10...40) + rng.int(below: 1 + Int(careless * 60))
            : rng.int(in: 8...30) + rng.int(below: 1 + Int(careless * 40))
        if rng.chance(0.02 + 0.12 * careless) { greetAt = rng.int(in: 80...200) }
        if rng.chance(0.10 * careless) {
            say(.agent, rng.pick(DemoPhrases.sloppyGreetings), after: greetAt)
        } else {
            say(.agent, rng.pick(greetings), after: greetAt)
        }
        say(.customer, rng.pick(topic.openers))

        var fixed = 2 + 3  // opening + closing
        let verify = topic.account && !rng.chance(0.12 * careless)
        fixed += verify ? 3 : 1
        let hold = rng.chance(0.30 + 0.40 * careless)
        if hold { fixed += 1 }
        let disclose = topic.product && !rng.chance(0.02 + 0.2 * careless * careless)
        if disclose { fixed += 1 }
        let pairs = max(2, (target - fixed) / 2)

        if verify {
            if channel == .video {
                say(.agent, DemoPhrases.verifyAskVideo)
                say(.customer, "好的，这样可以吗？")
                say(.agent, rng.pick(DemoPhrases.verifyDone), after: rng.int(in: 40...150))
            } else {
                say(.agent, rng.pick(DemoPhrases.verifyAsk))
                let surname = rng.pick(DemoPhrases.surnames)
                var digits = String(rng.int(in: 1000...9999))
                if rng.chance(0.1) { digits = String(digits.dropLast()) + "X" }
                if rng.chance(0.3) { digits = DemoText.fullWidthDigits(digits) }
                say(.customer, "我叫" + surname + rng.pick(DemoPhrases.givenNames) + "，身份证后四位是" + digits + "。")
                say(.agent, rng.pick(DemoPhrases.verifyDone))
            }
        } else {
            say(.agent, rng.pick(DemoPhrases.acknowledge))
        }

        let forbiddenAt = rng.chance(0.15 * careless * careless * careless) ? rng.int(below: pairs) : -1
        let holdAt = hold ? rng.int(below: pairs) : -1
        let disclosureAt = disclose ? min(1, pairs - 1) : -1
        let fillerStart = rng.int(below: DemoPhrases.fillers.count)
        for p in 0..<pairs {
            let pair = p < topic.exchanges.count
                ? topic.exchanges[p]
                : DemoPhrases.fillers[(fillerStart + p - topic.exchanges.count) % DemoPhrases.fillers.count]
            say(.customer, pair.0)
            var answer = pair.1
            if p == forbiddenAt { answer = rng.pick(DemoPhrases.forbidden) }
            if p == holdAt {
                say(.agent, rng.pick(DemoPhrases.holdStart))
                let silence = rng.int(in: 200...600) + (rng.chance(careless * 0.6) ? rng.int(in: 200...800) : 0)
                say(.agent, rng.pick(DemoPhrases.holdBack) + answer, after: silence)
            } else if rng.chance(0.02 * careless) {
                // An unexplained long silence before answering.
                say(.agent, answer, after: rng.int(in: 200...400))
            } else if rng.chance(0.40 + 0.40 * careless) {
                // Looking something up in the system before answering (under the long-silence limit).
                say(.agent, answer, after: rng.int(in: 30...120))
            } else {
                say(.agent, answer)
            }
            if p == disclosureAt { say(.agent, rng.pick(DemoPhrases.riskDisclosure)) }
        }

        // Closing: ask whether anything else is needed, thank, say goodbye — or not, for careless agents.
        if rng.chance(0.15 * careless) {
            say(.agent, DemoPhrases.closingAskSloppy)
            say(.customer, "没了。")
            say(.agent, rng.pick(DemoPhrases.closingSloppy))
        } else {
            say(.agent, DemoPhrases.closingAsk)
            say(.customer, rng.pick(DemoPhrases.customerNoMore))
            say(.agent, rng.pick(DemoPhrases.closingThanks(channel)))
        }
    }
}
