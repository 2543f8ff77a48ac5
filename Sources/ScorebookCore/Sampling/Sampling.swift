import Foundation

/// One session that may be drawn for manual inspection (抽检).
public struct SamplingCandidate: Sendable, Equatable {
    public var sessionID: String
    public var agentID: String
    public var channel: Channel
    /// Risk score computed by the caller (failed automatic red-line items, csat ≤ 2, long handle time...).
    /// A session is *risky* when its risk is above 0; a higher risk is drawn first by `targeted`.
    public var risk: Double

    public init(sessionID: String, agentID: String, channel: Channel, risk: Double = 0) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.channel = channel
        self.risk = risk
    }

    public init(sessionID: String, agentID: String, channel: Channel, risky: Bool) {
        self.init(sessionID: sessionID, agentID: agentID, channel: channel, risk: risky ? 1 : 0)
    }

    public var isRisky: Bool { risk > 0 }
}

/// How many sessions to draw per agent.
public enum SampleSize: Sendable, Equatable {
    /// A fixed number per agent (all of the agent's sessions when it has fewer).
    case perAgent(Int)
    /// Enough to estimate the agent's pass rate within ± `margin` at `confidence` (e.g. 0.05 and 0.95).
    case statistical(margin: Double, confidence: Double)
}

/// The parameters of one draw (`scorebook sample`).
public struct SamplingPlan: Sendable, Equatable {
    public var size: SampleSize
    /// Keep each channel's share of the agent's sessions (largest-remainder allocation).
    public var stratifyByChannel: Bool
    /// Share (0...1) of each agent's sample filled from risky sessions first.
    public var targetedShare: Double
    public var seed: UInt64
    /// Inspectors to spread the draw over; empty: assignments carry no inspector.
    public var inspectors: [String]
    /// Sessions each inspector already holds from earlier draws of the period with the rubric: the spread
    /// evens out the totals, so a top-up draw gives more to whoever has fewer (absent = 0).
    public var earlierLoads: [String: Int] = [:]

    public init(size: SampleSize, stratifyByChannel: Bool = false, targetedShare: Double = 0, seed: UInt64 = 0,
                inspectors: [String] = []) {
        self.size = size
        self.stratifyByChannel = stratifyByChannel
        self.targetedShare = targetedShare
        self.seed = seed
        self.inspectors = inspectors
    }
}

/// One drawn session and the inspector who is to score it.
public struct SampleAssignment: Sendable, Equatable {
    public var sessionID: String
    public var agentID: String
    public var channel: Channel
    /// nil when the plan names no inspectors.
    public var inspectorID: String?
    /// Drawn by the targeted (risky-first) part of the sample.
    public var targeted: Bool

    public init(sessionID: String, agentID: String, channel: Channel, inspectorID: String?, targeted: Bool) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.channel = channel
        self.inspectorID = inspectorID
        self.targeted = targeted
    }
}

/// What was drawn for one agent: the size chosen and the population it was drawn from.
public struct AgentSample: Sendable, Equatable {
    public var agentID: String
    /// Eligible sessions: the agent's candidates minus those already inspected with the rubric.
    public var population: Int
    /// Candidates left out because they were already inspected.
    public var excluded: Int
    /// The sample size chosen for this agent (≤ population).
    public var size: Int
    /// How many of the drawn sessions came from the targeted (risky) part.
    public var targeted: Int
    /// Drawn sessions per channel.
    public var byChannel: [Channel: Int]
}

public struct SampleResult: Sendable, Equatable {
    /// Sorted by agent id, then session id.
    public var assignments: [SampleAssignment]
    /// One per agent with candidates, sorted by agent id.
    public var agents: [AgentSample]
    /// Sessions drawn per inspector (only when the plan names inspectors).
    public var perInspector: [String: Int]
}

public enum SamplingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// `field`: the parameter, as the web form names it (`per_agent`, `margin`, `confidence`, `targeted`,
    /// `long_handle`), when one parameter is at fault.
    case invalidParameter(String, field: String? = nil)
    /// Every listed inspector is the agent of this session, so nobody may inspect it.
    case noEligibleInspector(sessionID: String, agentID: String)

    public var description: String {
        switch self {
        case .invalidParameter(let reason, _): return reason
        case .noEligibleInspector(let session, let agent):
            return "session \(session): its agent \(agent) is the only inspector given; an inspector never inspects their own sessions"
        }
    }
}

