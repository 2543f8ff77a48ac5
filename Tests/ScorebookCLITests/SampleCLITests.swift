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

    func testBadSamplingRequests() throws {
        let cli = try prepared()
        let none = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service"])
        XCTAssertNotEqual(none.status, 0)
        let agentAsInspector = try cli.run(["sample", "--period", "2026-10", "--rubric", "video-service", "--per-agent", "2",
                                            "--inspectors", "A01"])
        XCTAssertTrue(agentAsInspector.stderr.contains("'A01' is a agent, not an inspector"), agentAsInspector.stderr)
        XCTAssertEqual(try cli.count("assignments"), 0)
    }
}
