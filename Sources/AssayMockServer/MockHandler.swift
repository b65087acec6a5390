import AssayCore
import AssayMockKit
import Foundation
import NIOCore
import NIOHTTP1

/// Handles one connection's HTTP/1.1 requests for the mock server.
final class MockHandler: ChannelInboundHandler, @unchecked Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let state: ServerState
  private var head: HTTPRequestHead?
  private var body: [UInt8] = []

  init(state: ServerState) {
    self.state = state
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head):
      self.head = head
      body.removeAll(keepingCapacity: true)
    case .body(var buffer):
      body += buffer.readBytes(length: buffer.readableBytes) ?? []
    case .end:
      guard let head else { return }
      handle(context: context, head: head, body: body)
      self.head = nil
    }
  }

  private func handle(context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
    let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
    if let origin = state.redirectTo, path.hasPrefix("/v1/") {
      respond(
        context: context, status: .temporaryRedirect, bytes: [], keepAlive: head.isKeepAlive,
        extraHeaders: [("Location", origin + head.uri)])
      return
    }
    switch (head.method, path) {
    case (.GET, "/v1/models"):
      let object: [String: Any] = ["object": "list", "data": [["id": state.model, "object": "model", "owned_by": "assay"]]]
      respond(context: context, status: .ok, json: object, keepAlive: head.isKeepAlive)
    case (.GET, "/health"):
      respond(context: context, status: .ok, bytes: [], keepAlive: head.isKeepAlive)
    case (.GET, "/stats"):
      respond(context: context, status: .ok, bytes: state.statsJSON(), keepAlive: head.isKeepAlive)
    case (.POST, "/v1/chat/completions"), (.POST, "/v1/completions"):
      let chat = path.hasSuffix("chat/completions")
      let fault = state.drawFault()
      let loop = context.eventLoop
      let boxed = NIOLoopBound(context, eventLoop: loop)
      switch fault {
      case .drop:
        context.close(promise: nil)
        return
      case .hang:
        loop.scheduleTask(in: state.hang) { boxed.value.close(promise: nil) }
        return
      case .http500:
        loop.scheduleTask(in: state.latency) {
          if let raw = self.state.errorBody {
            self.respond(context: boxed.value, status: .internalServerError, bytes: Array(raw.utf8), keepAlive: head.isKeepAlive)
          } else {
            self.respond(context: boxed.value, status: .internalServerError, json: ["error": ["message": "injected fault"]], keepAlive: head.isKeepAlive)
          }
        }
        return
      case .http429:
        loop.scheduleTask(in: state.latency) {
          self.respond(
            context: boxed.value, status: .tooManyRequests, json: ["error": ["message": "rate limited (injected)"]],
            keepAlive: head.isKeepAlive, extraHeaders: [("Retry-After", "0")])
        }
        return
      case nil:
        break
      }
      // The same key the client's response cache uses: sha256(endpoint, NUL, body).
      var hasher = SHA256()
      hasher.update(chat ? "chat/completions" : "completions")
      hasher.update([0])
      hasher.update(body)
      let hash = hasher.finalizeHex()
      let number = Int(hash.prefix(4), radix: 16)! % 100
      let text = "Let me think step by step. \(number / 2) + \(number - number / 2) = \(number). The answer is \(number). Antwort: \(number)"
      let promptTokens = body.count / 4
      let reply: [UInt8]
      if state.fastPath(body), chat || !Self.contains(body, Self.echoMarker) {
        // Plain answers (the bulk of a benchmark) are written by hand: JSONSerialization would cost the server more
        // CPU than the harness spends on the request.
        let head = "{\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,"
        let content = state.contentJSON ?? "\"\(text)\""
        let choice = chat ? "\"message\":{\"content\":\(content),\"role\":\"assistant\"}}]" : "\"logprobs\":null,\"text\":\(content)}]"
        let tail = ",\"id\":\"mock-\(hash.prefix(12))\",\"model\":\"\(state.modelJSON)\",\"object\":\"\(chat ? "chat.completion" : "text_completion")\","
          + "\"usage\":{\"completion_tokens\":24,\"prompt_tokens\":\(promptTokens),\"total_tokens\":\(promptTokens + 24)}}"
        reply = Array((head + choice + tail).utf8)
      } else {
        guard let request = try? JSONDecoder().decode(MockRequest.self, from: Data(body)), request.model == state.model else {
          respond(
            context: context, status: .notFound,
            json: ["error": ["message": "model not found; this server serves '\(state.model)'"]], keepAlive: head.isKeepAlive)
          return
        }
        var out = "{\"choices\":["
        if chat {
          out += "{\"finish_reason\":\"stop\",\"index\":0,\"message\":{\"content\":\(state.contentJSON ?? "\"\(text)\""),\"role\":\"assistant\"}}"
        } else {
          // A list of prompts (as vLLM takes) gets one choice per prompt; echo with logprobs gets the prompt's tokens
          // with made-up log-probabilities, as log-likelihood suites need.
          for (index, prompt) in (request.prompt ?? [""]).enumerated() {
            if index > 0 { out += "," }
            if request.echo == true && request.logprobs != nil && state.promptLogprobs {
              out += "{\"finish_reason\":\"length\",\"index\":\(index),\"logprobs\":\(Self.echoLogprobs(prompt)),"
                + "\"text\":\(Self.quoted(prompt + " x"))}"
            } else {
              out += "{\"finish_reason\":\"stop\",\"index\":\(index),\"logprobs\":null,\"text\":\(state.contentJSON ?? "\"\(text)\"")}"
            }
          }
        }
        out += "],\"id\":\"mock-\(hash.prefix(12))\",\"model\":\"\(state.modelJSON)\",\"object\":\"\(chat ? "chat.completion" : "text_completion")\","
          + "\"usage\":{\"completion_tokens\":24,\"prompt_tokens\":\(promptTokens),\"total_tokens\":\(promptTokens + 24)}}"
        reply = Array(out.utf8)
      }
      let state = self.state
      state.started()
      loop.scheduleTask(in: state.latency) {
        state.completed(bodyHash: hash)
        self.respond(context: boxed.value, status: .ok, bytes: reply, keepAlive: head.isKeepAlive)
      }
    default:
      respond(context: context, status: .notFound, json: ["error": ["message": "no route \(head.method) \(path)"]], keepAlive: head.isKeepAlive)
    }
  }

  static let echoMarker = Array("\"echo\":true".utf8)

  /// Whether `needle` occurs in `haystack`.
  static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
    let first = needle[0]
    var i = 0
    let last = haystack.count - needle.count
    while i <= last {
      if haystack[i] == first {
        var j = 1
        while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
        if j == needle.count { return true }
      }
      i += 1
    }
    return false
  }

  /// `MockEcho`'s log-probabilities for an echoed prompt, as the JSON `logprobs` object of a completion choice.
  static func echoLogprobs(_ prompt: String) -> String {
    let echo = MockEcho.logprobs(for: prompt)
    let values = echo.logprobs.map { $0.map { String($0) } ?? "null" }
    return "{\"text_offset\":[\(echo.offsets.map(String.init).joined(separator: ","))],\"token_logprobs\":[\(values.joined(separator: ","))],"
      + "\"tokens\":[\(echo.tokens.map(quoted).joined(separator: ","))],\"top_logprobs\":null}"
  }

  /// A JSON string literal.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  private func respond(
    context: ChannelHandlerContext, status: HTTPResponseStatus, json: Any, keepAlive: Bool,
    extraHeaders: [(String, String)] = []
  ) {
    let bytes = Array((try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data())
    respond(context: context, status: status, bytes: bytes, keepAlive: keepAlive, extraHeaders: extraHeaders)
  }

  private func respond(
    context: ChannelHandlerContext, status: HTTPResponseStatus, bytes: [UInt8], keepAlive: Bool,
    extraHeaders: [(String, String)] = []
  ) {
    guard context.channel.isActive else { return }
    var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "\(bytes.count)")])
    for (name, value) in extraHeaders { headers.add(name: name, value: value) }
    if !keepAlive { headers.add(name: "Connection", value: "close") }
    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
    let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
    if !keepAlive { done.whenComplete { _ in context.close(promise: nil) } }
  }

}

/// The fields of a request the mock reads when it parses one; `prompt` is a string or a list.
struct MockRequest: Decodable {
  var model: String
  var prompt: [String]?
  var echo: Bool?
  var logprobs: Int?

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decode(String.self, forKey: .model)
    if let one = try? c.decodeIfPresent(String.self, forKey: .prompt) {
      prompt = [one]
    } else {
      prompt = try? c.decodeIfPresent([String].self, forKey: .prompt)
    }
    echo = try? c.decodeIfPresent(Bool.self, forKey: .echo)
    logprobs = try? c.decodeIfPresent(Int.self, forKey: .logprobs)
  }
  enum CodingKeys: String, CodingKey { case model, prompt, echo, logprobs }
}
