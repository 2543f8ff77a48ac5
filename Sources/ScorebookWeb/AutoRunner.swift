import Foundation
import ScorebookCore
import ScorebookStore

/// The web app's full-coverage run: at most one at a time per server, on a thread of its own (a run of a
/// large month takes tens of seconds, far longer than a request), with its progress kept for the page.
/// The run is `AutoInspections.run`, exactly as `scorebook inspect auto` runs it: resumable, so a server
/// stopped mid-run loses nothing — the next run scores the sessions still without an automatic inspection.
final class AutoRunner: @unchecked Sendable {
    struct Status {
        var period: String
        var rubricID: String
        var rubricVersion: Int
        var rescore: Bool
        var startedBy: String
        var started: Date
        var done = 0
        var total = 0
        var finished: Date?
        var summary: AutoRunSummary?
        var failure: String?

        var running: Bool { finished == nil }
    }

    private let lock = NSLock()
    private var latest: Status?

    /// The run going on, or the last one this server ran.
    var status: Status? {
        lock.lock(); defer { lock.unlock() }
        return latest
    }

    /// Starts the run unless one is going on (then returns that one's status and starts nothing).
    func start(store: Store, rubric: Rubric, period: String, rescore: Bool, actor: String) -> Status? {
        lock.lock()
        if let latest, latest.running {
            lock.unlock()
            return latest
        }
        latest = Status(period: period, rubricID: rubric.id, rubricVersion: rubric.version, rescore: rescore,
                        startedBy: actor, started: Date())
        lock.unlock()
        let thread = Thread { [self] in
            let outcome = Result {
                try AutoInspections.run(store, rubric: rubric, period: period, rescore: rescore, actor: actor) { done, total in
                    self.update { $0.done = done; $0.total = total }
                }
            }
            update { status in
                status.finished = Date()
                switch outcome {
                case .success(let summary): status.summary = summary
                case .failure(let error): status.failure = "\(StoreError.busy(error) ?? error)"
                }
            }
        }
        thread.stackSize = 1 << 22
        thread.start()
        return nil
    }

    private func update(_ change: (inout Status) -> Void) {
        lock.lock(); defer { lock.unlock() }
        if latest != nil { change(&latest!) }
    }
}
