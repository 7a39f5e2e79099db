import CSQLite
import Foundation
import RPTCore

/// A value of a table cell (SQLite storage classes).
public enum SQLValue: Equatable, Sendable {
    case integer(Int)
    case real(Double)
    case text(String)
    case null

    /// The CSV rendering (empty for null; reals with 17 significant digits so they read back exactly).
    var csv: String {
        switch self {
        case let .integer(i): return "\(i)"
        case let .real(x): return x.isFinite ? String(format: "%.17g", x) : ""
        case let .text(s): return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        case .null: return ""
        }
    }
}

/// A minimal writer over the SQLite C library (Debian libsqlite3-dev): create tables and insert rows in
/// one transaction.
final class SQLiteDatabase {
    private var db: OpaquePointer?
    let path: String

    init(path: String) throws {
        self.path = path
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw InputError(source: path, reason: "cannot create SQLite database: \(message)")
        }
    }

    deinit { sqlite3_close(db) }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw InputError(source: path, field: "sql", value: sql, reason: message)
        }
    }

    /// Inserts `rows` into `table` (columns in order).
    func insert(_ table: String, columns: [String], rows: [[SQLValue]]) throws {
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw InputError(source: path, field: "sql", value: sql, reason: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for row in rows {
            sqlite3_reset(statement)
            for (i, v) in row.enumerated() {
                let k = Int32(i + 1)
                switch v {
                case let .integer(x): sqlite3_bind_int64(statement, k, sqlite3_int64(x))
                case let .real(x): if x.isFinite { sqlite3_bind_double(statement, k, x) } else { sqlite3_bind_null(statement, k) }
                case let .text(s): sqlite3_bind_text(statement, k, s, -1, transient)
                case .null: sqlite3_bind_null(statement, k)
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else {
                throw InputError(source: path, field: table, reason: String(cString: sqlite3_errmsg(db)))
            }
        }
    }
}
