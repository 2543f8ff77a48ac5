import XCTest

final class SampleCLITests: XCTestCase {
    /// 3 agents × 10 sessions (phone/chat mix), 2 inspectors, one of whom is also on the agent list.
    func prepared() throws -> CLIHarness {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        try cli.ok(["import", "roster", cli.write("roster.csv", """
        employee_id,name,team,role,supervisor_id,active
        S01,王主管,一组,supervisor,,1
        Q01,李质检,质检组,inspector,,1
        Q02,赵质检,质检组,inspector,,1
        A01,张伟,一组,agent,S01,1
        A02,刘洋,一组,agent,S01,1
        A03,陈静,一组,agent,S01,1
        """)])
        var csv = "session_id,agent_id,channel,started_at,ended_at,wait_seconds,first_response_seconds,handle_seconds,resolved,transferred,csat\n"
        for agent in 1...3 {
            for i in 0..<10 {
                let channel = i < 7 ? "phone" : "chat"
                let csat = i == 9 ? "1" : "5"
                csv += "A0\(agent)-\(i),A0\(agent),\(channel),2026-10-0\(i % 9 + 1)T09:00:00,2026-10-0\(i % 9 + 1)T09:05:00,5,3,300,1,0,\(csat)\n"
            }
        }
        try cli.ok(["import", "sessions", cli.write("sessions.csv", csv)])
        return cli
    }

    func assignments(_ cli: CLIHarness) throws -> [[String: Any]] {
        try cli.json(["assignments", "--period", "2026-10"])
    }

