import Foundation
import XCTest
import ScorebookCore
@testable import ScorebookStore

/// A manual inspection's comment: kept when a save gives none, cleared when a save gives an empty one (the
/// web form always sends the box, prefilled).
final class ManualInspectionTests: XCTestCase {
    func testAnEmptyCommentClearsItAndNoCommentKeepsIt() throws {
        let store = try Store(path: ":memory:")
        // the store tests' rubric; its item manual_only has no rule, as a hand-scored item
        let yaml = AutoInspectionsTests.rubricYAML
        let rubric = try RubricParser.parse(yaml, file: "mini-auto.yaml")
        try store.write { db in
            try Employees.upsert(db, [Employee(employeeID: "A1", name: "张伟", team: "一组", role: .agent),
                                      Employee(employeeID: "Q1", name: "质检员", team: "质检组", role: .inspector)])
            try Rubrics.add(db, rubric, source: yaml, file: "mini-auto.yaml")
            try SessionWriter(db).insert(Session(sessionID: "V1", agentID: "A1", channel: .video, startedAt: "2026-10-01T09:00:00+08:00",
                                                 endedAt: "2026-10-01T09:05:00+08:00", handleSeconds: 300), turns: [])
        }
        func save(_ comment: String?) throws -> String? {
            try store.write { db in
                try Inspections.saveManual(db, ManualInspection(sessionID: "V1", rubricID: "mini-auto", inspectorID: "Q1",
                                                                answers: ["manual_only": .yes], submit: false, comment: comment), actor: "Q1").comment
            }
        }
        XCTAssertEqual(try save("<i>草稿</i>"), "<i>草稿</i>")
        XCTAssertEqual(try save(nil), "<i>草稿</i>", "no comment given keeps it")
        XCTAssertNil(try save(""), "an emptied box clears it")
        XCTAssertNil(try store.read { db in try Inspections.list(db, InspectionFilter()) }.first?.comment)
    }
}
