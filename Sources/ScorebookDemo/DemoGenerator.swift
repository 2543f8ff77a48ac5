import ScorebookCore

/// One team of the synthetic center: its name, main channel and number of agents.
public struct DemoTeam: Sendable, Equatable {
    public var name: String
    public var channel: Channel
    public var agents: Int

    public init(name: String, channel: Channel, agents: Int) {
        self.name = name
        self.channel = channel
        self.agents = agents
    }

    /// 视频客服一组/二组, 电话客服组, 在线客服组: 40 agents.
    public static let defaults: [DemoTeam] = [
        DemoTeam(name: "视频客服一组", channel: .video, agents: 10),
        DemoTeam(name: "视频客服二组", channel: .video, agents: 10),
        DemoTeam(name: "电话客服组", channel: .phone, agents: 11),
        DemoTeam(name: "在线客服组", channel: .chat, agents: 9),
    ]
}

public struct DemoConfiguration: Sendable, Equatable {
    public var seed: UInt64
    /// `YYYY-MM`.
    public var period: String
    /// Sessions of the period (`sessions()` without a count).
    public var sessionCount: Int
    public var teams: [DemoTeam]
    public var inspectors: Int
    /// Agents marked inactive on the roster (they get no sessions and no ratings).
    public var inactiveAgents: Int

    public init(seed: UInt64 = DemoConfiguration.defaultSeed, period: String = "2026-10", sessionCount: Int = 4000,
                teams: [DemoTeam] = DemoTeam.defaults, inspectors: Int = 3, inactiveAgents: Int = 2) {
        self.seed = seed
        self.period = period
        self.sessionCount = sessionCount
        self.teams = teams
        self.inspectors = inspectors
        self.inactiveAgents = inactiveAgents
    }

    public static let defaultSeed: UInt64 = 20261001
}

public enum DemoError: Error, Equatable, CustomStringConvertible, Sendable {
    case badPeriod(String)
    case badConfiguration(String)

    public var description: String {
        switch self {
        case .badPeriod(let text): return "period '\(text)' is not YYYY-MM"
        case .badConfiguration(let reason): return reason
        }
    }
}

/// An agent of the roster with the hidden traits that drive the synthetic data.
public struct DemoAgent: Sendable, Equatable {
    public var employee: Employee
    /// The team's main channel.
    public var channel: Channel
    /// Hidden skill in 0.30...0.95: quality of transcripts, ratings, KPIs and manual answers follow it.
    public var skill: Double
    /// The 工号 spoken in greetings: the digits of the employee id.
    public var workID: String
    /// Relative share of the period's sessions (70...130).
    public var workload: Int
}

/// A generated session and its transcript.
public struct DemoRecord: Sendable, Equatable {
    public var session: Session
    public var turns: [Turn]
    /// The conversation topic (账户查询, 挂失, 理财产品...).
    public var topic: String
}

/// Seedable, deterministic generator of a month at a bank's service center: roster, sessions with Chinese
/// transcripts, ratings and manual inspection answers. Pure: it returns values; callers write files.
///
/// Determinism: every draw comes from `SeededRandom` (xoshiro256**) with streams derived from the seed —
/// the roster from one stream, session *i* from its own stream (so session *i* is the same whatever the
/// count, and `session(at:)` gives random access), the ratings from another. Only integer arithmetic
/// and + − × ÷ on doubles are used, so the output is identical on every machine.
public struct DemoGenerator: Sendable {
    public let configuration: DemoConfiguration
    /// Everyone on the roster: 主管, 组长, agents, 质检员, HR — in employee-id order.
    public let roster: [Employee]
    /// All agents (active and inactive), in employee-id order.
    public let agents: [DemoAgent]
    public let centerHeadID: String
    /// Team name → the team lead's id.
    public let teamLeads: [String: String]
    public let inspectorIDs: [String]
    public let hrID: String

