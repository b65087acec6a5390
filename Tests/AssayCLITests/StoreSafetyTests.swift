import AssayCore
import Foundation
import GRDB
import Testing

/// Databases that cannot be used (damaged, another program's, on a full disk) are refused with exit code 4 and,
/// where they exist already, are left byte for byte as they were.
@Suite(.serialized) struct StoreSafetyTests {
  func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

  /// A comparison set of 805 AlpacaEval items (about a hundred pages), folded out of WAL mode into the main file.
  func makeDatabase(_ db: String) throws {
    let results = CLI.datasets + "/alpaca_eval/results"
    let created = try CLI.run(
      ["pairs", "import", "--db", db, "--format", "alpaca_eval", "--name", "ae", results + "/gpt4/model_outputs.json",
       results + "/Meta-Llama-3.1-8B-Instruct-Turbo/model_outputs.json"], in: CLI.temporaryDirectory())
    #expect(created.status == 0, "\(created.stderr)")
    let queue = try DatabaseQueue(path: db)
    try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
    try queue.close()
  }

  @Test func aDamagedDatabaseIsRefusedBeforeAnythingIsWritten() throws {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    try makeDatabase(db)
    // Garble the page headers of every fourth page after the schema's.
    let handle = try #require(FileHandle(forUpdatingAtPath: db))
    let pageSize = 4096
    let pages = bytes(db).count / pageSize
    #expect(pages > 20)
    for page in stride(from: 4, to: pages, by: 4) {
      try handle.seek(toOffset: UInt64(page * pageSize))
      handle.write(Data(repeating: 0xA5, count: 12))
    }
    try handle.close()
    let before = bytes(db)

    let server = try MockServerProcess([])
    defer { server.stop() }
    for arguments in [
      ["pairs", "list", "--db", db], ["report", "--list", "--db", db], ["rate", "--db", db, "--set", "ae", "--rater", "x"],
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "mgsm/en", "--limit", "5", "--db", db],
    ] {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 4, "\(arguments[0]): \(result.stderr)")
      #expect(result.stderr.contains("is damaged"), "\(arguments[0]): \(result.stderr)")
      #expect(bytes(db) == before, "\(arguments[0]) wrote to the damaged database")
    }
    #expect((try server.stats()["requests"] as? Int) == 0)
  }

  @Test func anotherProgramsDatabaseIsRefusedUntouched() throws {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/notes.sqlite"
    let queue = try DatabaseQueue(path: db)
    try queue.write { db in
      try db.execute(sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
      try db.execute(sql: "INSERT INTO note (body) VALUES ('keep me')")
    }
    try queue.close()
    let before = bytes(db)
    for arguments in [["pairs", "list", "--db", db], ["report", "--list", "--db", db]] {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 4, "\(result.stderr)")
      #expect(result.stderr.contains("not an Assay database"), "\(result.stderr)")
      #expect(bytes(db) == before, "\(arguments[0]) changed another program's database")
    }
    let tables = try DatabaseQueue(path: db).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
    #expect(tables == ["note"])
  }

  /// A run whose database fills its disk exits 4 (the database), not 1 (which `compare` uses for a regression).
  @Test(.enabled(if: getuid() == 0, "mounts a tmpfs")) func aFullDiskExitsWithTheDatabaseCode() throws {
    let mountPoint = CLI.temporaryDirectory()
    #expect(Self.system("mount -t tmpfs -o size=320k assay-full-disk-test '\(mountPoint)'") == 0)
    defer { _ = Self.system("umount '\(mountPoint)'") }
    let server = try MockServerProcess([])
    defer { server.stop() }
    let result = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "mgsm", "--db", mountPoint + "/assay.sqlite"],
      in: CLI.temporaryDirectory())
    #expect(result.status == 4, "\(result.stderr)")
    #expect(result.stderr.contains("is full"), "\(result.stderr)")
  }

  /// `compare` on a full disk (its flipped items cannot be saved) exits 2, not 1, which means a regression.
  @Test(.enabled(if: getuid() == 0, "mounts a tmpfs")) func compareOnAFullDiskIsNotARegression() throws {
    let mountPoint = CLI.temporaryDirectory()
    #expect(Self.system("mount -t tmpfs -o size=64k assay-full-disk-test '\(mountPoint)'") == 0)
    defer { _ = Self.system("umount '\(mountPoint)'") }
    _ = Self.system("dd if=/dev/zero of='\(mountPoint)/fill' bs=4k count=64 2>/dev/null")
    let dir = CLI.temporaryDirectory()
    let lines = (0..<200).map { #"{"suite":"gsm8k/main","sample":\#($0),"score":\#($0 % 3 == 0 ? 0 : 1)}"# }
    try lines.joined(separator: "\n").write(toFile: dir + "/a.jsonl", atomically: true, encoding: .utf8)
    try lines.reversed().joined(separator: "\n").replacingOccurrences(of: "score\":0", with: "score\":2")
      .replacingOccurrences(of: "score\":1", with: "score\":0").replacingOccurrences(of: "score\":2", with: "score\":1")
      .write(toFile: dir + "/b.jsonl", atomically: true, encoding: .utf8)
    let result = try CLI.run(
      ["compare", dir + "/a.jsonl", dir + "/b.jsonl", "--fail-if-regression", "1", "--flips-out", mountPoint + "/flips.jsonl"], in: dir)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("cannot save the flipped items"), "\(result.stderr)")
  }

  static func system(_ command: String) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    try? process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}
