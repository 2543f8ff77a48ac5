import ArgumentParser
import ScorebookStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the audit log: who changed which score, rating or appraisal, when, before and after.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Entity kind (inspection, rating, appraisal, period, finding).") var entity: String?
    @Option(help: "Entity id.") var id: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        let entries = try store.open().read { db in try AuditLog.entries(db, entity: entity, entityID: id) }
        var listing = Listing(columns: ["id", "at", "actor", "action", "entity", "entity_id", "before", "after", "reason"])
        for e in entries {
            listing.append([.int(Int(e.id)), .text(e.at), .text(e.actor), .text(e.action), .text(e.entity),
                            .text(e.entityID), .optional(e.before), .optional(e.after), .optional(e.reason)])
        }
        listing.print(output.format)
    }
}
