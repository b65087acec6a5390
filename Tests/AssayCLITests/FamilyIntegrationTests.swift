import AssayTesting
import Foundation
import GRDB
import Testing

/// One variant of every runnable suite family, and a preset, against the real llama.cpp server on the tiny model.
@Suite(.serialized, .tags(.slow)) struct FamilyIntegrationTests {
  func requireLlama() throws {
    let python = (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay/llama-venv/bin/python"
    try #require(
      FileManager.default.isExecutableFile(atPath: python)
        || ProcessInfo.processInfo.environment["ASSAY_LLAMA_PYTHON"] != nil,
      "llama.cpp server not installed: run scripts/setup-llama.sh first")
  }

  /// The first runnable suite variant of each family (log-likelihood and generative forms both, where a family has both).
  func oneVariantPerFamilyAndTaskType() throws -> [String] {
    let result = try CLI.run(["suites", "--json"], in: CLI.temporaryDirectory())
    let entries = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
    var chosen: [String: String] = [:]
    // Judge suites need a judge as well (judgeSuitesRunAndUnparseableVerdictsAreReported), safety suites a guard
    // (SafetyIntegrationTests).
    for entry in entries
    where entry["runnable"] as? Bool == true && !["judge", "safety"].contains(entry["task_type"] as? String ?? "") {
      let key = "\(entry["family"]!)|\(entry["task_type"]!)"
      if chosen[key] == nil { chosen[key] = entry["id"] as? String }
    }
    return chosen.keys.sorted().map { chosen[$0]! }
  }

  @Test func oneVariantOfEveryFamilyRunsOnLlamaCpp() throws {
    try requireLlama()
    let picks = try oneVariantPerFamilyAndTaskType()
    let families = Set(picks.map { $0.split(separator: "/")[0] })
    print("running \(picks.count) variants of \(families.count) suites: \(picks.joined(separator: " "))")
    let dir = CLI.temporaryDirectory()
    let db = dir + "/all.sqlite"
    // llama-cpp-python sorts the whole vocabulary in Python for every echoed prompt token, so log-likelihood
    // requests cost seconds per few-shot prompt: the test uses the 32k-vocabulary Llama 2 tokenizer model and
    // zero-shot prompts (`--num-fewshot 0`); the few-shot rendering of every suite is pinned by the golden prompts.
    let result = try CLI.run(
      ["run", "--runtime", "llama.cpp", "--model", CLI.models + "/tiny-llama2-random.gguf", "--ctx-size", "4096",
       "--suite", picks.joined(separator: ","), "--limit", "3", "--max-tokens", "16", "--num-fewshot", "0",
       "--concurrency", "1", "--db", db, "--format", "json"], in: dir)
    #expect(result.status == 0, "\(result.stderr.suffix(3000))")
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    var scored: [String: Int] = [:]
    for suite in report["suites"] as? [[String: Any]] ?? [] {
      let variants = suite["variants"] as? [[String: Any]] ?? []
      for row in variants.isEmpty ? [suite["total"] as! [String: Any]] : variants {
        scored[row["label"] as! String] = row["n"] as? Int
      }
    }
    for pick in picks {
      #expect(scored[pick] == 3 || scored[pick.split(separator: "/")[0].description] == 3,
        "\(pick) is in the report with 3 scored samples (got \(String(describing: scored[pick])))")
    }
    // Log-likelihood items stored one likelihood per choice.
    let ranked = try DatabaseQueue(path: db).read { db in
      try String.fetchAll(db, sql: "SELECT response FROM sample WHERE response LIKE '{\"choices\":%'")
    }
    #expect(!ranked.isEmpty)
    for response in ranked {
      let object = try JSONSerialization.jsonObject(with: Data(response.utf8)) as! [String: Any]
      let choices = object["choices"] as! [[String: Any]]
      #expect(choices.count >= 2)
      #expect(choices.allSatisfy { ($0["logprob"] as! Double) < 0 && ($0["tokens"] as! Int) > 0 })
    }
  }

  @Test func judgeSuitesRunAndUnparseableVerdictsAreReported() throws {
    try requireLlama()
    let dir = CLI.temporaryDirectory()
    let db = dir + "/judged.sqlite"
    let model = CLI.models + "/tiny-llama3-random.gguf"
    let refused = try CLI.run(["run", "--runtime", "llama.cpp", "--model", model, "--suite", "mt-bench/main", "--db", db], in: dir)
    #expect(refused.status == 2 && refused.stderr.contains("--judge-model"), "\(refused.stderr)")
    // The tiny random model answers (MT-Bench: both turns) and judges itself: gibberish, so verdicts are unparseable.
    let arguments = [
      "run", "--runtime", "llama.cpp", "--model", model, "--suite", "mt-bench/main,arena-hard,alpaca-eval", "--limit", "1",
      "--max-tokens", "16", "--judge-model", model, "--concurrency", "3", "--db", db, "--format", "json",
      // Arena-Hard's judge prompt (question, both answers, the judge template) is about 4,100 tokens: more than the
      // tiny model's 2,048-token training window, which is the default.
      "--ctx-size", "8192",
      // The judge's own budget (Arena-Hard 4,096 tokens, asked twice per order) made the tiny model ramble for
      // minutes of CPU per item; gibberish is unparseable at 64 tokens as at 4,096.
      "--judge-max-tokens", "64",
    ]
    let result = try CLI.run(arguments, in: dir)
    #expect(result.status == 0, "\(result.stderr.suffix(3000))")
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    var total = 0
    for suite in report["suites"] as? [[String: Any]] ?? [] {
      let row = try #require(suite["total"] as? [String: Any])
      let label = row["label"] as? String ?? ""
      // A request abandoned after --request-timeout (600 s) leaves the item unscored: the log says which.
      #expect(row["n"] as? Int == 1, "\(label): \(result.stderr.suffix(2000))")
      let judgments = try #require(row["judgments"] as? Int)
      let unparseable = try #require(row["unparseable"] as? Int)
      print("\(label) on the tiny model judged by itself: \(unparseable) of \(judgments) judgments unparseable")
      // MT-Bench: one judgment per turn; Arena-Hard and AlpacaEval: one per order.
      #expect(judgments == 2, "\(label)")
      let primary = try #require(row["primary"] as? String)
      let summary = try #require((row["metrics"] as? [String: Any])?[primary] as? [String: Any])
      // With no verdict read the metric has no data (n = 0): it is not a mean of zeros.
      #expect(unparseable < judgments ? (summary["n"] as? Int ?? 0) > 0 : summary["n"] as? Int == 0, "\(label)")
      total += judgments + unparseable
    }
    #expect((report["suites"] as? [[String: Any]])?.count == 3)
    let queue = try DatabaseQueue(path: db)
    let (conversation, judgeReplies) = try queue.read { db in
      (try String.fetchOne(db, sql: "SELECT response FROM sample WHERE task_id LIKE 'mt-bench/%'") ?? "",
       try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM response_cache WHERE endpoint = 'chat/completions#judge'") ?? 0)
    }
    #expect(conversation.hasPrefix("{\"turns\":["))
    // Each judgment asked once, and once more when it had no verdict: every reply cached.
    #expect(judgeReplies == total)

    // The same command again asks nobody anything new.
    let again = try CLI.run(arguments, in: dir)
    #expect(again.status == 0)
    let cachedAfter = try queue.read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM response_cache WHERE endpoint = 'chat/completions#judge'") ?? 0
    }
    #expect(cachedAfter == judgeReplies)
  }

  @Test func aPresetRunRecordsItsConfigurationAndComparesWithPublishedScores() throws {
    try requireLlama()
    let dir = CLI.temporaryDirectory()
    let db = dir + "/preset.sqlite"
    let result = try CLI.run(
      ["run", "--runtime", "llama.cpp", "--model", CLI.models + "/tiny-llama3-random.gguf", "--ctx-size", "4096",
       "--preset", "llama3.1-instruct", "--limit", "1", "--max-tokens", "8", "--num-fewshot", "0", "--concurrency", "1",
       "--db", db], in: dir)
    #expect(result.status == 0, "\(result.stderr.suffix(3000))")
    #expect(result.stdout.contains("Llama 3.1 8B Instruct"), "the report compares with the preset's reference model")
    let config = try DatabaseQueue(path: db).read { db in try String.fetchOne(db, sql: "SELECT config FROM run") }
    let object = try JSONSerialization.jsonObject(with: Data((config ?? "{}").utf8)) as! [String: Any]
    #expect(object["preset"] as? String == "llama3.1-instruct")
    // The shortened run says how it departs from the published configuration.
    #expect(result.stdout.contains("0-shot prompts here; the published number is 8-shot"), "\(result.stdout.suffix(3000))")
  }
}
