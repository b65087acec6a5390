import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
  /// Checks an existing database file before it is opened for writing, on a read-only connection, so a file that
  /// is damaged (`PRAGMA quick_check`), not SQLite, or another program's database (tables without Assay's
  /// migrations, or migrations Assay does not know) is refused with the file left byte for byte as it was. A
  /// missing or empty file passes: it becomes a new database.
  static func checkExisting(path: String) throws(AssayError) {
    let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    guard size > 0 else { return }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(30)
    let problem: String?
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      defer { try? queue.close() }
      problem = try queue.read { db -> String? in
        let check = try String.fetchAll(db, sql: "PRAGMA quick_check(5)")
        if check != ["ok"] {
          let report = check.joined(separator: "; ").split(whereSeparator: \.isNewline).joined(separator: "; ")
          return "damaged: quick_check reports \(report)"
        }
        let tables = Set(try String.fetchAll(
          db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        if tables.isEmpty { return nil }
        guard tables.contains("grdb_migrations") else {
          return "not an Assay database: it has the tables \(tables.sorted().joined(separator: ", ")) and no Assay schema"
        }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let known = StoreMigrations.migrator.migrations
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty {
          return "not a database this Assay knows: it has the migrations \(unknown.joined(separator: ", ")) (another program's, or a newer Assay's)"
        }
        if let first = known.first, applied.contains(first), !tables.isSuperset(of: ["run", "run_task", "sample", "response_cache"]) {
          return "damaged: Assay's tables are missing (it has \(tables.sorted().joined(separator: ", ")))"
        }
        return nil
      }
    } catch {
      let text = "\(error)"
      if let error = error as? DatabaseError, error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
        throw AssayError(.store, "the database \(path) stayed locked for 30 s - while checking it before use: \(text)",
          fix: "wait for the other process using it, or pass --db to use another file")
      }
      throw AssayError(
        .store, "the file \(path) is not a readable SQLite database - while checking it before use: \(text)",
        fix: damagedFix(path))
    }
    if let problem {
      throw AssayError(
        .store, "the database \(path) is \(problem); nothing was written to it",
        fix: problem.hasPrefix("damaged") ? damagedFix(path) : "pass --db with an Assay database, or a new path")
    }
  }
}
