import AssayTesting
import Foundation
import GRDB
import Testing

/// `assay merge` publishes all of the merged run or nothing, and never writes into one of its inputs.
@Suite(.serialized, .tags(.slow)) struct MergeAtomicityTests {
  /// Two shard databases of one 12-sample run.
  func shards() throws -> (dir: String, paths: [String]) {
    let server = try MockServerProcess([])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let run = ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "gsm8k", "--limit", "12"]
    let paths = (0..<2).map { dir + "/shard-\($0).sqlite" }
    for (index, path) in paths.enumerated() {
      let result = try CLI.run(run + ["--shard", "\(index)/2", "--db", path], in: dir)
      #expect(result.status == 0, "\(result.stderr)")
    }
    return (dir, paths)
  }

  func summary(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read { db in
      try String.fetchAll(db, sql: "SELECT id || ' ' || status FROM run ORDER BY id")
        + [String(try Int.fetchOne(db, sql: "SELECT count(*) FROM sample")!)]
    }
  }

  @Test func aMergeKilledAfterTheFirstShardLeavesNoDatabaseAndNoHalfRun() throws {
    let (dir, paths) = try shards()
    let merged = dir + "/merged.sqlite"
    let killed = try CLI.run(["merge", "--db", merged] + paths, in: dir, environment: ["ASSAY_FAULT_KILL_MERGE_AFTER_SHARDS": "1"])
    #expect(killed.status != 0)
    #expect(killed.stderr.contains("shard 0/2"), "the kill comes after the first shard: \(killed.stderr)")
    #expect(!FileManager.default.fileExists(atPath: merged), "a killed merge published a database")

    // Into an existing database: killed, it is unchanged; completed, it holds the whole run besides its own.
    let other = dir + "/existing.sqlite"
    try FileManager.default.copyItem(atPath: paths[0], toPath: other)
    let before = try summary(other)
    let killedAgain = try CLI.run(["merge", "--db", other] + paths, in: dir, environment: ["ASSAY_FAULT_KILL_MERGE_AFTER_SHARDS": "1"])
    #expect(killedAgain.status != 0)
    #expect(try summary(other) == before)
    let done = try CLI.run(["merge", "--db", other] + paths, in: dir)
    #expect(done.status == 0, "\(done.stderr)")
    let after = try summary(other)
    #expect(after.count == before.count + 1)
    #expect(after.last == String(Int(before.last!)! + 12))

    let fresh = try CLI.run(["merge", "--db", merged] + paths, in: dir)
    #expect(fresh.status == 0, "\(fresh.stderr)")
    let result = try summary(merged)
    #expect(result.count == 2 && result[0].hasSuffix(" finished") && result[1] == "12", "\(result)")
  }

  @Test func aDestinationThatLinksToAnInputIsRefusedAndTheInputIsUntouched() throws {
    let (dir, paths) = try shards()
    let before = try paths.map(summary)
    let symbolic = dir + "/symbolic.sqlite"
    try FileManager.default.createSymbolicLink(atPath: symbolic, withDestinationPath: paths[1])
    let hard = dir + "/hard.sqlite"
    try FileManager.default.linkItem(atPath: paths[0], toPath: hard)
    for destination in [symbolic, hard, dir + "/./shard-0.sqlite"] {
      let result = try CLI.run(["merge", "--db", destination] + paths, in: dir)
      #expect(result.status == 2, "\(destination): \(result.stderr)")
      #expect(result.stderr.contains("is the input"), "\(result.stderr)")
    }
    #expect(try paths.map(summary) == before)
  }
}
