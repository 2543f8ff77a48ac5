import Foundation
import GRDB
import ScorebookCore

/// Writes sessions (and their transcripts) through prepared statements reused for every row, so a large
/// file streams into one transaction without a statement compile per row.
public final class SessionWriter {
    private let insertSession: Statement
    private let insertTranscript: Statement

    public init(_ db: Database) throws {
        insertSession = try db.makeStatement(sql: """
            INSERT INTO sessions (session_id, agent_id, channel, started_at, ended_at, period, wait_seconds,
                first_response_seconds, handle_seconds, resolved, transferred, csat)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertTranscript = try db.makeStatement(sql: "INSERT INTO transcripts (session_id, turn_count, data) VALUES (?, ?, ?)")
    }

    /// Inserts one session; a session id already stored fails with SQLite's constraint error, which the
    /// importer turns into a message naming the line.
    public func insert(_ s: Session, turns: [Turn]?) throws {
        try insert(s, transcript: turns.map(EncodedTranscript.init))
    }

    /// Inserts one session whose transcript was already encoded (e.g. on another thread).
    public func insert(_ s: Session, transcript: EncodedTranscript?) throws {
        try insertSession.execute(arguments: [
            s.sessionID, s.agentID, s.channel.rawValue, s.startedAt, s.endedAt, s.period, s.waitSeconds,
            s.firstResponseSeconds, s.handleSeconds, s.resolved, s.transferred, s.csat,
        ])
        if let transcript {
            try insertTranscript.execute(arguments: [s.sessionID, transcript.turnCount, transcript.data])
        }
    }
}

/// A transcript in its stored form (the core's `TranscriptCodec` encoding) with its turn count.
public struct EncodedTranscript {
    public var turnCount: Int
    public var data: Data

    public init(_ turns: [Turn]) {
        turnCount = turns.count
        data = Data(TranscriptStorage.encode(turns))
    }
}

public enum Sessions {
    public static func exists(_ db: Database, _ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM sessions WHERE session_id = ?", arguments: [id]) ?? false
    }

    public static func find(_ db: Database, _ id: String) throws -> Session? {
        try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE session_id = ?", arguments: [id]).map(decode)
    }

    public static func turns(_ db: Database, _ id: String) throws -> [Turn]? {
        guard let data = try Data.fetchOne(db, sql: "SELECT data FROM transcripts WHERE session_id = ?", arguments: [id]) else {
            return nil
        }
        return try TranscriptStorage.decode([UInt8](data))
    }

    public static func inPeriod(_ db: Database, _ period: String) throws -> [Session] {
        try Row.fetchAll(db, sql: "SELECT * FROM sessions WHERE period = ? ORDER BY session_id", arguments: [period]).map(decode)
    }

    public static func decode(_ row: Row) -> Session {
        Session(sessionID: row["session_id"], agentID: row["agent_id"],
                channel: Channel(rawValue: row["channel"]) ?? .phone, startedAt: row["started_at"],
                endedAt: row["ended_at"], waitSeconds: row["wait_seconds"],
                firstResponseSeconds: row["first_response_seconds"], handleSeconds: row["handle_seconds"],
                resolved: row["resolved"], transferred: row["transferred"], csat: row["csat"])
    }
}
