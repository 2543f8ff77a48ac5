import GRDB
import ScorebookCore

public struct StoredScheme {
    public var scheme: Scheme
    public var source: String
}

public enum Schemes {
    /// Stores a scheme version; the same id and version again must have the same content.
    @discardableResult
    public static func add(_ db: Database, _ scheme: Scheme, source: String, file: String) throws -> AddRubricOutcome {
        if let existing = try find(db, id: scheme.id, version: scheme.version) {
            if existing.scheme == scheme { return .unchanged }
            throw StoreError("\(file): scheme '\(scheme.id)' version \(scheme.version) is already stored with different content; give the changed scheme a higher version")
        }
        try db.execute(sql: "INSERT INTO schemes (scheme_id, version, kind, source, digest, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [scheme.id, scheme.version, scheme.kind.rawValue, source, Digest.fnv1a64(source), Clock.now()])
        return .added
    }

    public static func find(_ db: Database, id: String, version: Int? = nil) throws -> StoredScheme? {
        let row: Row?
        if let version {
            row = try Row.fetchOne(db, sql: "SELECT * FROM schemes WHERE scheme_id = ? AND version = ?", arguments: [id, version])
        } else {
            row = try Row.fetchOne(db, sql: "SELECT * FROM schemes WHERE scheme_id = ? ORDER BY version DESC LIMIT 1", arguments: [id])
        }
        guard let row else { return nil }
        let source: String = row["source"]
        let id: String = row["scheme_id"]
        let version: Int = row["version"]
        return StoredScheme(scheme: try SchemeParser.parse(source, file: "stored scheme \(id) v\(version)"), source: source)
    }

    public static func all(_ db: Database) throws -> [StoredScheme] {
        try Row.fetchAll(db, sql: "SELECT scheme_id, version FROM schemes ORDER BY scheme_id, version").compactMap { row in
            try find(db, id: row["scheme_id"], version: row["version"])
        }
    }
}
