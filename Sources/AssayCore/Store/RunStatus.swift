/// Where a run stands; the raw values are what `run.status` stores (the schema allows only these).
public enum RunStatus: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
  /// Started, or resumed, and not ended yet (or its process died).
  case running
  /// Every planned sample was attempted.
  case finished
  /// Stopped by a signal (Ctrl-C); the same command continues it.
  case interrupted
  /// Stopped by an error of the harness, the server or the store.
  case failed

  /// The status of a run combined from shards (`assay merge`): finished only when every shard is there and finished;
  /// failed when any shard failed; otherwise interrupted (shards missing, or still running or interrupted).
  public static func merged(_ shards: some Sequence<RunStatus>, complete: Bool) -> RunStatus {
    let statuses = Set(shards)
    if complete && statuses == [.finished] { return .finished }
    return statuses.contains(.failed) ? .failed : .interrupted
  }

  public var description: String { rawValue }
}
