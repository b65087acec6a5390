import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension OpenAIClient {
  /// Redirects followed for one request at most.
  static let maxRedirects = 5

  /// One request, following redirects to the same scheme, host and port (method and body kept). A redirect to
  /// another server is followed only with `followRedirects` (`--follow-redirects`); otherwise it comes back as the
  /// 3xx response with a body that says where it pointed and why it was not followed, so the prompt and the API key
  /// never go to a server the user did not name.
  func send(method: HTTPMethod, url: String, body: [UInt8]?, timeout: Double? = nil) async -> AttemptResult {
    var current = url
    for _ in 0...Self.maxRedirects {
      await gate.acquire()
      let result = await sendOnce(method: method, url: current, body: body, timeout: timeout)
      await gate.release()
      guard case .response(let status, let headers, _) = result, [301, 302, 303, 307, 308].contains(status),
        let location = headers.first(name: "location"),
        let target = URL(string: location, relativeTo: URL(string: current))?.absoluteURL
      else { return result }
      guard followRedirects || Self.sameOrigin(target, URL(string: current)) else {
        let text = "redirect to \(target.absoluteString) (another server) not followed: the request, with its prompt and API key, would go there; "
          + "pass --follow-redirects to follow it, or point --base-url at that server"
        return .response(status: status, headers: headers, body: Array(text.utf8))
      }
      current = target.absoluteString
    }
    return .transport("more than \(Self.maxRedirects) redirects from \(url)")
  }

  /// Whether two URLs share scheme, host and port.
  static func sameOrigin(_ a: URL, _ b: URL?) -> Bool {
    guard let b else { return false }
    func port(_ url: URL) -> Int? { url.port ?? (url.scheme?.lowercased() == "https" ? 443 : url.scheme?.lowercased() == "http" ? 80 : nil) }
    return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && port(a) == port(b)
  }
}
