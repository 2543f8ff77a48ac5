import Foundation

/// A bad field in one input record: which field and why. Importers add the file and line.
public struct FieldError: Error, Equatable, CustomStringConvertible {
    public var field: String
    public var reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}

/// Turns the text fields of one input record (a CSV row, a JSONL object's scalars) into core values,
/// with the same rules for every file format.
public struct RecordFields {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    public func text(_ field: String) -> String {
        guard let value = values[field], let firstByte = value.utf8.first, let lastByte = value.utf8.last else { return "" }
        // Fast path (every field of a bulk import): ASCII, non-space at both ends.
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 32 && !(9...13).contains(b) }
        if plain(firstByte) && plain(lastByte) { return value }
        let first = value.first!, last = value.last!
        return first.isWhitespace || last.isWhitespace ? value.trimmingCharacters(in: .whitespaces) : value
    }

    public func required(_ field: String) throws -> String {
        let value = text(field)
        guard !value.isEmpty else { throw FieldError(field: field, reason: "is empty") }
        return value
    }

    public func optionalNumber(_ field: String, min: Double = 0) throws -> Double? {
        let value = text(field)
        if value.isEmpty { return nil }
        guard let number = PlainDecimal.parse(value), number.isFinite else {
            throw FieldError(field: field, reason: "'\(value)' is not a number")
        }
        guard number >= min else { throw FieldError(field: field, reason: "\(value) is below \(format(min))") }
        return number
    }

    public func optionalFlag(_ field: String) throws -> Bool? {
        switch text(field).lowercased() {
        case "": return nil
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw FieldError(field: field, reason: "'\(text(field))' is not 0 or 1 (yes/no and true/false are read too)")
        }
    }

    public func flag(_ field: String) throws -> Bool {
        guard let value = try optionalFlag(field) else { throw FieldError(field: field, reason: "is empty (0 or 1)") }
        return value
    }

    public func optionalInt(_ field: String, in range: ClosedRange<Int>) throws -> Int? {
        let value = text(field)
        if value.isEmpty { return nil }
        guard let double = PlainDecimal.parse(value), double == double.rounded(), let int = Int(exactly: double) else {
            throw FieldError(field: field, reason: "'\(value)' is not a whole number")
        }
        guard range.contains(int) else {
            throw FieldError(field: field, reason: "\(int) is out of range \(range.lowerBound)–\(range.upperBound)")
        }
        return int
    }

    /// A required id or name: no control characters (a line break inside a quoted CSV field, a tab) — they
    /// make a different id that looks the same in every listing.
    public func identifier(_ field: String) throws -> String {
        let value = try required(field)
        if value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw FieldError(field: field, reason: "'\(value.debugDescription.dropFirst().dropLast())' holds a control character (a line break or a tab)")
        }
        return value
    }

    public func timestamp(_ field: String) throws -> (text: String, seconds: Double) {
        let value = try required(field)
        guard let seconds = Timestamp.parse(value) else {
            throw FieldError(field: field, reason: "bad date '\(value)' (ISO 8601, e.g. 2026-10-03T09:15:27+08:00)")
        }
        return (value, seconds)
    }
}

public enum SessionRecord {
    public static let columns = ["session_id", "agent_id", "channel", "started_at", "ended_at", "wait_seconds",
                                 "first_response_seconds", "handle_seconds", "resolved", "transferred", "csat"]

    /// Validates one session record's fields (roster membership and duplicates are checked by the importer).
    public static func parse(_ fields: RecordFields) throws -> Session { try parseTimed(fields).session }

    /// The latest a session's own times (its first response, its turns) may be, in seconds from its start:
    /// its length (ended_at − started_at) with room for the recording's and the CRM's clocks to disagree —
    /// half as long again plus a minute. What it refuses is the unit mistake (milliseconds: a thousand times
    /// too far), not a recording that runs a little past `ended_at`.
    public static func latestTime(length: Double) -> Double { length * 1.5 + 60 }
    /// How far past the session's length `handle_seconds` may reach: handle time is talk time plus after-call
    /// work (wrap-up after the customer has gone), which takes minutes, not hours.
    public static let afterCallWorkLimit = 3600.0

