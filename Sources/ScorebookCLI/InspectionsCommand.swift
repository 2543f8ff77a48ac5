import ArgumentParser
import ScorebookCore
import ScorebookStore

enum InspectionListing {
    static let columns = ["id", "session_id", "agent_id", "period", "rubric_id", "rubric_version", "inspector_id",
                          "mode", "status", "score", "compliance", "accuracy", "etiquette", "critical_failed", "updated_at"]

    static func make(_ records: [InspectionRecord]) -> Listing {
        var listing = Listing(columns: columns)
        for r in records {
            listing.append([.int(Int(r.id)), .text(r.sessionID), .text(r.agentID), .text(r.period), .text(r.rubricID),
                            .int(r.rubricVersion), .optional(r.inspectorID), .text(r.mode.rawValue), .text(r.status.rawValue),
                            .optional(r.score), .optional(r.compliance), .optional(r.accuracy), .optional(r.etiquette),
                            .bool(r.criticalFailed), .text(r.updatedAt)])
        }
        return listing
    }
}

struct InspectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspections",
        abstract: "List inspections (scores unrounded in csv/json; null when N/A).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Period YYYY-MM.") var period: String?
    @Option(help: "Agent's employee id.") var agent: String?
    @Option(help: "Inspector's employee id.") var inspector: String?
    @Option(help: "Rubric id.") var rubric: String?
    @Option(help: "manual or auto.") var mode: String?
    @Option(help: "draft or submitted.") var status: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        if let period { _ = try checkPeriod(period) }
        var filter = InspectionFilter(period: period, agentID: agent, inspectorID: inspector, rubricID: rubric)
        if let mode {
            guard let value = InspectionMode(rawValue: mode) else { throw ValidationError("--mode is manual or auto") }
            filter.mode = value
        }
        if let status {
            guard let value = InspectionStatus(rawValue: status) else { throw ValidationError("--status is draft or submitted") }
            filter.status = value
        }
        let records = try store.open().read { db in try Inspections.list(db, filter) }
        InspectionListing.make(records).print(output.format)
    }
}

struct InspectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspection",
        abstract: "Show one inspection.",
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an inspection's items, points and evidence.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Inspection id.") var id: Int64

        func run() throws {
            let db = try store.open()
            let (record, rubric, score, findings) = try db.read { db -> (InspectionRecord, Rubric, InspectionScore, [FindingRecord]) in
                guard let record = try Inspections.find(db, id: id) else { throw CLIError("no inspection with id \(id)") }
                let rubric = try Rubrics.require(db, id: record.rubricID, version: record.rubricVersion).rubric
                return (record, rubric, try Inspections.score(db, record, rubric: rubric),
                        try Findings.list(db, FindingFilter(inspectionID: record.id)))
            }
            if output.format == .table {
                InspectionListing.make([record]).print(.table)
                print("")
            }
            var listing = Listing(columns: ["section", "item", "text", "answer", "earned", "max", "critical"])
            for section in rubric.sections {
                for item in section.items {
                    let result = score.items.first { $0.itemID == item.id }
                    listing.append([.text(section.id), .text(item.id), .text(item.text),
                                    .optional(result?.answer?.description), .optional(result?.earned),
                                    .optional(result?.max), .optional(item.critical?.rawValue)])
                }
            }
            listing.print(output.format)
            if !findings.isEmpty {
                if output.format == .table { print("\nfindings (evidence of the automatic rules):") }
                FindingListing.make(findings).print(output.format)
            }
        }
    }
}
