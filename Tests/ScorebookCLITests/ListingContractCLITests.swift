import Foundation
import XCTest

/// The CLI as scripts and HR tooling use it: which database a command opens, what a filter that matches
/// nothing says, which columns a listing has, what reaches a terminal.
final class ListingContractCLITests: XCTestCase {
    /// A mistyped --db pointing at another program's database, an empty file or a folder: a listing command
    /// turned it into a Scorebook database (18 tables, WAL for good) and printed `[]` with exit 0.
    func testAFileThatIsNoScorebookDatabaseIsRefusedAndLeftAlone() throws {
        let cli = try CLIHarness()
        let crm = cli.path("crm.db")
        // another program's SQLite file, made through the store's own SQLite (no sqlite3 binary needed)
        try cli.makeForeignDatabase(at: crm)
        let before = try Data(contentsOf: URL(fileURLWithPath: crm))
        let listing = try cli.run(["inspections", "--db", crm, "--format", "json"])
        XCTAssertNotEqual(listing.status, 0)
        XCTAssertTrue(listing.stderr.contains("\(crm) is a SQLite database of another program (tables customers, no Scorebook tables): nothing was changed"),
                      listing.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: crm)), before, "not migrated, not switched to WAL")
        XCTAssertFalse(cli.exists("crm.db-wal"))
        let initialize = try cli.run(["init", "--db", crm])
        XCTAssertNotEqual(initialize.status, 0, "init does not make another program's database a Scorebook one")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: crm)), before)

        FileManager.default.createFile(atPath: cli.path("empty.db"), contents: Data())
        let empty = try cli.run(["appraisals", "--db", cli.path("empty.db"), "--period", "2026-10", "--format", "csv"])
        XCTAssertNotEqual(empty.status, 0)
        XCTAssertTrue(empty.stderr.contains("is an empty file, not a Scorebook database"), empty.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cli.path("empty.db"))).count, 0)
        try cli.ok(["init", "--db", cli.path("empty.db")])  // an empty file may become one on purpose
        // a new database is its owner's alone (people's records, password hashes)
        try cli.ok(["init", "--db", cli.path("new.db")])
        for file in ["empty.db", "new.db", "new.db-wal"] where cli.exists(file) {
            let mode = try FileManager.default.attributesOfItem(atPath: cli.path(file))[.posixPermissions] as? NSNumber
            XCTAssertEqual((mode?.intValue ?? 0) & 0o777, 0o600, file)
        }
        try cli.ok(["inspections", "--db", cli.path("empty.db")])

        try "not a database".write(toFile: cli.path("notes.db"), atomically: true, encoding: .utf8)
        let text = try cli.run(["findings", "--db", cli.path("notes.db"), "--period", "2026-10"])
        XCTAssertTrue(text.stderr.contains("notes.db is not a SQLite database"), text.stderr)
        let folder = try cli.run(["audit", "--db", cli.dir.path])
        XCTAssertTrue(folder.stderr.contains("is a folder, not a database file"), folder.stderr)
    }

    /// `--since 2026-12-06T12:57:38+08:00` compared its text with the log's UTC times: 8 hours of changes
    /// to pay-relevant data missed (or gained, with --until).
    func testAuditTimeBoundsAreInstantsWhateverTheirOffset() throws {
        let cli = try CLIHarness().seeded()
        let entries = try cli.json(["audit"])
        XCTAssertFalse(entries.isEmpty)
        let at = try XCTUnwrap(entries.last?["at"] as? String)  // e.g. 2026-12-06T04:57:38Z
        let seconds = try XCTUnwrap(ISO8601DateFormatter().date(from: at))
        let beijing = ISO8601DateFormatter()
        beijing.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        let local = beijing.string(from: seconds)  // the same instant, written +08:00
        XCTAssertTrue(local.hasSuffix("+08:00"), local)
        let sinceUTC = try cli.json(["audit", "--since", at]).count
        XCTAssertGreaterThan(sinceUTC, 0)
        XCTAssertEqual(try cli.json(["audit", "--since", local]).count, sinceUTC)
        XCTAssertEqual(try cli.json(["audit", "--until", local]).count, try cli.json(["audit", "--until", at]).count)
        // a fraction of a second rounds inward: entries at that whole second are before `….5`
        let half = at.replacingOccurrences(of: "Z", with: ".5Z")
        XCTAssertEqual(try cli.json(["audit", "--since", half]).count,
                       entries.filter { ($0["at"] as? String ?? "") > at }.count)
    }

    /// A filter naming an employee, rubric, item or team that does not exist printed an empty listing with
    /// exit 0 — a script could not tell a typo from "none yet".
    func testAFilterThatNamesNothingStoredIsRefused() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["inspect", "auto", "--period", "2026-10", "--rubric", "video-service"])
        for (arguments, message) in [
            (["inspections", "--agent", "A09"], "--agent: unknown employee 'A09' (not on the roster)"),
            (["inspections", "--inspector", "Q09"], "--inspector: unknown employee 'Q09' (not on the roster)"),
            (["inspections", "--rubric", "video-servce"], "--rubric: no rubric 'video-servce' is stored (stored: video-service)"),
            (["findings", "--period", "2026-10", "--agent", "A09"], "--agent: unknown employee 'A09'"),
            (["findings", "--period", "2026-10", "--item", "greeting_in_tme"], "--item: no item 'greeting_in_tme' in any stored rubric"),
            (["findings", "--period", "2026-10", "--rubric", "video-service", "--item", "nope"], "--item: no item 'nope' in rubric video-service"),
            (["rules", "stats", "--rubric", "phone"], "--rubric: no rubric 'phone' is stored"),
        ] {
            let result = try cli.run(arguments)
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }
        // a real one with nothing to show is still an empty listing
        XCTAssertEqual(try cli.json(["inspections", "--agent", "A02", "--mode", "manual"]).count, 0)
        XCTAssertEqual(try cli.json(["findings", "--period", "2026-10", "--item", "risk_disclosure"]).count, 0)
    }

    /// Appraising a month with nothing in it stored a "no data" appraisal of every agent and exited 0; the
    /// appraisals CSV header then changed with the rows (no component columns for an empty team filter).
    func testAMonthWithNothingIsNotAppraisedAndTheCSVHeaderStaysPut() throws {
        let cli = try CLIHarness().seeded()
        let empty = try cli.run(["appraise", "--period", "2026-01"])
        XCTAssertNotEqual(empty.status, 0)
        XCTAssertTrue(empty.stderr.contains("nothing to appraise in 2026-01: no sessions, inspections or ratings of that month are stored"), empty.stderr)
        XCTAssertEqual(try cli.json(["appraisals", "--period", "2026-01"]).count, 0)
        let year = try cli.run(["appraise", "--year", "2026"])
        XCTAssertTrue(year.stderr.contains("nothing to appraise in 2026: no month of that year is appraised"), year.stderr)

        let header = "employee_id,name,team,period,status,qa,customer,supervisor,peer,self,fcr,response,handle,final_score"
        XCTAssertTrue(try cli.ok(["appraisals", "--period", "2026-10", "--format", "csv"]).hasPrefix(header), "nothing appraised: the default scheme's columns")
        try cli.ok(["appraise", "--period", "2026-10"])
        XCTAssertTrue(try cli.ok(["appraisals", "--period", "2026-10", "--format", "csv"]).hasPrefix(header))
        let team = try cli.ok(["appraisals", "--period", "2026-10", "--format", "csv", "--team", "质检组"])
        XCTAssertEqual(team.split(separator: "\n").count, 1, "a team without agents: the header only")
        XCTAssertTrue(team.hasPrefix(header), team)
        let unknown = try cli.run(["appraisals", "--period", "2026-10", "--team", "视频客服1组"])
        XCTAssertTrue(unknown.stderr.contains("--team: no team '视频客服1组' on the roster or in the period's appraisals"), unknown.stderr)
    }

    /// The inspector's comment was stored from the CLI but shown nowhere there; control characters in
    /// people's text (an escape sequence in a name, a line break in a comment) reached the terminal raw.
    func testCommentsAreListedAndTablesShowControlCharactersAsSymbols() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["inspect", "--session", "C1", "--rubric", "video-service", "--inspector", "Q01",
                    "--answer", "verify_identity=yes", "--comment", "请复核\n第二行\u{1B}[2J"])
        let row = try XCTUnwrap(try cli.json(["inspections"]).first)
        XCTAssertEqual(row["comment"] as? String, "请复核\n第二行\u{1B}[2J", "JSON keeps the text")
        let shown = try cli.json(["inspection", "show", "1"])
        XCTAssertEqual(Set(shown.map { $0["comment"] as? String }), ["请复核\n第二行\u{1B}[2J"])
        let table = try cli.ok(["inspections"])
        XCTAssertTrue(table.contains("请复核␊第二行␛[2J"), table)
        XCTAssertFalse(table.contains("\u{1B}"))
        XCTAssertEqual(table.split(separator: "\n").count, 3, "header, rule, one row: no fake row")
    }
}
