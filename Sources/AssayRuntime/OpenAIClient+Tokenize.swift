import AssayCore
import Foundation
import NIOHTTP1

extension OpenAIClient: TokenizingRuntime {
  /// The server's root: the base URL without its trailing `/v1` (where llama.cpp and vLLM serve `/tokenize`).
  var serverRoot: String {
    var root = baseURL
    while root.hasSuffix("/") { root.removeLast() }
    if root.hasSuffix("/v1") { root.removeLast(3) }
    return root
  }

  /// `POST /tokenize` without special tokens, in the fields llama.cpp (`content`, `add_special`) and vLLM (`prompt`,
  /// `add_special_tokens`) read.
  public func tokenize(_ text: String) async throws(AssayError) -> [Int] {
    let body: [String: Any] = ["content": text, "prompt": text, "add_special": false, "add_special_tokens": false]
    let object = try await post(path: "/tokenize", body: body, what: "counting tokens")
    guard let tokens = object["tokens"] as? [Any] else {
      throw AssayError(.serverError, "the server's /tokenize answer has no `tokens` list - while counting tokens",
        fix: "use a server with llama.cpp's or vLLM's /tokenize endpoint")
    }
    var ids: [Int] = []
    ids.reserveCapacity(tokens.count)
    for token in tokens {
      // llama.cpp with `with_pieces` answers objects {id, piece}.
      if let id = (token as? NSNumber)?.intValue ?? ((token as? [String: Any])?["id"] as? NSNumber)?.intValue {
        ids.append(id)
      } else {
        throw AssayError(.serverError, "the server's /tokenize answer holds a token that is not a number - while counting tokens",
          fix: "use a server with llama.cpp's or vLLM's /tokenize endpoint")
      }
    }
    return ids
  }

  /// `POST /detokenize`: llama.cpp answers `content`, vLLM `prompt`.
  public func detokenize(_ tokens: [Int]) async throws(AssayError) -> String {
    let object = try await post(path: "/detokenize", body: ["tokens": tokens], what: "cutting the context")
    guard let text = object["content"] as? String ?? object["prompt"] as? String else {
      throw AssayError(.serverError, "the server's /detokenize answer has neither `content` nor `prompt` - while cutting the context",
        fix: "use a server with llama.cpp's or vLLM's /detokenize endpoint")
    }
    return text
  }

  /// The served context window from llama.cpp's `GET /props` (`default_generation_settings.n_ctx`), or nil.
  public func propsContextWindow() async -> Int? {
    guard case .response(200, _, let bytes) = await send(method: .GET, url: serverRoot + "/props", body: nil, timeout: 15),
      let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    else { return nil }
    let settings = object["default_generation_settings"] as? [String: Any]
    return (settings?["n_ctx"] as? NSNumber)?.intValue ?? (object["n_ctx"] as? NSNumber)?.intValue
  }

  /// POSTs a JSON object to the server's root with the client's retries (`exchange`), and reads a JSON object back.
  private func post(path: String, body: [String: Any], what: String) async throws(AssayError) -> [String: Any] {
    let url = serverRoot + path
    guard let data = try? JSONSerialization.data(withJSONObject: body) else {
      throw AssayError(.io, "cannot encode the \(path) request - while \(what)")
    }
    struct NotAnObject: Error {}
    switch await exchange(url: url, body: Array(data), parse: { bytes -> [String: Any] in
      guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { throw NotAnObject() }
      return object
    }) {
    case .success(let object, _, _):
      return object
    case .failure(let failure):
      throw AssayError(.serverError, "POST \(url) failed: \(failure.message) - while \(what)",
        fix: failure.message.contains("HTTP 404")
          ? "needle suites count tokens with the server's /tokenize and /detokenize (llama.cpp's llama-server, vLLM, or --runtime llama.cpp); this server has none"
          : "check that the server is running, and its log")
    }
  }

}

extension ServerInfo {
  /// The context window a `/v1/models` entry states: vLLM's `max_model_len`, Assay's llama.cpp server's
  /// `meta.n_ctx`, else llama.cpp's `meta.n_ctx_train` (the trained window, which its `--ctx-size` may lower).
  public static func contextWindow(_ entry: [String: Any]?) -> Int? {
    guard let entry else { return nil }
    if let length = (entry["max_model_len"] as? NSNumber)?.intValue { return length }
    let meta = entry["meta"] as? [String: Any]
    return (meta?["n_ctx"] as? NSNumber)?.intValue ?? (meta?["n_ctx_train"] as? NSNumber)?.intValue
  }
}
