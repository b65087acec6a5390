/// The values Assay accepts for decoding parameters (from flags and suite files alike) and for a run's request
/// settings; outside them a request would be refused by any server, or a conversion would overflow (a timeout of
/// 1e300 seconds in nanoseconds, NaN as an integer).
public enum GenerationLimits {
  /// `max_tokens`: at least one token, at most 2^24 (beyond any served context window).
  public static let maxTokens: ClosedRange<Int> = 1...(1 << 24)
  /// Sampling temperature (servers document 0...2; some take more).
  public static let temperature: ClosedRange<Double> = 0...100
  /// Nucleus sampling mass.
  public static let topP: ClosedRange<Double> = 0...1
  /// Completions per item (`samples`).
  public static let samples: ClosedRange<Int> = 1...10_000
  /// Requests in flight (`--concurrency`, `--max-concurrency`).
  public static let concurrency: ClosedRange<Int> = 1...4096
  /// Retries per request.
  public static let retries: ClosedRange<Int> = 0...100
  /// Any duration in seconds (timeouts, delays): finite, not negative, at most a week.
  public static let seconds: ClosedRange<Double> = 0...604_800

  /// Why `value` is not acceptable as `name` (a flag or a suite key), or nil when it is.
  public static func problem(maxTokens value: Int, name: String) -> String? {
    problem(count: value, in: maxTokens, name: name)
  }

  /// Why a temperature is not acceptable, or nil.
  public static func problem(temperature value: Double, name: String) -> String? {
    problem(value, in: temperature, name: name)
  }

  /// Why a top_p is not acceptable, or nil.
  public static func problem(topP value: Double, name: String) -> String? {
    problem(value, in: topP, name: name)
  }

  /// Why an integer is not acceptable, or nil.
  public static func problem(count value: Int, in range: ClosedRange<Int>, name: String) -> String? {
    range.contains(value) ? nil : "\(name) is \(value); it must be between \(range.lowerBound) and \(range.upperBound)"
  }

  /// Why a number is not acceptable (NaN, infinite, or outside `range`), or nil; `positive` also refuses 0.
  public static func problem(_ value: Double, in range: ClosedRange<Double>, name: String, positive: Bool = false) -> String? {
    guard value.isFinite else { return "\(name) is \(value); it must be a finite number" }
    guard range.contains(value), !(positive && value == 0) else {
      return "\(name) is \(value); it must be \(positive ? "more than" : "at least") \(format(range.lowerBound)) and at most \(format(range.upperBound))"
    }
    return nil
  }

  private static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
