import AssayTesting
import Foundation
import GRDB
import Testing

/// One process at a time works on a run: a second `assay run` of the same configuration on the same database stops
/// (exit 4, naming the holder) instead of sending the same requests again, and a killed holder blocks nobody.
@Suite(.serialized, .tags(.slow)) struct RunLockTests {
  /// Waits (at most two minutes, as a guard against a hang, not a timing assertion) until `file` contains `text`.
  func waitFor(_ text: String, in file: String) throws {
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline {
      if let content = try? String(contentsOfFile: file, encoding: .utf8), content.contains(text) { return }
      usleep(50_000)
    }
    Issue.record("'\(text)' never appeared in \(file)")
  }

  @Test func aSecondProcessOnTheSameRunStopsAndAKilledHolderDoesNotBlock() throws {
    // 20 requests one at a time at 150 ms each: the first process holds the run for about 3 s.
    let server = try MockServerProcess(["--latency-ms", "150"])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let arguments = ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "mgsm", "--variant", "en",
                     "--limit", "20", "--concurrency", "1", "--db", db]
    let (holder, _, holderErr) = try CLI.start(arguments, in: dir)
    try waitFor("task(s)", in: holderErr)  // printed once the run is created, under the lock
    let second = try CLI.run(arguments, in: dir)
    holder.waitUntilExit()
    #expect(holder.terminationStatus == 0)
    #expect(second.status == 4, "\(second.stderr)")
    #expect(second.stderr.contains("another assay process is working on"), "\(second.stderr)")
    #expect(second.stderr.contains("pid \(holder.processIdentifier)"), "\(second.stderr)")
    #expect(try server.stats()["requests"] as? Int == 20, "the second process sent requests")
    let runs = try DatabaseQueue(path: db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") }
    #expect(runs == 1)

    // kill -9 while holding the lock: the next process takes the run over and finishes it.
    let (killed, _, killedErr) = try CLI.start(arguments + ["--fresh"], in: dir)
    try waitFor("task(s)", in: killedErr)
    kill(killed.processIdentifier, SIGKILL)
    killed.waitUntilExit()
    let after = try CLI.run(arguments, in: dir)
    #expect(after.status == 0, "\(after.stderr)")
    #expect(after.stderr.contains("resuming run"), "\(after.stderr)")
  }
}
