import AssayCore
import Foundation
import GRDB
import Testing

/// Numbers that cannot be encoded, hashed or converted are refused up front (exit 2, naming the flag or the file);
/// an alias bomb in a suites folder is refused instead of hanging every command that reads the folder.
@Suite(.serialized) struct InputLimitTests {
  /// Runs `assay` and fails (killing it) if it has not finished within two minutes: a guard against a hang, not a
  /// timing assertion.
  func run(_ arguments: [String], in dir: String) throws -> CLI.Result {
    let (process, out, err) = try CLI.start(arguments, in: dir)
    let deadline = Date().addingTimeInterval(120)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      Issue.record("assay \(arguments.joined(separator: " ")) hung")
    }
    process.waitUntilExit()
    return CLI.Result(
      status: process.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
  }

  @Test(arguments: [
    (["--max-tokens", "9223372036854775807"], "--max-tokens"),
    (["--max-tokens=-5"], "--max-tokens"),
    (["--request-timeout", "1e300"], "--request-timeout"),
    (["--request-timeout", "nan"], "--request-timeout"),
    (["--temperature", "nan"], "--temperature"),
    (["--temperature", "inf"], "--temperature"),
    (["--top-p=-inf"], "--top-p"),
    (["--max-retries=-1"], "--max-retries"),
    (["--concurrency", "100000000"], "--concurrency"),
    (["--num-fewshot=-1"], "--num-fewshot"),
    (["--judge-max-tokens", "0"], "--judge-max-tokens"),
  ])
  func outOfRangeFlagsAreRefusedBeforeAnythingIsStored(flag: [String], name: String) throws {
    let server = try MockServerProcess([])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let result = try run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "mgsm", "--variant", "en", "--limit", "2",
       "--db", db] + flag, in: dir)
    #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
    #expect(result.stderr.contains(name), "\(result.stderr)")
    #expect(result.stderr.contains("fix:"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: db), "a database was written")
    #expect(try server.stats()["requests"] as? Int == 0)
  }

  /// A one-file suite folder with `generate` set to `generate`, and its data in the same folder.
  func suiteFolder(generate: String) throws -> String {
    let suites = CLI.temporaryDirectory()
    let content = "{\"question\": \"1+1\", \"answer\": \"2\"}\n"
    try content.write(toFile: suites + "/toy.jsonl", atomically: true, encoding: .utf8)
    let yaml = """
      format: 1
      id: toy
      family: toy
      description: toy
      license: MIT
      citation: none
      task_type: generate
      dataset: { path: toy.jsonl, format: jsonl, target: "{{answer}}" }
      sha256: { toy.jsonl: \(SHA256.hex(content)) }
      variants: [ { id: main, language: en } ]
      solver:
        prompt: { template: "Q: {{question}}" }
        generate: \(generate)
      scorer:
        extract: [ { name: last, steps: [ { numbers: all }, { take: last } ] } ]
        normalize: [trim]
        match: number
        primary: last
      """
    try yaml.write(toFile: suites + "/toy.yaml", atomically: true, encoding: .utf8)
    return suites
  }

  /// Runs the folder's suite against a port nothing listens on: a suite that loads gets as far as the server (exit 3).
  func runToy(_ suites: String) throws -> CLI.Result {
    try run(
      ["run", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--suite", "toy", "--suites-dir", suites,
       "--data-dir", suites, "--db", suites + "/assay.sqlite"], in: suites)
  }

  @Test func theToySuiteWithFiniteSettingsLoads() throws {
    let result = try runToy(try suiteFolder(generate: "{ max_tokens: 8, temperature: 0.5, top_p: 0.9 }"))
    #expect(result.status == 3, "exit \(result.status): \(result.stderr)")
    #expect(result.stderr.contains("cannot reach the model server"), "\(result.stderr)")
  }

  @Test(arguments: [
    ("{ max_tokens: 8, temperature: 1e400 }", "temperature"), ("{ max_tokens: 8, temperature: .nan }", "temperature"),
    ("{ max_tokens: -1, temperature: 0 }", "max_tokens"), ("{ max_tokens: 8, temperature: 0, top_p: 7 }", "top_p"),
  ])
  func aSuiteWithANonFiniteOrOutOfRangeSettingIsRefusedNamingTheFile(generate: String, key: String) throws {
    let suites = try suiteFolder(generate: generate)
    let result = try runToy(suites)
    #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
    #expect(result.stderr.contains(suites + "/toy.yaml") && result.stderr.contains(key), "\(result.stderr)")
  }

  @Test func anAliasBombInTheSuitesFolderIsRefusedNamingTheFile() throws {
    let suites = CLI.temporaryDirectory()
    // Nine levels of ten aliases each: 10^9 leaves from under 1 KB, under a key the suite format knows (its items
    // are walked before anything else is checked).
    var levels = ["&a0 [" + Array(repeating: "lol", count: 10).joined(separator: ", ") + "]"]
    for level in 1...9 {
      levels.append("&a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
    }
    let yaml = "variants: [" + levels.joined(separator: ", ") + "]\n"
    #expect(yaml.utf8.count < 1024)
    try yaml.write(toFile: suites + "/bomb.yaml", atomically: true, encoding: .utf8)
    let runArguments = ["run", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--suite", "mgsm", "--suites-dir", suites,
                        "--db", suites + "/assay.sqlite"]
    for arguments in [["suites", "--suites-dir", suites], runArguments] {
      let result = try run(arguments, in: suites)
      #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
      #expect(result.stderr.contains(suites + "/bomb.yaml"), "\(result.stderr)")
      #expect(result.stderr.contains("aliases"), "\(result.stderr)")
    }
  }
}
