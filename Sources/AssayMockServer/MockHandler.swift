import AssayCore
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
    switch (head.method, path) {
    case (.GET, "/v1/models"):
      let object: [String: Any] = ["object": "list", "data": [["id": state.model, "object": "model", "owned_by": "assay"]]]
      respond(context: context, status: .ok, json: object, keepAlive: head.isKeepAlive)
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
          self.respond(context: boxed.value, status: .internalServerError, json: ["error": ["message": "injected fault"]], keepAlive: head.isKeepAlive)
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
      let request = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
      guard let request, request["model"] as? String == state.model else {
        respond(
          context: context, status: .notFound,
          json: ["error": ["message": "model not found; this server serves '\(state.model)'"]], keepAlive: head.isKeepAlive)
        return
      }
      // The same key the client's response cache uses: sha256(endpoint, NUL, body).
      var hasher = SHA256()
      hasher.update(chat ? "chat/completions" : "completions")
      hasher.update([0])
      hasher.update(body)
      let hash = hasher.finalizeHex()
      let number = Int(hash.prefix(4), radix: 16)! % 100
      let text = "Let me think step by step. \(number / 2) + \(number - number / 2) = \(number). The answer is \(number). Antwort: \(number)"
      let usage: [String: Any] = ["prompt_tokens": body.count / 4, "completion_tokens": 24, "total_tokens": body.count / 4 + 24]
      let object: [String: Any] =
        chat
        ? ["id": "mock-\(hash.prefix(12))", "object": "chat.completion", "model": state.model, "usage": usage,
           "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]]]
        : ["id": "mock-\(hash.prefix(12))", "object": "text_completion", "model": state.model, "usage": usage,
           "choices": [["index": 0, "text": text, "finish_reason": "stop", "logprobs": NSNull()]]]
      let state = self.state
      loop.scheduleTask(in: state.latency) {
        state.completed(bodyHash: hash)
        self.respond(context: boxed.value, status: .ok, json: object, keepAlive: head.isKeepAlive)
      }
    default:
      respond(context: context, status: .notFound, json: ["error": ["message": "no route \(head.method) \(path)"]], keepAlive: head.isKeepAlive)
    }
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
