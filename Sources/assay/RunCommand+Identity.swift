import AssayCore
import AssayRunner
import AssayRuntime
import AssayStore
import Foundation

extension RunCommand {
  /// The identity of the server this run talks to (see ServerIdentity).
  func serverIdentity(runtime: RuntimeKind, baseURL: String, info: ServerInfo) throws(AssayError) -> ServerIdentity {
    try ServerIdentity.of(
      runtime: runtime, model: model, vllmArguments: vllmArguments, baseURL: baseURL, served: info.served,
      modelSHA256: { () throws(AssayError) -> String in try ModelFileHash.sha256(path: model) })
  }

  /// Which cached answers the run may take: its server's, any server's with --reuse-answers-from-any-server, and
  /// answers cached before server identities by runs against the same base URL (a server the user runs; a launched
  /// server's old port says nothing about its weights).
  func cacheScope(server: ServerIdentity, baseURL: String, runtime: RuntimeKind) throws(AssayError) -> CacheScope {
    let url = ServerIdentity.normalized(baseURL)
    var sameURL: (@Sendable (RunRecord) -> Bool)?
    if runtime == .openAICompatible {
      sameURL = { @Sendable (run: RunRecord) -> Bool in
        run.runtimeKind == .openAICompatible && ServerIdentity.normalized(run.baseURL) == url
      }
    }
    let scope = try server.scope()
    return CacheScope(server: scope, anyServer: reuseAnswersFromAnyServer, legacyRun: sameURL)
  }

  /// The run this command continues, if any: the newest with the same configuration (server included). With
  /// --reuse-answers-from-any-server, the newest whose configuration differs at most in the server. Else a run from
  /// before server identities (its configuration has no server) with the same configuration and base URL.
  func resumable(
    store: SQLiteStore, config: RunConfiguration, configHash: String, baseURL: String, runtime: RuntimeKind
  ) throws(AssayError) -> RunRecord? {
    if let run = try store.resumableRun(configHash: configHash) { return run }
    if reuseAnswersFromAnyServer {
      return try store.runs().first { config.matchesIgnoringServer(stored: $0.config) }  // newest first
    }
    let serverless = try config.serverless.identity()
    guard runtime == .openAICompatible,
      let run = try store.resumableRun(configHash: serverless.hash),
      run.runtimeKind == runtime, ServerIdentity.normalized(run.baseURL) == ServerIdentity.normalized(baseURL)
    else { return nil }
    return run
  }
}

extension RunCommand {
  /// The store a judge on its own server (--judge-base-url) caches its verdicts in: the run's database, with the
  /// answers tied to the judge's server rather than the model's.
  func judgeStore(judgeBaseURL: String, info: ServerInfo, runStore: any ResultStore) throws(AssayError) -> any ResultStore {
    guard runStore is SQLiteStore else { return runStore }  // --no-cache: nothing is taken from the cache anyway
    let store = try SQLiteStore(path: storeOptions.db)
    let identity = ServerIdentity(url: ServerIdentity.normalized(judgeBaseURL), served: info.served)
    store.scopeCache(to: CacheScope(server: try identity.scope(), anyServer: reuseAnswersFromAnyServer))
    return store
  }
}
