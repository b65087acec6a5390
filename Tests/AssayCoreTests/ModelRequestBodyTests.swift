import AssayCore
import Foundation
import Testing

/// The hand-written request body equals JSONEncoder's (sorted keys, unescaped slashes) byte for byte: cache keys hash
/// these bytes, so a difference would silently miss every cached response of earlier runs.
@Suite struct ModelRequestBodyTests {
  /// JSONEncoder's view of the same body (the encoding Assay used before the hand-written one).
  struct Oracle: Encodable {
    struct Message: Encodable { var role: String; var content: String }
    enum Logprobs: Encodable {
      case bool(Bool), int(Int)
      func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .bool(let v): try c.encode(v)
        case .int(let v): try c.encode(v)
        }
      }
    }
    var model: String
    var max_tokens: Int
    var temperature: Double
    var top_p: Double?
    var stop: [String]?
    var seed: Int?
    var n: Int?
    var messages: [Message]?
    var prompt: String?
    var logprobs: Logprobs?
    var top_logprobs: Int?
    var echo: Bool?

    init(_ r: ModelRequest) {
      model = r.model
      max_tokens = r.maxTokens
      temperature = r.temperature
      top_p = r.topP
      stop = r.stop.isEmpty ? nil : r.stop
      seed = r.seed
      n = r.n
      switch r.prompt {
      case .chat(let list):
        messages = list.map { Message(role: $0.role, content: $0.content) }
        if let l = r.logprobs { logprobs = .bool(true); top_logprobs = l }
      case .completion(let text):
        prompt = text
        logprobs = r.logprobs.map { .int($0) }
        echo = r.echo
      }
    }

    var bytes: [UInt8] {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      return Array(try! encoder.encode(self))
    }
  }

  static func text(_ generator: inout SeededGenerator) -> String {
    let pool: [Unicode.Scalar] = (0..<0x80).compactMap(Unicode.Scalar.init) + ["é", "ß", "中", "文", "😀", "\u{2028}", "\u{FEFF}", "ـ", "\u{7F}", "\u{85}"]
    var out = String.UnicodeScalarView()
    for _ in 0..<generator.index(below: 40) { out.append(pool[generator.index(below: pool.count)]) }
    return String(out)
  }

  @Test func everyCharacterAndParameterIsWrittenAsJSONEncoderWritesIt() {
    var generator = SeededGenerator(seed: 3)
    let temperatures = [0, 0.2, 0.7, 0.8, 1, 1.5, 1e-5, 0.1 + 0.2, 2.0 / 3]
    for round in 0..<3_000 {
      let chat = round % 2 == 0
      let prompt: ModelRequest.Prompt = chat
        ? .chat((0..<(1 + generator.index(below: 3))).map { _ in ChatMessage(role: ["system", "user", "assistant"][generator.index(below: 3)], content: Self.text(&generator)) })
        : .completion(Self.text(&generator))
      let request = ModelRequest(
        model: Self.text(&generator), prompt: prompt, maxTokens: generator.index(below: 5000),
        temperature: temperatures[generator.index(below: temperatures.count)],
        topP: generator.index(below: 2) == 0 ? nil : temperatures[generator.index(below: temperatures.count)],
        stop: (0..<generator.index(below: 3)).map { _ in Self.text(&generator) },
        seed: generator.index(below: 2) == 0 ? nil : generator.index(below: 100_000) - 50_000,
        n: generator.index(below: 2) == 0 ? nil : 1 + generator.index(below: 10),
        logprobs: generator.index(below: 2) == 0 ? nil : generator.index(below: 6),
        echo: chat || generator.index(below: 2) == 0 ? nil : generator.index(below: 2) == 0)
      if case .chat(let messages) = prompt {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try! encoder.encode(messages), as: UTF8.self)
        if request.promptText != expected {
          Issue.record("round \(round): promptText \(request.promptText) != \(expected)")
          return
        }
      }
      let ours = request.jsonBody()
      let theirs = Oracle(request).bytes
      if ours != theirs {
        Issue.record("round \(round): \(String(decoding: ours, as: UTF8.self)) != \(String(decoding: theirs, as: UTF8.self))")
        return
      }
    }
  }
}
