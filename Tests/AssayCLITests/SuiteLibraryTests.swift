import AssayTesting
import Foundation
import Testing

/// The suite library through the built binary: the catalog, validation, user suites from `--suites-dir`, the
/// log-likelihood refusal, and `assay data fetch` against a local mirror.
@Suite(.serialized) struct SuiteLibraryTests {
  func suitesJSON() throws -> [[String: Any]] {
    let result = try CLI.run(["suites", "--json"], in: CLI.temporaryDirectory())
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
  }

  @Test(.tags(.slow)) func theCatalogHasAtLeast150RunnableVariantsIn30Languages() throws {
    let entries = try suitesJSON()
    for entry in entries {
      for key in ["id", "language", "task_type", "license", "n_samples", "content_hash"] {
        #expect(entry[key] != nil, "\(entry["id"] ?? "?") lacks \(key)")
      }
    }
    let runnable = entries.filter { $0["runnable"] as? Bool == true && ($0["n_samples"] as? Int ?? 0) > 0 }
    let languages = Set(runnable.compactMap { $0["language"] as? String })
    let families = Set(entries.compactMap { $0["family"] as? String })
    print("suites --json: \(entries.count) variants, \(runnable.count) runnable, \(languages.count) languages, \(families.count) families")
    #expect(runnable.count >= 150)
    #expect(languages.count >= 30)
    // Every variant's data loads, except GPQA's: Assay ships none (the user's own copy), so it is "absent" here.
    let notOK = entries.filter { $0["data"] as? String != "ok" }
    #expect(notOK.allSatisfy { $0["suite"] as? String == "gpqa" && $0["data"] as? String == "absent" }, "\(notOK.map { $0["id"]! })")
  }

  @Test(.tags(.slow)) func validatePassesForEverySuite() throws {
    let result = try CLI.run(["validate"], in: CLI.temporaryDirectory())
    #expect(result.status == 0, "\(result.stderr.suffix(3000))")
    let summary = try #require(result.stdout.firstMatch(of: /(\d+) of (\d+) variants ok/))
    #expect(summary.1 == summary.2)
    // GPQA's variants are skipped, not failed, while the user has no copy of its data.
    #expect(result.stdout.contains("skip gpqa/main  data not present") && result.stdout.contains("3 skipped"), "\(result.stdout.suffix(500))")
    print("validate: \(summary.0)")
  }

