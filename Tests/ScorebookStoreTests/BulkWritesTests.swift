import Foundation
import GRDB
import XCTest
import ScorebookCore
@testable import ScorebookStore
@testable import ScorebookImport

final class BulkWritesTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("scorebook-bulk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Another program holding the database past the wait gives SQLite's "database is locked"; the CLI and
    /// the web app say it in words a user can act on (`StoreError.busy`), nothing else is translated.
    func testALockedDatabaseIsExplained() throws {
        let path = dir.appendingPathComponent("busy.db").path
        let store = try Store(path: path)
        // another connection holds an exclusive transaction on a thread of its own until we are done
        let other = try DatabaseQueue(path: path)
        let holding = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? other.inTransaction(.exclusive) { _ in
                holding.signal()
                done.wait()
                return .rollback
            }
        }
        holder.start()
        holding.wait()
        defer { done.signal() }
        XCTAssertThrowsError(try store.attempt(waitingAtMost: 50) { db in
            try db.execute(sql: "INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES ('t', 'a', 'x', 'period', 'p')")
        }) { error in
            let explained = StoreError.busy(error)
            XCTAssertNotNil(explained, "\(error)")
            XCTAssertTrue(explained?.description.hasPrefix("the database is busy: another program") ?? false)
        }
        // an import does not blame the line it was on when the database was busy
        let failure = DefinitionError(file: "ratings.csv", line: 2, DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked"))
        XCTAssertNil(failure.line)
        XCTAssertTrue(failure.description.hasPrefix("ratings.csv: the database is busy"), failure.description)
        XCTAssertNil(StoreError.busy(DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "UNIQUE")))
        XCTAssertNil(StoreError.busy(StoreError("x")))
    }

    /// The web app asks for a pool of connections, which needs WAL; a sessions import holding the file in
    /// rollback-journal mode refuses the switch at once. The store then opens one connection (the CLI's way)
    /// and says so, instead of the web app failing to start until the import is done.
    func testAPoolWaitsForNoImportItFallsBackToOneConnection() throws {
        let path = dir.appendingPathComponent("pool.db").path
        do { _ = try Store(path: path) }   // created and migrated, then closed
        let other = try DatabaseQueue(path: path)
        try other.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
        let holding = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? other.inTransaction(.immediate) { db in
                try db.execute(sql: "INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES ('t', 'import', 'x', 'period', 'p')")
                holding.signal()
                _ = done.wait(timeout: .now() + 8)
                return .commit
            }
        }
        holder.start()
        holding.wait()
        let served = try Store(path: path, concurrentReads: true)
        XCTAssertFalse(served.concurrentReads)
        XCTAssertEqual(try served.count("employees"), 0, "reads the last committed state meanwhile")
        done.signal()
        Thread.sleep(forTimeInterval: 0.2)
        // without the import, the pool is had
        let pooled = try Store(path: path, concurrentReads: true)
        XCTAssertTrue(pooled.concurrentReads)
        XCTAssertEqual(try pooled.count("audit_log") > 0, true)
    }

    func journalMode(_ store: Store) throws -> String {
        try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    func testAloneTheBulkWriteUsesTheRollbackJournalAndTheWALComesBack() throws {
        let store = try Store(path: dir.appendingPathComponent("alone.db").path)
        XCTAssertEqual(try journalMode(store), "wal")
        let inside = try store.withBulkWrites { try journalMode(store) }
        XCTAssertEqual(inside, "delete")
        XCTAssertEqual(try journalMode(store), "wal")
        // also after the body throws, and a failed transaction leaves nothing behind
        struct Boom: Error {}
        XCTAssertThrowsError(try store.withBulkWrites {
            try store.write { db in
                try Employees.upsert(db, [Employee(employeeID: "A1", name: "张伟", team: "一组", role: .agent)])
                throw Boom()
            }
        })
        XCTAssertEqual(try journalMode(store), "wal")
        XCTAssertEqual(try store.count("employees"), 0)
    }

    func testWithAnotherConnectionOpenItStaysInWALAndTheReaderKeepsReading() throws {
        let path = dir.appendingPathComponent("shared.db").path
        let store = try Store(path: path)
        try store.write { db in try Employees.upsert(db, [Employee(employeeID: "A1", name: "张伟", team: "一组", role: .agent)]) }
        let other = try Store(path: path)  // e.g. the web app
        let started = Date()
        let inside = try store.withBulkWrites { () -> String in
            try store.write { db in try Employees.upsert(db, [Employee(employeeID: "A2", name: "李娜", team: "一组", role: .agent)]) }
            XCTAssertEqual(try other.count("employees"), 2, "the other connection reads throughout")
            return try journalMode(store)
        }
        XCTAssertEqual(inside, "wal")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the switch gives up quickly (not the 10 s busy timeout)")
        XCTAssertEqual(try journalMode(other), "wal")
    }

    func testAProgramOpeningTheDatabaseDuringABulkWriteWorksInItsMode() throws {
        // The newcomer cannot switch the file back to WAL while the bulk write holds it: it must open anyway
        // (before, Store.init failed at once with "database is locked") and read the last committed state.
        let path = dir.appendingPathComponent("newcomer.db").path
        let store = try Store(path: path)
        try store.withBulkWrites {
            try store.write { db in
                try Employees.upsert(db, [Employee(employeeID: "A1", name: "张伟", team: "一组", role: .agent)])
                let newcomer = try Store(path: path)
                XCTAssertEqual(try newcomer.count("employees"), 0, "the import is not committed yet")
                XCTAssertEqual(try journalMode(newcomer), "delete")
            }
        }
        XCTAssertEqual(try Store(path: path).count("employees"), 1)
        XCTAssertEqual(try journalMode(store), "wal")
    }
}
