import AssayCore
import Foundation
import Logging

/// Launches Assay's scoring server on llama.cpp's library (`assay_llama_server.py`, run by the llama-cpp-python
/// virtualenv from `scripts/setup-llama.sh`) on a free 127.0.0.1 port, as a `ManagedServer`.
///
/// The server returns each prompt token's log-probability as llama.cpp computes it (llama-cpp-python's own server
/// does not), batches concurrent prompts into one evaluation and shares their common prefixes.
///
/// ```swift
/// let launcher = LlamaCppLauncher(modelPath: "SmolLM2-135M-Instruct.Q4_1.gguf", logDirectory: "results/logs")
/// let answer = try await launcher.withServer(logger: logger) { baseURL, modelName in
///   try await run(baseURL, modelName)
/// }
/// ```
public struct LlamaCppLauncher: Sendable {
  /// The GGUF model file.
  public var modelPath: String
  /// Context window for generation (0: the model's own).
  public var contextSize: Int
  /// Where the server's log goes.
  public var logDirectory: String
  /// How long to wait for the server to answer.
  public var startupTimeout: Double
  /// Threads llama.cpp evaluates with (default: every core).
  public var threads: Int
  /// Environment to look up the virtualenv in.
  public var environment: [String: String]

  /// A launcher for a model file.
  public init(
    modelPath: String, contextSize: Int = 0, logDirectory: String, startupTimeout: Double = 180,
    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.modelPath = modelPath
    self.contextSize = contextSize
    self.logDirectory = logDirectory
    self.startupTimeout = startupTimeout
    self.threads = threads
    self.environment = environment
  }

  /// The name the launched server serves the model under: the file name without `.gguf`.
  public var servedModelName: String {
    let name = (modelPath as NSString).lastPathComponent
    return name.hasSuffix(".gguf") ? String(name.dropLast(5)) : name
  }

  /// The virtualenv python that runs the server: `ASSAY_LLAMA_PYTHON`, else `$ASSAY_LLAMA_VENV/bin/python`, else
  /// `~/.cache/assay/llama-venv/bin/python`.
  public var python: String {
    environment["ASSAY_LLAMA_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["ASSAY_LLAMA_VENV"].flatMap { $0.isEmpty ? nil : $0 }
        ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache/assay/llama-venv")) + "/bin/python")
  }

  /// The path of the server script shipped with Assay.
  public static func serverScript() throws(AssayError) -> String {
    guard let path = Bundle.module.path(forResource: "assay_llama_server", ofType: "py") else {
      throw AssayError(
        .runtimeLaunch, "Assay's llama.cpp server script (assay_llama_server.py) is missing from its resources",
        fix: "rebuild Assay (`swift build`); the script ships in the Assay_AssayRuntime resource bundle beside the binary")
    }
    return path
  }

  /// The command that starts the server on `port`.
  public func command(port: Int, sha256: String) throws(AssayError) -> [String] {
    guard FileManager.default.isExecutableFile(atPath: python) else {
      throw AssayError(
        .runtimeLaunch,
        "cannot launch llama.cpp: no virtualenv python at \(python) - while starting --runtime llama.cpp",
        fix: "run `scripts/setup-llama.sh` (installs llama-cpp-python from PyPI into ~/.cache/assay/llama-venv) or set ASSAY_LLAMA_PYTHON")
    }
    return [
      python, try Self.serverScript(), "--model", modelPath, "--host", "127.0.0.1", "--port", "\(port)",
      "--alias", servedModelName, "--ctx-size", "\(contextSize)", "--threads", "\(max(1, threads))", "--sha256", sha256,
    ]
  }

  /// Starts the server, runs `body` with its base URL, and stops the server however `body` ends.
  public func withServer<T: Sendable>(
    logger: Logger, _ body: (_ baseURL: String, _ modelName: String) async throws -> T
  ) async throws -> T {
    let file = try ModelFile.check(modelPath)
    let port = try FreePort.find()
    let server = ManagedServer(
      name: "llama.cpp", flag: "--runtime llama.cpp", logDirectory: logDirectory, startupTimeout: startupTimeout,
      healthPath: "/health")
    return try await server.run(command: try command(port: port, sha256: file.sha256), port: port, logger: logger) { url in
      try await body(url, servedModelName)
    }
  }

  /// The first executable called `name` on the environment's PATH.
  public static func which(_ name: String, environment: [String: String]) -> String? {
    for directory in (environment["PATH"] ?? "").split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}
