import AssayCore
import Foundation
import GRDB
import Testing

/// Servers are untrusted: answers without text are failures to retry, redirects do not carry the prompt to
/// another server unless asked, and error bodies cannot drive the terminal.
@Suite(.serialized) struct ServerSafetyTests {
  func portOf(_ baseURL: String) -> String {
    String(baseURL.split(separator: ":").last!.split(separator: "/").first!)
  }

  func hasEscapes(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || (0x80...0x9F).contains($0.value) }
  }

  /// An answer whose content is null or a number is a failed request: nothing is cached, and the same command
  /// against a server that answers properly sends those requests again.
  @Test(arguments: ["null", "42"])
  func anAnswerWithoutTextIsAFailedRequestRetriedOnResume(content: String) throws {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let broken = try MockServerProcess(["--content-json", content])
    let port = portOf(broken.baseURL)
    let arguments = [
      "run", "--base-url", broken.baseURL, "--model", "mock-model", "--suite", "mgsm/en", "--limit", "5",
      "--max-retries", "1", "--retry-base-delay", "0.01", "--db", db,
    ]
    let first = try CLI.run(arguments, in: dir)
    broken.stop()
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("5 failed"), "\(first.stderr)")
    let (statuses, errors, cached) = try DatabaseQueue(path: db).read { db in
      (
        try String.fetchAll(db, sql: "SELECT status FROM sample"),
        try String.fetchAll(db, sql: "SELECT error FROM sample WHERE error IS NOT NULL"),
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM response_cache")!
      )
    }
    #expect(statuses == Array(repeating: "failed", count: 5))
    #expect(errors.count == 5 && errors.allSatisfy { $0.contains("message.content") }, "\(errors)")
    #expect(cached == 0)

    let healthy = try MockServerProcess(["--port", port])
    defer { healthy.stop() }
    let second = try CLI.run(arguments, in: dir)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("done: 5 sent"), "\(second.stderr)")
    #expect((try healthy.stats()["completed"] as? Int) == 5)
    let scored = try DatabaseQueue(path: db).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sample WHERE status = 'scored'")! }
    #expect(scored == 5)
  }

  /// A server that redirects to another one: without --follow-redirects nothing is sent there (exit 3, naming the
  /// flag); with it, the run goes through.
  @Test func aRedirectToAnotherServerIsRefusedUnlessAsked() throws {
    let target = try MockServerProcess([])
    defer { target.stop() }
    let origin = String(target.baseURL.dropLast("/v1".count))
    let redirector = try MockServerProcess(["--redirect-to", origin])
    defer { redirector.stop() }
    let dir = CLI.temporaryDirectory()
    let arguments = [
      "run", "--base-url", redirector.baseURL, "--model", "mock-model", "--suite", "mgsm/en", "--limit", "3",
      "--db", dir + "/assay.sqlite",
    ]
    let refused = try CLI.run(arguments, in: dir)
    #expect(refused.status == 3, "\(refused.stderr)")
    #expect(refused.stderr.contains("another server") && refused.stderr.contains("--follow-redirects"), "\(refused.stderr)")
    #expect((try target.stats()["requests"] as? Int) == 0)

    let followed = try CLI.run(arguments + ["--follow-redirects"], in: dir)
    #expect(followed.status == 0, "\(followed.stderr)")
    #expect((try target.stats()["completed"] as? Int) == 3)
  }

  /// An error body full of escape sequences is quoted visibly in the run's messages and the stored error.
  @Test func hostileErrorBodiesAreShownNotObeyed() throws {
    let server = try MockServerProcess([
      "--fault-rate", "1", "--faults", "500", "--error-body", "\u{1B}]2;pwned\u{7}\u{1B}[2J\u{9B}H\u{1B}]52;c;Zm9v\u{7}",
    ])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let run = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "mgsm/en", "--limit", "2", "--max-retries", "0",
       "--db", db], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("␛]2;pwned␇␛[2J\\u{9B}H"), "\(run.stderr)")
    #expect(!hasEscapes(run.stderr), "\(run.stderr)")
    #expect(!hasEscapes(run.stdout), "\(run.stdout)")
    let samples = try CLI.run(["report", "latest", "--samples", "--db", db], in: dir)
    #expect(samples.status == 0, "\(samples.stderr)")
    #expect(samples.stdout.contains("␛]2;pwned␇"), "\(samples.stdout)")
    #expect(!hasEscapes(samples.stdout), "\(samples.stdout)")
  }
}
