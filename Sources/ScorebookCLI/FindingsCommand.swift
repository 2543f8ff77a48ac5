import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookStore

enum FindingListing {
    static func make(_ findings: [FindingRecord]) -> Listing {
        var listing = Listing(columns: ["id", "inspection_id", "session_id", "agent_id", "item_id", "rule", "turn_index", "at",
                                        "matched", "measured", "severity", "message", "status", "reviewer_id", "reason",
                                        "rule_name"])
        listing.decimals = 1
        for f in findings {
            listing.append([.int(Int(f.id)), .int(Int(f.inspectionID)), .text(f.sessionID), .text(f.agentID), .text(f.itemID),
                            .text(f.rule), .optional(f.turnIndex), .optional(f.at), .optional(f.matched), .optional(f.measured),
                            .optional(f.severity), .text(f.message), .text(f.status.rawValue), .optional(f.reviewerID),
                            .optional(f.reason), .optional(f.ruleName)])
        }
        return listing
    }
}

struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "List automatic findings with their evidence (turn, time, matched text, measured value).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Period YYYY-MM.") var period: String
    @Option(help: "Rubric id.") var rubric: String?
    @Option(help: "Rubric item id.") var item: String?
    @Option(help: "Agent's employee id.") var agent: String?
    @Option(help: "open, confirmed or rejected.") var status: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        _ = try checkPeriod(period)
        var filter = FindingFilter(period: period, rubricID: rubric, itemID: item, agentID: agent)
        if let status {
            guard let value = FindingStatus(rawValue: status) else { throw ValidationError("--status is open, confirmed or rejected") }
            filter.status = value
        }
        FindingListing.make(try store.open().read { db in
            try FilterCheck.employee(db, "--agent", agent)
            try FilterCheck.rubric(db, rubric)
            try FilterCheck.item(db, item, rubric: rubric)
            return try Findings.list(db, filter)
        }).print(output.format)
    }
}

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Confirm or reject automatic findings (复核); a rejected finding stops counting and the score is recomputed.",
        discussion: """
        Review one finding by id, or every open finding of one item of an automatic inspection \
        (--inspection ID --item ITEM), e.g. when the whole item was flagged wrongly.
        """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "Finding id.") var finding: Int64?
    @Option(help: "An automatic inspection's id (with --item): review all its open findings of that item.") var inspection: Int64?
    @Option(help: "Rubric item id (with --inspection).") var item: String?
    @Flag(help: "The finding is right.") var confirm = false
    @Flag(help: "The finding is wrong: it stops counting.") var reject = false
    @Option(help: "Why (required to reject).") var reason: String?
    @Option(help: "Reviewing inspector's or supervisor's employee id, checked against the roster (default: record the acting user, --actor / SCOREBOOK_USER / USER).") var inspector: String?

    func run() throws {
        guard confirm != reject else { throw ValidationError("give exactly one of --confirm or --reject") }
        guard (finding != nil) != (inspection != nil || item != nil), (inspection == nil) == (item == nil) else {
            throw ValidationError("give a finding id, or --inspection ID --item ITEM")
        }
        let status: FindingStatus = reject ? .rejected : .confirmed
        let reviewed = try store.open().write { db -> [(FindingRecord, InspectionRecord)] in
            let ids: [Int64]
            if let finding {
                ids = [finding]
            } else {
                ids = try Findings.list(db, FindingFilter(itemID: item, status: .open, inspectionID: inspection)).map(\.id)
                guard !ids.isEmpty else { throw CLIError("inspection \(inspection!) has no open finding of item '\(item!)'") }
            }
            return try ids.map { id in
                try Findings.review(db, id: id, status: status, reason: reason, reviewerID: inspector,
                                    actor: store.actorName)
            }
        }
        for (f, inspection) in reviewed {
            let score = inspection.score.map { DecimalMath.fixed($0, 2) } ?? "N/A"
            print("finding \(f.id) \(f.status.rawValue); inspection \(inspection.id) score \(score)\(inspection.criticalFailed ? " (red line failed)" : "")")
        }
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Automatic rules: how often each fires and how often inspectors reject it.",
        subcommands: [Stats.self])

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per rubric item and rule: findings, confirmed, rejected, and the rejected share of reviewed findings.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Period YYYY-MM.") var period: String?
        @Option(help: "Rubric id.") var rubric: String?
        @OptionGroup var output: FormatOption

        func run() throws {
            if let period { _ = try checkPeriod(period) }
            let stats = try store.open().read { db in
                try FilterCheck.rubric(db, rubric)
                return try Findings.ruleStats(db, period: period, rubricID: rubric)
            }
            var listing = Listing(columns: ["rubric_id", "item_id", "rule", "findings", "confirmed", "rejected", "open", "rejected_share"])
            for s in stats {
                listing.append([.text(s.rubricID), .text(s.itemID), .text(s.rule), .int(s.findings), .int(s.confirmed),
                                .int(s.rejected), .int(s.open), .optional(s.rejectedShare)])
            }
            listing.print(output.format)
        }
    }
}