/// Pure sampling for manual inspection (issue 3, DESIGN.md "Sampled and full-coverage inspection").
///
/// The draw, step by step (all of it deterministic for a given input set, plan and seed):
/// 1. Candidates are sorted by session id (input order never matters); those whose id is in
///    `alreadyInspected` are dropped (counted as `excluded`); a duplicate session id is an error.
/// 2. Per agent (agents in id order), population N = the eligible sessions; size n = `min(perAgent, N)`
///    or `statisticalSize(population: N, ...)`.
/// 3. With `stratifyByChannel`, n is split over the channels in proportion to the agent's eligible
///    sessions per channel by largest remainder (ties: the larger channel, then video, phone, chat);
///    otherwise there is one stratum.
/// 4. Each agent gets its own random stream derived from (seed, agent id), so adding or removing another
///    agent never changes this agent's draw. The agent's eligible sessions are shuffled with it.
/// 5. Targeted: k = round-half-up(share × n) sessions are taken first from the risky ones (risk > 0), highest
///    risk first, ties in shuffled order, each only while its channel's quota has room; then every stratum
///    is filled with the rest of its sessions in shuffled order.
/// 6. Inspectors (deduplicated, sorted, then shuffled with the seed) are assigned over all drawn sessions
///    in a seeded order, sessions of agents who are themselves inspectors first: each goes to the eligible
///    inspector (never the session's own agent) with the fewest sessions so far — counting those the plan's
///    `earlierLoads` says earlier draws gave them —, ties to the earliest in the shuffled rotation — so
///    totals differ by at most 1 unless self-exclusion (or an earlier draw larger than this one) makes that
///    impossible.
public enum Sampling {
    public static func draw(_ candidates: [SamplingCandidate], alreadyInspected: Set<String> = [],
                            plan: SamplingPlan) throws -> SampleResult {
        var draw = try AgentDraws(plan: plan)
        let sorted = candidates.sorted { $0.sessionID < $1.sessionID }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.sessionID == b.sessionID {
            throw SamplingError.invalidParameter("duplicate session id '\(a.sessionID)' among the candidates")
        }
        var byAgent: [String: [SamplingCandidate]] = [:]
        for candidate in sorted { byAgent[candidate.agentID, default: []].append(candidate) }
        for agentID in byAgent.keys.sorted() {
            try draw.add(agentID: agentID, candidates: byAgent[agentID]!, alreadyInspected: alreadyInspected)
        }
        return try draw.finish()
    }

    /// Step 2–5 for one agent: `candidates` are the agent's sessions (any order, no duplicates).
    static func drawAgent(agentID: String, candidates: [SamplingCandidate], alreadyInspected: Set<String>,
                          plan: SamplingPlan) -> (sample: AgentSample, picks: [(candidate: SamplingCandidate, targeted: Bool)]) {
        let pool = candidates.filter { !alreadyInspected.contains($0.sessionID) }.sorted { $0.sessionID < $1.sessionID }
        let population = pool.count
        let n: Int
        switch plan.size {
        case .perAgent(let count): n = min(count, population)
        case .statistical(let margin, let confidence):
            n = statisticalSize(population: population, margin: margin, confidence: confidence)
        }
        var rng = SeededRandom(seed: plan.seed, stream: SeededRandom.stableHash(agentID))
        let picks = drawAgent(pool, size: n, plan: plan, rng: &rng)
        var byChannel: [Channel: Int] = [:]
        for pick in picks { byChannel[pick.candidate.channel, default: 0] += 1 }
        let sample = AgentSample(agentID: agentID, population: population, excluded: candidates.count - population,
                                 size: n, targeted: picks.filter(\.targeted).count, byChannel: byChannel)
        return (sample, picks)
    }

