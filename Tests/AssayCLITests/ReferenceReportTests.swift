import Foundation
import Testing

/// `assay report --reference` puts a run next to Meta's published number and spells out configuration differences.
@Suite(.serialized) struct ReferenceReportTests {
  /// The shipped GSM8K suite cut to 2 exemplars, under another id in the same family.
  func twoShotSuite() throws -> String {
    let original = try String(contentsOfFile: CLI.repository + "/benchmarks/gsm8k/gsm8k.yaml", encoding: .utf8)
    var lines: [String] = []
    var questions = 0
    var skipping = false
    for line in original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix("      - question:") {
        questions += 1
        skipping = questions > 2
      }
      if line.hasPrefix("  prompt:") { skipping = false }
      if !skipping { lines.append(line == "id: gsm8k" ? "id: gsm8k-2shot" : line) }
    }
    let dir = CLI.temporaryDirectory()
    try lines.joined(separator: "\n").write(toFile: dir + "/gsm8k-2shot.yaml", atomically: true, encoding: .utf8)
    return dir
  }

  @Test func differencesFromMetasConfigurationAreSpelledOut() throws {
    let suites = try twoShotSuite()
    let server = try MockServerProcess([])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let run = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suites-dir", suites, "--suite", "gsm8k-2shot",
       "--limit", "20", "--db", db], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let report = try CLI.run(["report", "--db", db, "--reference", "Llama 3.1 8B Instruct"], in: CLI.repository)
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("## Against published numbers: Llama 3.1 8B Instruct"))
    #expect(report.stdout.contains("| gsm8k-2shot |"))
    #expect(report.stdout.contains("| 84.5 |"), "the model card's GSM8K number")
    #expect(report.stdout.contains("2-shot prompts here; the published number is 8-shot"))
    #expect(report.stdout.contains("20 of 1319 items here"))

    let json = try CLI.run(["report", "--db", db, "--reference", "Llama 3.1 8B Instruct", "--format", "json"], in: CLI.repository)
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
    let rows = object["reference"] as! [[String: Any]]
    #expect(rows.count == 1)
    #expect(rows[0]["published"] as? Double == 84.5)
    #expect((rows[0]["differences"] as! [String]).count == 2)
  }

  @Test func theShippedSuiteAtFullSizeMatchesMetasConfiguration() throws {
    // Same suite, all items, default max_tokens: only the sample count may differ when limited.
    let server = try MockServerProcess([])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let run = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "mgsm", "--concurrency", "32", "--db", db],
      in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let report = try CLI.run(["report", "--db", db, "--reference", "Llama 3.1 8B Instruct"], in: CLI.repository)
    #expect(report.stdout.contains("- mgsm: same configuration as the published number"), "\(report.stdout)")
    #expect(report.stdout.contains("| 68.9 |"))
  }

  @Test func unknownReferenceModelSuggestsTheClosest() throws {
    let server = try MockServerProcess([])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    _ = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "gsm8k", "--limit", "2", "--db", db], in: dir)
    let report = try CLI.run(["report", "--db", db, "--reference", "Llama 3.1 8B Instrct"], in: CLI.repository)
    #expect(report.status == 2)
    #expect(report.stderr.contains("did you mean 'Llama 3.1 8B Instruct'?"))
  }
}
