import AssayTesting
import Foundation
import GRDB
import Testing

/// Safety suites on the real llama.cpp server: the tiny random Llama 3 model answers and is its own guard. Its
/// gibberish is never a Llama Guard verdict, so every verdict is unparseable and reported as such (never safe, never
/// unsafe); guard replies are cached, and a run without a guard is refused before anything is stored.
@Suite(.serialized, .tags(.slow)) struct SafetyIntegrationTests {
  func requireLlama() throws {
    let python = (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay/llama-venv/bin/python"
    try #require(
      FileManager.default.isExecutableFile(atPath: python)
        || ProcessInfo.processInfo.environment["ASSAY_LLAMA_PYTHON"] != nil,
      "llama.cpp server not installed: run scripts/setup-llama.sh first")
  }

  @Test func theTinyModelAsModelAndGuardGivesOnlyUnparseableVerdicts() throws {
    try requireLlama()
    let dir = CLI.temporaryDirectory()
    let db = dir + "/safety.sqlite"
    let model = CLI.models + "/tiny-llama3-random.gguf"
    let refused = try CLI.run(["run", "--runtime", "llama.cpp", "--model", model, "--suite", "multijail/th", "--db", db], in: dir)
    #expect(refused.status == 2 && refused.stderr.contains("--guard-model"), "\(refused.stderr)")
    #expect(refused.stderr.contains("content warning (multijail)"))
    #expect(!FileManager.default.fileExists(atPath: db))

    let arguments = [
      "run", "--runtime", "llama.cpp", "--model", model, "--suite", "multijail/th,xstest,xstest-contrast", "--limit", "3",
      "--max-tokens", "16", "--guard-model", model, "--concurrency", "2", "--db", db, "--format", "json",
    ]
    let result = try CLI.run(arguments, in: dir)
    #expect(result.status == 0, "\(result.stderr.suffix(3000))")
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    let safety = try #require(report["safety"] as? [String: Any])
    let rows = try #require(safety["rows"] as? [[String: Any]])
    for suite in ["multijail", "xstest-contrast"] {
      let row = try #require(rows.first { $0["kind"] as? String == "suite" && $0["label"] as? String == suite })
      let violation = try #require((row["rates"] as? [String: Any])?["violation"] as? [String: Any])
      // Three answers judged by gibberish: none counted, all unparseable.
      #expect(violation["n"] as? Int == 0 && violation["unparseable"] as? Int == 3, "\(suite): \(violation)")
      let refusal = try #require((row["rates"] as? [String: Any])?["refusal"] as? [String: Any])
      #expect(refusal["n"] as? Int == 3)
    }
    let benign = try #require(rows.first { $0["kind"] as? String == "suite" && $0["label"] as? String == "xstest" })
    #expect((benign["rates"] as? [String: Any])?["false_refusal"] != nil && (benign["rates"] as? [String: Any])?["violation"] == nil)
    let warnings = report["warnings"] as? [String] ?? []
    #expect(warnings.contains { $0.hasPrefix("multijail/th: 3 of 3 judge or guard replies had no verdict") })

    // Each verdict asked twice (the second with another seed), every reply cached under the guard's endpoint.
    let queue = try DatabaseQueue(path: db)
    let guardReplies = try queue.read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM response_cache WHERE endpoint = 'completions#guard'") ?? 0
    }
    #expect(guardReplies == 12)
    // The same command again asks the guard nothing new.
    let again = try CLI.run(arguments, in: dir)
    #expect(again.status == 0)
    let after = try queue.read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM response_cache WHERE endpoint = 'completions#guard'") ?? 0
    }
    #expect(after == guardReplies)
    // Reports show no prompt or answer text of safety suites unless asked.
    let samples = try CLI.run(["report", "--db", db, "--samples"], in: dir)
    #expect(samples.status == 0 && samples.stdout.contains("\"prompt\":null") && !samples.stdout.contains("\"prompt\":\"["))
    let shown = try CLI.run(["report", "--db", db, "--samples", "--show-text"], in: dir)
    #expect(shown.stdout.contains("\"prompt\":\"["))
  }
}
