import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
  /// Copies the samples of run `sourceRunID` in the Assay database at `sourcePath` into run `runID` of this one (which
  /// must exist, with the same tasks), and the source's response cache beside them; returns the samples copied. One
  /// transaction: a sample that is already there (two shards claiming it) stops the copy with nothing written.
  public func copySamples(from sourcePath: String, run sourceRunID: String, into runID: String) throws(AssayError) -> Int {
    do {
      return try pool.writeWithoutTransaction { db in
        try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [sourcePath])
        defer { try? db.execute(sql: "DETACH DATABASE source") }
        var copied = 0
        try db.inTransaction {
          let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info('sample')").map { $0[0] as String }
            .filter { $0 != "run_id" }.joined(separator: ", ")
          try db.execute(
            sql: "INSERT INTO main.sample (run_id, \(columns)) SELECT ?, \(columns) FROM source.sample WHERE run_id = ?",
            arguments: [runID, sourceRunID])
          copied = db.changesCount
          try db.execute(sql: """
            INSERT OR IGNORE INTO main.response_cache (key, endpoint, request, response, created_at, server)
            SELECT key, endpoint, request, response, created_at, server FROM source.response_cache
            """)
          return .commit
        }
        return copied
      }
    } catch {
      throw AssayError(
        .store, "cannot copy run \(sourceRunID) from \(sourcePath) into \(path): \(error)",
        fix: "pass each shard's database once; a sample in two shards means the shards come from different plans")
    }
  }

  /// Deletes a run with its tasks and samples (the response cache stays).
  public func deleteRun(id: String) throws(AssayError) {
    try write("deleting run \(id)") { db in
      try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
    }
  }
}

extension SQLiteStore {
  /// Checkpoints the database into its main file and closes it; the store cannot be used afterwards.
  public func close() throws(AssayError) {
    do {
      try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
      try pool.close()
    } catch {
      throw AssayError(.store, "cannot close the database \(path): \(error)", fix: "check the disk and its free space")
    }
  }

  /// Copies run `runID` (run, tasks, samples) and the response cache of the Assay database at `sourcePath` into
  /// this one, in one transaction: all of it or nothing.
  public func importRun(from sourcePath: String, runID: String) throws(AssayError) {
    do {
      try pool.writeWithoutTransaction { db in
        try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [sourcePath])
        defer { try? db.execute(sql: "DETACH DATABASE source") }
        try db.inTransaction {
          for table in ["run", "run_task", "sample"] {
            let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info('\(table)')").map { $0[0] as String }
              .joined(separator: ", ")
            let key = table == "run" ? "id" : "run_id"
            try db.execute(
              sql: "INSERT INTO main.\(table) (\(columns)) SELECT \(columns) FROM source.\(table) WHERE \(key) = ?",
              arguments: [runID])
          }
          try db.execute(sql: """
            INSERT OR IGNORE INTO main.response_cache (key, endpoint, request, response, created_at, server)
            SELECT key, endpoint, request, response, created_at, server FROM source.response_cache
            """)
          return .commit
        }
      }
    } catch {
      throw AssayError(.store, "cannot copy the merged run \(runID) from \(sourcePath) into \(path): \(error)",
        fix: "check the disk and its free space; --db is unchanged")
    }
  }
}
