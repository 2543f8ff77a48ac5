import Foundation
import GRDB
import GRDBSQLite

/// A prepared GRDB statement bound, stepped and read through SQLite's C API, for the loops that run once per
/// session over a whole period (full-coverage inspection reads and writes, session imports), where building `StatementArguments`
/// and `Row` values per row costs more than SQLite's own work. Values are still bound parameters, never
/// spliced into SQL. Columns and parameters are 0-based here (SQLite's parameters are 1-based).
struct RawStatement {
    private let statement: Statement
    private let handle: OpaquePointer

    init(_ statement: Statement) {
        self.statement = statement
        handle = statement.sqliteStatement
    }

    /// SQLite copies the bytes before the bind call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index + 1); return }
        value.withUTF8 { bytes in bindText(index, bytes) }
    }

    /// UTF-8 text given as bytes.
    func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        if let base = bytes.baseAddress {
            sqlite3_bind_text(handle, index + 1, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                              Int32(bytes.count), Self.transient)
        } else {
            sqlite3_bind_text(handle, index + 1, "", 0, Self.transient)
        }
    }

    /// A BLOB; an empty one stays an empty BLOB (SQLite binds NULL for a nil pointer, so an empty buffer
    /// gets a dummy non-nil one with length 0).
    func bind(_ index: Int32, _ value: Data) {
        _ = value.withUnsafeBytes { bytes in
            sqlite3_bind_blob(handle, index + 1, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, Int32(bytes.count), Self.transient)
        }
    }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index + 1, value) } else { sqlite3_bind_null(handle, index + 1) }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index + 1, value) } else { sqlite3_bind_null(handle, index + 1) }
    }

    func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    func bind(_ index: Int32, _ value: Bool?) { bind(index, value.map { $0 ? Int64(1) : 0 }) }

    /// Runs a statement that returns no rows, then resets it.
    func execute() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
        sqlite3_reset(handle)
    }

    /// Steps to the next row; false at the end.
    func next() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw failure(code)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(handle, column) }

    func int(_ column: Int32) -> Int? { isNull(column) ? nil : Int(sqlite3_column_int64(handle, column)) }

    func bool(_ column: Int32) -> Bool? { isNull(column) ? nil : sqlite3_column_int64(handle, column) != 0 }

    /// Appends a BLOB column's bytes to `buffer`; returns their count, or nil for NULL.
    func appendBlob(_ column: Int32, to buffer: inout [UInt8]) -> Int? {
        guard !isNull(column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return 0 }
        buffer.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
        return count
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
