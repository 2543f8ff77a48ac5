import ArgumentParser
import ScorebookCore
import ScorebookStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the audit log: who changed which score, rating or appraisal, when, before and after.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Entity kind: \(AuditLog.entityKinds.joined(separator: ", ")) (ratings = a ratings file import).")
    var entity: String?
    @Option(help: "Entity id (an inspection or finding id, period/employee for an appraisal, a period...).") var id: String?
    @Option(help: "Only what this person did (the actor recorded; --actor is who is running this command).") var by: String?
    @Option(help: "Only this action (create, rescore, rate, import, finalize, reopen, ...).") var action: String?
    @Option(help: "From this time on (ISO 8601, e.g. 2026-12-06T09:00:00+08:00; no offset: UTC; a date YYYY-MM-DD is a UTC day from 00:00).") var since: String?
    @Option(help: "Up to this time (ISO 8601; a date YYYY-MM-DD includes that whole UTC day).") var until: String?
    @OptionGroup var output: FormatOption

    func validate() throws {
        if let entity, !AuditLog.entityKinds.contains(entity) {
            throw ValidationError("--entity must be one of \(AuditLog.entityKinds.joined(separator: ", ")), found '\(entity)'")
        }
        for (flag, value) in [("--since", since), ("--until", until)] {
            if let value, Timestamp.parse(value.count == 10 ? value + "T00:00:00Z" : value) == nil {
                throw ValidationError("\(flag) must be a date YYYY-MM-DD or an ISO 8601 time, found '\(value)'")
            }
        }
    }

    func run() throws {
        let entries = try store.open().read { db in
            try AuditLog.entries(db, entity: entity, entityID: id, actor: by, action: action, since: since, until: until)
        }
        var listing = Listing(columns: ["id", "at", "actor", "action", "entity", "entity_id", "before", "after", "reason"])
        for e in entries {
            listing.append([.int(Int(e.id)), .text(e.at), .text(e.actor), .text(e.action), .text(e.entity),
                            .text(e.entityID), .optional(e.before), .optional(e.after), .optional(e.reason)])
        }
        listing.print(output.format)
    }
}
