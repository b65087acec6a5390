import AssayTesting
import Foundation
import GRDB
import Testing

/// `assay pairs create` from two runs of a few-shot suite: raters get the question, the exemplars stored apart.
@Suite(.serialized) struct PairsCreateFoldingTests {
  @Test func fewShotExemplarsAreFoldedOutOfTheQuestion() throws {
    let server = try MockServerProcess([])
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    for extra in [[], ["--fresh", "--max-tokens", "8"]] {
      let run = try CLI.run(
        ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "gsm8k-5shot", "--limit", "3", "--db", db]
          + extra, in: dir)
      #expect(run.status == 0, "\(run.stderr)")
    }
    let runIDs = try DatabaseQueue(path: db).read { try String.fetchAll($0, sql: "SELECT id FROM run ORDER BY started_at, rowid") }
    #expect(runIDs.count == 2)
    let created = try CLI.run(["pairs", "create", "--db", db, "--name", "gsm", "--a", runIDs[0], "--b", runIDs[1]], in: dir)
    #expect(created.status == 0, "\(created.stderr)")
    #expect(!created.stderr.contains("warning"), "\(created.stderr)")
    let rows = try DatabaseQueue(path: db).read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT p.prompt, p.context, s.prompt AS sent FROM pair_item p
          JOIN sample s ON s.run_id = ? AND s.task_id || '#' || s.sample_index = p.item_key ORDER BY p.item_index
          """, arguments: [runIDs[0]])
    }
    #expect(rows.count == 3)
    for row in rows {
      let question = row["prompt"] as String
      let context = try #require(row["context"] as String?)
      let sent = row["sent"] as String
      #expect(question.hasPrefix("Question:") && question.components(separatedBy: "Question:").count == 2, "one question: \(question)")
      #expect(context.components(separatedBy: "Question:").count == 6, "five exemplars: \(context.prefix(300))")
      #expect(sent.hasPrefix(context) && sent.hasSuffix(question), "the two parts are the prompt that was sent")
    }
  }
}
