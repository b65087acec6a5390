import AssayCore
import AssayRunner
import Foundation
import Testing

/// `assay run --perf-out`: the request phase's figures, derived from the tally and the harness's usage.
@Suite struct RunPerformanceTests {
  @Test func figuresAreRatesPerRequestAndPerCall() throws {
    var tally = RunTally(total: 12, alreadyScored: 2)
    tally.sent = 8
    tally.failed = 2
    tally.calls = 20
    tally.sendSeconds = 2
    tally.meanInFlight = 3.5
    let figures = RunPerformance(tally: tally, cpuSeconds: 1, peakRSSBytes: 2 * 1_048_576, concurrency: 4, adaptive: nil)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(figures)) as? [String: Any])
    #expect(object["requests"] as? Int == 10)
    #expect(object["http_requests"] as? Int == 20)
    #expect(object["failed"] as? Int == 2)
    #expect(object["requests_per_second"] as? Double == 5)
    #expect(object["mean_in_flight"] as? Double == 3.5)
    #expect(object["cpu_ms_per_request"] as? Double == 100)
    #expect(object["cpu_ms_per_http_request"] as? Double == 50)
    #expect(object["peak_rss_mb"] as? Double == 2)
    #expect(object["adaptive_limits"] == nil)
    #expect(Set(object.keys) == [
      "requests", "http_requests", "failed", "send_seconds", "requests_per_second", "mean_in_flight", "concurrency",
      "harness_cpu_seconds", "cpu_ms_per_request", "cpu_ms_per_http_request", "peak_rss_mb",
    ])
  }

  @Test func anAdaptiveRunListsItsLimitsFromTheStart() {
    let adaptive = AdaptiveConcurrency(initial: 4, maximum: 32)
    let figures = RunPerformance(tally: RunTally(total: 0, alreadyScored: 0), cpuSeconds: 0, peakRSSBytes: 0, concurrency: 4, adaptive: adaptive)
    #expect(figures.adaptiveLimits == [4])
    #expect(figures.requestsPerSecond == 0 && figures.cpuMsPerRequest == 0)
  }
}
