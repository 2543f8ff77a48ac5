import Foundation
import GRDB
import XCTest
@testable import ScorebookStore

/// Migrations applied to a database written by an older version keep every row and the links between them.
final class MigrationTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("scorebook-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Three inspections (the last one disputed, with two findings) in a v5 database.
    private func makeV5Database() throws -> Store {
        let store = try Store(path: dir.appendingPathComponent("old.db").path, migrate: false)
        try Schema.migrator.migrate(store.writer, upTo: "v5-scheme-variants")
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO employees VALUES ('A1', '张伟', '一组', 'agent', NULL, 1), ('Q1', '李质检', '质检组', 'inspector', NULL, 1);
                INSERT INTO sessions (session_id, agent_id, channel, started_at, ended_at, period)
                    VALUES ('S1', 'A1', 'video', '2026-10-01T09:00:00+08:00', '2026-10-01T09:05:00+08:00', '2026-10'),
                           ('S2', 'A1', 'phone', '2026-10-02T09:00:00+08:00', '2026-10-02T09:05:00+08:00', '2026-10');
                INSERT INTO rubrics VALUES ('r', 1, '表', 'id: r', 'd', '2026-10-01T00:00:00Z');
                INSERT INTO inspections (id, session_id, agent_id, period, rubric_id, rubric_version, inspector_id, mode,
                    status, score, critical_failed, answers, comment, created_at, updated_at, reviewed_answers)
                VALUES (1, 'S1', 'A1', '2026-10', 'r', 1, 'Q1', 'manual', 'submitted', 80.5, 0, '{"a":"yes"}', '好', 't0', 't1', NULL),
                       (2, 'S2', 'A1', '2026-10', 'r', 1, 'Q1', 'manual', 'draft', NULL, 0, '{}', NULL, 't0', 't0', NULL),
                       (3, 'S1', 'A1', '2026-10', 'r', 1, NULL, 'auto', 'submitted', 0, 1, '{"a":"no"}', NULL, 't0', 't0', '{"a":"yes"}');
                INSERT INTO findings (id, inspection_id, item_id, rule, turn_index, at, matched, measured, severity, message,
                    status, reviewer_id, reason, reviewed_at)
                VALUES (7, 3, 'a', 'phrases_forbidden', 2, 14.5, '不知道', NULL, 'major', '禁语', 'rejected', 'Q1', '客户原话', 't2'),
                       (8, 3, 'a', 'phrases_forbidden', 2, 14.5, '不知道', NULL, 'major', '禁语', 'open', NULL, NULL, NULL);
                INSERT INTO inspection_responses (inspection_id, agent_id, status, reason, responded_at)
                    VALUES (3, 'A1', 'disputed', '客户先说的', 't3');
                INSERT INTO schemes VALUES ('m', 1, 'monthly', 'id: m', 'dg', 't0');
                INSERT INTO appraisals (period, employee_id, scheme_id, scheme_version, scheme_digest, status, result, computed_at)
                    VALUES ('2026-10', 'A1', 'm', 1, 'dg', 'graded', '{}', 't5');
                """)
        }
        return store
    }

    private func dump(_ store: Store, _ table: String) throws -> [String] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map { row in
                row.databaseValues.map { $0.description }.joined(separator: "|")
            }
        }
    }

    /// v7: each appraisal gets the name its employee had (the roster's at the time of the migration).
    func testAppraisalNamesMigrationFillsTheRosterName() throws {
        let store = try makeV5Database()
        try Schema.migrator.migrate(store.writer)
        XCTAssertEqual(try store.read { db in try Appraisals.names(db, period: "2026-10") }, ["A1": "张伟"])
    }

    func testIdsNeverReusedMigrationKeepsRowsLinksAndGivesNewIdsAboveTheDeletedOnes() throws {
        let store = try makeV5Database()
        let before = try ["inspections", "findings", "inspection_responses"].map { try dump(store, $0) }
        // (later migrations add columns: the rows are compared as v6 leaves them)
        try Schema.migrator.migrate(store.writer, upTo: "v6-ids-never-reused")
        XCTAssertTrue(try store.appliedMigrations().contains("v6-ids-never-reused"))
        XCTAssertEqual(try ["inspections", "findings", "inspection_responses"].map { try dump(store, $0) }, before)
        try store.read { db in
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
            // the other tables still point at the rebuilt table
            let targets = try Row.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list('findings')")
                .map { $0[0] as String }
            XCTAssertEqual(targets, ["inspections"])
            let indexes = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('inspections', 'findings')
                  AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name
                """)
            XCTAssertEqual(indexes, ["findings_by_inspection", "inspections_by_period", "inspections_one_auto",
                                     "inspections_one_manual"])
        }
        // Deleting the newest inspection (as a rescore does) cascades as before, and the next rows get new ids.
        try store.write { db in
            try db.execute(sql: "DELETE FROM inspections WHERE id = 3")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM findings"), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inspection_responses"), 0)
            try db.execute(sql: """
                INSERT INTO inspections (session_id, agent_id, period, rubric_id, rubric_version, mode, status, answers,
                    created_at, updated_at) VALUES ('S1', 'A1', '2026-10', 'r', 1, 'auto', 'submitted', '{}', 't4', 't4')
                """)
            XCTAssertEqual(db.lastInsertedRowID, 4)
            try db.execute(sql: "INSERT INTO findings (inspection_id, item_id, rule, message) VALUES (4, 'a', 'x', 'm')")
            XCTAssertEqual(db.lastInsertedRowID, 9)
        }
    }
}
