import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
import ScorebookCore
import ScorebookStore

/// The web app's commands through the built binary: passwords, disputes from the command line, and
/// `serve` answering on a real port.
final class WebCLITests: XCTestCase {
    func testPasswordsAreCheckedHashedAndAudited() throws {
        let cli = try CLIHarness().seeded()
        let short = try cli.run(["password", "A01"], stdin: "short\n")
        XCTAssertNotEqual(short.status, 0)
        XCTAssertTrue(short.stderr.contains("password for A01: a password needs at least 10 characters"), short.stderr)
        let unknown = try cli.run(["password", "NOBODY"], stdin: "a long enough password\n")
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown employee 'NOBODY'"), unknown.stderr)
        XCTAssertEqual(try cli.count("credentials"), 0)

        let set = try cli.run(["password", "A01"], stdin: "柜面服务 2026 good\n")
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertEqual(set.stdout, "Password set for A01.\n")
        let store = try Store(path: cli.db, migrate: false)
        let hash = try XCTUnwrap(try store.read { db in try Credentials.passwordHash(db, employeeID: "A01") })
        XCTAssertTrue(hash.hasPrefix("$2b$12$"), hash)
        let audit = try cli.json(["audit", "--entity", "employee", "--action", "set-password"])
        XCTAssertEqual(audit.map { $0["entity_id"] as? String }, ["A01"])
        XCTAssertFalse(try cli.ok(["audit", "--entity", "employee", "--format", "json"]).contains(hash), "the hash is not in the audit log")
        XCTAssertEqual(try cli.run(["password", "A01"], stdin: "another long password\n").status, 0)
        XCTAssertEqual(try cli.json(["audit", "--entity", "employee"]).map { $0["action"] as? String }.filter { $0 != "add" },
                       ["set-password", "reset-password"])
    }

