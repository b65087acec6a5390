import AssayTesting
import Foundation
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
import Testing

/// Runs the built `assay` and `assay-mock-server` binaries, as a user would.
enum CLI {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let datasets = ProcessInfo.processInfo.environment["ASSAY_DATA"] ?? (repository + "/../shared/datasets")
  static let models = repository + "/../shared/models"
  /// The scorers' resource root (Punkt, langdetect), filled by scripts/setup-metrics-venv.sh from PyPI.
  static let resources = ProcessInfo.processInfo.environment["ASSAY_RESOURCES"]
    ?? ((ProcessInfo.processInfo.environment["ASSAY_CACHE"] ?? ((ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay")) + "/resources")

  /// The folder with the built products (beside the test bundle), or `.build/debug`.
  static let productsDirectory: String = {
    if let dir = ProcessInfo.processInfo.environment["ASSAY_BIN_DIR"] { return dir }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    for _ in 0..<4 {
      url.deleteLastPathComponent()
      if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("assay").path) { return url.path }
    }
    return repository + "/.build/debug"
  }()

  static var assay: String { productsDirectory + "/assay" }
  static var mockServer: String { productsDirectory + "/assay-mock-server" }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["ASSAY_DATA"] = datasets
    environment["ASSAY_SUITES_DIR"] = repository + "/benchmarks"
    environment["ASSAY_RESOURCES"] = resources
    environment.removeValue(forKey: "OPENAI_API_KEY")
    for (key, value) in extra { environment[key] = value }
    return environment
  }

  /// Starts `assay` with arguments; output goes to files so nothing blocks.
  static func start(
    _ arguments: [String], in directory: String, environment extra: [String: String] = [:], stdin: String? = nil
  ) throws -> (Process, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: assay)
    process.arguments = arguments
    process.environment = environment(extra)
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    // Output files live in a temporary folder, never in the working directory (some tests run in the checkout).
    let outputs = NSTemporaryDirectory() + "assay-cli-output"
    try FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: true)
    let out = outputs + "/stdout-\(UUID().uuidString).txt"
    let err = outputs + "/stderr-\(UUID().uuidString).txt"
    FileManager.default.createFile(atPath: out, contents: nil)
    FileManager.default.createFile(atPath: err, contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: out)
    process.standardError = FileHandle(forWritingAtPath: err)
    if let stdin {
      let input = outputs + "/stdin-\(UUID().uuidString).txt"
      FileManager.default.createFile(atPath: input, contents: Data(stdin.utf8))
      process.standardInput = FileHandle(forReadingAtPath: input)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    return (process, out, err)
  }

  /// Runs `assay` to completion.
  static func run(
    _ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: String? = nil
  ) throws -> Result {
    let (process, out, err) = try start(arguments, in: directory, environment: environment, stdin: stdin)
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
  }

  static func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "assay-cli-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

/// A running `assay-mock-server`, stopped by `stop()`.
final class MockServerProcess {
  let process: Process
  let baseURL: String

  init(_ arguments: [String]) throws {
    (process, baseURL) = try MockServerLaunch.start(executable: CLI.mockServer, arguments: arguments)
  }

  typealias MockError = MockServerLaunch.Failure

  /// GET /stats.
  func stats() throws -> [String: Any] {
    let url = URL(string: baseURL.replacingOccurrences(of: "/v1", with: "/stats"))!
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var body: Data?
    URLSession.shared.dataTask(with: url) { data, _, _ in
      body = data
      done.signal()
    }.resume()
    done.wait()
    return try JSONSerialization.jsonObject(with: body ?? Data()) as! [String: Any]
  }

  func stop() {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  deinit { if process.isRunning { stop() } }
}
