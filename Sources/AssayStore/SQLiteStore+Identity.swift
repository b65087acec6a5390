import AssayCore
import Foundation
import GRDB
import Synchronization

extension SQLiteStore {
  /// Ties this store's response cache to a server from now on: answers are cached with `scope.server`, and only
  /// that server's answers are found (any server's with `scope.anyServer`; answers cached before v5, which name no
  /// server, when `scope.legacyRun` accepts a run whose sample holds them).
  public func scopeCache(to scope: CacheScope) {
    cacheScope.withLock { $0 = CacheScopeState(scope: scope) }
  }

  /// The server written beside newly cached answers (nil: none recorded, as before v5).
  var cachingServer: String? { cacheScope.withLock { $0?.scope.server } }

  /// `cachedResponses(forKeys:)` under a scope.
  func scopedCachedResponses(forKeys keys: [String], scope: CacheScope) async throws -> [String: ModelResponse] {
    try await pool.read { db in
      var found: [String: ModelResponse] = [:]
      var legacy: [String: ModelResponse] = [:]
      let decoder = JSONDecoder()
      for chunk in stride(from: 0, to: keys.count, by: 500) {
        let slice = Array(keys[chunk..<min(chunk + 500, keys.count)])
        let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
        let rows = try Row.fetchAll(
          db, sql: "SELECT key, response, server FROM response_cache WHERE key IN (\(marks))", arguments: StatementArguments(slice))
        for row in rows {
          guard let response = try? decoder.decode(ModelResponse.self, from: Data((row["response"] as String).utf8)) else { continue }
          let server: String? = row["server"]
          if scope.anyServer || server == scope.server {
            found[row["key"]] = response
          } else if server == nil, scope.legacyRun != nil {
            legacy[row["key"]] = response
          }
        }
      }
      if !legacy.isEmpty, let accepts = scope.legacyRun {
        let attributable = try self.legacyKeys(db, accepts: accepts)
        for (key, response) in legacy where attributable.contains(key) { found[key] = response }
      }
      return found
    }
  }

  /// The request keys of samples stored by runs `accepts` takes (computed once per store: it reads every sample
  /// key of those runs).
  private func legacyKeys(_ db: Database, accepts: (RunRecord) -> Bool) throws -> Set<String> {
    if let known = cacheScope.withLock({ $0?.legacyKeys }) { return known }
    let runs = try Row.fetchAll(db, sql: "SELECT * FROM run").map(Self.runRecordFromRow).filter(accepts).map(\.id)
    var keys = Set<String>()
    for run in runs {
      let rows = try String.fetchCursor(db, sql: "SELECT request_key FROM sample WHERE run_id = ?", arguments: [run])
      while let key = try rows.next() { keys.insert(key) }
    }
    cacheScope.withLock { $0?.legacyKeys = keys }
    return keys
  }

  /// Replaces a run's configuration and its hash (a run resumed under a newer identity keeps being found by it).
  public func updateConfiguration(runID: String, config: String, configHash: String) throws(AssayError) {
    try write("updating the configuration of run \(runID)") { db in
      try db.execute(sql: "UPDATE run SET config = ?, config_hash = ? WHERE id = ?", arguments: [config, configHash, runID])
    }
  }
}

/// A store's cache scope and what it learned about answers cached before v5.
struct CacheScopeState {
  var scope: CacheScope
  var legacyKeys: Set<String>?
}
