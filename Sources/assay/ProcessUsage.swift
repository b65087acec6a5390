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
