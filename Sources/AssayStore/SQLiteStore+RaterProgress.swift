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
      func count(_ clauses: String, _ values: StatementArguments = arguments) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) \(clauses)", arguments: values) ?? 0
      }
      let open = try count(RaterQueueSQL.openClaims)
      let fresh = try count(RaterQueueSQL.freshItems, [set, rater, info.overlap])
      let repeats = try count(RaterQueueSQL.pendingRepeats)
      let skipped = try count(RaterQueueSQL.waitingSkips)
      return RaterProgress(
        judged: seconds.count, left: open + fresh + repeats + skipped, skippedWaiting: skipped, seconds: seconds)
    }
  }
}
