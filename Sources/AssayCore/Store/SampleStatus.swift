/// What became of one sample; the raw values are what `sample.status` stores (the schema allows only these).
public enum SampleStatus: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
  /// Answered and scored (from the model or the response cache).
  case scored
  /// Its request failed after every retry; the same command retries it.
  case failed

  public var description: String { rawValue }
}
