import XCTest
import ScorebookCore

final class ImportCLITests: XCTestCase {
    func testImportsRosterAndSessionsWithTranscripts() throws {
        let cli = try CLIHarness().seeded()
        XCTAssertEqual(try cli.count("employees"), 4)
        XCTAssertEqual(try cli.count("sessions"), 4)
        XCTAssertEqual(try cli.count("transcripts"), 2)
        // the roster's Chinese text survives the round trip
        let out = try cli.ok(["import", "roster", cli.write("roster2.csv", CLIHarness.roster)])
        XCTAssertTrue(out.contains("imported 4 records"), out)
        XCTAssertEqual(try cli.count("employees"), 4, "re-importing a roster updates rows, it does not duplicate them")
    }

    /// Asserts a failing import: non-zero exit, one message naming file, line and reason, nothing written.
    func assertRejected(_ cli: CLIHarness, kind: String, file: String, contents: String, expect: String,
                        line: UInt = #line) throws {
        let before = try cli.count("sessions")
        let result = try cli.run(["import", kind, cli.write(file, contents)])
        XCTAssertNotEqual(result.status, 0, "import should fail", line: line)
        XCTAssertTrue(result.stderr.contains(expect), "stderr was: \(result.stderr)", line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one message: \(result.stderr)", line: line)
        XCTAssertEqual(try cli.count("sessions"), before, "nothing may be half-written", line: line)
    }

    let header = "session_id,agent_id,channel,started_at,ended_at,wait_seconds,first_response_seconds,handle_seconds,resolved,transferred,csat\n"
    let good = "N1,A01,phone,2026-10-07T09:00:00+08:00,2026-10-07T09:05:00+08:00,5,2,300,1,0,4\n"

    /// Sessions of a team lead or an inspector are imported, and the summary says appraisal and sampling
    /// leave them out (they did silently).
    func testSessionsOfEmployeesWhoAreNotAgentsAreNamedInTheSummary() throws {
        let cli = try CLIHarness().seeded()
        let rows = header + good
            + "N2,S01,phone,2026-10-07T10:00:00+08:00,2026-10-07T10:05:00+08:00,5,2,300,1,0,4\n"
            + "N3,S01,video,2026-10-07T11:00:00+08:00,2026-10-07T11:05:00+08:00,5,2,300,1,0,4\n"
            + "N4,Q01,chat,2026-10-07T12:00:00+08:00,2026-10-07T12:05:00+08:00,5,2,300,1,0,4\n"
        let out = try cli.ok(["import", "sessions", cli.write("mixed.csv", rows)])
        XCTAssertTrue(out.contains("imported 4 records"), out)
        XCTAssertTrue(out.contains("note: 3 sessions are handled by employees who are not agents on the roster (Q01 (inspector), S01 (supervisor)): kept, but appraisal and sampling leave them out"), out)
        let plain = try cli.ok(["import", "sessions", cli.write("agents.csv", header + good.replacingOccurrences(of: "N1,", with: "N5,"))])
        XCTAssertFalse(plain.contains("note:"), plain)
    }

    /// Roster changes are audited one by one (they move agents between teams and change who sees what);
    /// a supervisor chain that loops is refused; a shorter file says whom it leaves out.
    func testRosterChangesAreAuditedCyclesRefusedAndOmissionsNamed() throws {
        let cli = try CLIHarness().seeded()
        let header = "employee_id,name,team,role,supervisor_id,active\n"
        let moved = try cli.ok(["import", "roster", cli.write("moved.csv", header
            + "A02,刘洋,视频客服二组,agent,S01,1\nA03,周敏,视频客服一组,agent,S01,1\n")])
        XCTAssertTrue(moved.contains("note: 3 active employees are on the roster but not in this file (A01, Q01, S01): left as they are"), moved)
        func rosterEntries() throws -> [[String: Any]] {
            try cli.json(["audit", "--entity", "employee"]).filter { ["add", "change"].contains($0["action"] as? String) }
        }
        // the first import added the harness's four employees
        XCTAssertEqual(try rosterEntries().prefix(4).map { $0["reason"] as? String }, Array(repeating: "roster.csv line", count: 4).enumerated().map { "\($0.element) \($0.offset + 2)" })
        let audit = try rosterEntries().dropFirst(4).map { $0 }
        XCTAssertEqual(audit.map { "\($0["action"] as? String ?? "") \($0["entity_id"] as? String ?? "")" }, ["change A02", "add A03"])
        XCTAssertTrue((audit[0]["before"] as? String ?? "").contains("视频客服一组"), "\(audit[0])")
        XCTAssertTrue((audit[0]["after"] as? String ?? "").contains("视频客服二组"), "\(audit[0])")
        XCTAssertEqual(audit[0]["reason"] as? String, "moved.csv line 2")
        // the same file again changes nothing and logs nothing
        try cli.ok(["import", "roster", cli.path("moved.csv")])
        XCTAssertEqual(try rosterEntries().count, 6)

        let loop = header + "S01,王主管,视频客服一组,supervisor,S02,1\nS02,赵经理,客服中心,supervisor,S01,1\n"
        let refused = try cli.run(["import", "roster", cli.write("loop.csv", loop)])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("loop.csv:2: supervisor_id: the supervisor chain loops back: S01 → S02 → S01"), refused.stderr)
        let own = try cli.run(["import", "roster", cli.write("own.csv", header + "S01,王主管,视频客服一组,supervisor,S01,1\n")])
        XCTAssertTrue(own.stderr.contains("own.csv:2: supervisor_id: the supervisor chain loops back: S01 → S01"), own.stderr)
        XCTAssertNil(try cli.json(["audit", "--entity", "employee"]).first { $0["entity_id"] as? String == "S02" }, "nothing written")
    }

