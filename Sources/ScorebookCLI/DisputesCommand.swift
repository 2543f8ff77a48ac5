import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookStore

/// `scorebook disputes`: agents' responses to their inspections (the web app's 申诉), for inspectors.
struct DisputesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disputes",
        abstract: "List agents' responses to inspections: open disputes unless --status says otherwise.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Period YYYY-MM.") var period: String?
    @Option(help: "acknowledged, disputed (default), upheld, overturned or all.") var status = "disputed"
    @OptionGroup var output: FormatOption

    func run() throws {
        if let period { _ = try checkPeriod(period) }
        var wanted: ResponseStatus?
        if status != "all" {
            guard let s = ResponseStatus(rawValue: status) else {
                throw ValidationError("--status must be all or one of \(ResponseStatus.allCases.map(\.rawValue).joined(separator: ", ")), found '\(status)'")
            }
            wanted = s
        }
        let records = try store.open().read { db in try InspectionResponses.list(db, period: period, status: wanted) }
        var listing = Listing(columns: ["inspection_id", "agent_id", "period", "status", "reason", "responded_at",
                                        "answered_by", "answer", "answered_at"])
        for r in records {
            listing.append([.int(Int(r.inspectionID)), .text(r.agentID), .text(r.period), .text(r.status.rawValue),
                            .optional(r.reason), .text(r.respondedAt), .optional(r.answeredBy), .optional(r.answer),
                            .optional(r.answeredAt)])
        }
        listing.print(output.format)
    }
}

/// `scorebook dispute ID --uphold|--overturn --answer TEXT`: answers an open dispute from the command line.
struct DisputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute",
        abstract: "Answer an agent's dispute of an inspection: --uphold (the score stands) or --overturn.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Inspection id.") var inspection: Int64
    @Flag(help: "Keep the inspection as scored.") var uphold = false
    @Flag(help: "The dispute is right: re-score the inspection or reject its findings next.") var overturn = false
    @Option(help: "The answer the agent reads.") var answer: String
    @Option(help: "Answering inspector's or supervisor's employee id (default: the actor).") var inspector: String?

    func validate() throws {
        guard uphold != overturn else { throw ValidationError("give exactly one of --uphold and --overturn") }
    }

    func run() throws {
        let db = try store.open()
        let answerer = inspector ?? store.actorName
        let result = try db.write { db in
            try InspectionResponses.answer(db, inspectionID: inspection, by: answerer, uphold: uphold, answer: answer,
                                           actor: store.actorName)
        }
        print("Inspection \(inspection): dispute \(result.status.rawValue) by \(answerer).")
    }
}
