import ArgumentParser
import AssayCore
import AssayRunner

/// The guard model of safety suites (`assay run --guard-model`), as the judge flags name the LLM judge.
struct GuardOptions: ParsableArguments {
  @Option(name: .customLong("guard-model"), help: ArgumentHelp(
    "Safety suites with harmful prompts: the guard's served model name (Llama Guard 3, e.g. llama-guard-3-8b); the --model value makes the model its own guard.",
    valueName: "name"))
  var guardModel: String?

  @Option(name: .customLong("guard-base-url"), help: ArgumentHelp(
    "Safety suites: the guard's OpenAI-compatible endpoint (default: the model's own server).", valueName: "url"))
  var guardBaseURL: String?

  @Option(name: .customLong("guard-api-key"), help: ArgumentHelp(
    "API key for --guard-base-url (default: $OPENAI_API_KEY); never stored or logged.", valueName: "key"))
  var guardAPIKey: String?

  @Option(name: .customLong("guard-format"), help: ArgumentHelp(
    "The guard's prompt format and taxonomy: \(GuardFormat.allCases.map(\.rawValue).joined(separator: ", ")).",
    valueName: "format"))
  var guardFormat: GuardFormat = .llamaGuard3

  @Option(name: .customLong("guard-request"), help: ArgumentHelp(
    "completion: Assay writes the guard's prompt with its special tokens (any server); chat: the exchange as messages, for a server that applies the guard's own chat template.",
    valueName: "mode"))
  var guardRequest: GuardGrader.RequestMode = .completion

  /// The run's configuration entry for the guard: format, request mode, model and server.
  func identity(model: String, servedName: String) -> String? {
    guard let guardModel else { return nil }
    return "\(guardFormat.rawValue) \(guardModel == model ? servedName : guardModel)@\(guardBaseURL ?? "same server") (\(guardRequest.rawValue))"
  }
}

extension GuardFormat: ExpressibleByArgument {}
extension GuardGrader.RequestMode: ExpressibleByArgument {}