    /// Step 6: spreads the drawn sessions over the plan's inspectors.
    static func assignInspectors(_ drawn: [(candidate: SamplingCandidate, targeted: Bool)], agents: [AgentSample],
                                 plan: SamplingPlan) throws -> SampleResult {
        var inspectorOf: [String: String] = [:]
        var perInspector: [String: Int] = [:]
        let inspectors = Array(Set(plan.inspectors.filter { !$0.isEmpty })).sorted()
        if !inspectors.isEmpty {
            var rng = SeededRandom(seed: plan.seed, stream: 0x1E5_EC70)
            var rotation = inspectors
            rng.shuffle(&rotation)
            var order = drawn.map(\.candidate).sorted { $0.sessionID < $1.sessionID }
            rng.shuffle(&order)
            let inspectorSet = Set(inspectors)
            let constrained = order.filter { inspectorSet.contains($0.agentID) }
            let free = order.filter { !inspectorSet.contains($0.agentID) }
            let earlier = rotation.map { max(0, plan.earlierLoads[$0] ?? 0) }
            var counts = earlier
            for candidate in constrained + free {
                var best = -1
                for (index, inspector) in rotation.enumerated() where inspector != candidate.agentID {
                    if best < 0 || counts[index] < counts[best] { best = index }
                }
                guard best >= 0 else {
                    throw SamplingError.noEligibleInspector(sessionID: candidate.sessionID, agentID: candidate.agentID)
                }
                counts[best] += 1
                inspectorOf[candidate.sessionID] = rotation[best]
            }
            for (index, inspector) in rotation.enumerated() { perInspector[inspector] = counts[index] - earlier[index] }
        }

        let assignments = drawn
            .map { SampleAssignment(sessionID: $0.candidate.sessionID, agentID: $0.candidate.agentID,
                                    channel: $0.candidate.channel, inspectorID: inspectorOf[$0.candidate.sessionID],
                                    targeted: $0.targeted) }
            .sorted { ($0.agentID, $0.sessionID) < ($1.agentID, $1.sessionID) }
        return SampleResult(assignments: assignments, agents: agents, perInspector: perInspector)
    }

    static func validate(_ plan: SamplingPlan) throws {
        switch plan.size {
        case .perAgent(let count):
            guard count >= 1 else { throw SamplingError.invalidParameter("per-agent sample size must be at least 1, found \(count)", field: "per_agent") }
        case .statistical(let margin, let confidence):
            guard margin > 0, margin < 1 else {
                throw SamplingError.invalidParameter("margin must be between 0 and 1 (e.g. 0.05), found \(margin)", field: "margin")
            }
            guard confidence > 0, confidence < 1 else {
                throw SamplingError.invalidParameter("confidence must be between 0 and 1 (e.g. 0.95), found \(confidence)", field: "confidence")
            }
        }
        guard plan.targetedShare >= 0, plan.targetedShare <= 1 else {
            throw SamplingError.invalidParameter("targeted share must be between 0 and 1, found \(plan.targetedShare)", field: "targeted")
        }
    }

    private static func drawAgent(_ pool: [SamplingCandidate], size n: Int, plan: SamplingPlan,
                                  rng: inout SeededRandom) -> [(candidate: SamplingCandidate, targeted: Bool)] {
        guard n > 0 else { return [] }
        var shuffled = pool
        rng.shuffle(&shuffled)

        // Quotas per stratum.
        var quota: [Channel: Int] = [:]
        if plan.stratifyByChannel {
            var counts: [Channel: Int] = [:]
            for candidate in pool { counts[candidate.channel, default: 0] += 1 }
            let channels = Channel.allCases.filter { counts[$0] != nil }
            let allocation = largestRemainder(total: n, weights: channels.map { counts[$0]! })
            for (channel, share) in zip(channels, allocation) { quota[channel] = share }
        }
        func stratum(_ c: SamplingCandidate) -> Channel? { plan.stratifyByChannel ? c.channel : nil }
        var room: [Channel?: Int] = plan.stratifyByChannel
            ? Dictionary(uniqueKeysWithValues: quota.map { (Optional($0.key), $0.value) })
            : [nil: n]

        var taken = Set<String>()
        var picks: [(candidate: SamplingCandidate, targeted: Bool)] = []

        let k = Int((plan.targetedShare * Double(n) + 0.5).rounded(.down))
        if k > 0 {
            // Stable sort of the shuffled order by risk, highest first: ties stay in shuffled order.
            let risky = shuffled.enumerated()
                .filter { $0.element.isRisky }
                .sorted { ($0.element.risk, $1.offset) > ($1.element.risk, $0.offset) }
                .map(\.element)
            for candidate in risky where picks.count < k {
                let key = stratum(candidate)
                guard let left = room[key], left > 0 else { continue }
                room[key] = left - 1
                taken.insert(candidate.sessionID)
                picks.append((candidate, true))
            }
        }
        for candidate in shuffled where picks.count < n && !taken.contains(candidate.sessionID) {
            let key = stratum(candidate)
            guard let left = room[key], left > 0 else { continue }
            room[key] = left - 1
            picks.append((candidate, false))
        }
        return picks
    }

