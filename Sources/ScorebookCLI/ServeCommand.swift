import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookStore
import ScorebookWeb

/// `scorebook serve`: the web app for agents, inspectors, supervisors and HR on the same database.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web app (sign in with an employee id and a password set by `scorebook password`).",
        discussion: """
            Agents read their submitted inspections, acknowledge or dispute them and enter their self-rating;
            inspectors score their assigned sessions and answer disputes; supervisors rate their direct reports
            and see their people's appraisals; the center's lead (the supervisor above every agent) runs the
            month's appraisal with --scheme, finalizes it and downloads the workbook; HR sees every appraisal
            and downloads the workbook of a finalized month. Listens on 127.0.0.1 unless --host says otherwise:
            put it behind a TLS-terminating proxy (and pass --secure-cookie) to serve a network.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 = any free port; the chosen one is printed).") var port = 8080
    @Option(help: "Monthly appraisal scheme (rating scales, and the appraisal run from the web): a stored id or a YAML file (default: monthly).")
    var scheme: String?
    @Option(help: "Comma-separated criteria of the rating forms (default: those already used in the database).")
    var criteria: String?
    @Flag(help: "Send the session cookie over HTTPS only.") var secureCookie = false

    func run() throws {
        let db = try store.open(concurrentReads: true)
        if !db.concurrentReads {
            print("note: another program (a sessions import) holds \(db.path) in rollback-journal mode: serving on one connection — pages wait for it until it is done; restart the web app afterwards to read beside writers again")
        }
        let chosen = try SchemeChoice.resolve(scheme, kind: .monthly, db: db, storeIt: true, actor: store.actorName)
        let list = criteria.map(commaList) ?? []
        let settings = WebSettings(scales: SchemeChoice.ratingScales(chosen), criteria: list, secureCookie: secureCookie,
                                   monthlyScheme: chosen)
        let host = self.host, port = self.port
        let outcome = BlockingTask {
            try await WebApp.serve(store: db, settings: settings, host: host, port: port) { bound in
                print("Scorebook web app on http://\(host):\(bound) (database \(db.path)); Ctrl-C stops it.")
                fflush(stdout)
            }
        }
        try outcome.wait()
    }
}

/// Runs async work from a synchronous command and waits for it (the CLI's commands are synchronous).
final class BlockingTask: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var error: Error?

    init(_ body: @escaping @Sendable () async throws -> Void) {
        Task {
            do { try await body() } catch { self.error = error }
            self.done.signal()
        }
    }

    func wait() throws {
        done.wait()
        if let error { throw error }
    }
}

/// `scorebook password EMPLOYEE`: sets the web sign-in password (read from the terminal without echo, or
/// from the first line of standard input). Only the bcrypt hash is stored; the audit log records who set it.
struct PasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Set an employee's web sign-in password (from the terminal, or the first line of stdin).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Employee id.") var employee: String

    func run() throws {
        let password: String
        if isatty(STDIN_FILENO) != 0 {
            guard let first = getpass("New password for \(employee): "), let second = getpass("Again: ") else {
                throw CLIError("no password read")
            }
            guard String(cString: first) == String(cString: second) else { throw CLIError("the two passwords differ") }
            password = String(cString: first)
        } else {
            guard let line = readLine(strippingNewline: true) else { throw CLIError("no password on standard input") }
            password = line
        }
        let hash: String
        do {
            hash = try Passwords.hash(password)
        } catch let error as PasswordPolicyError {
            throw CLIError("password for \(employee): \(error.reason)")
        }
        let db = try store.open()
        try db.write { db in try Credentials.setHash(db, employeeID: employee, hash: hash, actor: store.actorName) }
        print("Password set for \(employee).")
    }
}
