import AssayTesting
import Foundation
import GRDB
import Testing

/// `assay pairs judge` on a real llama.cpp server (the tiny random model judging: gibberish verdicts, so this checks
/// the path, not the judge): verdicts stored as an LLM's, a second run judging nothing, people still getting every
/// item, and `assay ratings` comparing the judge with them instead of counting it.
@Suite(.serialized, .tags(.slow)) struct PairsJudgeTests {
  @Test func anLLMJudgeBesideAPersonOnOneSet() throws {
    try FamilyIntegrationTests().requireLlama()
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let results = CLI.datasets + "/alpaca_eval/results"
    let created = try CLI.run(
      ["pairs", "import", "--db", db, "--format", "alpaca_eval", "--name", "ae", "--sample", "4", "--repeat-share", "0",
       results + "/gpt4/model_outputs.json", results + "/Meta-Llama-3.1-8B-Instruct-Turbo/model_outputs.json"], in: dir)
    #expect(created.status == 0, "\(created.stderr)")
    let model = CLI.models + "/tiny-llama3-random.gguf"
    let judge = ["pairs", "judge", "--db", db, "--set", "ae", "--runtime", "llama.cpp", "--model", model, "--ctx-size", "8192"]
    let first = try CLI.run(judge, in: dir)
    #expect(first.status == 0, "\(first.stderr.suffix(2000))")
    #expect(first.stdout.contains("llm:tiny-llama3-random on ae: 4 items"), "\(first.stdout)")
    let rows = try DatabaseQueue(path: db).read { db in
      try Row.fetchAll(db, sql: "SELECT rater, rater_kind, a_on_left, verdict, note FROM judgment ORDER BY item_index")
    }
    #expect(rows.count == 4)
    for row in rows {
      #expect(row["rater"] as String == "llm:tiny-llama3-random" && row["rater_kind"] as String == "llm")
      #expect(row["a_on_left"] as Bool)
      let note = row["note"] as String
      #expect(note.hasPrefix("A first: ") && note.contains("; B first: "), "\(note)")
    }
    // Again: nothing left to judge, no server started.
    let again = try CLI.run(judge, in: dir)
    #expect(again.status == 0 && again.stderr.contains("0 items to judge in ae (4 judged before)"), "\(again.stderr)")
    // A person still gets all 4 items, and cannot rate under the judge's name.
    let impostor = try CLI.run(["rate", "--db", db, "--set", "ae", "--rater", "llm:tiny-llama3-random"], in: dir, stdin: "1")
    #expect(impostor.status == 2 && impostor.stderr.contains("LLM judge's name"), "\(impostor.stderr)")
    let person = try CLI.run(["rate", "--db", db, "--set", "ae", "--rater", "ann"], in: dir, stdin: "1212")
    #expect(person.status == 0 && person.stdout.contains("ann: 4 judgments"), "\(person.stdout) \(person.stderr)")
    let ratings = try CLI.run(["ratings", "--db", db, "--set", "ae", "--json", "--rounds", "10"], in: dir)
    #expect(ratings.status == 0, "\(ratings.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(ratings.stdout.utf8)) as! [String: Any]
    #expect(json["battles"] as? Int == 4, "the ratings are ann's")
    #expect(json["judge_battles"] as? Int == rows.filter { $0["verdict"] as String != "skip" }.count)
  }

  @Test func badJudgeOptionsAreRefusedBeforeAnyWork() throws {
    let dir = CLI.temporaryDirectory()
    let none = try CLI.run(["pairs", "judge", "--db", dir + "/x.sqlite", "--set", "s", "--model", "m"], in: dir)
    #expect(none.status == 2 && none.stderr.contains("--base-url"), "\(none.stderr)")
    let vllm = try CLI.run(["pairs", "judge", "--db", dir + "/x.sqlite", "--set", "s", "--model", "m", "--runtime", "vllm"], in: dir)
    #expect(vllm.status == 2 && vllm.stderr.contains("llama.cpp"), "\(vllm.stderr)")
    let missing = try CLI.run(["pairs", "judge", "--db", dir + "/x.sqlite", "--set", "s", "--model", "m", "--base-url", "http://127.0.0.1:9/v1"], in: dir)
    #expect(missing.status != 0 && missing.stderr.contains("x.sqlite"), "\(missing.stderr)")
  }
}
