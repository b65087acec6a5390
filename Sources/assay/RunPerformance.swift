import AssayCore
import AssayRunner
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// CPU time used by this process (all threads) and its peak resident memory, read with getrusage.
struct ProcessUsage {
  /// User plus system CPU seconds.
  var cpuSeconds: Double
  /// Peak resident set size in bytes (the high-water mark since the process started).
  var peakRSSBytes: Int

  /// The usage so far.
  static func now() -> ProcessUsage {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
      + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return ProcessUsage(cpuSeconds: cpu, peakRSSBytes: Int(usage.ru_maxrss) * 1024)
  }

  /// CPU spent since `earlier`, with the peak memory as of now.
  func since(_ earlier: ProcessUsage) -> ProcessUsage {
    ProcessUsage(cpuSeconds: cpuSeconds - earlier.cpuSeconds, peakRSSBytes: peakRSSBytes)
  }
}

/// The request phase of a run in figures (`assay run --perf-out FILE`), for benchmarks and capacity planning:
/// `requests` are samples sent (a log-likelihood item is one sample of several HTTP requests), `http_requests` the
/// calls made for them.
struct RunPerformance: Encodable {
  var requests: Int
  var httpRequests: Int
  var failed: Int
  var sendSeconds: Double
  var requestsPerSecond: Double
  var meanInFlight: Double
  var concurrency: Int
  var adaptiveLimits: [Int]?
  var harnessCPUSeconds: Double
  var cpuMsPerRequest: Double
  var cpuMsPerHTTPRequest: Double
  var peakRSSMB: Double

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

  init(tally: RunTally, usage: ProcessUsage, concurrency: Int, adaptive: AdaptiveConcurrency?) {
    requests = tally.sent + tally.failed
    httpRequests = tally.calls
    failed = tally.failed
    sendSeconds = tally.sendSeconds
    requestsPerSecond = tally.sendSeconds > 0 ? Double(requests) / tally.sendSeconds : 0
    meanInFlight = tally.meanInFlight
    self.concurrency = concurrency
    adaptiveLimits = adaptive.map { [concurrency] + $0.history }
    harnessCPUSeconds = usage.cpuSeconds
    cpuMsPerRequest = requests > 0 ? usage.cpuSeconds * 1000 / Double(requests) : 0
    cpuMsPerHTTPRequest = httpRequests > 0 ? usage.cpuSeconds * 1000 / Double(httpRequests) : 0
    peakRSSMB = Double(usage.peakRSSBytes) / 1_048_576
  }

  /// Writes the figures as JSON.
  func write(to path: String) throws(AssayError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    } catch {
      throw AssayError(.store, "cannot write --perf-out \(path): \(error)", fix: "choose a writable path")
    }
  }
}