    let year: Int
    let month: Int
    let days: Int
    let periodCompact: String
    /// Active agents and their cumulative workload, for weighted picks.
    let active: [DemoAgent]
    let cumulative: [Int]
    let greetings: [[[String]]]  // [active index][channel index] → greeting variants
    let skillByID: [String: Double]

    public init(seed: UInt64 = DemoConfiguration.defaultSeed, period: String = "2026-10", sessions: Int = 4000) throws {
        try self.init(configuration: DemoConfiguration(seed: seed, period: period, sessionCount: sessions))
    }

    public init(configuration: DemoConfiguration) throws {
        self.configuration = configuration
        let parts = configuration.period.split(separator: "-", omittingEmptySubsequences: false)
        guard configuration.period.utf8.count == 7, parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), y >= 1900 else {
            throw DemoError.badPeriod(configuration.period)
        }
        guard !configuration.teams.isEmpty, configuration.teams.allSatisfy({ $0.agents >= 1 }) else {
            throw DemoError.badConfiguration("every team needs at least one agent")
        }
        guard configuration.sessionCount >= 0, configuration.inspectors >= 0, configuration.inactiveAgents >= 0 else {
            throw DemoError.badConfiguration("counts must not be negative")
        }
        let totalAgents = configuration.teams.reduce(0) { $0 + $1.agents }
        guard configuration.inactiveAgents < totalAgents else {
            throw DemoError.badConfiguration("at least one agent must stay active")
        }
        year = y
        month = m
        periodCompact = String(parts[0]) + String(parts[1])
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]

        var rng = SeededRandom(seed: configuration.seed, stream: 0x0052_4F53_5445_5200)  // "ROSTER"
        var usedNames = Set<String>()
        func name() -> String {
            while true {
                let candidate = rng.pick(DemoPhrases.surnames) + rng.pick(DemoPhrases.givenNames)
                if usedNames.insert(candidate).inserted { return candidate }
            }
        }
        var nextID = 1001
        func newID() -> String { defer { nextID += 1 }; return "E\(nextID)" }

        var roster: [Employee] = []
        var agents: [DemoAgent] = []
        var leads: [String: String] = [:]
        let head = newID()
        centerHeadID = head
        roster.append(Employee(employeeID: head, name: name(), team: "客服中心", role: .supervisor, supervisorID: nil))
        for team in configuration.teams {
            let lead = newID()
            leads[team.name] = lead
            roster.append(Employee(employeeID: lead, name: name(), team: team.name, role: .supervisor, supervisorID: head))
            for _ in 0..<team.agents {
                let id = newID()
                let employee = Employee(employeeID: id, name: name(), team: team.name, role: .agent, supervisorID: lead)
                roster.append(employee)
                // Skill: mean of two uniforms over 0.30...0.95, kept to two decimals.
                let raw = 0.30 + 0.65 * (rng.unit() + rng.unit()) / 2
                let skill = Double(Int(raw * 100)) / 100
                agents.append(DemoAgent(employee: employee, channel: team.channel, skill: skill,
                                        workID: String(id.dropFirst()), workload: rng.int(in: 70...130)))
            }
        }
        var inspectors: [String] = []
        for _ in 0..<configuration.inspectors {
            let id = newID()
            inspectors.append(id)
            roster.append(Employee(employeeID: id, name: name(), team: "质检组", role: .inspector, supervisorID: head))
        }
        let hr = newID()
        hrID = hr
        roster.append(Employee(employeeID: hr, name: name(), team: "人力资源部", role: .hr, supervisorID: nil))

        // A couple of agents have left: inactive on the roster.
        var indices = Array(agents.indices)
        rng.shuffle(&indices)
        for index in indices.prefix(configuration.inactiveAgents) {
            agents[index].employee.active = false
            if let r = roster.firstIndex(where: { $0.employeeID == agents[index].employee.employeeID }) {
                roster[r].active = false
            }
        }

        self.roster = roster
        self.agents = agents
        teamLeads = leads
        inspectorIDs = inspectors
        active = agents.filter { $0.employee.active }
        var sum = 0
        cumulative = active.map { sum += $0.workload; return sum }
        greetings = active.map { agent in
            Channel.allCases.map { DemoPhrases.greeting(channel: $0, workID: agent.workID) }
        }
        skillByID = Dictionary(uniqueKeysWithValues: agents.map { ($0.employee.employeeID, $0.skill) })
    }

    /// The hidden skill of an agent (nil for someone who is not an agent).
    public func skill(of agentID: String) -> Double? { skillByID[agentID] }

    public var activeAgents: [DemoAgent] { active }

    // MARK: Sessions

    /// The period's sessions, generated one at a time (O(1) memory): `count` defaults to the configuration's.
    public func sessions(count: Int? = nil) -> DemoSessionSequence {
        DemoSessionSequence(generator: self, count: count ?? configuration.sessionCount)
    }

    /// The `index`-th session (0-based) — the same value the sequence yields at that position.
    public func session(at index: Int) -> DemoRecord {
        var rng = SeededRandom(seed: configuration.seed, stream: UInt64(index) &+ 1)
        let pick = rng.int(below: cumulative.last!)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > pick { hi = mid } else { lo = mid + 1 }
        }
        let agentIndex = lo
        let agent = active[agentIndex]
        let channel: Channel
        if rng.chance(0.85) { channel = agent.channel } else {
            let others = Channel.allCases.filter { $0 != agent.channel }
            channel = rng.pick(others)
        }
        let channelIndex = channel == .video ? 0 : channel == .phone ? 1 : 2
        let topic = DemoPhrases.topics[rng.int(below: DemoPhrases.topics.count)]
        var builder = TranscriptBuilder(rng: rng, skill: agent.skill, channel: channel)
        builder.build(topic: topic, greetings: greetings[agentIndex][channelIndex])
        rng = builder.rng
        let skill = agent.skill

        let day = rng.int(in: 1...days)
        let startSecond = 8 * 3600 + rng.int(below: 12 * 3600)
        let talk = (builder.time + 9) / 10 + rng.int(in: 1...4)
        // Handle time (平均处理时长) = talk time + after-call work (话后处理: notes, tickets), longer for
        // less skilled agents; the session itself ends when the talk ends.
        let afterCallWork = 30 + rng.int(below: 90 + Int((1 - skill) * 600))
        let handle = talk + afterCallWork
        let startedAt = timestamp(day: day, second: startSecond)
        let endedAt = timestamp(day: day, second: startSecond + talk)

        var wait: Int
        switch channel {
        case .video: wait = rng.int(in: 5...60)
        case .phone: wait = rng.int(in: 3...45)
        case .chat: wait = rng.int(in: 1...30)
        }
        if rng.chance(0.08) { wait *= rng.int(in: 2...5) }  // busy hours
        let resolved = rng.chance(0.60 + 0.30 * skill)
        let transferred = rng.chance(0.15 - 0.10 * skill)
        var csat: Int?
        if rng.chance(0.40) {
            let q = 0.45 * skill + (resolved ? 0.25 : 0) + 0.30 * rng.unit()
            csat = q > 0.62 ? 5 : q > 0.48 ? 4 : q > 0.36 ? 3 : q > 0.25 ? 2 : 1
        }
        let number = String(index + 1)
        let padded = number.count < 7 ? String(repeating: "0", count: 7 - number.count) + number : number
        let session = Session(sessionID: periodCompact + "-" + padded, agentID: agent.employee.employeeID,
                              channel: channel, startedAt: startedAt, endedAt: endedAt,
                              waitSeconds: Double(wait), firstResponseSeconds: Double(builder.firstAgentAt) / 10,
                              handleSeconds: Double(handle), resolved: resolved, transferred: transferred, csat: csat)
        return DemoRecord(session: session, turns: builder.turns, topic: topic.name)
    }

    func timestamp(day: Int, second: Int) -> String {
        let h = second / 3600, mi = (second / 60) % 60, s = second % 60
        return String(year) + "-" + DemoText.two[month] + "-" + DemoText.two[day] + "T" + DemoText.two[h] + ":"
            + DemoText.two[mi] + ":" + DemoText.two[s] + "+08:00"
    }

    // MARK: Ratings

    /// The criteria rated by self, peers and the team lead.
    public static let criteria = ["服务态度", "业务能力", "团队协作"]
    /// The criterion of customer survey rows.
    public static let customerCriterion = "服务满意度"

    /// The period's ratings of every active agent (1–5 scale): self (3 criteria), supervisor (the team
    /// lead, 3 criteria), 3–6 peers of the same team (3 criteria each) and 3–8 customer survey responses
    /// (rater `S-YYYYMM-NNNNN`, one row each). Scores follow the hidden skill; self ratings run high.
    public func ratings() -> [Rating] {
        var rng = SeededRandom(seed: configuration.seed, stream: 0x5241_5449_4E47)  // "RATING"
        let period = configuration.period
        var rows: [Rating] = []
        var survey = 0
        func score(_ skill: Double, bias: Double, spread: Double) -> Double {
            let v = 1 + 4 * skill + bias + (rng.unit() - 0.5) * spread
            return Double(min(5, max(1, Int(v + 0.5))))
        }
        for agent in active {
            let id = agent.employee.employeeID
            for criterion in Self.criteria {
                rows.append(Rating(period: period, employeeID: id, source: .self, raterID: id, criterion: criterion,
                                   score: score(agent.skill, bias: 0.6, spread: 1.2)))
            }
            if let lead = teamLeads[agent.employee.team] {
                for criterion in Self.criteria {
                    rows.append(Rating(period: period, employeeID: id, source: .supervisor, raterID: lead,
                                       criterion: criterion, score: score(agent.skill, bias: -0.2, spread: 1.0)))
                }
            }
            var peers = active.filter { $0.employee.team == agent.employee.team && $0.employee.employeeID != id }
            rng.shuffle(&peers)
            let k = min(peers.count, rng.int(in: 3...6))
            for peer in peers.prefix(k).sorted(by: { $0.employee.employeeID < $1.employee.employeeID }) {
                for criterion in Self.criteria {
                    rows.append(Rating(period: period, employeeID: id, source: .peer, raterID: peer.employee.employeeID,
                                       criterion: criterion, score: score(agent.skill, bias: 0.2, spread: 1.6)))
                }
            }
            for _ in 0..<rng.int(in: 3...8) {
                survey += 1
                let n = String(survey)
                let rater = "S-" + periodCompact + "-" + String(repeating: "0", count: max(0, 5 - n.count)) + n
                rows.append(Rating(period: period, employeeID: id, source: .customer, raterID: rater,
                                   criterion: Self.customerCriterion, score: score(agent.skill, bias: 0.3, spread: 2.0)))
            }
        }
        return rows
    }
}

/// The period's sessions, generated lazily: iterating never holds more than one session.
public struct DemoSessionSequence: Sequence, Sendable {
    public let generator: DemoGenerator
    public let count: Int

    public var underestimatedCount: Int { count }

    public func makeIterator() -> Iterator { Iterator(generator: generator, count: count) }

    public struct Iterator: IteratorProtocol, Sendable {
        let generator: DemoGenerator
        let count: Int
        var index = 0

        public mutating func next() -> DemoRecord? {
            guard index < count else { return nil }
            defer { index += 1 }
            return generator.session(at: index)
        }
    }
}

enum DemoText {
    static let two: [String] = (0..<100).map { $0 < 10 ? "0\($0)" : "\($0)" }

    /// Half-width digits → full-width (１２３４), as some customers type them.
    static func fullWidthDigits(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { s in
            (0x30...0x39).contains(s.value) ? Unicode.Scalar(s.value + 0xFEE0)! : s
        }))
    }
}