    func testDisputesAreListedAndAnsweredFromTheCommandLine() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["inspect", "--session", "C1", "--rubric", "video-service", "--inspector", "Q01",
                    "--answer", "greeting_in_time=no", "--submit"])
        let id = try XCTUnwrap(try cli.json(["inspections", "--period", "2026-10"]).first?["id"] as? Int)
        XCTAssertEqual(try cli.json(["disputes"]).count, 0)
        let store = try Store(path: cli.db, migrate: false)
        try store.write { db in
            try InspectionResponses.respond(db, inspectionID: Int64(id), agentID: "A01", dispute: "录音开头就有问候", actor: "A01")
        }
        let open = try cli.json(["disputes", "--period", "2026-10"])
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open.first?["status"] as? String, "disputed")
        XCTAssertEqual(open.first?["reason"] as? String, "录音开头就有问候")

        let both = try cli.run(["dispute", String(id), "--uphold", "--overturn", "--answer", "x"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("exactly one of --uphold and --overturn"), both.stderr)
        let byAgent = try cli.run(["dispute", String(id), "--uphold", "--answer", "x", "--inspector", "A02"])
        XCTAssertNotEqual(byAgent.status, 0)
        XCTAssertTrue(byAgent.stderr.contains("'A02' (an agent) cannot answer a dispute"), byAgent.stderr)
        try cli.ok(["dispute", String(id), "--overturn", "--answer", "问候在 1.5 秒，已改判", "--inspector", "Q01"])
        XCTAssertEqual(try cli.json(["disputes"]).count, 0, "no open dispute left")
        let answered = try cli.json(["disputes", "--status", "overturned"])
        XCTAssertEqual(answered.first?["answered_by"] as? String, "Q01")
        XCTAssertEqual(answered.first?["answer"] as? String, "问候在 1.5 秒，已改判")
        let bad = try cli.run(["disputes", "--status", "closed"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--status must be all or one of acknowledged, disputed, upheld, overturned"), bad.stderr)

        // Overturned and never re-scored: finalizing would lock the score the answer agreed was wrong.
        try cli.ok(["appraise", "--period", "2026-10"])
        let refused = try cli.run(["finalize", "--period", "2026-10"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("inspection \(id): its dispute was overturned by Q01"), refused.stderr)
        // a comment alone is no re-score: still refused
        try cli.ok(["inspect", "--session", "C1", "--rubric", "video-service", "--inspector", "Q01",
                    "--answer", "greeting_in_time=no", "--comment", "见申诉", "--submit"])
        try cli.ok(["appraise", "--period", "2026-10"])
        XCTAssertNotEqual(try cli.run(["finalize", "--period", "2026-10"]).status, 0)
        // the re-score the answer promised: the answer was about the old score, so it is withdrawn (audited) and
        // the agent answers the new one
        try cli.ok(["inspect", "--session", "C1", "--rubric", "video-service", "--inspector", "Q01",
                    "--answer", "greeting_in_time=yes", "--submit"])
        XCTAssertEqual(try cli.json(["disputes", "--status", "all"]).count, 0)
        XCTAssertTrue(try cli.ok(["audit", "--entity", "inspection", "--action", "withdraw-dispute-answer"]).contains("its dispute was overturned"))
        try cli.ok(["appraise", "--period", "2026-10"])
        try cli.ok(["finalize", "--period", "2026-10"])
    }

    /// An upheld dispute ("the score stands") and then a re-score lower: the response stayed `upheld` and the
    /// agent could not contest the new score (409 "already upheld").
    func testAnAnsweredDisputeIsWithdrawnWhenTheScoreChanges() throws {
        let cli = try CLIHarness().seeded()
        try cli.ok(["inspect", "--session", "C1", "--rubric", "video-service", "--inspector", "Q01",
                    "--answer", "greeting_in_time=no", "--submit"])
        let id = Int64(try XCTUnwrap(try cli.json(["inspections", "--period", "2026-10"]).first?["id"] as? Int))
        let store = try Store(path: cli.db, migrate: false)
        try store.write { db in
            try InspectionResponses.respond(db, inspectionID: id, agentID: "A01", dispute: "有问候", actor: "A01")
        }
        try cli.ok(["dispute", String(id), "--uphold", "--answer", "维持原判", "--inspector", "Q01"])
        try cli.ok(["inspect", "--session", "C1", "--rubric", "video-service", "--inspector", "Q01",
                    "--answer", "verify_identity=no", "--submit"])
        XCTAssertEqual(try cli.json(["disputes", "--status", "all"]).count, 0, "the upheld answer was about the old score")
        try store.write { db in  // the agent disputes the new score
            try InspectionResponses.respond(db, inspectionID: id, agentID: "A01", dispute: "核身做了", actor: "A01")
        }
        XCTAssertEqual(try cli.json(["disputes"]).first?["reason"] as? String, "核身做了")
        // overturned, and then the score stands after all: upheld instead, and the month can be finalized
        try cli.ok(["dispute", String(id), "--overturn", "--answer", "复核中", "--inspector", "Q01"])
        try cli.ok(["appraise", "--period", "2026-10"])
        XCTAssertNotEqual(try cli.run(["finalize", "--period", "2026-10"]).status, 0)
        try cli.ok(["dispute", String(id), "--uphold", "--answer", "复核后维持", "--inspector", "Q01"])
        XCTAssertNotEqual(try cli.run(["dispute", String(id), "--overturn", "--answer", "x", "--inspector", "Q01"]).status, 0,
                          "an upheld dispute is not overturned afterwards")
        try cli.ok(["finalize", "--period", "2026-10"])
    }

    func testServeAnswersOnARealPort() throws {
        let cli = try CLIHarness().seeded()
        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = ["serve", "--port", "0", "--db", cli.db]
        process.currentDirectoryURL = cli.dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        // The first line names the port the system chose.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        let port = try XCTUnwrap(text.split(separator: ":").dropFirst(2).first.flatMap { Int($0.prefix { $0.isNumber }) }, text)
        XCTAssertTrue(text.hasPrefix("Scorebook web app on http://127.0.0.1:\(port)"), text)

        func get(_ path: String) throws -> (Int, String, String?) {
            var result: (Int, String, String?) = (0, "", nil)
            let done = DispatchSemaphore(value: 0)
            let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
            session.dataTask(with: URL(string: "http://127.0.0.1:\(port)\(path)")!) { data, response, _ in
                let http = response as? HTTPURLResponse
                result = (http?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self),
                          http?.value(forHTTPHeaderField: "Location"))
                done.signal()
            }.resume()
            _ = done.wait(timeout: .now() + 20)
            return result
        }
        let health = try get("/health")
        XCTAssertEqual(health.0, 200)
        XCTAssertEqual(health.1, "ok")
        let page = try get("/inspections")
        XCTAssertEqual(page.0, 303)
        XCTAssertEqual(page.2, "/login")
        let login = try get("/login")
        XCTAssertEqual(login.0, 200)
        XCTAssertTrue(login.1.contains("name=\"employee_id\""))
    }
}

/// Keeps redirects visible to the test.
final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