    func testSeededDrawIsReproducibleAndSpreadAcrossInspectors() throws {
        let a = try prepared(), b = try prepared()
        for cli in [a, b] {
            try cli.ok(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "4", "--seed", "42",
                        "--inspectors", "Q01,Q02"])
        }
        let first = try assignments(a).map { "\($0["session_id"]!)>\($0["inspector_id"]!)" }.sorted()
        let second = try assignments(b).map { "\($0["session_id"]!)>\($0["inspector_id"]!)" }.sorted()
        XCTAssertEqual(first.count, 12)
        XCTAssertEqual(first, second, "the same seed draws the same sample")
        let perInspector = Dictionary(grouping: try assignments(a), by: { $0["inspector_id"] as? String ?? "" }).mapValues(\.count)
        XCTAssertEqual(perInspector, ["Q01": 6, "Q02": 6])
    }

    func testAlreadyDrawnSessionsAreNeverDrawnAgain() throws {
        let cli = try prepared()
        try cli.ok(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "6", "--seed", "1"])
        try cli.ok(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "6", "--seed", "2"])
        let ids = try assignments(cli).map { $0["session_id"] as? String ?? "" }
        XCTAssertEqual(ids.count, 30, "second draw takes only the 4 sessions per agent left")
        XCTAssertEqual(Set(ids).count, ids.count)
    }

    func testStatisticalSizeStratificationAndTargeting() throws {
        let cli = try prepared()
        // N = 10 per agent, e = 0.1, 95%: n0 = 1.959964² × 0.25 / 0.01 = 96.04; n = 96.04/(1 + 95.04/10) = 9.14 → 10
        let rows = try cli.json(["sample", "--period", "2026-10", "--rubric", "video-service", "--margin", "0.1",
                                 "--confidence", "0.95", "--seed", "3"])
        XCTAssertEqual(rows.map { $0["size"] as? Int }, [10, 10, 10])

        let strat = try prepared()
        // 5 per agent, stratified: phone 7/10 × 5 = 3.5, chat 3/10 × 5 = 1.5 → largest remainder, tie to the larger → 4 + 1
        let out = try strat.json(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "5",
                                  "--stratify", "channel", "--targeted", "0.2", "--seed", "9"])
        for row in out {
            XCTAssertEqual(row["phone"] as? Int, 4)
            XCTAssertEqual(row["chat"] as? Int, 1)
            XCTAssertEqual(row["targeted"] as? Int, 1, "0.2 × 5 = 1 session from the risky ones (csat ≤ 2)")
        }
        let targeted = try assignments(strat).filter { $0["reason"] as? String == "targeted" }
        XCTAssertEqual(Set(targeted.map { $0["session_id"] as? String ?? "" }), ["A01-9", "A02-9", "A03-9"])
    }

    /// Only agents' sessions are drawn (an inspector's or a supervisor's sessions are kept but not appraised);
    /// an inspector who left gets no work; a top-up draw evens out the inspectors' totals; the status of an
    /// assignment follows its inspection (pending → draft → done).
    func testOnlyAgentsSessionsActiveInspectorsAndEvenTotals() throws {
        let cli = try prepared()
        try cli.ok(["import", "roster", cli.write("roster2.csv", """
        employee_id,name,team,role,supervisor_id,active
        S01,王主管,一组,supervisor,,1
        Q01,李质检,质检组,inspector,,1
        Q02,赵质检,质检组,inspector,,1
        Q03,钱质检,质检组,inspector,,0
        A01,张伟,一组,agent,S01,1
        A02,刘洋,一组,agent,S01,1
        A03,陈静,一组,agent,S01,1
        """)])
        try cli.ok(["import", "sessions", cli.write("more.csv", """
        session_id,agent_id,channel,started_at,ended_at,wait_seconds,first_response_seconds,handle_seconds,resolved,transferred,csat
        QS1,Q01,phone,2026-10-05T09:00:00,2026-10-05T09:05:00,5,3,300,1,0,5
        SS1,S01,phone,2026-10-05T10:00:00,2026-10-05T10:05:00,5,3,300,1,0,5
        """)])
        let left = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "1", "--inspectors", "Q03"])
        XCTAssertNotEqual(left.status, 0)
        XCTAssertTrue(left.stderr.contains("inspector 'Q03' is no longer active"), left.stderr)
        XCTAssertEqual(try cli.count("assignments"), 0)

        // four top-up draws of 3 sessions each: 12 in all, 6 each (each draw alone would tie to the same one)
        for _ in 0..<4 {
            let rows = try cli.json(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "1",
                                     "--inspectors", "Q01,Q02"])
            XCTAssertEqual(rows.map { $0["agent_id"] as? String }, ["A01", "A02", "A03"], "no inspector's or supervisor's sessions")
        }
        let all = try assignments(cli)
        XCTAssertFalse(all.contains { ["QS1", "SS1"].contains($0["session_id"] as? String) })
        XCTAssertEqual(Dictionary(grouping: all, by: { $0["inspector_id"] as? String ?? "" }).mapValues(\.count), ["Q01": 6, "Q02": 6])

        let mine = try cli.json(["assignments", "--inspector", "Q01"])
        XCTAssertEqual(Set(mine.map { $0["status"] as? String }), ["pending"])
        let session = mine[0]["session_id"] as? String ?? ""
        try cli.ok(["inspect", "--session", session, "--rubric", "video-service", "--inspector", "Q01", "--answer", "verify_identity=yes"])
        let after = try cli.json(["assignments", "--inspector", "Q01"]).first { $0["session_id"] as? String == session }
        XCTAssertEqual(after?["status"] as? String, "draft")
        let unknown = try cli.run(["assignments", "--inspector", "NOPE"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("--inspector: unknown employee 'NOPE'"), unknown.stderr)
    }

    func testBadSamplingRequests() throws {
        let cli = try prepared()
        let none = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service"])
        XCTAssertNotEqual(none.status, 0)
        let agentAsInspector = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "2",
                                            "--inspectors", "A01"])
        XCTAssertTrue(agentAsInspector.stderr.contains("'A01' is an agent, not an inspector"), agentAsInspector.stderr)
        // a command's own check of its options is followed by that command's usage, not the root's
        let zero = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "0"])
        XCTAssertEqual(zero.status, 64)
        XCTAssertTrue(zero.stderr.contains("Error: --per-agent must be positive\nUsage: scorebook sample "), zero.stderr)
        XCTAssertTrue(zero.stderr.contains("See 'scorebook sample --help'"), zero.stderr)
        XCTAssertFalse(zero.stderr.contains("<subcommand>"), zero.stderr)
        let both = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "2", "--confidence", "1.2"])
        XCTAssertTrue(both.stderr.contains("--per-agent N and --margin/--confidence are two ways to size the sample: give one of them"), both.stderr)
        // a negative number is read as the option's value and refused as such (not "missing value")
        let negative = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "-3"])
        XCTAssertTrue(negative.stderr.contains("--per-agent must be positive"), negative.stderr)
        for bad in ["0", "nan", "-5"] {
            let result = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "2", "--long-handle", bad])
            XCTAssertNotEqual(result.status, 0, bad)
            XCTAssertTrue(result.stderr.contains("long handle time must be a positive number of seconds"), result.stderr)
        }
        XCTAssertEqual(try cli.count("assignments"), 0)
    }
}
