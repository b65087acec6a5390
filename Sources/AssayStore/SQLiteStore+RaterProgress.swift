import AssayCore
import Foundation
import GRDB

/// Where one rater stands in a comparison set: what is left for them and how long their judgments took.
public struct RaterProgress: Sendable, Equatable {
  /// Judgments stored (skips included).
  public var judged: Int
  /// Showings still ahead: the open item, new items that still need a rater, due repeats and the skipped queue.
  /// New items are counted while fewer than `overlap` raters hold them, so with other raters at work this is an
  /// upper bound.
  public var left: Int
  /// Of `left`, skipped items waiting to come back.
  public var skippedWaiting: Int
  /// Seconds each judgment took, oldest first (pauses are not counted).
  public var seconds: [Double]

  /// A rater's progress.
  public init(judged: Int, left: Int, skippedWaiting: Int, seconds: [Double]) {
    self.judged = judged
    self.left = left
    self.skippedWaiting = skippedWaiting
    self.seconds = seconds
  }

  /// The median of `seconds`, or nil before the first judgment.
  public var medianSeconds: Double? {
    guard !seconds.isEmpty else { return nil }
    let sorted = seconds.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}

extension SQLiteStore {
  /// The rater's progress in a set (read only; nothing is claimed).
  public func raterProgress(set: String, rater: String) throws(AssayError) -> RaterProgress {
    let info = try comparisonSet(set)
    return try read("reading the progress of \(rater) on \(set)") { db in
      let arguments: StatementArguments = [set, rater]
      let seconds = try Double.fetchAll(
        db, sql: "SELECT latency_ms / 1000.0 FROM judgment WHERE set_name = ? AND rater = ? ORDER BY id", arguments: arguments)
      let open = try Int.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) FROM claim c WHERE c.set_name = ? AND c.rater = ? AND NOT EXISTS (SELECT 1 FROM judgment j
            WHERE j.set_name = c.set_name AND j.item_index = c.item_index AND j.rater = c.rater AND j.pass = c.pass)
          """, arguments: arguments) ?? 0
      let fresh = try Int.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) FROM pair_item p WHERE p.set_name = ?
            AND NOT EXISTS (SELECT 1 FROM claim c WHERE c.set_name = p.set_name AND c.item_index = p.item_index AND c.rater = ?)
            AND (SELECT COUNT(DISTINCT c.rater) FROM claim c WHERE c.set_name = p.set_name AND c.item_index = p.item_index
                 AND c.rater_kind = 'human') < ?
          """, arguments: [set, rater, info.overlap]) ?? 0
      let repeats = try Int.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) FROM judgment j JOIN pair_item p ON p.set_name = j.set_name AND p.item_index = j.item_index
          WHERE j.set_name = ? AND j.rater = ? AND j.pass = 0 AND p.repeated = 1 AND j.verdict != 'skip'
            AND NOT EXISTS (SELECT 1 FROM claim c WHERE c.set_name = j.set_name AND c.item_index = j.item_index
                            AND c.rater = j.rater AND c.pass = 1)
          """, arguments: arguments) ?? 0
      let skipped = try Int.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) FROM judgment j JOIN claim c ON c.set_name = j.set_name AND c.item_index = j.item_index
            AND c.rater = j.rater AND c.pass = j.pass
          WHERE j.set_name = ? AND j.rater = ? AND j.verdict = 'skip' AND c.revisit = 0
          """, arguments: arguments) ?? 0
      return RaterProgress(
        judged: seconds.count, left: open + fresh + repeats + skipped, skippedWaiting: skipped, seconds: seconds)
    }
  }
}
