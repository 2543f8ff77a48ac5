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
        Bcrypt.verify(password, hash: hash)
    }

    /// Why a password is refused, or nil.
    public static func policyProblem(_ password: String) -> String? {
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
final class SignInThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [String: (count: Int, until: Date?)] = [:]
    let limit: Int
    let lockout: TimeInterval

    init(limit: Int = 5, lockout: TimeInterval = 15 * 60) {
        self.limit = limit
        self.lockout = lockout
    }

    /// Seconds left of a lockout, or nil when the id may try.
    func lockedFor(_ id: String, now: Date = Date()) -> Int? {
        lock.withLock {
            guard let until = table[id]?.until else { return nil }
            if until <= now { table[id] = nil; return nil }
            return Int(until.timeIntervalSince(now).rounded(.up))
        }
    }

    func failed(_ id: String, now: Date = Date()) {
        lock.withLock {
            let count = (table[id]?.count ?? 0) + 1
            table[id] = (count, count >= limit ? now.addingTimeInterval(lockout) : nil)
        }
    }

    func succeeded(_ id: String) {
        lock.withLock { table[id] = nil }
    }
}
