/// A runtime that counts and cuts text in the model's own tokens: a server's `/tokenize` and `/detokenize`
/// (llama.cpp, vLLM and Assay's own llama.cpp server have both), so needle contexts are measured as the model sees
/// them.
///
/// ```swift
/// let tokens = try await client.tokenize("Hello world")   // [9906, 1917]
/// let text = try await client.detokenize(Array(tokens.prefix(1)))
/// ```
public protocol TokenizingRuntime: Sendable {
  /// The token ids of a text, without special tokens (no BOS).
  func tokenize(_ text: String) async throws(AssayError) -> [Int]
  /// The text of token ids.
  func detokenize(_ tokens: [Int]) async throws(AssayError) -> String
}
