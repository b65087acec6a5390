/// How a run reaches its model: a server the user runs (any OpenAI-compatible one), or one Assay launches. The raw
/// values are what runs store (`run.runtime`, the configuration's `runtime`) and what `--runtime` takes.
public enum RuntimeKind: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
  /// A server the user runs, reached at `--base-url`.
  case openAICompatible = "openai-compatible"
  /// llama.cpp launched by Assay on a GGUF file (`--runtime llama.cpp`).
  case llamaCpp = "llama.cpp"
  /// `vllm serve` launched by Assay (`--runtime vllm`).
  case vllm

  /// The runtimes Assay can launch, in the order `--runtime` lists them.
  public static let launchable: [RuntimeKind] = [.llamaCpp, .vllm]

  /// Whether Assay launches this server (its port is new on every launch, so its identity is its weights).
  public var isLaunched: Bool { self != .openAICompatible }

  /// Log-likelihood choices sent in one `/v1/completions` call when `--prompts-per-request` is not given: a
  /// launched server takes a list of prompts (the options of one item then share their prefix), others get one.
  public var defaultPromptsPerRequest: Int { isLaunched ? 16 : 1 }

  public var description: String { rawValue }
}