    func testMalformedCSVLine() throws {
        let cli = try CLIHarness().seeded()
        try assertRejected(cli, kind: "sessions", file: "bad.csv",
                           contents: header + good + "N2,A01,phone,2026-10-07T09:00:00+08:00\n",
                           expect: "bad.csv:3: malformed row: 4 fields, the header has 11")
        // a quote opened on the last row and never closed: the row swallows the line after it
        try assertRejected(cli, kind: "sessions", file: "open.csv",
                           contents: header + good + "N3,A01,\"phone,2026-10-07T09:00:00+08:00\nmore\n",
                           expect: "open.csv:3: malformed row: 3 fields, the header has 11 — a quoted field runs over several lines: is a quote on this line never closed?")
    }

    /// A column given twice is refused (which one would count?); an empty file says so; a quote left open
    /// does not paste the rest of the file into the message.
    func testRepeatedColumnEmptyFileAndARunawayQuotedField() throws {
        let cli = try CLIHarness().seeded()
        try assertRejected(cli, kind: "sessions", file: "twice.csv", contents: header.replacingOccurrences(of: ",csat\n", with: ",csat,csat\n")
                           + good.replacingOccurrences(of: ",4\n", with: ",4,1\n"),
                           expect: "twice.csv:1: the header has column 'csat' twice")
        try assertRejected(cli, kind: "sessions", file: "empty.csv", contents: "",
                           expect: "empty.csv:1: the file is empty: expected a header row session_id,")
        let open = good.replacingOccurrences(of: ",4\n", with: ",\"4\n")
        let rest = (2..<400).map { "N\($0),A01,phone,2026-10-07T09:00:00+08:00,2026-10-07T09:05:00+08:00,5,2,300,1,0,4\n" }.joined()
        try assertRejected(cli, kind: "sessions", file: "open.csv", contents: header + open + rest,
                           expect: "open.csv:2: csat: ")
        let message = try cli.run(["import", "sessions", cli.path("open.csv")]).stderr
        XCTAssertLessThan(message.count, 400, message)
        XCTAssertTrue(message.contains("is a quote left open on this line?"), message)
    }

