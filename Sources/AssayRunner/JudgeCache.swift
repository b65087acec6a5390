import AssayCore
import Logging

/// Requests to a judging model (an LLM judge, a guard) through the response cache: the reply of an identical
/// request is taken from the cache, a new one is asked and cached under `<endpoint>#<tag>`. A reply that cannot be
/// cached is still returned (and a warning logged).
enum JudgeCache {
  /// The reply, cached or new, or the runtime's failure.
  static func ask(
    _ request: ModelRequest, on runtime: any ModelRuntime, store: any ResultStore, tag: String, logger: Logger
  ) async -> GenerationOutcome {
    let body = request.jsonBody()
    let endpoint = request.endpoint + "#" + tag
    let key = ModelRequest.cacheKey(endpoint: endpoint, body: body)
    if let cached = try? await store.cachedResponses(forKeys: [key])[key] { return .success(cached) }
    let outcome = await runtime.generate(request)
    if case .success(let response) = outcome {
      do {
        try await store.cache(response, key: key, endpoint: endpoint, request: String(decoding: body, as: UTF8.self))
      } catch {
        logger.warning("could not cache a \(tag) reply", metadata: ["error": "\(error)"])
      }
    }
    return outcome
  }
}
