import AssayCore
import Testing

@Suite struct ModelRequestTests {
  @Test func bodyIsDeterministicAndCarriesTheParameters() {
    let request = ModelRequest(
      model: "m", prompt: .chat([ChatMessage(role: "user", content: "hi")]), maxTokens: 5, temperature: 0,
      stop: ["Q:"], seed: 7)
    let body = String(decoding: request.jsonBody(), as: UTF8.self)
    #expect(
      body == #"{"max_tokens":5,"messages":[{"content":"hi","role":"user"}],"model":"m","seed":7,"stop":["Q:"],"temperature":0}"#)
    #expect(request.endpoint == "chat/completions")
    #expect(request.cacheKey == request.cacheKey)
  }

  @Test func completionRequestsAskForPromptLogprobs() {
    let request = ModelRequest(model: "m", prompt: .completion("a b"), maxTokens: 1, temperature: 0, logprobs: 1, echo: true)
    let body = String(decoding: request.jsonBody(), as: UTF8.self)
    #expect(body.contains(#""echo":true"#) && body.contains(#""logprobs":1"#) && body.contains(#""prompt":"a b""#))
    #expect(request.endpoint == "completions")
  }

  @Test func cacheKeyChangesWithModelOrPrompt() {
    let a = ModelRequest(model: "m", prompt: .completion("x"), maxTokens: 1, temperature: 0)
    var b = a
    b.model = "n"
    var c = a
    c.prompt = .completion("y")
    #expect(a.cacheKey != b.cacheKey)
    #expect(a.cacheKey != c.cacheKey)
  }
}