    /// A turn time past the session's length (`field` names it: `turns[3].at`).
    public static func pastTheEnd(_ field: String, _ value: Double, length: Double) -> FieldError {
        FieldError(field: field, reason: "\(format(value)) s is long past the session's end (it lasted \(format(length)) s from started_at to ended_at): seconds from its start — milliseconds?")
    }

    /// `parse`, with the session's length in seconds (ended_at − started_at), which bounds its turn times.
    public static func parseTimed(_ fields: RecordFields) throws -> (session: Session, length: Double) {
        let sessionID = try fields.identifier("session_id")
        let agentID = try fields.identifier("agent_id")
        let channelText = try fields.required("channel")
        guard let channel = Channel(rawValue: channelText.lowercased()) else {
            throw FieldError(field: "channel", reason: "'\(channelText)' is not video, phone or chat")
        }
        let started = try fields.timestamp("started_at")
        let ended = try fields.timestamp("ended_at")
        // one written with a UTC offset and the other without (read as UTC) would be compared across zones
        guard Timestamp.hasOffset(started.text) == Timestamp.hasOffset(ended.text) else {
            throw FieldError(field: "ended_at", reason: "'\(ended.text)' \(Timestamp.hasOffset(ended.text) ? "has" : "has no") UTC offset and started_at '\(started.text)' \(Timestamp.hasOffset(started.text) ? "has one" : "has none"): write both the same way")
        }
        guard ended.seconds >= started.seconds else {
            throw FieldError(field: "ended_at", reason: "ends before it starts (\(ended.text) < \(started.text))")
        }
        let length = ended.seconds - started.seconds
        let firstResponse = try fields.optionalNumber("first_response_seconds")
        if let firstResponse, firstResponse > latestTime(length: length) {
            throw FieldError(field: "first_response_seconds", reason: "\(format(firstResponse)) s is long after the session ended (it lasted \(format(length)) s from started_at to ended_at): seconds from its start — milliseconds?")
        }
        let handle = try fields.optionalNumber("handle_seconds")
        if let handle, handle > length + afterCallWorkLimit {
            throw FieldError(field: "handle_seconds", reason: "\(format(handle)) s is more than an hour past the session's length (\(format(length)) s from started_at to ended_at): talk time plus after-call work, in seconds — milliseconds?")
        }
        // first-contact resolution counts every session (DESIGN: resolved is 0/1): an unknown one would
        // silently count as unresolved
        guard let resolved = try fields.optionalFlag("resolved") else {
            throw FieldError(field: "resolved", reason: "is empty: 1 if solved on this first contact, 0 if not (first-contact resolution counts every session)")
        }
        let session = Session(
            sessionID: sessionID, agentID: agentID, channel: channel, startedAt: started.text, endedAt: ended.text,
            waitSeconds: try fields.optionalNumber("wait_seconds"),
            firstResponseSeconds: firstResponse, handleSeconds: handle,
            resolved: resolved, transferred: try fields.optionalFlag("transferred"),
            csat: try fields.optionalInt("csat", in: 1...5))
        return (session, length)
    }
}

public enum RosterRecord {
    public static let columns = ["employee_id", "name", "team", "role", "supervisor_id", "active"]

    public static func parse(_ fields: RecordFields) throws -> Employee {
        let id = try fields.identifier("employee_id")
        let name = try fields.identifier("name")
        let roleText = try fields.required("role")
        guard let role = Role(rawValue: roleText.lowercased()) else {
            throw FieldError(field: "role", reason: "'\(roleText)' is not agent, inspector, supervisor or hr")
        }
        let supervisor = fields.text("supervisor_id")
        let active = fields.text("active").isEmpty ? true : try fields.flag("active")
        // an active agent's team groups the appraisal (team summary, forced distribution) and their team
        // lead's view; a leaver's may be cleared
        let team = role == .agent && active || !fields.text("team").isEmpty ? try fields.identifier("team") : ""
        return Employee(employeeID: id, name: name, team: team, role: role,
                        supervisorID: supervisor.isEmpty ? nil : supervisor, active: active)
    }
}
