import AssayCore
import Foundation

/// The server a run's answers come from: part of the run's configuration (so a run resumes only against the same
/// server) and recorded beside every cached answer (so a run takes only its own server's answers). A server you run
/// is its base URL plus what `/v1/models` says about the model; one Assay launches is its weights (the GGUF file's
/// sha256, or vLLM's model argument and extra arguments), never its port, which is new on every launch.
public struct ServerIdentity: Codable, Sendable, Equatable {
  /// The normalized base URL (`--base-url`).
  public var url: String?
  /// `/v1/models`' description of the served model (vLLM's root, llama.cpp's meta), canonical JSON.
  public var served: String?
  /// sha256 of the model file (`--runtime llama.cpp`).
  public var modelSHA256: String?
  /// The model argument (`--runtime vllm`).
  public var vllmModel: String?
  /// Extra `vllm serve` arguments (`--vllm-arg`; quantization changes the answers), when given.
  public var vllmArguments: [String]?

  /// An identity from the parts that apply (a server you run: `url` and `served`; llama.cpp: `modelSHA256`; vLLM:
  /// `vllmModel` and `vllmArguments`).
  public init(
    url: String? = nil, served: String? = nil, modelSHA256: String? = nil, vllmModel: String? = nil,
    vllmArguments: [String]? = nil
  ) {
    self.url = url
    self.served = served
    self.modelSHA256 = modelSHA256
    self.vllmModel = vllmModel
    self.vllmArguments = vllmArguments
  }

  enum CodingKeys: String, CodingKey {
    case url, served, modelSHA256 = "model_sha256", vllmModel = "vllm_model", vllmArguments = "vllm_arguments"
  }

  /// The identity of the server a run talks to: a launched llama.cpp is its model file's sha256 (`modelSHA256` is
  /// called only then: hashing a large file takes a while), a launched vLLM its model and extra arguments, a server
  /// the user runs its normalized base URL and `/v1/models`' description of the model (`served`).
  public static func of(
    runtime: RuntimeKind, model: String, vllmArguments: [String], baseURL: String, served: String?,
    modelSHA256: () throws(AssayError) -> String
  ) throws(AssayError) -> ServerIdentity {
    switch runtime {
    case .llamaCpp: return ServerIdentity(modelSHA256: try modelSHA256())
    case .vllm: return ServerIdentity(vllmModel: model, vllmArguments: vllmArguments.isEmpty ? nil : vllmArguments)
    case .openAICompatible: return ServerIdentity(url: normalized(baseURL), served: served)
    }
  }

  /// The identity as written beside cached answers.
  public func scope() throws(AssayError) -> String { try CanonicalJSON.hashableString(self, what: "the server identity") }

  /// `url` with a lowercase scheme and host and no trailing slash, so spellings of one endpoint compare equal
  /// (shards behind one load balancer pass the same URL).
  public static func normalized(_ url: String) -> String {
    var text = url.trimmingCharacters(in: .whitespaces)
    while text.hasSuffix("/") { text.removeLast() }
    guard var components = URLComponents(string: text) else { return text }
    components.scheme = components.scheme?.lowercased()
    components.host = components.host?.lowercased()
    return components.string ?? text
  }
}