    /// Bytes written as given (a BOM, bytes that are not UTF-8).
    func writeBytes(_ cli: CLIHarness, _ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: cli.path(name)))
        return cli.path(name)
    }

    func testEncodingBOMAndInvalidUTF8() throws {
        let cli = try CLIHarness().seeded()
        let line = #"{"session_id":"B1","agent_id":"A01","channel":"chat","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:01:00","resolved":1,"turns":[{"at":0.5,"speaker":"agent","text":"您好"}]}"#
        // a UTF-8 BOM before the first line is skipped, in JSONL as in CSV
        try cli.ok(["import", "sessions", try writeBytes(cli, "bom.jsonl", [0xEF, 0xBB, 0xBF] + Array((line + "\n").utf8))])
        XCTAssertEqual(try cli.count("sessions"), 5)
        // GBK bytes in a transcript: refused naming the line, nothing written
        var bad = Array((line.replacingOccurrences(of: "B1", with: "B2") + "\n").utf8)
        let text = Array("您好".utf8)
        if let at = (0..<(bad.count - text.count)).first(where: { Array(bad[$0..<$0 + text.count]) == text }) {
            bad.replaceSubrange(at..<at + text.count, with: [0xC4, 0xFA, 0xBA, 0xC3]) // 您好 in GBK
        }
        let ok = Array((line.replacingOccurrences(of: "B1", with: "B3") + "\n").utf8)
        let jsonl = try cli.run(["import", "sessions", try writeBytes(cli, "gbk.jsonl", ok + bad)])
        XCTAssertNotEqual(jsonl.status, 0)
        XCTAssertTrue(jsonl.stderr.contains("gbk.jsonl:2: not valid UTF-8 text"), jsonl.stderr)
        XCTAssertEqual(try cli.count("sessions"), 5)
        // a GBK roster: the reason is the encoding, not a field count
        let roster = Array("employee_id,name,team,role,supervisor_id,active\nE9,".utf8) + [0xD5, 0xC5, 0xCE, 0xB0]
            + Array(",一组,agent,,1\n".utf8)
        let csv = try cli.run(["import", "roster", try writeBytes(cli, "gbk.csv", roster)])
        XCTAssertNotEqual(csv.status, 0)
        XCTAssertTrue(csv.stderr.contains("gbk.csv:2: not valid UTF-8 text"), csv.stderr)
    }

    /// A quoted field holding a line break: the error names the line its record starts on, and a line break
    /// in a name or a team (a fake row in every listing) is refused.
    func testCSVLineNumbersCountLineBreaksInsideQuotedFields() throws {
        let cli = try CLIHarness().seeded()
        let roster = "employee_id,name,team,role,supervisor_id,active\nE1,\"张伟,外包\",一组,agent,,1\nE2,\"李娜\n（外包）\",一组,agent,,1\n"
        let result = try cli.run(["import", "roster", cli.write("multi.csv", roster)])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("multi.csv:3: name: '李娜\\n（外包）' holds a control character"), result.stderr)
        let team = "employee_id,name,team,role,supervisor_id,active\nH1,王芳,\"人力\n资源\",hr,,1\n"
        let hr = try cli.run(["import", "roster", cli.write("team.csv", team)])
        XCTAssertTrue(hr.stderr.contains("team.csv:2: team:"), hr.stderr)
    }

    func testMalformedJSONLLine() throws {
        let cli = try CLIHarness().seeded()
        try assertRejected(cli, kind: "sessions", file: "bad.jsonl",
                           contents: #"{"session_id":"J1","agent_id":"A01","channel":"chat","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:01:00","resolved":1}"# + "\n{\"session_id\": \"J2\", oops\n",
                           expect: "bad.jsonl:2: malformed JSON line")
        // an empty JSONL file is said so, as an empty CSV is; a .json file is not guessed at
        try assertRejected(cli, kind: "sessions", file: "empty.jsonl", contents: "\n",
                           expect: "empty.jsonl:1: the file is empty: expected one JSON object per line")
        try assertRejected(cli, kind: "sessions", file: "sessions.json", contents: "[]",
                           expect: "sessions.json: sessions are read from a .csv file (metadata) or a .jsonl file")
    }

    /// A line without `resolved` (or with the key misspelled, skipped as unknown) counted as unresolved in
    /// first-contact resolution: an agent's fcr fell to 0 without a word. Refused like a CSV without the
    /// column; an empty value (`null`, an empty CSV cell) too: DESIGN's `resolved` is 0/1.
    func testJSONLLineWithoutResolvedIsRefused() throws {
        let cli = try CLIHarness().seeded()
        let typo = #"{"session_id":"R1","agent_id":"A01","channel":"chat","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:01:00","is_resolved":1}"#
        try assertRejected(cli, kind: "sessions", file: "typo.jsonl", contents: typo + "\n",
                           expect: "typo.jsonl:1: resolved: is missing: every line needs it (1 solved on this first contact, 0 not)")
        let unknown = typo.replacingOccurrences(of: "\"is_resolved\":1", with: "\"resolved\":null")
        try assertRejected(cli, kind: "sessions", file: "null.jsonl", contents: unknown + "\n",
                           expect: "null.jsonl:1: resolved: is empty: 1 if solved on this first contact, 0 if not")
        let csv = "\(SessionRecord.columns.joined(separator: ","))\nR2,A01,chat,2026-10-07T09:00:00,2026-10-07T09:01:00,,,,,0,\n"
        try assertRejected(cli, kind: "sessions", file: "empty.csv", contents: csv,
                           expect: "empty.csv:2: resolved: is empty: 1 if solved on this first contact, 0 if not")
    }

    /// A misspelled key (`handle_time` for `handle_seconds`, `satisfaction` for `csat`) was skipped as
    /// unknown and its value lost: 14 of 38 grades changed in the audit's month. A field no line of the file
    /// has, beside a key no session has, is refused naming both (nothing imported); a writer that leaves out
    /// nulls and adds columns of its own still imports (the field is there on the lines with a value).
    func testJSONLMisspelledKeyBesideAMissingFieldIsRefused() throws {
        let cli = try CLIHarness().seeded()
        let full = #"{"session_id":"K1","agent_id":"A01","channel":"phone","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:05:00","wait_seconds":3,"first_response_seconds":4,"handle_seconds":320,"resolved":1,"transferred":0,"csat":4}"#
        let second = full.replacingOccurrences(of: "K1", with: "K0")
        let misspelled = (full + "\n" + second).replacingOccurrences(of: "handle_seconds", with: "handle_time")
        try assertRejected(cli, kind: "sessions", file: "typo.jsonl", contents: misspelled + "\n",
                           expect: "typo.jsonl:1: handle_time: is no session field, and no line of the file has handle_seconds — misspelled?")
        XCTAssertEqual(try cli.sqlite("SELECT COUNT(*) FROM sessions WHERE session_id IN ('K0', 'K1')"), "0", "nothing imported")
        let renamed = full.replacingOccurrences(of: "\"csat\"", with: "\"satisfaction\"")
        try assertRejected(cli, kind: "sessions", file: "renamed.jsonl", contents: renamed + "\n",
                           expect: "renamed.jsonl:1: satisfaction: is no session field, and no line of the file has csat — misspelled?")
        let extra = full.replacingOccurrences(of: "\"csat\":4", with: "\"csat\":4,\"queue\":\"VIP\"")
        // a writer that drops nulls and adds its own columns: this line has no csat, the file does
        let sparse = #"{"session_id":"K2","agent_id":"A01","channel":"chat","started_at":"2026-10-07T10:00:00","ended_at":"2026-10-07T10:05:00","resolved":0,"queue":"普通"}"#
        try cli.ok(["import", "sessions", cli.write("ok.jsonl", extra + "\n" + sparse + "\n")])
        let rows = try cli.json(["inspections", "--format", "json"]) // the database still opens
        XCTAssertNotNil(rows)
        let stored = try cli.sqlite("SELECT session_id, handle_seconds, csat, wait_seconds FROM sessions WHERE session_id IN ('K1', 'K2') ORDER BY 1")
        XCTAssertEqual(stored, "K1|320.0|4|3.0\nK2|||")
    }

    /// `true`/`false` in a number field was read as 1/0: `"csat": true` stored the worst survey answer.
    /// Only the yes/no fields read booleans.
    func testJSONLBooleansOnlyInYesNoFields() throws {
        let cli = try CLIHarness().seeded()
        let line = #"{"session_id":"B1","agent_id":"A01","channel":"phone","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:05:00","wait_seconds":3,"first_response_seconds":4,"handle_seconds":320,"resolved":true,"transferred":false,"csat":4}"#
        for field in ["csat", "handle_seconds", "first_response_seconds", "wait_seconds"] {
            let bad = line.replacing(try Regex("\"\(field)\":[0-9]+"), with: "\"\(field)\":true")
            try assertRejected(cli, kind: "sessions", file: "\(field).jsonl", contents: bad + "\n",
                               expect: "\(field).jsonl:1: \(field): must be a string or a number, not true/false (only resolved and transferred are yes/no)")
        }
        try cli.ok(["import", "sessions", cli.write("flags.jsonl", line + "\n")])
        XCTAssertEqual(try cli.sqlite("SELECT resolved, transferred, csat FROM sessions WHERE session_id = 'B1'"), "1|0|4")
    }

    /// Times a session cannot have: a first response after it ended, a handle time hours past its length, a
    /// turn past its end — the millisecond mistake zeroed an agent's response and handle components and
    /// scored a 2-minute call's transcript at 28.57 for "silence of 28000 s". Up to half the length again plus
    /// a minute (the recording's and the CRM's clocks disagree) and handle time up to an hour of after-call
    /// work are accepted.
    func testTimesPastTheSessionsEndAreRefused() throws {
        let cli = try CLIHarness().seeded()
        let header = SessionRecord.columns.joined(separator: ",")
        func row(_ id: String, first: String, handle: String) -> String {
            "\(id),A01,phone,2026-10-07T10:00:00+08:00,2026-10-07T10:05:00+08:00,3,\(first),\(handle),1,0,\n"
        }
        try assertRejected(cli, kind: "sessions", file: "first.csv", contents: header + "\n" + row("T1", first: "4000", handle: "300"),
                           expect: "first.csv:2: first_response_seconds: 4000 s is long after the session ended (it lasted 300 s from started_at to ended_at): seconds from its start — milliseconds?")
        try assertRejected(cli, kind: "sessions", file: "handle.csv", contents: header + "\n" + row("T2", first: "4", handle: "300000"),
                           expect: "handle.csv:2: handle_seconds: 300000 s is more than an hour past the session's length (300 s from started_at to ended_at)")
        try cli.ok(["import", "sessions", cli.write("edge.csv", header + "\n" + row("T3", first: "510", handle: "3900"))])
        try assertRejected(cli, kind: "sessions", file: "over.csv", contents: header + "\n" + row("T4", first: "510.5", handle: "300"),
                           expect: "over.csv:2: first_response_seconds: 510.5 s is long after the session ended")

        func line(_ id: String, turns: String) -> String {
            #"{"session_id":"\#(id)","agent_id":"A01","channel":"video","started_at":"2026-10-07T11:00:00","ended_at":"2026-10-07T11:02:00","resolved":1,"turns":[\#(turns)]}"#
        }
        try assertRejected(cli, kind: "sessions", file: "ms.jsonl",
                           contents: line("U1", turns: #"{"at":1500,"speaker":"agent","text":"您好"}"#) + "\n",
                           expect: "ms.jsonl:1: turns[0].at: 1500 s is long past the session's end (it lasted 120 s from started_at to ended_at): seconds from its start — milliseconds?")
        try assertRejected(cli, kind: "sessions", file: "end.jsonl",
                           contents: line("U2", turns: #"{"at":100,"end":400,"speaker":"agent","text":"您好"}"#) + "\n",
                           expect: "end.jsonl:1: turns[0].end: 400 s is long past the session's end")
        // 120 s × 1.5 + 60 = 240 s: a recording that runs on past ended_at
        try cli.ok(["import", "sessions", cli.write("edge.jsonl", line("U3", turns: #"{"at":2,"end":240,"speaker":"agent","text":"您好"}"#) + "\n")])
        try assertRejected(cli, kind: "sessions", file: "over.jsonl",
                           contents: line("U4", turns: #"{"at":2,"end":240.5,"speaker":"agent","text":"您好"}"#) + "\n",
                           expect: "over.jsonl:1: turns[0].end: 240.5 s is long past the session's end")
    }

    /// A field given twice in a line: refused naming file, line and field; nothing imported.
    func testJSONLKeyGivenTwice() throws {
        let cli = try CLIHarness().seeded()
        let good = #"{"session_id":"J1","agent_id":"A01","channel":"chat","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:01:00","resolved":1}"#
        let twice = #"{"session_id":"J2","agent_id":"A01","channel":"chat","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:01:00","resolved":1,"csat":1,"csat":5}"#
        try assertRejected(cli, kind: "sessions", file: "twice.jsonl", contents: good + "\n" + twice + "\n",
                           expect: "twice.jsonl:2: csat: is given twice in the same object")
    }

    /// A malformed number in a turn (`1.2.3` once imported as 12.3) is refused naming file, line and field.
    func testMalformedNumberInATurn() throws {
        let cli = try CLIHarness().seeded()
        let line = #"{"session_id":"J1","agent_id":"A01","channel":"chat","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:01:00","resolved":1,"turns":[{"at":0.5,"speaker":"agent","text":"您好"},{"at":1.2.3,"speaker":"customer","text":"嗯"}]}"#
        try assertRejected(cli, kind: "sessions", file: "num.jsonl", contents: "\n" + line + "\n",
                           expect: "num.jsonl:2: turns[1].at: '1.2.3' is not a number")
    }

    /// The JSONL reader parses on a second thread in batches; errors must still come in line order.
    func testFirstErrorInLineOrderAcrossBatches() throws {
        let cli = try CLIHarness().seeded()
        var lines: [String] = []
        for i in 1...2000 {
            let agent = i == 700 ? "A99" : "A01"
            lines.append(#"{"session_id":"B\#(i)","agent_id":"\#(agent)","channel":"chat","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:01:00","resolved":1,"turns":[{"at":1,"end":2,"speaker":"agent","text":"您好"}]}"#)
        }
        lines[1499] = #"{"session_id": "B1500", oops"#
        try assertRejected(cli, kind: "sessions", file: "big.jsonl", contents: lines.joined(separator: "\n") + "\n",
                           expect: "big.jsonl:700: agent_id: unknown agent 'A99'")
        lines[699] = lines[698].replacingOccurrences(of: "B699", with: "B700")
        try assertRejected(cli, kind: "sessions", file: "big2.jsonl", contents: lines.joined(separator: "\n") + "\n",
                           expect: "big2.jsonl:1500: malformed JSON line")
        XCTAssertEqual(try cli.count("transcripts"), 2)
    }

    /// The CSV reader runs on a second thread too: a store error (unknown agent, record 700) comes before a
    /// later parse error (record 1500), and the parse error is reported once the earlier records are fine.
    func testCSVFirstErrorInLineOrderAcrossBatches() throws {
        let cli = try CLIHarness().seeded()
        var rows: [String] = []
        for i in 1...2000 {
            let agent = i == 699 ? "A99" : "A01" // line 700 (the header is line 1)
            rows.append("Q\(i),\(agent),phone,2026-10-07T09:00:00+08:00,2026-10-07T09:05:00+08:00,5,2,300,1,0,4")
        }
        rows[1498] = "Q1499,A01,phone,not-a-date,2026-10-07T09:05:00+08:00,5,2,300,1,0,4" // line 1500
        try assertRejected(cli, kind: "sessions", file: "big.csv", contents: header + rows.joined(separator: "\n") + "\n",
                           expect: "big.csv:700: agent_id: unknown agent 'A99'")
        rows[698] = rows[697].replacingOccurrences(of: "Q698", with: "Q699")
        try assertRejected(cli, kind: "sessions", file: "big2.csv", contents: header + rows.joined(separator: "\n") + "\n",
                           expect: "big2.csv:1500: started_at:")
    }

    func testUnknownAgent() throws {
        let cli = try CLIHarness().seeded()
        try assertRejected(cli, kind: "sessions", file: "bad.csv",
                           contents: header + good + "N2,A99,phone,2026-10-07T09:00:00+08:00,2026-10-07T09:05:00+08:00,5,2,300,1,0,4\n",
                           expect: "bad.csv:3: agent_id: unknown agent 'A99' (not on the roster)")
    }

    func testDuplicateSessionID() throws {
        let cli = try CLIHarness().seeded()
        try assertRejected(cli, kind: "sessions", file: "dup.csv", contents: header + good + good,
                           expect: "dup.csv:3: session_id: duplicate session id 'N1'")
        // already imported earlier (C1 is in the seeded database)
        try assertRejected(cli, kind: "sessions", file: "dup2.csv",
                           contents: header + "C1,A01,phone,2026-10-07T09:00:00+08:00,2026-10-07T09:05:00+08:00,5,2,300,1,0,4\n",
                           expect: "dup2.csv:2: session_id: duplicate session id 'C1'")
    }

    func testEndBeforeStart() throws {
        let cli = try CLIHarness().seeded()
        try assertRejected(cli, kind: "sessions", file: "bad.csv",
                           contents: header + "N1,A01,video,2026-10-07T09:05:00+08:00,2026-10-07T09:00:00+08:00,5,2,300,1,0,4\n",
                           expect: "bad.csv:2: ended_at: ends before it starts")
        // one time with a UTC offset and one without (read as UTC) cannot be compared as the user means them
        try assertRejected(cli, kind: "sessions", file: "mixed.csv",
                           contents: header + "N1,A01,video,2026-10-07T09:00:00+08:00,2026-10-07T08:30:00,5,2,300,1,0,4\n",
                           expect: "mixed.csv:2: ended_at: '2026-10-07T08:30:00' has no UTC offset and started_at '2026-10-07T09:00:00+08:00' has one: write both the same way")
        // a hexadecimal duration (Swift reads 0x10 as 16)
        try assertRejected(cli, kind: "sessions", file: "hex.csv",
                           contents: header + "N1,A01,video,2026-10-07T09:00:00+08:00,2026-10-07T09:05:00+08:00,5,2,0x10,1,0,4\n",
                           expect: "hex.csv:2: handle_seconds: '0x10' is not a number")
    }

    func testBadDate() throws {
        let cli = try CLIHarness().seeded()
        try assertRejected(cli, kind: "sessions", file: "bad.csv",
                           contents: header + good + "N2,A01,phone,2026-10-32T09:00:00,2026-10-07T09:05:00,5,2,300,1,0,4\n",
                           expect: "bad.csv:3: started_at: bad date '2026-10-32T09:00:00'")
    }

    func testOtherBadFields() throws {
        let cli = try CLIHarness().seeded()
        try assertRejected(cli, kind: "sessions", file: "csat.csv",
                           contents: header + "N1,A01,phone,2026-10-07T09:00:00,2026-10-07T09:05:00,5,2,300,1,0,6\n",
                           expect: "csat.csv:2: csat: 6 is out of range 1–5")
        try assertRejected(cli, kind: "sessions", file: "chan.csv",
                           contents: header + "N1,A01,fax,2026-10-07T09:00:00,2026-10-07T09:05:00,5,2,300,1,0,4\n",
                           expect: "chan.csv:2: channel: 'fax' is not video, phone or chat")
        try assertRejected(cli, kind: "sessions", file: "turns.jsonl",
                           contents: #"{"session_id":"J1","agent_id":"A01","channel":"chat","started_at":"2026-10-07T09:00:00","ended_at":"2026-10-07T09:01:00","resolved":1,"turns":[{"at":1,"speaker":"bot","text":"hi"}]}"# + "\n",
                           expect: "turns.jsonl:1: turns[0].speaker: must be \"agent\" or \"customer\"")
        try assertRejected(cli, kind: "sessions", file: "nohdr.csv", contents: "a,b,c\n1,2,3\n",
                           expect: "nohdr.csv:1: header lacks columns")
        try assertRejected(cli, kind: "sessions", file: "missing.csv", contents: "",
                           expect: "missing.csv")
    }

    func testRosterErrors() throws {
        let cli = try CLIHarness()
        try cli.ok(["init"])
        let result = try cli.run(["import", "roster", cli.write("r.csv", """
        employee_id,name,team,role,supervisor_id,active
        A01,张伟,一组,agent,,1
        A01,李娜,一组,agent,,1
        """)])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("r.csv:3: employee_id: duplicate employee id 'A01' (first on line 2)"), result.stderr)
        let role = try cli.run(["import", "roster", cli.write("r2.csv", """
        employee_id,name,team,role,supervisor_id,active
        A01,张伟,一组,boss,,1
        """)])
        XCTAssertTrue(role.stderr.contains("r2.csv:2: role: 'boss' is not agent, inspector, supervisor or hr"), role.stderr)
        let sup = try cli.run(["import", "roster", cli.write("r3.csv", """
        employee_id,name,team,role,supervisor_id,active
        A01,张伟,一组,agent,S77,1
        """)])
        XCTAssertTrue(sup.stderr.contains("r3.csv:2: supervisor_id: unknown supervisor 'S77'"), sup.stderr)
        // an id with a line break inside its quotes looks like another id in every listing; an agent needs a team
        let broken = try cli.run(["import", "roster", cli.write("r5.csv", "employee_id,name,team,role,supervisor_id,active\n\"A0\n1\",张伟,一组,agent,,1\n")])
        XCTAssertTrue(broken.stderr.contains(#"r5.csv:2: employee_id: 'A0\n1' holds a control character"#), broken.stderr)
        let teamless = try cli.run(["import", "roster", cli.write("r6.csv", "employee_id,name,team,role,supervisor_id,active\nA01,张伟,,agent,,1\n")])
        XCTAssertTrue(teamless.stderr.contains("r6.csv:2: team: is empty"), teamless.stderr)
        // an agent's supervisor is their team lead, who gives the supervisor rating: a supervisor
        let lead = try cli.run(["import", "roster", cli.write("r4.csv", """
        employee_id,name,team,role,supervisor_id,active
        Q01,李质检,质检组,inspector,,1
        A01,张伟,一组,agent,Q01,1
        """)])
        XCTAssertTrue(lead.stderr.contains("r4.csv:3: supervisor_id: 'Q01' is an inspector on the roster, not a supervisor"), lead.stderr)
        // nor by making an agent's team lead an inspector; a leaver keeps their last lead, and needs no team
        try cli.ok(["import", "roster", cli.write("r7.csv", """
        employee_id,name,team,role,supervisor_id,active
        S01,王主管,一组,supervisor,,1
        A01,张伟,一组,agent,S01,1
        A02,离职,,agent,S01,0
        """)])
        let moved = try cli.run(["import", "roster", cli.write("r8.csv", "employee_id,name,team,role,supervisor_id,active\nS01,王主管,质检组,inspector,,1\n")])
        XCTAssertTrue(moved.stderr.contains("r8.csv:2: role: 'S01' would be an inspector, but is the supervisor of the active agent 'A01'"), moved.stderr)
        try cli.ok(["import", "roster", cli.write("r9.csv", """
        employee_id,name,team,role,supervisor_id,active
        S02,李主管,二组,supervisor,,1
        A01,张伟,二组,agent,S02,1
        S01,王主管,质检组,inspector,,1
        """)])
        XCTAssertEqual(try cli.count("employees"), 4, "S01, A01, A02 and S02: the refused files wrote nothing")
    }
}
