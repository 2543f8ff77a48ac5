import Foundation
import GRDB
import ScorebookCore

/// A stored rubric version.
public struct StoredRubric {
    public var rubric: Rubric
    public var source: String
    public var digest: String
    public var addedAt: String
}

public enum AddRubricOutcome: Equatable {
    case added
    case unchanged
}

public enum Rubrics {
    /// Stores a rubric version. The same id and version again is accepted only if its content is unchanged;
    /// a changed file must carry a higher version, so inspections scored with the old one keep theirs.
    @discardableResult
    public static func add(_ db: Database, _ rubric: Rubric, source: String, file: String) throws -> AddRubricOutcome {
        if let existing = try find(db, id: rubric.id, version: rubric.version) {
            if existing.rubric == rubric { return .unchanged }
            throw StoreError("\(file): rubric '\(rubric.id)' version \(rubric.version) is already stored with different content; give the changed rubric a higher version")
        }
        try db.execute(sql: "INSERT INTO rubrics (rubric_id, version, name, source, digest, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [rubric.id, rubric.version, rubric.name, source, Digest.fnv1a64(source), Clock.now()])
        return .added
    }

    public static func latestVersion(_ db: Database, id: String) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT MAX(version) FROM rubrics WHERE rubric_id = ?", arguments: [id])
    }

    /// The given version, or the latest one when `version` is nil.
    public static func find(_ db: Database, id: String, version: Int? = nil) throws -> StoredRubric? {
        let row: Row?
        if let version {
            row = try Row.fetchOne(db, sql: "SELECT * FROM rubrics WHERE rubric_id = ? AND version = ?", arguments: [id, version])
        } else {
            row = try Row.fetchOne(db, sql: "SELECT * FROM rubrics WHERE rubric_id = ? ORDER BY version DESC LIMIT 1", arguments: [id])
        }
        guard let row else { return nil }
        return try decode(row)
    }

    public static func require(_ db: Database, id: String, version: Int? = nil) throws -> StoredRubric {
        guard let stored = try find(db, id: id, version: version) else {
            let what = version.map { "rubric '\(id)' version \($0)" } ?? "rubric '\(id)'"
            throw StoreError("\(what) is not in the database (add it with `scorebook rubric add FILE`)")
        }
        return stored
    }

    public static func all(_ db: Database) throws -> [StoredRubric] {
        try Row.fetchAll(db, sql: "SELECT * FROM rubrics ORDER BY rubric_id, version").map(decode)
    }

    static func decode(_ row: Row) throws -> StoredRubric {
        let source: String = row["source"]
        let id: String = row["rubric_id"]
        let version: Int = row["version"]
        let rubric = try RubricParser.parse(source, file: "stored rubric \(id) v\(version)", strict: false)
        return StoredRubric(rubric: rubric, source: source, digest: row["digest"], addedAt: row["added_at"])
    }
}

/// Content fingerprints for stored definitions (not a security measure).
enum Digest {
    static func fnv1a64(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
