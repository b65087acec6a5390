import AssayCore

/// Which cached answers a run may take: the response cache records the server that gave each answer (the
/// `server` column, since schema v5), and a run takes only its own server's answers unless told otherwise.
public struct CacheScope: Sendable {
  /// The identity of the server this run talks to (canonical JSON); written beside every answer it caches.
  public var server: String
  /// Take answers from any server (`--reuse-answers-from-any-server`), as before v5.
  public var anyServer: Bool
  /// For answers cached before v5 (no server recorded): whether a run that stored one as its sample's answer
  /// talked to this server (its recorded base URL); nil takes no such answer.
  public var legacyRun: (@Sendable (RunRecord) -> Bool)?

  /// A scope for the answers of `server`.
  public init(server: String, anyServer: Bool = false, legacyRun: (@Sendable (RunRecord) -> Bool)? = nil) {
    self.server = server
    self.anyServer = anyServer
    self.legacyRun = legacyRun
  }
}
