import GRDB
import ScorebookCore

public struct StoredScheme {
    public var scheme: Scheme
    public var source: String
    /// Tells apart the contents stored under one id and version (`Schemes.use`).
    public var digest: String
}

/// Stored appraisal schemes. A scheme is identified by id and version; when a file changes without a new
/// version, `use` keeps the new content as another variant of that version (told apart by digest) so that
/// every appraisal can be traced to the exact content it was computed with, and `add` refuses it.
public enum Schemes {
    /// Stores a scheme version (`scheme add`, `init`); the same id and version again must have the same
    /// content as one stored.
    @discardableResult
    public static func add(_ db: Database, _ scheme: Scheme, source: String, file: String) throws -> AddRubricOutcome {
        let variants = try self.variants(db, id: scheme.id, version: scheme.version)
        if variants.contains(where: { $0.scheme == scheme }) { return .unchanged }
        guard variants.isEmpty else {
            throw StoreError("\(file): scheme '\(scheme.id)' version \(scheme.version) is already stored with different content; give the changed scheme a higher version")
        }
        try insert(db, scheme, source: source)
        return .added
    }

    /// True when `scheme`'s id and version are stored with other content only: using it makes a new variant
    /// that the workbook, `appraisals` and `explain` show under the same "id vN" as the others.
    public static func isNewVariant(_ db: Database, _ scheme: Scheme) throws -> Bool {
        let variants = try self.variants(db, id: scheme.id, version: scheme.version)
        return !variants.isEmpty && !variants.contains { $0.scheme == scheme }
    }

    /// Stores the scheme a computation is about to use, as written: a content not stored yet under its id
    /// and version is added as a variant (and audited); the same content again changes nothing.
    @discardableResult
    public static func use(_ db: Database, _ scheme: Scheme, source: String, file: String, actor: String) throws -> AddRubricOutcome {
        let variants = try self.variants(db, id: scheme.id, version: scheme.version)
        if variants.contains(where: { $0.scheme == scheme }) { return .unchanged }
        let digest = try insert(db, scheme, source: source)
        if !variants.isEmpty {
            try AuditLog.append(db, actor: actor, action: "add-variant", entity: "scheme", entityID: "\(scheme.id) v\(scheme.version)",
                                before: ["digests": variants.map(\.digest).joined(separator: ",")],
                                after: ["digest": digest, "file": file])
        }
        return .added
    }

    @discardableResult
    private static func insert(_ db: Database, _ scheme: Scheme, source: String) throws -> String {
        let digest = Digest.fnv1a64(source)
        try db.execute(sql: "INSERT INTO schemes (scheme_id, version, kind, source, digest, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [scheme.id, scheme.version, scheme.kind.rawValue, source, digest, Clock.now()])
        return digest
    }

    /// The digest of the stored variant equal to `scheme`, nil when it is not stored.
    public static func digest(_ db: Database, of scheme: Scheme) throws -> String? {
        try variants(db, id: scheme.id, version: scheme.version).first { $0.scheme == scheme }?.digest
    }

    /// A stored scheme: the given variant, else the latest stored content of that version (of the highest
    /// version when none is given).
    public static func find(_ db: Database, id: String, version: Int? = nil, digest: String? = nil) throws -> StoredScheme? {
        var sql = "SELECT * FROM schemes WHERE scheme_id = ?"
        var arguments: StatementArguments = [id]
        if let version { sql += " AND version = ?"; arguments += [version] }
        if let digest { sql += " AND digest = ?"; arguments += [digest] }
        sql += " ORDER BY version DESC, rowid DESC LIMIT 1"
        return try Row.fetchOne(db, sql: sql, arguments: arguments).map(decode)
    }

    /// Every stored content, by id, version and the order stored.
    public static func all(_ db: Database) throws -> [StoredScheme] {
        try Row.fetchAll(db, sql: "SELECT * FROM schemes ORDER BY scheme_id, version, rowid").map(decode)
    }

    private static func variants(_ db: Database, id: String, version: Int) throws -> [StoredScheme] {
        try Row.fetchAll(db, sql: "SELECT * FROM schemes WHERE scheme_id = ? AND version = ? ORDER BY rowid",
                         arguments: [id, version]).map(decode)
    }

    private static func decode(_ row: Row) throws -> StoredScheme {
        let source: String = row["source"]
        let id: String = row["scheme_id"]
        let version: Int = row["version"]
        return StoredScheme(scheme: try SchemeParser.parse(source, file: "stored scheme \(id) v\(version)", strict: false), source: source,
                            digest: row["digest"])
    }
}
