import AssayCore
import AssayTesting
import Foundation
import GRDB
import Testing

/// A run and its cached answers belong to the server that gave them: two servers serving the same model name do not
/// share them unless --reuse-answers-from-any-server says so; databases from before keep working for their server.
@Suite(.serialized, .tags(.slow)) struct RunIdentityTests {
  static let arguments = ["--model", "mock-model", "--suite", "mgsm", "--variant", "en", "--limit", "5"]

  func run(_ server: MockServerProcess, _ extra: [String] = [], db: String, in dir: String) throws -> CLI.Result {
    let result = try CLI.run(["run", "--base-url", server.baseURL] + Self.arguments + extra + ["--db", db], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    return result
  }

  func doneLine(_ result: CLI.Result) -> String {
    result.stderr.split(separator: "\n").last { $0.hasPrefix("done:") }.map(String.init) ?? "no done line in: \(result.stderr)"
  }

  @Test func aSecondServerWithTheSameModelNameNeitherResumesNorTakesCachedAnswers() throws {
    let first = try MockServerProcess([])
    let second = try MockServerProcess([])
    let third = try MockServerProcess([])
    defer { first.stop(); second.stop(); third.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"

    #expect(doneLine(try run(first, db: db, in: dir)).hasPrefix("done: 5 sent, 0 from cache"))
    // Same command, another server: a new run, every request sent to it.
    let other = try run(second, db: db, in: dir)
    #expect(!other.stderr.contains("resuming run"), "\(other.stderr)")
    #expect(doneLine(other).hasPrefix("done: 5 sent, 0 from cache"), "\(other.stderr)")
    #expect(try second.stats()["requests"] as? Int == 5)
    let fresh = try run(second, ["--fresh"], db: db, in: dir)
    #expect(doneLine(fresh).hasPrefix("done: 0 sent, 5 from cache"), "its own server's answers are still cached")

    // With the flag, a third server may resume the run and take the cached answers.
    let reused = try run(third, ["--reuse-answers-from-any-server"], db: db, in: dir)
    #expect(reused.stderr.contains("resuming run"), "\(reused.stderr)")
    #expect(doneLine(reused).hasPrefix("done: 0 sent, 0 from cache, 5 already scored"), "\(reused.stderr)")
    let reusedFresh = try run(third, ["--reuse-answers-from-any-server", "--fresh"], db: db, in: dir)
    #expect(doneLine(reusedFresh).hasPrefix("done: 0 sent, 5 from cache"), "\(reusedFresh.stderr)")
    #expect(try third.stats()["requests"] as? Int == 0)
  }

  @Test func aRunOfALaunchedLlamaServerResumesOnItsNextPortByTheModelFilesHash() throws {
    let python = (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay/llama-venv/bin/python"
    try #require(
      FileManager.default.isExecutableFile(atPath: python) || ProcessInfo.processInfo.environment["ASSAY_LLAMA_PYTHON"] != nil,
      "llama.cpp server not installed: run scripts/setup-llama.sh first")
    let dir = CLI.temporaryDirectory()
    let cache = CLI.temporaryDirectory()
    let model = CLI.models + "/tiny-llama3-random.gguf"
    let arguments = ["run", "--runtime", "llama.cpp", "--model", model, "--suite", "mgsm", "--variant", "de", "--limit", "2",
                     "--max-tokens", "8", "--db", dir + "/assay.sqlite"]
    let first = try CLI.run(arguments, in: dir, environment: ["ASSAY_CACHE": cache])
    #expect(first.status == 0, "\(first.stderr)")
    let second = try CLI.run(arguments, in: dir, environment: ["ASSAY_CACHE": cache])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("resuming run"), "\(second.stderr)")
    #expect(doneLine(second).hasPrefix("done: 0 sent, 0 from cache, 2 already scored"), "\(second.stderr)")
    // The identity is the file's sha256 (remembered by path, size and modification time), not the port.
    let config = try DatabaseQueue(path: dir + "/assay.sqlite").read { try String.fetchOne($0, sql: "SELECT config FROM run") }
    let sha = SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: model)))
    #expect(config?.contains("\"model_sha256\":\"\(sha)\"") == true, "\(config ?? "")")
    #expect(config?.contains("127.0.0.1") == false)
    let remembered = try String(contentsOfFile: cache + "/model-sha256.json", encoding: .utf8)
    #expect(remembered.contains(sha))
  }

  @Test func aDatabaseFromBeforeServerIdentitiesResumesAndAnswersForItsOwnBaseURLOnly() throws {
    let first = try MockServerProcess([])
    let second = try MockServerProcess([])
    defer { first.stop(); second.stop() }
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    _ = try run(first, db: db, in: dir)
    // Make the database look as an older Assay left it: no server in the configuration or beside cached answers.
    try DatabaseQueue(path: db).write { db in
      let config = try #require(try String.fetchOne(db, sql: "SELECT config FROM run"))
      let legacy = config.replacingOccurrences(of: #","server":\{[^{}]*\}"#, with: "", options: .regularExpression)
      #expect(legacy != config && !legacy.contains("server"))
      try db.execute(sql: "UPDATE run SET config = ?, config_hash = ?", arguments: [legacy, SHA256.hex(legacy)])
      try db.execute(sql: "UPDATE response_cache SET server = NULL")
    }
    let resumed = try run(first, db: db, in: dir)
    #expect(resumed.stderr.contains("resuming run"), "\(resumed.stderr)")
    #expect(doneLine(resumed).hasPrefix("done: 0 sent, 0 from cache, 5 already scored"), "\(resumed.stderr)")
    let cached = try run(first, ["--fresh"], db: db, in: dir)
    #expect(doneLine(cached).hasPrefix("done: 0 sent, 5 from cache"), "old answers of the same base URL are taken: \(cached.stderr)")
    let other = try run(second, db: db, in: dir)
    #expect(!other.stderr.contains("resuming run"), "\(other.stderr)")
    #expect(doneLine(other).hasPrefix("done: 5 sent, 0 from cache"), "\(other.stderr)")
  }
}
