import Foundation
import XCTest
import GRDB
import ScorebookStore

/// Runs the built `scorebook` binary in a fresh temporary folder with its own database.
final class CLIHarness {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let dir: URL
    var db: String { dir.appendingPathComponent("scorebook.db").path }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("scorebook-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    static var binary: URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for folder in candidates {
            let url = folder.appendingPathComponent("scorebook")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        fatalError("scorebook binary not found next to the test bundle; run `swift build` first")
    }

    @discardableResult
    func run(_ arguments: [String], env: [String: String] = [:], stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["SCOREBOOK_DB"] = db
        environment["SCOREBOOK_USER"] = "tester"
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and fails the test unless the command succeeds.
    @discardableResult
    func ok(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try run(arguments)
        XCTAssertEqual(result.status, 0, "scorebook \(arguments.joined(separator: " ")) failed: \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func count(_ table: String) throws -> Int {
        try Store(path: db, migrate: false).count(table)
    }

    /// The rows of a query on the test's database, as sqlite3 prints them (`a|b`, one row per line, NULL empty).
    func sqlite(_ sql: String) throws -> String {
        try Store(path: db, migrate: false).writer.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { value -> String in
                    switch value.storage {
                    case .null: return ""
                    case .int64(let i): return String(i)
                    case .double(let d): return String(d)
                    case .string(let s): return s
                    case .blob(let b): return "<\(b.count) bytes>"
                    }
                }.joined(separator: "|")
            }.joined(separator: "\n")
        }
    }

    /// Another program's SQLite database (one `customers` table, rollback journal) at `path`.
    func makeForeignDatabase(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('x')")
        }
    }

    func json(_ arguments: [String]) throws -> [[String: Any]] {
        let out = try ok(arguments + ["--format", "json"])
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]] ?? []
    }

    static let roster = """
    employee_id,name,team,role,supervisor_id,active
    S01,王主管,视频客服一组,supervisor,,1
    Q01,李质检,质检组,inspector,S01,1
    A01,张伟,视频客服一组,agent,S01,1
    A02,刘洋,视频客服一组,agent,S01,1
    """

    static let sessionsCSV = """
    session_id,agent_id,channel,started_at,ended_at,wait_seconds,first_response_seconds,handle_seconds,resolved,transferred,csat
    C1,A01,phone,2026-10-03T09:15:00+08:00,2026-10-03T09:20:00+08:00,12,3.5,300,1,0,5
    C2,A02,chat,2026-10-04 10:00:00,2026-10-04 10:08:00,,,480,0,1,
    """

    static let sessionsJSONL = """
    {"session_id":"V1","agent_id":"A01","channel":"video","started_at":"2026-10-05T09:00:00+08:00","ended_at":"2026-10-05T09:06:00+08:00","wait_seconds":8,"first_response_seconds":2,"handle_seconds":360,"resolved":1,"transferred":0,"csat":4,"turns":[{"at":1.5,"end":4.0,"speaker":"agent","text":"您好，这里是视频客服，工号1024"},{"at":4.5,"end":7,"speaker":"customer","text":"我想查一下信用卡账单"}]}
    {"session_id":"V2","agent_id":"A02","channel":"video","started_at":"2026-10-06T14:00:00+08:00","ended_at":"2026-10-06T14:03:00+08:00","wait_seconds":20,"first_response_seconds":6,"handle_seconds":180,"resolved":true,"transferred":false,"csat":null,"turns":[]}
    """

    /// A database with the shipped rubric, the roster and four sessions.
    func seeded() throws -> CLIHarness {
        try ok(["init"])
        try ok(["import", "roster", write("roster.csv", Self.roster)])
        try ok(["import", "sessions", write("sessions.csv", Self.sessionsCSV)])
        try ok(["import", "sessions", write("sessions.jsonl", Self.sessionsJSONL)])
        return self
    }
}
