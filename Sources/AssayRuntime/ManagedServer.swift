import AssayCore
import Foundation
import Logging

#if canImport(Glibc)
  import Glibc
#endif

/// A server process Assay launched: started on a free 127.0.0.1 port, waited for until its health URL answers 200,
/// and always torn down (SIGTERM to its process group, then SIGKILL), whether the run succeeds, fails or is
/// interrupted; the kernel also stops it if Assay is killed outright (`setpriv --pdeathsig`).
public struct ManagedServer: Sendable {
  /// The runtime's name, for messages ("llama.cpp", "vllm").
  public var name: String
  /// The flag that asked for it, for messages ("--runtime vllm").
  public var flag: String
  /// Where the server's log goes.
  public var logDirectory: String
  /// How long to wait for the server to answer.
  public var startupTimeout: Double
  /// The path below the server's root that answers 200 once it serves ("/health" for vLLM).
  public var healthPath: String

  /// A server description.
  public init(name: String, flag: String, logDirectory: String, startupTimeout: Double, healthPath: String) {
    self.name = name
    self.flag = flag
    self.logDirectory = logDirectory
    self.startupTimeout = startupTimeout
    self.healthPath = healthPath
  }

  /// Starts `command` (which listens on `port`), runs `body` with the base URL (`http://127.0.0.1:PORT/v1`), and
  /// stops the server however `body` ends.
  public func run<T: Sendable>(
    command: [String], port: Int, logger: Logger, _ body: (_ baseURL: String) async throws -> T
  ) async throws -> T {
    var arguments = command
    // Ask the kernel to stop the server if Assay dies without cleaning up (kill -9).
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
      arguments = ["/usr/bin/setpriv", "--pdeathsig", "TERM", "--"] + arguments
    }
    try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
    let logPath = (logDirectory as NSString).appendingPathComponent("\(name)-server-\(port).log")
    let process = try ChildProcess.spawn(arguments, logPath: logPath)
    logger.info("launched \(name) server", metadata: ["pid": "\(process.pid)", "port": "\(port)", "log": "\(logPath)"])
    let baseURL = "http://127.0.0.1:\(port)/v1"
    do {
      try await waitUntilHealthy(process: process, root: "http://127.0.0.1:\(port)", logPath: logPath, logger: logger)
      let result = try await body(baseURL)
      stop(process, logger: logger)
      return result
    } catch {
      stop(process, logger: logger)
      throw error
    }
  }

  private func waitUntilHealthy(process: ChildProcess, root: String, logPath: String, logger: Logger) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(startupTimeout * 1000))
    try await OpenAIClient.withClient(
      baseURL: root + "/v1", apiKey: nil, timeout: 5, retry: RetryPolicy(maxRetries: 0), maxConnections: 1, logger: logger
    ) { client in
      while true {
        try Task.checkCancellation()
        if !process.isRunning {
          throw AssayError(
            .runtimeLaunch,
            "the \(name) server exited with status \(process.exitStatus ?? -1) before answering - while starting \(flag). Last lines of \(logPath):\n\(Self.tail(logPath))",
            fix: "check the model and the log above")
        }
        if case .response(200, _, _) = await client.send(method: .GET, url: root + healthPath, body: nil, timeout: 5) {
          return
        }
        if ContinuousClock.now > deadline {
          throw AssayError(
            .runtimeLaunch,
            "the \(name) server did not answer within \(Int(startupTimeout)) s - while starting \(flag). Last lines of \(logPath):\n\(Self.tail(logPath))",
            fix: "raise --startup-timeout, or check the log")
        }
        try await Task.sleep(for: .milliseconds(250))
      }
    }
  }

  private func stop(_ process: ChildProcess, logger: Logger) {
    if process.terminate(grace: 10) {
      logger.warning("\(name) server ignored SIGTERM for 10 s; killed it", metadata: ["pid": "\(process.pid)"])
    }
    logger.info("stopped \(name) server", metadata: ["pid": "\(process.pid)"])
  }

  static func tail(_ path: String, lines: Int = 15) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { return "(no log)" }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(lines).joined(separator: "\n")
  }
}

/// Finds a free TCP port on 127.0.0.1 by binding port 0.
public enum FreePort {
  /// A port that was free a moment ago.
  public static func find() throws(AssayError) -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw AssayError(.runtimeLaunch, "cannot open a socket to find a free port") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw AssayError(.runtimeLaunch, "cannot bind a socket on 127.0.0.1 to find a free port") }
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw AssayError(.runtimeLaunch, "cannot read the bound port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