  @Test func aSuiteAddedAsYAMLOnlyRuns() throws {
    let dir = CLI.temporaryDirectory()
    let suites = dir + "/my-suites"
    try FileManager.default.createDirectory(atPath: suites, withIntermediateDirectories: true)
    let sha = try #require(Self.manifestSHA("sciq/test.json"))
    let yaml = """
      format: 1
      id: my-sciq-letter
      family: my-sciq
      description: SciQ as a generative letter question (a user's own suite)
      license: CC-BY-NC-3.0
      citation: "Welbl, Liu, Gardner. Crowdsourcing Multiple Choice Science Questions. 2017"
      task_type: generate
      dataset:
        path: sciq/test.json
        format: json
        choices:
          - template: "{{distractor1}}"
          - template: "{{distractor2}}"
          - template: "{{correct_answer}}"
          - template: "{{distractor3}}"
        answer: "2"
      sha256: { sciq/test.json: \(sha) }
      variants: [ { id: en, language: en } ]
      solver:
        prompt: { template: "{{question}}\\n{{choices_block}}\\nAnswer with the letter." }
        generate: { max_tokens: 8, temperature: 0 }
      scorer:
        extract: [ { name: letter, steps: [ { regex: "\\\\b([A-D])\\\\b" }, { take: first } ] } ]
        normalize: [trim]
        match: exact
        primary: letter
      """
    try yaml.write(toFile: suites + "/sciq-letter.yaml", atomically: true, encoding: .utf8)
    #expect(try FileManager.default.contentsOfDirectory(atPath: suites) == ["sciq-letter.yaml"])
    let validate = try CLI.run(["validate", "--suites-dir", suites, "--suite", "my-sciq-letter", "--show-prompts"], in: dir)
    #expect(validate.status == 0, "\(validate.stderr)")
    #expect(validate.stdout.contains("C. "), "the rendered prompt lists the options:\n\(validate.stdout)")
    let mock = try MockServerProcess(["--latency-ms", "1", "--seed", "3"])
    defer { mock.stop() }
    let run = try CLI.run(
      ["run", "--suites-dir", suites, "--suite", "my-sciq-letter", "--base-url", mock.baseURL, "--model", "mock-model",
       "--limit", "3", "--db", dir + "/r.sqlite", "--format", "json"], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    let suitesReport = report["suites"] as? [[String: Any]] ?? []
    let total = suitesReport.first?["total"] as? [String: Any]
    #expect(total?["label"] as? String == "my-sciq-letter")
    #expect(total?["n"] as? Int == 3)
  }

  @Test func validateWithSuitesDirChecksOnlyThatFolderAndNamesABrokenFilesRealError() throws {
    let dir = CLI.temporaryDirectory()
    let suites = dir + "/mine"
    try FileManager.default.createDirectory(atPath: suites, withIntermediateDirectories: true)
    let sha = try #require(Self.manifestSHA("sciq/test.json"))
    let good = """
      format: 1
      id: my-sciq
      family: my-sciq
      description: SciQ, a user's own suite
      license: CC-BY-NC-3.0
      citation: "Welbl, Liu, Gardner 2017"
      task_type: generate
      dataset: { path: sciq/test.json, format: json, target: "{{correct_answer}}" }
      sha256: { sciq/test.json: \(sha) }
      variants: [ { id: en, language: en }, { id: en2, language: en } ]
      solver: { prompt: { template: "{{question}}" }, generate: { max_tokens: 8, temperature: 0 } }
      scorer:
        extract: [ { name: line, steps: [ { regex: "(.+)" }, { take: first } ] } ]
        normalize: [trim]
        match: exact
        primary: line
      """
    try good.write(toFile: suites + "/my-sciq.yaml", atomically: true, encoding: .utf8)
    // Only the folder's suite is checked: two variants, not the 700-odd built-in ones.
    let mine = try CLI.run(["validate", "--suites-dir", suites], in: dir)
    #expect(mine.status == 0, "\(mine.stderr)")
    #expect(mine.stdout.contains("2 of 2 variants ok"), "\(mine.stdout)")
    // suite/variant picks one variant, as `run` does.
    let one = try CLI.run(["validate", "--suites-dir", suites, "--suite", "my-sciq/en2"], in: dir)
    #expect(one.status == 0 && one.stdout.contains("1 of 1 variants ok"), "\(one.stdout)\(one.stderr)")
    // A broken file named after the suite: its own error comes first, not "unknown suite ... did you mean".
    try (good.replacingOccurrences(of: "id: my-sciq", with: "id: my-sciqq")
      .replacingOccurrences(of: "target: \"{{correct_answer}}\" }", with: "target: \"{{correct_answer}}\" ]")).write(
        toFile: suites + "/my-sciqq.yaml", atomically: true, encoding: .utf8)
    let broken = try CLI.run(["validate", "--suites-dir", suites, "--suite", "my-sciqq"], in: dir)
    #expect(broken.status == 2, "\(broken.stderr)")
    #expect(broken.stderr.contains("suite 'my-sciqq' (from --suite) could not be loaded"), "\(broken.stderr)")
    #expect(broken.stderr.contains("my-sciqq.yaml"), "the broken file is named: \(broken.stderr)")
    #expect(!broken.stderr.contains("Did you mean"), "\(broken.stderr)")
  }

  @Test func logLikelihoodSuitesRefuseAServerWithoutPromptLogprobs() throws {
    let dir = CLI.temporaryDirectory()
    let mock = try MockServerProcess(["--latency-ms", "1", "--no-prompt-logprobs"])
    defer { mock.stop() }
    let run = try CLI.run(
      ["run", "--suite", "xcopa/sw", "--base-url", mock.baseURL, "--model", "mock-model", "--limit", "3", "--db", dir + "/r.sqlite"], in: dir)
    #expect(run.status != 0)
    #expect(run.stderr.contains("log-probabilities") && run.stderr.contains("xcopa"), "\(run.stderr)")
    #expect(run.stderr.contains("vLLM") && run.stderr.contains("--suite xcopa-gen"), "the error names the ways out: \(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/r.sqlite"), "nothing was stored")
  }

  @Test(.tags(.slow)) func notYetRunnableTaskTypesAreRefusedWithTheReason() throws {
    let dir = CLI.temporaryDirectory()
    let entries = try suitesJSON()
    let judged = try #require(entries.first { $0["task_type"] as? String == "judge" && $0["runnable"] as? Bool == false }?["id"] as? String)
    let run = try CLI.run(["run", "--suite", judged, "--base-url", "http://127.0.0.1:9/v1", "--model", "m"], in: dir)
    #expect(run.status == 2)
    #expect(run.stderr.contains("cannot score it yet"), "\(run.stderr)")
  }

  @Test func dataFetchResumesFromAMirrorAndVerifiesChecksums() throws {
    let dir = CLI.temporaryDirectory()
    let data = dir + "/data"
    // A mirror that drops every file's first transfer after 20,000 bytes.
    let server = try RangeServer(root: CLI.datasets, arguments: ["--break-after", "20000"], directory: dir)
    defer { server.stop() }
    let first = try CLI.run(["data", "fetch", "--suite", "xcopa", "--mirror", server.url, "--data-dir", data], in: dir)
    #expect(first.status == 3, "broken transfers fail: \(first.stderr.suffix(500))")
    #expect(first.stderr.contains("run the command again to resume"))
    let part = data + "/xcopa/data/sw/test.sw.jsonl.part"
    #expect((try? FileManager.default.attributesOfItem(atPath: part)[.size] as? Int) == 20000)
    #expect(!FileManager.default.fileExists(atPath: data + "/xcopa/data/sw/test.sw.jsonl"))

    let second = try CLI.run(["data", "fetch", "--suite", "xcopa", "--mirror", server.url, "--data-dir", data], in: dir)
    #expect(second.status == 0, "\(second.stderr.suffix(500))")
    #expect(second.stdout.contains("21 downloaded, 0 already present, 0 failed"), "\(second.stdout)")
    #expect(second.stderr.contains("(resumed)"))
    #expect(server.log().contains("GET /xcopa/data/sw/test.sw.jsonl bytes=20000-"))
    for file in ["xcopa/data/sw/test.sw.jsonl", "xcopa/data-gmt/zh/test.zh.jsonl"] {
      #expect(FileManager.default.contentsEqual(atPath: data + "/" + file, andPath: CLI.datasets + "/" + file))
    }
    // The fetched folder is a working data root, and a third fetch has nothing to do.
    let validate = try CLI.run(["validate", "--suite", "xcopa", "--data-dir", data], in: dir)
    #expect(validate.status == 0, "\(validate.stderr)")
    let third = try CLI.run(["data", "fetch", "--suite", "xcopa", "--mirror", server.url, "--data-dir", data], in: dir)
    #expect(third.stdout.contains("0 downloaded, 21 already present"), "\(third.stdout)")
  }

  @Test func aDamagedMirrorFileIsNeverMovedIntoPlace() throws {
    let dir = CLI.temporaryDirectory()
    let data = dir + "/data"
    let server = try RangeServer(root: CLI.datasets, arguments: ["--corrupt", "mgsm/mgsm_de.tsv"], directory: dir)
    defer { server.stop() }
    let run = try CLI.run(["data", "fetch", "--suite", "mgsm", "--mirror", server.url, "--data-dir", data], in: dir)
    #expect(run.status == 3)
    #expect(run.stderr.contains("mgsm/mgsm_de.tsv") && run.stderr.contains("expected 4dfea30f"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: data + "/mgsm/mgsm_de.tsv"))
    #expect(!FileManager.default.fileExists(atPath: data + "/mgsm/mgsm_de.tsv.part"))
    #expect(FileManager.default.fileExists(atPath: data + "/mgsm/mgsm_fr.tsv"), "the other files arrive")
  }

  @Test func presetsNameExistingSuitesAndPublishedRows() throws {
    let result = try CLI.run(["presets", "--json"], in: CLI.temporaryDirectory())
    #expect(result.status == 0, "\(result.stderr)")
    let presets = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    let ids = presets.compactMap { $0["id"] as? String }
    #expect(ids.contains("llama3.1-instruct") && ids.contains("llama3.1-base"))
    let reference = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: CLI.repository + "/results/reference/reference_scores.json"))) as! [[String: Any]]
    let benchmarks = Set(reference.compactMap { $0["benchmark"] as? String })
    for preset in presets {
      for entry in preset["suites"] as? [[String: Any]] ?? [] {
        for row in entry["reproduces"] as? [String] ?? [] {
          #expect(benchmarks.contains(row), "\(preset["id"]!): \(entry["suite"]!) names '\(row)', which results/reference does not have")
        }
      }
    }
  }

  static func manifestSHA(_ path: String) -> String? {
    guard let manifest = try? String(contentsOfFile: CLI.datasets + "/MANIFEST.md", encoding: .utf8) else { return nil }
    for line in manifest.split(separator: "\n") where line.hasPrefix("| \(path) ") {
      return line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        .first { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }
    }
    return nil
  }
}

/// `Tests/Fixtures/range_server.py` serving a folder on 127.0.0.1.
final class RangeServer {
  let process = Process()
  let url: String
  let logPath: String

  init(root: String, arguments: [String], directory: String) throws {
    let portFile = directory + "/range-port-\(UUID().uuidString)"
    logPath = directory + "/range-log-\(UUID().uuidString).txt"
    FileManager.default.createFile(atPath: logPath, contents: nil)
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", CLI.repository + "/Tests/Fixtures/range_server.py", root, portFile] + arguments
    process.standardOutput = FileHandle(forWritingAtPath: logPath)
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(20)
    while !FileManager.default.fileExists(atPath: portFile), Date() < deadline { usleep(50_000) }
    let port = try String(contentsOfFile: portFile, encoding: .utf8)
    url = "http://127.0.0.1:\(port)"
  }

  func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  func stop() {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  deinit { stop() }
}
