import AssayCore
import Foundation

/// The request phase of a run in figures (`assay run --perf-out FILE`), for benchmarks and capacity planning:
/// `requests` are samples sent (a log-likelihood item is one sample of several HTTP requests), `http_requests` the
/// calls made for them.
public struct RunPerformance: Encodable, Sendable {
  /// Samples sent, scored or failed.
  public var requests: Int
  /// HTTP calls made for them.
  public var httpRequests: Int
  /// Samples whose request failed.
  public var failed: Int
  /// Seconds from the first request to the last answer.
  public var sendSeconds: Double
  /// Samples per second over `sendSeconds`.
  public var requestsPerSecond: Double
  /// Samples in flight on average.
  public var meanInFlight: Double
  /// The starting `--concurrency`.
  public var concurrency: Int
  /// With `--adaptive-concurrency`: every limit, from the starting one.
  public var adaptiveLimits: [Int]?
  /// CPU seconds the harness used.
  public var harnessCPUSeconds: Double
  /// Harness CPU milliseconds per sample.
  public var cpuMsPerRequest: Double
  /// Harness CPU milliseconds per HTTP call.
  public var cpuMsPerHTTPRequest: Double
  /// Peak resident memory in MiB.
  public var peakRSSMB: Double

  enum CodingKeys: String, CodingKey {
    case requests, failed
    case httpRequests = "http_requests"
    case cpuMsPerHTTPRequest = "cpu_ms_per_http_request"
    case sendSeconds = "send_seconds"
    case requestsPerSecond = "requests_per_second"
    case meanInFlight = "mean_in_flight"
    case concurrency
    case adaptiveLimits = "adaptive_limits"
    case harnessCPUSeconds = "harness_cpu_seconds"
    case cpuMsPerRequest = "cpu_ms_per_request"
    case peakRSSMB = "peak_rss_mb"
  }

  /// The figures of a run's `tally`, with the harness's CPU seconds and peak resident memory (bytes) over it.
  public init(tally: RunTally, cpuSeconds: Double, peakRSSBytes: Int, concurrency: Int, adaptive: AdaptiveConcurrency?) {
    requests = tally.sent + tally.failed
    httpRequests = tally.calls
    failed = tally.failed
    sendSeconds = tally.sendSeconds
    requestsPerSecond = tally.sendSeconds > 0 ? Double(requests) / tally.sendSeconds : 0
    meanInFlight = tally.meanInFlight
    self.concurrency = concurrency
    adaptiveLimits = adaptive.map { [concurrency] + $0.history }
    harnessCPUSeconds = cpuSeconds
    cpuMsPerRequest = requests > 0 ? cpuSeconds * 1000 / Double(requests) : 0
    cpuMsPerHTTPRequest = httpRequests > 0 ? cpuSeconds * 1000 / Double(httpRequests) : 0
    peakRSSMB = Double(peakRSSBytes) / 1_048_576
  }

  /// Writes the figures as JSON.
  public func write(to path: String) throws(AssayError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    } catch {
      throw AssayError(.store, "cannot write --perf-out \(path): \(error)", fix: "choose a writable path")
    }
  }
}
