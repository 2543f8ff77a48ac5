import XCTest
@testable import ScorebookCore

final class TimestampTests: XCTestCase {
    func testParsesISO8601Forms() {
        // 2026-10-03T00:00:00Z = 20729 days × 86400 s
        XCTAssertEqual(Timestamp.parse("2026-10-03T00:00:00Z"), 20729 * 86400)
        XCTAssertEqual(Timestamp.parse("2026-10-03T08:00:00+08:00"), 20729 * 86400)
        XCTAssertEqual(Timestamp.parse("2026-10-03T08:00:00+0800"), 20729 * 86400)
        XCTAssertEqual(Timestamp.parse("2026-10-02T19:00:00-05:00"), 20729 * 86400)
        XCTAssertEqual(Timestamp.parse("2026-10-03 00:00:01"), 20729 * 86400 + 1)
        XCTAssertEqual(Timestamp.parse("2026-10-03T00:00:01.5"), 20729 * 86400 + 1.5)
        XCTAssertEqual(Timestamp.parse("1970-01-01T00:00:00Z"), 0)
    }

    func testRejectsBadDates() {
        for bad in ["2026-13-01T00:00:00", "2026-02-29T00:00:00", "2026-10-03", "2026-10-03T25:00:00", "yesterday",
                    "2026-10-03T00:00:00+8", "2026-10-03T00:00:00Zx", "2026/10/03 00:00:00", ""] {
            XCTAssertNil(Timestamp.parse(bad), bad)
        }
        XCTAssertNotNil(Timestamp.parse("2024-02-29T00:00:00"))
    }

    func testPeriods() {
        XCTAssertTrue(Timestamp.isPeriod("2026-10"))
        XCTAssertFalse(Timestamp.isPeriod("2026-13"))
        XCTAssertFalse(Timestamp.isPeriod("2026-1"))
        XCTAssertTrue(Timestamp.isYear("2026"))
        XCTAssertFalse(Timestamp.isYear("26"))
    }
}
