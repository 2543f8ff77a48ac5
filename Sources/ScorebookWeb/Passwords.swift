import Foundation
import HummingbirdBcrypt

/// Password hashing for web sign-in: bcrypt (HummingbirdBcrypt), the hash alone is stored.
public enum Passwords {
    public static let minimumLength = 10

    /// Checks the policy and hashes. `cost` is bcrypt's work factor (12 ≈ a quarter second here; tests use less).
    public static func hash(_ password: String, cost: UInt8 = 12) throws -> String {
        if let problem = policyProblem(password) { throw PasswordPolicyError(reason: problem) }
        return hashUnchecked(password, cost: cost)
    }

    static func hashUnchecked(_ password: String, cost: UInt8) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        // never accepted by the policy; bcrypt would read only what comes before a NUL
        guard !password.utf8.contains(0) else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// What a session remembers of the password it was opened with: the end of the bcrypt hash (salt and
    /// digest, new with every hash). A password change or reset changes it, and every other session of the
    /// employee is signed out on its next request.
    public static func stamp(_ hash: String?) -> String { String((hash ?? "").suffix(16)) }

    /// Why a password is refused, or nil.
    public static func policyProblem(_ password: String) -> String? {
        // bcrypt stops at a NUL byte: "\0Long-Secret" would be the empty password
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a password may not contain control characters (NUL, tab, line breaks…)"
        }
        if password.count < minimumLength { return "a password needs at least \(minimumLength) characters" }
        if password.utf8.count > 72 { return "bcrypt uses at most 72 bytes of a password: choose a shorter one" }
        return nil
    }
}

public struct PasswordPolicyError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Runs the bcrypt checks of sign-ins one at a time on a thread of their own. A check takes about a quarter
/// of a second of CPU (cost 12): run inline, a handful of sign-ins at once (a flood of wrong passwords) held
/// every thread of Swift's concurrency pool — one per core — and every page waited. Here they queue on one
/// thread, the other core keeps serving pages, and past `limit` waiting checks a sign-in is refused at once
/// (the route answers 503) instead of queueing for minutes.
final class PasswordChecks: @unchecked Sendable {
    private let queue = DispatchQueue(label: "scorebook.bcrypt")
    private let lock = NSLock()
    private var waiting = 0
    let limit: Int

    init(limit: Int = 16) {
        self.limit = limit
    }

    /// Whether `password` matches `hash`; nil when `limit` checks are already waiting.
    func verify(_ password: String, hash: String) async -> Bool? {
        await run { Passwords.verify(password, hash: hash) }
    }

    /// A new hash (the policy is checked by the caller); nil when `limit` checks are already waiting.
    func hash(_ password: String, cost: UInt8) async -> String? {
        await run { Passwords.hashUnchecked(password, cost: cost) }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        let admitted = lock.withLock {
            guard waiting < limit else { return false }
            waiting += 1
            return true
        }
        guard admitted else { return nil }
        return await withCheckedContinuation { continuation in
            queue.async {
                let result = work()
                self.lock.withLock { self.waiting -= 1 }
                continuation.resume(returning: result)
            }
        }
    }
}

/// Failed sign-ins per employee id: after `limit` failures in a row the id is refused for `lockout`
/// (guessing a password over the network then takes forever). A success clears the count.
///
/// An attempt is counted when it is *admitted*, before its password is checked: checks take a quarter of a
/// second and queue, so counting only failures let a burst of guesses sent at once all pass the check
/// before the first failure was counted (fifteen wrong guesses, then the right one signed in).
final class SignInThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [String: (count: Int, until: Date?)] = [:]
    let limit: Int
    let lockout: TimeInterval

    init(limit: Int = 5, lockout: TimeInterval = 15 * 60) {
        self.limit = limit
        self.lockout = lockout
    }

    /// Admits one attempt for `id` and counts it, or returns the seconds of lockout left. The attempt then
    /// ends with `succeeded`, `failed` or `withdrawn` (not checked after all).
    func admit(_ id: String, now: Date = Date()) -> Int? {
        lock.withLock {
            if let seconds = locked(id, now) { return seconds }
            let count = (table[id]?.count ?? 0) + 1
            guard count <= limit else {
                // attempts still being checked have used up this id's tries: lock it now
                table[id] = (count - 1, now.addingTimeInterval(lockout))
                return Int(lockout)
            }
            table[id] = (count, nil)
            return nil
        }
    }

    func withdrawn(_ id: String) {
        lock.withLock {
            if let entry = table[id], entry.until == nil { table[id] = (max(0, entry.count - 1), nil) }
        }
    }

    private func locked(_ id: String, _ now: Date) -> Int? {
        guard let until = table[id]?.until else { return nil }
        if until <= now { table[id] = nil; return nil }
        return Int(until.timeIntervalSince(now).rounded(.up))
    }

    /// An admitted attempt failed (it was counted when admitted).
    func failed(_ id: String, now: Date = Date()) {
        lock.withLock {
            let count = max(table[id]?.count ?? 0, 1)
            table[id] = (count, count >= limit ? (table[id]?.until ?? now.addingTimeInterval(lockout)) : table[id]?.until)
        }
    }

    func succeeded(_ id: String) {
        lock.withLock { table[id] = nil }
    }
}
