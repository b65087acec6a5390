import AssayCore
import Foundation
import Logging

/// Launches `vllm serve` for a model directory (or a Hugging Face id) on a free 127.0.0.1 port, waits for
/// `/health`, and tears it down however the run ends (a `ManagedServer`).
public struct VLLMLauncher: Sendable {
  /// The model: a local directory with the weights, or a Hugging Face repository id.
  public var model: String
  /// GPUs the model is split over (`--tensor-parallel-size`).
  public var tensorParallel: Int
  /// More arguments for `vllm serve`, passed through as given.
  public var extraArguments: [String]
  /// Where the server's log goes.
  public var logDirectory: String
  /// How long to wait for `/health` (loading weights and compiling graphs takes minutes on a GPU).
  public var startupTimeout: Double
  /// Environment to look up `vllm` in (`ASSAY_VLLM` names the executable; else `vllm` on PATH).
  public var environment: [String: String]

  /// A launcher for a model.
  public init(
    model: String, tensorParallel: Int = 1, extraArguments: [String] = [], logDirectory: String,
    startupTimeout: Double = 600, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.model = model
    self.tensorParallel = tensorParallel
    self.extraArguments = extraArguments
    self.logDirectory = logDirectory
    self.startupTimeout = startupTimeout
    self.environment = environment
  }

  /// The name the server serves the model under: the directory's last component, or the repository id as given.
  public var servedModelName: String {
    isLocalPath ? (model as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? model : model
  }

  private var isLocalPath: Bool { model.hasPrefix("/") || model.hasPrefix(".") || model.hasPrefix("~") }

  /// The full command line for `port`.
  public func command(port: Int) throws(AssayError) -> [String] {
    let executable: String
    if let named = environment["ASSAY_VLLM"], !named.isEmpty {
      executable = named
    } else if let found = LlamaCppLauncher.which("vllm", environment: environment) {
      executable = found
    } else {
      throw AssayError(
        .runtimeLaunch, "cannot launch vLLM: no `vllm` on PATH - while starting --runtime vllm",
        fix: "install vLLM (pip install vllm) in the environment Assay runs from, or set ASSAY_VLLM to the vllm executable")
    }
    return [
      executable, "serve", model, "--host", "127.0.0.1", "--port", "\(port)", "--served-model-name", servedModelName,
      "--tensor-parallel-size", "\(tensorParallel)",
    ] + extraArguments
  }

  /// Starts the server, runs `body` with its base URL and served model name, and stops the server however `body`
  /// ends (also on SIGINT, which cancels the run).
  public func withServer<T: Sendable>(
    logger: Logger, _ body: (_ baseURL: String, _ modelName: String) async throws -> T
  ) async throws -> T {
    if isLocalPath, !FileManager.default.fileExists(atPath: (model as NSString).expandingTildeInPath) {
      throw AssayError(
        .runtimeLaunch, "model directory \(model) does not exist (from --model with --runtime vllm)",
        fix: "pass a directory with the model's weights and config.json, or a Hugging Face id such as meta-llama/Llama-3.1-8B-Instruct")
    }
    let port = try FreePort.find()
    let server = ManagedServer(
      name: "vllm", flag: "--runtime vllm", logDirectory: logDirectory, startupTimeout: startupTimeout, healthPath: "/health")
    return try await server.run(command: try command(port: port), port: port, logger: logger) { url in
      try await body(url, servedModelName)
    }
  }
}
