import AssayCore
import Foundation

/// Where prebuilt shared pieces (Rust crates, the Go GOPATH and build cache) are kept between runs: readable by
/// the sample users, keyed by the toolchain's version. `ASSAY_TOOLCHAIN_CACHE` overrides the location.
enum ToolchainCache {
  /// The cache folder (created, world-readable).
  static func folder() throws(AssayError) -> String {
    let path = ProcessInfo.processInfo.environment["ASSAY_TOOLCHAIN_CACHE"]
      ?? NSTemporaryDirectory() + "assay-toolchains-\(geteuid())"
    try FileManager.default.createDirectoryIfNeeded(path)
    chmod(path, 0o755)
    return path
  }

  /// Runs a trusted build command (outside the sandbox, as the harness user) and returns its output (stdout and
  /// stderr together); the error names the step and the output's tail.
  static func build(_ arguments: [String], in directory: String, environment: [String: String], step: String)
    throws(AssayError) -> String
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw AssayError(.runtimeLaunch, "\(step): cannot start \(arguments[0]): \(error.localizedDescription)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let tail = String(decoding: data.suffix(1500), as: UTF8.self)
      throw AssayError(
        .runtimeLaunch, "\(step) failed (exit \(process.terminationStatus)): \(tail)",
        fix: "scripts/setup-toolchains.sh installs the Debian packages this needs")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Makes everything under `path` readable (and folders traversable) by every user.
  static func makeReadable(_ path: String) {
    _ = try? build(["/bin/chmod", "-R", "a+rX", path], in: "/", environment: [:], step: "chmod")
  }
}
