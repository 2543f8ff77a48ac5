import XCTest

/// `scorebook demo`: its summary agrees with the appraisals, and it never replaces what it did not make.
final class DemoCLITests: XCTestCase {
    func testDemoSummaryAgreesWithTheAppraisalsAndForceReplacesOnlyADemo() throws {
        let cli = try CLIHarness()
        let out = try cli.ok(["demo", "--db", cli.path("d/x.db"), "--sessions", "300"])
        // mean_qa and mean_final per team are the means of the team's appraisals (qa component, unrounded final)
        let appraisals = try cli.json(["appraisals", "--db", cli.path("d/x.db"), "--period", "2026-10"])
        let teams = Dictionary(grouping: appraisals, by: { $0["team"] as? String ?? "" })
        XCTAssertFalse(teams.isEmpty)
        for (team, rows) in teams {
            let line = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix(team) }, out)
            let cells = line.split(separator: " ").map(String.init)
            let qa = rows.compactMap { ($0["components"] as? [String: Any])?["qa"] as? Double }
            let finals = rows.compactMap { $0["final_score_unrounded"] as? Double }
            XCTAssertEqual(Double(cells[6]) ?? -1, qa.reduce(0, +) / Double(qa.count), accuracy: 0.0051, "\(team) mean_qa: \(line)")
            XCTAssertEqual(Double(cells[7]) ?? -1, finals.reduce(0, +) / Double(finals.count), accuracy: 0.0051, "\(team) mean_final: \(line)")
            // A B C D: the team's appraisals per grade
            XCTAssertEqual(Array(cells[8...11]), ["A", "B", "C", "D"].map { g in String(rows.filter { $0["grade"] as? String == g }.count) }, "\(line)")
        }

        let again = try cli.run(["demo", "--db", cli.path("d/x.db"), "--sessions", "300"])
        XCTAssertTrue(again.stderr.contains("exists: pass --force"), again.stderr)
        try cli.ok(["demo", "--db", cli.path("d/x.db"), "--sessions", "300", "--force"])

        // a real database at the path is never replaced, --force or not
        try FileManager.default.createDirectory(atPath: cli.path("real"), withIntermediateDirectories: true)
        try cli.ok(["init", "--db", cli.path("real/x.db")])
        let real = try cli.run(["demo", "--db", cli.path("real/x.db"), "--force"])
        XCTAssertNotEqual(real.status, 0)
        XCTAssertTrue(real.stderr.contains("was not made by `scorebook demo`"), real.stderr)
        // nor someone's files beside a new database
        try FileManager.default.createDirectory(atPath: cli.path("mine"), withIntermediateDirectories: true)
        let roster = try cli.write("mine/roster.csv", "employee_id,name,team,role,supervisor_id,active\nA1,张三,一组,agent,,1\n")
        let mine = try cli.run(["demo", "--db", cli.path("mine/x.db"), "--sessions", "300"])
        XCTAssertNotEqual(mine.status, 0)
        XCTAssertTrue(mine.stderr.contains("mine/roster.csv exists"), mine.stderr)
        XCTAssertEqual(try String(contentsOfFile: roster, encoding: .utf8), "employee_id,name,team,role,supervisor_id,active\nA1,张三,一组,agent,,1\n")
        XCTAssertFalse(cli.exists("mine/x.db"))
    }
}
