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
