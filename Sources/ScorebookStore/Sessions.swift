import Foundation
import GRDB
import ScorebookCore

/// Writes sessions (and their transcripts) through prepared statements reused for every row, so a large
/// file streams into one transaction without a statement compile per row.
public final class SessionWriter {
    private let insertSession: RawStatement
    private let insertTranscript: RawStatement

    public init(_ db: Database) throws {
        insertSession = RawStatement(try db.makeStatement(sql: """
            INSERT INTO sessions (session_id, agent_id, channel, started_at, ended_at, period, wait_seconds,
                first_response_seconds, handle_seconds, resolved, transferred, csat)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """))
        insertTranscript = RawStatement(try db.makeStatement(sql: "INSERT INTO transcripts (session_id, turn_count, data) VALUES (?, ?, ?)"))
        insertSession.reset()
        insertTranscript.reset()
    }

    /// Inserts one session; a session id already stored fails with SQLite's constraint error, which the
    /// importer turns into a message naming the line.
    public func insert(_ s: Session, turns: [Turn]?) throws {
        try insert(s, transcript: turns.map(EncodedTranscript.init))
    }

    /// Inserts one session whose transcript was already encoded (e.g. on another thread).
    public func insert(_ s: Session, transcript: EncodedTranscript?) throws {
        insertSession.bind(0, s.sessionID)
        insertSession.bind(1, s.agentID)
        insertSession.bind(2, s.channel.rawValue)
        insertSession.bind(3, s.startedAt)
        insertSession.bind(4, s.endedAt)
        insertSession.bind(5, s.period)
        insertSession.bind(6, s.waitSeconds)
        insertSession.bind(7, s.firstResponseSeconds)
        insertSession.bind(8, s.handleSeconds)
        insertSession.bind(9, s.resolved)
        insertSession.bind(10, s.transferred)
        insertSession.bind(11, s.csat)
        try insertSession.execute()
        if let transcript {
            insertTranscript.bind(0, s.sessionID)
            insertTranscript.bind(1, transcript.turnCount)
            insertTranscript.bind(2, transcript.data)
            try insertTranscript.execute()
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

    /// Sessions of a period.
    public static func count(_ db: Database, period: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE period = ?", arguments: [period]) ?? 0
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
