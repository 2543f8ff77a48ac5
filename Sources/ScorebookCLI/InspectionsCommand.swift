import ArgumentParser
import ScorebookCore
import ScorebookStore

enum InspectionListing {
    static let columns = ["id", "session_id", "agent_id", "period", "rubric_id", "rubric_version", "inspector_id",
                          "mode", "status", "score", "compliance", "accuracy", "etiquette", "critical_failed", "updated_at",
                          "comment"]

    static func make(_ records: [InspectionRecord]) -> Listing {
        var listing = Listing(columns: columns)
        for r in records {
            listing.append([.int(Int(r.id)), .text(r.sessionID), .text(r.agentID), .text(r.period), .text(r.rubricID),
                            .int(r.rubricVersion), .optional(r.inspectorID), .text(r.mode.rawValue), .text(r.status.rawValue),
                            .optional(r.score), .optional(r.compliance), .optional(r.accuracy), .optional(r.etiquette),
                            .bool(r.criticalFailed), .text(r.updatedAt), .optional(r.comment)])
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
        let records = try store.open().read { db in
            try FilterCheck.employee(db, "--agent", agent)
            try FilterCheck.employee(db, "--inspector", inspector)
            try FilterCheck.rubric(db, rubric)
            return try Inspections.list(db, filter)
        }
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
                itemListing(record, rubric, score, findings, withInspection: false).print(.table)
                if !findings.isEmpty {
                    print("\nfindings (evidence of the automatic rules):")
                    FindingListing.make(findings).print(.table)
                }
            } else {
                // one array of objects, as every listing: one per rubric item, with the inspection's fields and
                // the item's findings (evidence) in it
                itemListing(record, rubric, score, findings, withInspection: true).print(output.format)
            }
        }

        private func itemListing(_ record: InspectionRecord, _ rubric: Rubric, _ score: InspectionScore,
                                 _ findings: [FindingRecord], withInspection: Bool) -> Listing {
            let head = withInspection ? ["inspection_id", "session_id", "agent_id", "rubric_id", "rubric_version", "mode",
                                         "status", "score", "critical_failed"] : []
            let tail = withInspection ? ["findings", "comment"] : []
            var listing = Listing(columns: head + ["section", "item", "text", "answer", "earned", "max", "critical"] + tail)
            let inspection: [Cell] = withInspection
                ? [.int(Int(record.id)), .text(record.sessionID), .text(record.agentID), .text(record.rubricID),
                   .int(record.rubricVersion), .text(record.mode.rawValue), .text(record.status.rawValue),
                   .optional(record.score), .bool(record.criticalFailed)]
                : []
            for section in rubric.sections {
                for item in section.items {
                    let result = score.items.first { $0.itemID == item.id }
                    var row = inspection + [.text(section.id), .text(item.id), .text(item.text),
                                            .optional(result?.answer?.description), .optional(result?.earned),
                                            .optional(result?.max), .optional(item.critical?.rawValue)]
                    if withInspection {
                        row.append(.list(findings.filter { $0.itemID == item.id }.map { f in
                            .object([("id", .int(Int(f.id))), ("rule", .text(f.rule)), ("turn_index", .optional(f.turnIndex)),
                                     ("at", .optional(f.at)), ("matched", .optional(f.matched)), ("measured", .optional(f.measured)),
                                     ("severity", .optional(f.severity)), ("message", .text(f.message)),
                                     ("status", .text(f.status.rawValue)), ("reason", .optional(f.reason)),
                                     ("rule_name", .optional(f.ruleName))])
                        }))
                        row.append(.optional(record.comment))
                    }
                    listing.append(row)
                }
            }
            return listing
        }
    }
}
