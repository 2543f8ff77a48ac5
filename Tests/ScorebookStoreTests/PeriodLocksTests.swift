import Foundation
import GRDB
import XCTest
@testable import ScorebookStore

final class PeriodLocksTests: XCTestCase {
    /// A finalized month is locked; a finalized year locks its months too (the annual is built from them),
    /// not other years' months; reopening the year unlocks them.
    func testAFinalizedYearLocksItsMonths() throws {
        let store = try Store(path: ":memory:")
        try store.write { db in
            try PeriodLocks.finalize(db, period: "2026", actor: "t")
            XCTAssertThrowsError(try PeriodLocks.ensureOpen(db, period: "2026-02", doing: "import ratings")) { error in
                XCTAssertTrue("\(error)".contains("year 2026 is finalized"), "\(error)")
            }
            XCTAssertThrowsError(try PeriodLocks.ensureOpen(db, period: "2026", doing: "re-appraise it"))
            XCTAssertNoThrow(try PeriodLocks.ensureOpen(db, period: "2025-12", doing: "import ratings"))
            XCTAssertNoThrow(try PeriodLocks.ensureOpen(db, period: "2027-01", doing: "import ratings"))
            try PeriodLocks.reopen(db, period: "2026", actor: "t", reason: "补录评分")
            XCTAssertNoThrow(try PeriodLocks.ensureOpen(db, period: "2026-02", doing: "import ratings"))
            try PeriodLocks.finalize(db, period: "2026-03", actor: "t")
            XCTAssertThrowsError(try PeriodLocks.ensureOpen(db, period: "2026-03", doing: "import ratings"))
            XCTAssertNoThrow(try PeriodLocks.ensureOpen(db, period: "2026", doing: "re-appraise it"))
        }
    }
}
