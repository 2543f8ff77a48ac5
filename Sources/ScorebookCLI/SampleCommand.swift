import ArgumentParser
import ScorebookCore
import ScorebookStore

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw sessions of a period for manual inspection and assign them to inspectors.",
        discussion: """
        Size each agent's sample with --per-agent N, or with --margin and --confidence (enough sessions to \
        estimate the agent's pass rate; normal approximation with finite-population correction). Sessions \
        already inspected or assigned with the rubric are never drawn. The draw is stored as assignments.
        """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Period YYYY-MM.") var period: String
    @Option(help: "Rubric id.") var rubric: String
    @Option(name: .customLong("per-agent"), parsing: .unconditional, help: "Sessions per agent.") var perAgent: Int?
    @Option(parsing: .unconditional, help: "Margin of error for the pass rate, e.g. 0.05.") var margin: Double?
    @Option(parsing: .unconditional, help: "Confidence level, e.g. 0.95.") var confidence: Double?
    @Option(help: "Stratify by: channel.") var stratify: String?
    @Option(parsing: .unconditional, help: "Share of each agent's sample drawn from risky sessions first (0–1).") var targeted: Double = 0
    @Option(parsing: .unconditional, help: "Seed: the same seed draws the same sample.") var seed: UInt64 = 1
    @Option(help: "Comma-separated inspector ids (default: every active inspector).") var inspectors: String?
    @Option(name: .customLong("long-handle"), parsing: .unconditional, help: "Handle time in seconds above which a session counts as risky.")
    var longHandle: Double = 900
    @OptionGroup var output: FormatOption

    func run() throws {
        _ = try checkPeriod(period)
        let size: SampleSize
        switch (perAgent, margin, confidence) {
        case (let n?, nil, nil):
            guard n > 0 else { throw ValidationError("--per-agent must be positive") }
            size = .perAgent(n)
        case (nil, let e?, let c?):
            size = .statistical(margin: e, confidence: c)
        case (_?, _, _):
            throw ValidationError("--per-agent N and --margin/--confidence are two ways to size the sample: give one of them")
        default:
            throw ValidationError("give --per-agent N, or --margin and --confidence")
        }
        if let stratify, stratify != "channel" { throw ValidationError("--stratify takes: channel") }
        let db = try store.open()
        let plan = SamplingPlan(size: size, stratifyByChannel: stratify == "channel", targetedShare: targeted, seed: seed)
        let result = try db.write { db in
            try Assignments.sample(db, period: period, rubricID: rubric, inspectors: inspectors.map(commaList),
                                   longHandleSeconds: longHandle, plan: plan)
        }
        var listing = Listing(columns: ["agent_id", "population", "excluded", "size", "targeted", "video", "phone", "chat"])
        for a in result.agents {
            listing.append([.text(a.agentID), .int(a.population), .int(a.excluded), .int(a.size), .int(a.targeted),
                            .int(a.byChannel[.video] ?? 0), .int(a.byChannel[.phone] ?? 0), .int(a.byChannel[.chat] ?? 0)])
        }
        listing.print(output.format)
        if output.format == .table {
            let spread = result.perInspector.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("drew \(result.assignments.count) sessions for \(result.agents.count) agents; per inspector: \(spread)")
        }
    }
}

struct AssignmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assignments",
        abstract: "List sampled sessions assigned to inspectors.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Period YYYY-MM.") var period: String?
    @Option(help: "Inspector id.") var inspector: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        if let period { _ = try checkPeriod(period) }
        let records = try store.open().read { db -> [AssignmentRecord] in
            if let inspector, try Employees.find(db, inspector) == nil {
                throw CLIError("--inspector: unknown employee '\(inspector)' (not on the roster)")
            }
            return try Assignments.list(db, period: period, inspectorID: inspector)
        }
        var listing = Listing(columns: ["session_id", "agent_id", "inspector_id", "rubric_id", "period", "reason", "status"])
        for r in records {
            listing.append([.text(r.sessionID), .text(r.agentID), .text(r.inspectorID), .text(r.rubricID), .text(r.period),
                            .text(r.reason), .text(r.status)])
        }
        listing.print(output.format)
    }
}
