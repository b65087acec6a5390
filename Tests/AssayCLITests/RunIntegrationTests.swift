import AssayCore
import AssayTesting
import Foundation
import GRDB
import Testing

/// End-to-end runs through the built binary: the real llama.cpp server, a fault-injecting server, SIGKILL and
/// resume. Process-spawning, so serialized.
@Suite(.serialized, .tags(.slow)) struct RunIntegrationTests {
  @Test func llamaCppRunOfMGSMGermanScoresTenSamples() throws {
    let python = (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay/llama-venv/bin/python"
    try #require(
      FileManager.default.isExecutableFile(atPath: python)
        || ProcessInfo.processInfo.environment["ASSAY_LLAMA_PYTHON"] != nil,
      "llama.cpp server not installed: run scripts/setup-llama.sh first")
    let dir = CLI.temporaryDirectory()
    let db = dir + "/results/assay.sqlite"
    let result = try CLI.run(
      ["run", "--runtime", "llama.cpp", "--model", CLI.models + "/tiny-llama3-random.gguf", "--suite", "mgsm",
       "--variant", "de", "--limit", "10", "--max-tokens", "48", "--db", db, "--verbose"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("| **mgsm** | de | 10 |"), "\(result.stdout)")

    let report = try CLI.run(["report", "latest", "--db", db, "--format", "json"], in: dir)
    #expect(report.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
    let suites = json["suites"] as! [[String: Any]]
    let total = suites[0]["total"] as! [String: Any]
    #expect(total["n"] as? Int == 10)
    #expect(json["model"] as? String == "tiny-llama3-random")

    // Every sample holds the prompt as sent and the server's raw response.
    let rows = try DatabaseQueue(path: db).read { db in
      try Row.fetchAll(db, sql: "SELECT prompt, response, finish_reason, status FROM sample")
    }
    #expect(rows.count == 10)
    for row in rows {
      #expect((row["prompt"] as String).contains("Antwort"))
      #expect(row["status"] as String == "scored")
      #expect(row["finish_reason"] as String? != nil)
    }
    // The launched server is gone.
    let pidText = try #require(result.stderr.firstMatch(of: /pid=(\d+).*launched llama.cpp server/)?.1)
    #expect(kill(pid_t(pidText)!, 0) != 0, "the llama.cpp server (pid \(pidText)) is still running")
  }

  @Test func faultsAreRetriedAndNothingIsLostOrDuplicated() throws {
    let server = try MockServerProcess([
      "--latency-ms", "5", "--fault-rate", "0.2", "--hang-seconds", "3", "--seed", "7",
    ])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let result = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "gsm8k", "--limit", "100",
       "--concurrency", "8", "--request-timeout", "1", "--retry-base-delay", "0.02", "--max-retries", "10",
       "--db", db], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let stats = try server.stats()
    let faults = stats["faults"] as! [String: Int]
    print("fault test: server saw \(stats["requests"]!) requests, faults \(faults)")
    for kind in ["500", "429", "hang", "drop"] { #expect((faults[kind] ?? 0) > 0, "no \(kind) fault was injected") }

    let (total, distinct, scored, failedWithError) = try DatabaseQueue(path: db).read { db in
      (
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample")!,
        try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT sample_index) FROM sample")!,
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample WHERE status = 'scored'")!,
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample WHERE status = 'failed' AND error IS NOT NULL")!
      )
    }
    #expect(total == 100)
    #expect(distinct == 100)
    #expect(scored + failedWithError == 100)
    // Each scored sample's response was completed exactly once at the server for its request.
    let completed = stats["completed_by_body"] as! [String: Int]
    let keys = try DatabaseQueue(path: db).read { db in
      try String.fetchAll(db, sql: "SELECT request_key FROM sample WHERE status = 'scored'")
    }
    for key in keys { #expect(completed[key] != nil, "scored sample's request never completed at the server") }
  }

  @Test func theAPIKeyIsNeverStoredOrPrinted() throws {
    let server = try MockServerProcess([])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let secret = "sk-test-\(UUID().uuidString)"
    let result = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "mgsm", "--variant", "en",
       "--limit", "5", "--api-key", secret, "--db", db, "--verbose"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
    for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasPrefix("assay.sqlite") {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
      #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) contains the API key")
    }
  }

  @Test func requestsThatFailAfterRetriesAreRecordedThenRetriedByRerunning() throws {
    let flaky = try MockServerProcess(["--fault-rate", "0.5", "--faults", "500,drop", "--seed", "3"])
    defer { flaky.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let arguments = [
      "run", "--base-url", flaky.baseURL, "--model", "mock-model", "--suite", "mgsm", "--variant", "sw",
      "--limit", "30", "--max-retries", "0", "--request-timeout", "2", "--db", db,
    ]
    let first = try CLI.run(arguments, in: dir)
    #expect(first.status == 0, "\(first.stderr)")
    let failed = try DatabaseQueue(path: db).read { db in
      try Row.fetchAll(db, sql: "SELECT error FROM sample WHERE status = 'failed'")
    }
    #expect(failed.count > 0)
    for row in failed {
      let error: String = row["error"]
      #expect(error.contains("HTTP 500") || error.contains("connection"), "\(error)")
    }
    #expect(first.stdout.contains("requests failed after retries"))

    // The same command against a healthy server serving the same weights elsewhere (the server is part of the
    // run's identity, so this takes --reuse-answers-from-any-server) continues the run and sends only the failed
    // requests.
    let healthy = try MockServerProcess([])
    defer { healthy.stop() }
    let second = try CLI.run(
      arguments.map { $0 == flaky.baseURL ? healthy.baseURL : $0 } + ["--reuse-answers-from-any-server"], in: dir)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("resuming run"))
    #expect(try healthy.stats()["requests"] as? Int == failed.count)
    let remaining = try DatabaseQueue(path: db).read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample WHERE status = 'failed'")!
    }
    #expect(remaining == 0)
  }

  @Test func aKilledRunResumesToTheSameScoresWithoutResending() throws {
    let server = try MockServerProcess(["--latency-ms", "60"])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/resumed.sqlite"
    let arguments = [
      "run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "gsm8k", "--limit", "150",
      "--concurrency", "4", "--db", db,
    ]
    let (process, _, _) = try CLI.start(arguments, in: dir)
    var storedBeforeKill = 0
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      Thread.sleep(forTimeInterval: 0.05)
      if FileManager.default.fileExists(atPath: db),
        let count = try? DatabaseQueue(path: db).read({ try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sample") }),
        count >= 40
      {
        storedBeforeKill = count
        break
      }
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(storedBeforeKill >= 40 && storedBeforeKill < 150, "kill landed at \(storedBeforeKill)")
    let keysBeforeKill = try DatabaseQueue(path: db).read { db in
      try String.fetchAll(db, sql: "SELECT request_key FROM sample")
    }

    let resumed = try CLI.run(arguments, in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("resuming run"))

    let completed = try server.stats()["completed_by_body"] as! [String: Int]
    for key in keysBeforeKill { #expect(completed[key] == 1, "a request stored before the kill was sent again") }
    let duplicates = completed.values.filter { $0 > 1 }.count
    #expect(duplicates <= 4, "only requests in flight at the kill may be sent twice")

    // An uninterrupted run on a fresh database and server gives the same per-sample results.
    let fresh = try MockServerProcess(["--latency-ms", "1"])
    defer { fresh.stop() }
    let reference = dir + "/uninterrupted.sqlite"
    let straight = try CLI.run(
      ["run", "--base-url", fresh.baseURL, "--model", "mock-model", "--suite", "gsm8k", "--limit", "150",
       "--concurrency", "4", "--db", reference], in: dir)
    #expect(straight.status == 0, "\(straight.stderr)")
    let query = "SELECT task_id, sample_index, status, response, answers, correct, score FROM sample ORDER BY task_id, sample_index"
    let a = try DatabaseQueue(path: db).read { try Row.fetchAll($0, sql: query) }
    let b = try DatabaseQueue(path: reference).read { try Row.fetchAll($0, sql: query) }
    #expect(a.count == 150)
    #expect(a == b)
  }
}

/// Interrupting a run that launched llama.cpp stops the server and keeps what was scored.
@Suite(.serialized, .tags(.slow)) struct InterruptTests {
  @Test func sigintStopsTheLaunchedServerAndMarksTheRunInterrupted() throws {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let (process, _, stderrPath) = try CLI.start(
      ["run", "--runtime", "llama.cpp", "--model", CLI.models + "/tiny-llama3-random.gguf", "--suite", "mgsm",
       "--variant", "th", "--max-tokens", "256", "--concurrency", "2", "--db", db, "--verbose"], in: dir)
    var pid: pid_t?
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline, pid == nil {
      Thread.sleep(forTimeInterval: 0.1)
      let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
      if text.contains("plan"), let match = text.firstMatch(of: /pid=(\d+).*launched llama.cpp server/) {
        pid = pid_t(match.1)
      }
    }
    let server = try #require(pid, "the run never started")
    Thread.sleep(forTimeInterval: 1)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let stderr = try String(contentsOfFile: stderrPath, encoding: .utf8)
    #expect(process.terminationStatus == 130, "\(stderr)")
    #expect(stderr.contains("interrupted"))
    #expect(kill(server, 0) != 0, "the llama.cpp server survived the interrupt")
    let status = try DatabaseQueue(path: db).read { try String.fetchOne($0, sql: "SELECT status FROM run") }
    #expect(status == "interrupted")
  }
}
