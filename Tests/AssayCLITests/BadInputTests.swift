import AssayCore
import Foundation
import GRDB
import Testing

/// Each bad input gets a one-paragraph error naming what to fix, a non-zero exit, and an untouched database.
@Suite(.serialized) struct BadInputTests {
  /// A folder with a database that already holds one finished run.
  func prepared() throws -> (dir: String, db: String, checksum: String, server: MockServerProcess) {
    let server = try MockServerProcess([])
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let setup = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "mgsm", "--variant", "en", "--limit", "3", "--db", db],
      in: dir)
    #expect(setup.status == 0, "\(setup.stderr)")
    return (dir, db, try checksum(db), server)
  }

  func checksum(_ db: String) throws -> String {
    let rows = try DatabaseQueue(path: db).read { db in
      try String.fetchAll(db, sql: "SELECT id || status || COALESCE(finished_at, '') FROM run")
        + String.fetchAll(db, sql: "SELECT task_id || sample_index || status || COALESCE(response, '') FROM sample")
        + [try String.fetchOne(db, sql: "PRAGMA integrity_check")!]
    }
    return SHA256.hex(rows.joined(separator: "\n"))
  }

  func expectFailure(
    _ arguments: [String], status: Int32, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let (dir, db, before, server) = try prepared()
    defer { server.stop() }
    let args = arguments.map { $0.replacingOccurrences(of: "$URL", with: server.baseURL).replacingOccurrences(of: "$DIR", with: dir) }
    let result = try CLI.run(args + ["--db", db], in: dir)
    #expect(result.status == status, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    for text in mentions {
      #expect(result.stderr.contains(text), "stderr lacks '\(text)': \(result.stderr)", sourceLocation: sourceLocation)
    }
    #expect(result.stderr.contains("fix:"), "no fix given: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(try checksum(db) == before, "the database changed", sourceLocation: sourceLocation)
  }

  @Test func malformedSuiteFile() throws {
    let suites = CLI.temporaryDirectory()
    try "id: broken\nvariants: [ { id: a\n".write(toFile: suites + "/broken.yaml", atomically: true, encoding: .utf8)
    try expectFailure(
      ["run", "--base-url", "$URL", "--model", "mock-model", "--suite", "mgsm", "--suites-dir", suites],
      status: 2, mentions: [suites + "/broken.yaml", "not valid YAML", "line"])
  }

  @Test func datasetLineThatIsNotJSON() throws {
    let data = CLI.temporaryDirectory()
    let suites = CLI.temporaryDirectory()
    let content = "{\"question\": \"1+1\", \"answer\": \"2\"}\n{\"question\": \"2+2\", \"answer\": \"4\"}\n{\"question\": oops}\n"
    try content.write(toFile: data + "/toy.jsonl", atomically: true, encoding: .utf8)
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
        generate: { max_tokens: 8, temperature: 0 }
      scorer:
        extract: [ { name: last, steps: [ { numbers: all }, { take: last } ] } ]
        normalize: [trim]
        match: number
        primary: last
      """
    try yaml.write(toFile: suites + "/toy.yaml", atomically: true, encoding: .utf8)
    try expectFailure(
      ["run", "--base-url", "$URL", "--model", "mock-model", "--suite", "toy", "--suites-dir", suites, "--data-dir", data],
      status: 2, mentions: [data + "/toy.jsonl, line 3", "not valid JSON"])
  }

  @Test func unknownSuiteName() throws {
    try expectFailure(
      ["run", "--base-url", "$URL", "--model", "mock-model", "--suite", "msgm"], status: 2,
      mentions: ["unknown suite 'msgm'", "Did you mean 'mgsm'?", "--suite"])
  }

  @Test func unreachableServer() throws {
    let listener = try MockServerProcess([])
    let url = listener.baseURL
    listener.stop()  // the port is now closed
    try expectFailure(
      ["run", "--base-url", url, "--model", "mock-model", "--suite", "mgsm", "--variant", "de"], status: 3,
      mentions: ["cannot reach the model server at \(url)", "--base-url"])
  }

  @Test func wrongModelName() throws {
    try expectFailure(
      ["run", "--base-url", "$URL", "--model", "llama-3.1-8b", "--suite", "mgsm", "--variant", "de"], status: 3,
      mentions: ["does not serve model 'llama-3.1-8b'", "mock-model", "--model"])
  }

  /// Usage errors (a misspelt flag, a value `validate()` refuses) exit 2 like other bad input, not ArgumentParser's 64.
  @Test func usageErrorsExitTwo() throws {
    let dir = CLI.temporaryDirectory()
    let misspelt = try CLI.run(["run", "--suite", "mgsm", "--model", "x"], in: dir)
    #expect(misspelt.status == 2, "\(misspelt.stderr)")
    #expect(misspelt.stderr.contains("name a model server"))
    let refused = try CLI.run(["run", "--suite", "mgsm", "--model", "x", "--base-url", "ftp://host"], in: dir)
    #expect(refused.status == 2, "\(refused.stderr)")
    #expect(refused.stderr.contains("--base-url must start with http://"))
  }
}
