import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
  /// Stores an LLM judge's verdict on an item (with model A on the left), claim and judgment in one transaction.
  /// The claim is marked as an LLM's, so it does not take a human rater's place; judging an item twice is refused.
  public func recordLLMJudgment(
    set: String, judge: String, item: Int, verdict: Verdict, note: String?, latencyMs: Double
  ) throws(AssayError) {
    try write("storing the verdict of \(judge) on \(set)#\(item)") { db in
      if try String.fetchOne(
        db, sql: "SELECT rater_kind FROM judgment WHERE set_name = ? AND rater = ? AND rater_kind = 'human' LIMIT 1",
        arguments: [set, judge]) != nil
      {
        throw AssayError(.invalidArgument, "'\(judge)' already rates \(set) as a human rater",
          fix: "give the LLM judge another name (--judge-name)")
      }
      try db.execute(
        sql: "INSERT INTO claim (set_name, item_index, rater, pass, claimed_at, rater_kind) VALUES (?, ?, ?, 0, ?, 'llm')",
        arguments: [set, item, judge, Self.timestamp()])
      try db.execute(
        sql: """
          INSERT INTO judgment (set_name, item_index, rater, rater_kind, pass, a_on_left, verdict, note, latency_ms, created_at)
          VALUES (?, ?, ?, 'llm', 0, 1, ?, ?, ?, ?)
          """,
        arguments: [set, item, judge, verdict.rawValue, note, latencyMs, Self.timestamp()])
    }
  }

  /// The items a rater (human or LLM) has judged in a set.
  public func judgedItems(set: String, rater: String) throws(AssayError) -> Set<Int> {
    try read("reading what \(rater) judged in \(set)") { db in
      Set(try Int.fetchAll(db, sql: "SELECT item_index FROM judgment WHERE set_name = ? AND rater = ?", arguments: [set, rater]))
    }
  }
}
