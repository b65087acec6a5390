import AssayCore
import AssayTesting
import Foundation
import Logging
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@testable import AssayRuntime

/// The two worlds a test body runs in: `inProcess`, the scripted runtime answering as `assay-mock-server` behind
/// `OpenAIClient` would (`MockServerReplica`); `live`, the real client over HTTP against the real mock server,
/// launched on 127.0.0.1 for the test.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case inProcess
  case live

  var testDescription: String { self == .inProcess ? "in process (ScriptedRuntime)" : "live (OpenAIClient and assay-mock-server)" }

  /// Runs `body` with a runtime served with these mock options and a client that retries `maxRetries` times.
  func withServer<T: Sendable>(
    _ options: MockServerReplica.Options, maxRetries: Int = 2, _ body: (Served) async throws -> T
  ) async throws -> T {
    switch self {
    case .inProcess:
      let replica = MockServerReplica(options: options, maxRetries: maxRetries)
      return try await body(Served(runtime: replica.runtime(), baseURL: replica.baseURL, requests: { replica.requests }))
    case .live:
      let server = try LaunchedMockServer(options.arguments)
      defer { server.stop() }
      return try await OpenAIClient.withClient(
        baseURL: server.baseURL, apiKey: nil, timeout: 10, retry: RetryPolicy(maxRetries: maxRetries, baseDelay: 0.01, maxDelay: 0.05),
        maxConnections: 4, logger: Logger(label: "assay.tests")
      ) { client in
        try await body(Served(runtime: client, baseURL: server.baseURL, requests: { try await server.requests() }))
      }
    }
  }
}

/// What a test body gets: the runtime, the base URL its messages name, and the HTTP requests the server received.
struct Served: Sendable {
  let runtime: any ModelRuntime
  let baseURL: String
  let requests: @Sendable () async throws -> Int
}

/// A running `assay-mock-server` on 127.0.0.1 with a free port, killed by `stop()`.
final class LaunchedMockServer: @unchecked Sendable {
  let process: Process
  let baseURL: String

  /// The built `assay-mock-server` (beside the test bundle, else `.build/debug`).
  static let executable: String = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    for _ in 0..<4 {
      url.deleteLastPathComponent()
      let candidate = url.appendingPathComponent("assay-mock-server").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return repository.appendingPathComponent(".build/debug/assay-mock-server").path
  }()

  init(_ arguments: [String]) throws {
    (process, baseURL) = try MockServerLaunch.start(executable: Self.executable, arguments: ["--port", "0"] + arguments)
  }

  /// The `requests` counter of `GET /stats`: every generation request received, retries included.
  func requests() async throws -> Int {
    let url = URL(string: baseURL.replacingOccurrences(of: "/v1", with: "/stats"))!
    let data: Data = try await withCheckedThrowingContinuation { continuation in
      URLSession.shared.dataTask(with: url) { data, _, error in
        if let data { continuation.resume(returning: data) } else {
          continuation.resume(throwing: error ?? LaunchError(description: "no body from \(url)"))
        }
      }.resume()
    }
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let count = object["requests"] as? Int else {
      throw LaunchError(description: "GET \(url) did not answer the mock's counters: \(String(decoding: data, as: UTF8.self))")
    }
    return count
  }

  func stop() {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  struct LaunchError: Error, CustomStringConvertible {
    var description: String
  }
}
