import Foundation
import GRDB
import GRDBSQLite
import ScorebookCore

/// The Scorebook database: an embedded SQLite file (WAL mode, foreign keys on, versioned migrations).
/// Every query is parameterized. Repositories for each concept live in files named after it.
///
/// One connection (a `DatabaseQueue`) for the CLI's commands, which do one thing at a time; a pool of
/// connections (`concurrentReads: true`, a `DatabasePool`: one writer, several readers) for the web app,
/// whose pages must go on reading while a write waits for another program's lock — a CLI import or an
/// automatic run holds the write lock for its whole transaction, and with one connection every page
/// request queued behind the one waiting write.
public final class Store: @unchecked Sendable {
    public let writer: any DatabaseWriter
    public let path: String
    /// Whether reads run on connections of their own (a pool): asked for with `concurrentReads`, and not
    /// available while another program's bulk import holds the file in rollback-journal mode (a pool needs
    /// WAL) — then this store has the one connection, whose reads wait for the import.
    public let concurrentReads: Bool

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    /// `concurrentReads`: reads on their own connections beside the writer (WAL; not for ":memory:").
    public init(path: String, migrate: Bool = true, concurrentReads: Bool = false) throws {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(Double(Self.busyTimeoutMilliseconds) / 1000)
        config.prepareDatabase { db in
            // (a pool sets WAL on its writer itself, and its readers are read-only)
            if path != ":memory:", !(db.configuration.readonly || db.configuration.label == Self.poolLabel) {
                // WAL is kept in the file. While another process's bulk import (`withBulkWrites`) holds the
                // file in rollback-journal mode, the switch is refused at once: work in that mode instead
                // (reads then wait for the import's lock, up to the busy timeout).
                do {
                    try db.execute(sql: "PRAGMA journal_mode = WAL")
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {}
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 64 MiB of page cache for the writer; 8 MiB for each reader of a pool (up to 5 of them)
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -8192" : "PRAGMA cache_size = -65536")
        }
        var pool: DatabasePool?
        if concurrentReads && path != ":memory:" {
            var pooled = config
            pooled.label = Self.poolLabel
            do {
                pool = try DatabasePool(path: path, configuration: pooled)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                pool = nil   // a bulk import holds the file in rollback-journal mode: one connection, as the CLI
            }
        }
        self.concurrentReads = pool != nil
        writer = try pool ?? DatabaseQueue(path: path, configuration: config)
        if migrate { try Schema.migrator.migrate(writer) }
    }

    private static let poolLabel = "scorebook.pool"

    /// What is at a database path, looked at without changing it.
    public enum FileKind: Equatable {
        case missing, directory, empty, scorebook
        /// a SQLite database of another program (its first tables named), or not a SQLite file at all
        case otherDatabase(tables: [String])
        case notSQLite
    }

    /// Looks at `path` read-only: a command other than `init` must not turn a mistyped path (another
    /// program's database, an empty file) into a Scorebook database and report "nothing found" from it.
    public static func fileKind(at path: String) -> FileKind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory.boolValue { return .directory }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { return .empty }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(Double(busyTimeoutMilliseconds) / 1000)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            return try queue.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                if tables.contains("grdb_migrations"),
                   try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = 'v1-foundation')") == true {
                    return .scorebook
                }
                return .otherDatabase(tables: Array(tables.prefix(5)))
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            return .notSQLite
        } catch {
            return .scorebook  // busy or unreadable: opening it properly says what is wrong
        }
    }

    /// How long a connection waits for another's lock before failing with "database is locked".
    public static let busyTimeoutMilliseconds: Int32 = 10_000

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

    /// Runs `body` — one bulk write transaction, such as an import of a whole file — with SQLite's rollback
    /// journal instead of the WAL when no other connection has the database open. In WAL mode every page
    /// of a large transaction is written twice (to the log, in 4,120-byte frames that straddle file blocks,
    /// then copied into the database by the checkpoint after the commit); with the rollback journal, pages
    /// appended to the file are written once and need no journal at all. The transaction stays atomic either
    /// way. When another connection has the file open (a running web app, an analyst's query), the switch
    /// fails within 200 ms and `body` runs in WAL mode as usual, so readers are never locked out of a
    /// database they already have open; a process that opens the file during the bulk write waits for it
    /// (up to the busy timeout). The WAL is back when `body` returns or throws.
    public func withBulkWrites<T>(_ body: () throws -> T) throws -> T {
        guard path != ":memory:" else { return try body() }
        let switched = (try? attempt(waitingAtMost: 200) { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")?.lowercased() == "delete"
        }) ?? false
        defer {
            if switched { _ = try? writer.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") } }
        }
        return try body()
    }

    /// Runs `body` outside a transaction with a short busy timeout: for an attempt that another connection's
    /// lock may refuse (a checkpoint, a journal-mode switch) and that is not worth the 10 s wait.
    /// `milliseconds` is read once the connection is this caller's (after any wait for it).
    func attempt<T>(waitingAtMost milliseconds: @autoclosure () -> Int32, _ body: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            sqlite3_busy_timeout(db.sqliteConnection, milliseconds())
            defer { sqlite3_busy_timeout(db.sqliteConnection, Self.busyTimeoutMilliseconds) }
            return try body(db)
        }
    }

    /// SQLite's `application_id` header field: marks a database made for a purpose (the demo's).
    public var applicationID: Int32 {
        get throws { try writer.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0 } }
    }

    public func setApplicationID(_ id: Int32) throws {
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(id)") } // an Int32, not text
    }

    /// Migration identifiers already applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T { try writer.read(body) }
    public func write<T>(_ body: (Database) throws -> T) throws -> T { try writer.write(body) }

    /// How long `writeAsync` waits in all — for this connection's turn, then for another program's lock —
    /// before it gives up with SQLITE_BUSY (the web app answers 503).
    public var asyncWriteWaitMilliseconds: Int32 = Store.busyTimeoutMilliseconds

    /// `write` for async callers (the web app's routes): the transaction runs on a thread of its own, so a
    /// write that waits for another program's lock holds none of the few threads the server's tasks share —
    /// the other requests go on meanwhile. The wait is counted from the call: forms posted while an import
    /// holds the lock queue for the one writer connection, and each would otherwise wait its full busy
    /// timeout after the one before it gave up (the eighth form ≈ 80 s) — each answers within the wait.
    public func writeAsync<T>(_ body: @escaping (Database) throws -> T) async throws -> T {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, asyncWriteWaitMilliseconds)) * 1_000_000
        return try await withCheckedThrowingContinuation { continuation in
            Self.blockingWork.async { continuation.resume(with: Result { try self.write(before: deadline, body) }) }
        }
    }

    /// One write transaction that waits for another program's lock only until `deadline` (`DispatchTime`
    /// nanoseconds), counted once this connection is ours.
    private func write<T>(before deadline: UInt64, _ body: (Database) throws -> T) throws -> T {
        func left() -> Int64 { Int64(bitPattern: deadline &- DispatchTime.now().uptimeNanoseconds) / 1_000_000 }
        return try attempt(waitingAtMost: Int32(max(0, min(Int64(Self.busyTimeoutMilliseconds), left())))) { db in
            guard left() > 0 else {
                throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked (another write held the connection past the wait)")
            }
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    private static let blockingWork = DispatchQueue(label: "scorebook.store.blocking", attributes: .concurrent)

    /// Number of rows of `table` (for summaries and tests); the table name is checked against the schema.
    public func count(_ table: String) throws -> Int {
        guard Schema.tables.contains(table) else { throw StoreError("unknown table '\(table)'") }
        return try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

/// A failure of a store operation that a user can act on (unknown id, locked period, ...).
public struct StoreError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// SQLite's "database is locked" in words a user can act on: another program held the database past
    /// the busy timeout. nil for any other error.
    public static func busy(_ error: Error) -> StoreError? {
        guard let error = error as? DatabaseError,
              error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED else { return nil }
        return StoreError("the database is busy: another program (an import, an automatic run, an appraisal, the web app) is writing to it and did not finish within the wait; nothing was changed — try again when it is done")
    }
}

/// Timestamps written by the store: ISO 8601 UTC with seconds.
enum Clock {
    static func now() -> String { string(Date()) }

    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
