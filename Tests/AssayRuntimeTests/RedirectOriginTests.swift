import Foundation
import Testing

@testable import AssayRuntime

/// Which redirects `OpenAIClient` follows without `--follow-redirects`: only those to the same scheme, host and port.
struct RedirectOriginTests {
  @Test(arguments: [
    ("http://127.0.0.1:8000/v1/models", "http://127.0.0.1:8000/v1/models/", true),
    ("http://LOCALHOST:8000/v1", "http://localhost:8000/other", true),
    ("http://example.test/v1", "http://example.test:80/v1", true),
    ("https://example.test/v1", "https://example.test:443/x", true),
    ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8001/v1", false),
    ("http://127.0.0.1:8000/v1", "http://127.0.0.2:8000/v1", false),
    ("http://example.test/v1", "https://example.test/v1", false),
    ("http://example.test/v1", "http://example.test.evil.test/v1", false),
  ])
  func sameOriginMeansSchemeHostAndPort(from: String, to: String, same: Bool) {
    #expect(OpenAIClient.sameOrigin(URL(string: to)!, URL(string: from)) == same)
  }
}
