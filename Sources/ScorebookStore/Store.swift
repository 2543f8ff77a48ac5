import Foundation
import GRDB
import ScorebookCore

/// The Scorebook database: an embedded SQLite file (WAL mode, foreign keys on, versioned migrations).
/// Every query is parameterized. Repositories for each concept live in `Store+<Concept>.swift`.
public final class Store {
    public let queue: DatabaseQueue
    public let path: String

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    public init(path: String, migrate: Bool = true) throws {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(Double(Self.busyTimeoutMilliseconds) / 1000)
        config.prepareDatabase { db in
            if path != ":memory:" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536") // 64 MiB of page cache
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        if migrate { try Schema.migrator.migrate(queue) }
    }

    /// How long a connection waits for another's lock before failing with "database is locked".
    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// A second, read-only connection to the same file, for reading on another thread while this one
    /// writes (WAL lets a reader run beside the writer). nil for an in-memory database.
    public func makeReader() throws -> DatabaseQueue? {
        guard path != ":memory:" else { return nil }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -8192") } // sequential reads
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// Migration identifiers already applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T { try queue.read(body) }
    public func write<T>(_ body: (Database) throws -> T) throws -> T { try queue.write(body) }

    /// Number of rows of `table` (for summaries and tests); the table name is checked against the schema.
    public func count(_ table: String) throws -> Int {
        guard Schema.tables.contains(table) else { throw StoreError("unknown table '\(table)'") }
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

/// A failure of a store operation that a user can act on (unknown id, locked period, ...).
public struct StoreError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Timestamps written by the store: ISO 8601 UTC with seconds.
enum Clock {
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