    /// Splits `total` over `weights` in proportion, by the largest-remainder (Hamilton) method. Ties in the
    /// remainder go to the larger weight, then to the earlier position. The result sums to `total` when
    /// the weights sum to more than 0, and no share exceeds its weight when `total` ≤ Σ weights.
    public static func largestRemainder(total: Int, weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total > 0 else { return weights.map { _ in 0 } }
        // Exact integer arithmetic: quota_i = total × w_i / sum = floor + remainder_i / sum.
        var shares = weights.map { total * $0 / sum }
        let remainders = weights.map { total * $0 % sum }
        var left = total - shares.reduce(0, +)
        let order = weights.indices.sorted {
            (remainders[$0], weights[$0], -$0) > (remainders[$1], weights[$1], -$1)
        }
        for index in order where left > 0 {
            shares[index] += 1
            left -= 1
        }
        return shares
    }

    /// Sample size for estimating a proportion within ± `margin` at `confidence` from a population of N:
    /// n0 = z²·p(1−p)/e² with p = 0.5 (the most conservative), n = n0 / (1 + (n0 − 1)/N), rounded up,
    /// never more than N. `z = zScore(confidence)`.
    public static func statisticalSize(population: Int, margin: Double, confidence: Double) -> Int {
        guard population > 0 else { return 0 }
        let z = zScore(confidence: confidence)
        let n0 = z * z * 0.25 / (margin * margin)
        let n = n0 / (1 + (n0 - 1) / Double(population))
        let rounded = Int((n - 1e-9).rounded(.up))
        return max(1, min(population, rounded))
    }

    /// Two-sided critical value: Φ⁻¹(1 − (1 − confidence)/2); 0.95 → 1.959964, 0.99 → 2.575829.
    public static func zScore(confidence: Double) -> Double {
        inverseNormal(0.5 + confidence / 2)
    }

    /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Acklam's rational approximation, relative
    /// error below 1.2e-9, refined by one Halley step with erfc). Returns ±infinity at 0 and 1, NaN outside.
    public static func inverseNormal(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425, high = 1 - 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= high {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
                (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // One Halley step on Φ(x) − p, with Φ(x) = erfc(−x/√2)/2.
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x = x - u / (1 + x * u / 2)
        return x
    }
}

/// The same draw as `Sampling.draw`, fed one agent at a time, so a caller can stream a period of any size
/// agent by agent (memory: one agent's sessions plus the drawn ones). Agents must come in ascending id order,
/// each once, with all of its sessions.
public struct AgentDraws {
    public let plan: SamplingPlan
    private var drawn: [(candidate: SamplingCandidate, targeted: Bool)] = []
    private var agents: [AgentSample] = []

    /// Throws when the plan's parameters are out of range.
    public init(plan: SamplingPlan) throws {
        try Sampling.validate(plan)
        self.plan = plan
    }

    public mutating func add(agentID: String, candidates: [SamplingCandidate], alreadyInspected: Set<String>) throws {
        if let last = agents.last?.agentID, !(last < agentID) {
            throw SamplingError.invalidParameter("agents must come in ascending id order ('\(agentID)' after '\(last)')")
        }
        let (sample, picks) = Sampling.drawAgent(agentID: agentID, candidates: candidates,
                                                 alreadyInspected: alreadyInspected, plan: plan)
        agents.append(sample)
        drawn.append(contentsOf: picks)
    }

    public func finish() throws -> SampleResult {
        try Sampling.assignInspectors(drawn, agents: agents, plan: plan)
    }
}
