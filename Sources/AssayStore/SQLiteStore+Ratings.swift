import AssayCore
import Foundation
import GRDB

/// A comparison set's settings.
public struct ComparisonSetInfo: Sendable, Equatable {
  /// Set name.
  public var name: String
  /// Where the items came from.
  public var source: String
  /// Distinct raters per item.
  public var overlap: Int
  /// Share of items shown twice to each rater.
  public var repeatShare: Double
  /// Seed of sides, order and repeats.
  public var seed: Int
  /// Items in the set.
  public var items: Int
}

/// What a rater is asked to judge next.
public struct Assignment: Sendable, Equatable {
  /// The item.
  public var item: PairItem
  /// 0 for the first pass, 1 for the self-consistency repeat.
  public var pass: Int
  /// Whether model A is on the left.
  public var aOnLeft: Bool
  /// Whether the rater skipped this item before and it came back from the skipped queue (a second skip is final).
  public var revisit = false

  /// An assignment (first showing unless `revisit`).
  public init(item: PairItem, pass: Int, aOnLeft: Bool, revisit: Bool = false) {
    self.item = item
    self.pass = pass
    self.aOnLeft = aOnLeft
    self.revisit = revisit
  }
}

/// A stored judgment.
public struct StoredJudgment: Sendable, Equatable {
  /// Item index.
  public var item: Int
  /// Rater.
  public var rater: String
  /// `human` or `llm`.
  public var raterKind: String
  /// Pass.
  public var pass: Int
  /// Side of model A.
  public var aOnLeft: Bool
  /// Verdict.
  public var verdict: Verdict
  /// Note.
  public var note: String?
  /// Time to decide.
  public var latencyMs: Double
}

extension SQLiteStore {
  /// Creates a comparison set; refuses an existing name.
  public func createComparisonSet(
    name: String, source: String, items: [PairItem], overlap: Int, repeatShare: Double, seed: Int
  ) throws(AssayError) {
    try write("creating comparison set \(name)") { db in
      if try Bool.fetchOne(db, sql: "SELECT 1 FROM comparison_set WHERE name = ?", arguments: [name]) == true {
        throw AssayError(.invalidArgument, "a comparison set named '\(name)' already exists", fix: "choose another --name")
      }
      try db.execute(
        sql: "INSERT INTO comparison_set (name, source, overlap, repeat_share, seed, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [name, source, overlap, repeatShare, seed, Self.timestamp()])
      for item in items {
        try db.execute(
          sql: """
            INSERT INTO pair_item (set_name, item_index, item_key, prompt, model_a, response_a, model_b, response_b,
              draw_order, repeated, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            name, item.index, item.key, item.prompt, item.modelA, item.responseA, item.modelB, item.responseB,
            Int64(bitPattern: PairDraw.order(seed: seed, item: item.index)),
            PairDraw.isRepeated(seed: seed, item: item.index, share: repeatShare), item.context,
          ])
      }
    }
  }

  /// A set's settings, or an error naming the known sets.
  public func comparisonSet(_ name: String) throws(AssayError) -> ComparisonSetInfo {
    let found = try read("reading comparison set \(name)") { db -> ComparisonSetInfo? in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM comparison_set WHERE name = ?", arguments: [name]) else {
        return nil
      }
      let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pair_item WHERE set_name = ?", arguments: [name]) ?? 0
      return ComparisonSetInfo(
        name: row["name"], source: row["source"], overlap: row["overlap"], repeatShare: row["repeat_share"],
        seed: row["seed"], items: count)
    }
    guard let found else {
      let names = (try? comparisonSets().map(\.name)) ?? []
      throw AssayError(
        .invalidArgument, "no comparison set '\(name)' in \(path)" + (names.isEmpty ? "" : "; sets: \(names.joined(separator: ", "))"),
        fix: "create one with `assay pairs create` or `assay pairs import`")
    }
    return found
  }

  /// All sets.
  public func comparisonSets() throws(AssayError) -> [ComparisonSetInfo] {
    let names = try read("listing comparison sets") { db in
      try String.fetchAll(db, sql: "SELECT name FROM comparison_set ORDER BY created_at, name")
    }
    var result: [ComparisonSetInfo] = []
    for name in names { result.append(try comparisonSet(name)) }
    return result
  }

  /// The items of a set, in index order.
  public func pairItems(set: String) throws(AssayError) -> [PairItem] {
    try read("reading items of \(set)") { db in
      try Row.fetchAll(db, sql: "SELECT * FROM pair_item WHERE set_name = ? ORDER BY item_index", arguments: [set]).map(Self.pairItem)
    }
  }

  /// The rater's next assignment, claimed atomically: an unfinished claim first, then a due self-consistency
  /// repeat, then the next item in draw order that fewer than `overlap` raters have claimed, then the items the
  /// rater skipped, once each (the skipped queue: a second skip is final). Nil when done.
  public func nextAssignment(set: String, rater: String) throws(AssayError) -> Assignment? {
    let info = try comparisonSet(set)
    return try write("assigning the next item of \(set) to \(rater)") { db -> Assignment? in
      func assignment(_ index: Int, _ pass: Int, revisit: Bool = false) throws -> Assignment {
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM pair_item WHERE set_name = ? AND item_index = ?", arguments: [set, index])!
        return Assignment(
          item: Self.pairItem(row), pass: pass, aOnLeft: PairDraw.aOnLeft(seed: info.seed, item: index, rater: rater, pass: pass),
          revisit: revisit)
      }
      if let open = try Row.fetchOne(
        db,
        sql: "SELECT c.item_index, c.pass, c.revisit \(RaterQueueSQL.openClaims) ORDER BY c.claimed_at, c.pass LIMIT 1",
        arguments: [set, rater])
      {
        return try assignment(open["item_index"], open["pass"], revisit: open["revisit"])
      }
      /// The rater's oldest first-pass judgment of a repeated item that has not come back yet, with at least
      /// `gap` judgments since; claimed for the second pass.
      func claimRepeat(gap: Int) throws -> Assignment? {
        guard let due = try Int.fetchOne(
          db,
          sql: """
            SELECT j.item_index \(RaterQueueSQL.pendingRepeats)
              AND (SELECT COUNT(*) FROM judgment k WHERE k.set_name = j.set_name AND k.rater = j.rater AND k.id > j.id) >= ?
            ORDER BY j.id LIMIT 1
            """, arguments: [set, rater, gap])
        else { return nil }
        try claim(due, pass: 1)
        return try assignment(due, 1)
      }
      func claim(_ index: Int, pass: Int) throws {
        try db.execute(
          sql: "INSERT INTO claim (set_name, item_index, rater, pass, claimed_at) VALUES (?, ?, ?, ?, ?)",
          arguments: [set, index, rater, pass, Self.timestamp()])
      }
      // A repeat is due once the rater has judged 3 other items since its first showing.
      if let repeated = try claimRepeat(gap: 3) { return repeated }
      if let next = try Int.fetchOne(
        db,
        sql: "SELECT p.item_index \(RaterQueueSQL.freshItems) ORDER BY p.draw_order, p.item_index LIMIT 1",
        arguments: [set, rater, info.overlap])
      {
        try claim(next, pass: 0)
        return try assignment(next, 0)
      }
      // No new items left: repeats still waiting for their gap are due now.
      if let repeated = try claimRepeat(gap: 0) { return repeated }
      // Then the skipped queue, oldest skip first: the skip is taken back and its claim reopened, marked as a
      // revisit so that skipping it again is final.
      guard let skipped = try Row.fetchOne(
        db,
        sql: "SELECT j.id, j.item_index, j.pass \(RaterQueueSQL.waitingSkips) ORDER BY j.id LIMIT 1", arguments: [set, rater])
      else { return nil }
      try db.execute(sql: "DELETE FROM judgment WHERE id = ?", arguments: [skipped["id"] as Int64])
      try db.execute(
        sql: "UPDATE claim SET revisit = 1, claimed_at = ? WHERE set_name = ? AND item_index = ? AND rater = ? AND pass = ?",
        arguments: [Self.timestamp(), set, skipped["item_index"] as Int, rater, skipped["pass"] as Int])
      return try assignment(skipped["item_index"], skipped["pass"], revisit: true)
    }
  }

  /// Stores a judgment for a claimed assignment (exactly once: a second write for the same claim is refused).
  public func recordJudgment(
    set: String, rater: String, raterKind: String = "human", assignment: Assignment, verdict: Verdict, note: String?,
    latencyMs: Double
  ) throws(AssayError) {
    try write("storing a judgment of \(rater) on \(set)#\(assignment.item.index)") { db in
      try db.execute(
        sql: """
          INSERT INTO judgment (set_name, item_index, rater, rater_kind, pass, a_on_left, verdict, note, latency_ms, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          set, assignment.item.index, rater, raterKind, assignment.pass, assignment.aOnLeft, verdict.rawValue, note,
          latencyMs, Self.timestamp(),
        ])
    }
  }

  /// Removes the rater's latest judgment in the set (its claim stays, so the item comes back next); returns the
  /// item index, or nil when there is nothing to undo.
  @discardableResult
  public func undoLastJudgment(set: String, rater: String) throws(AssayError) -> Int? {
    try write("undoing the last judgment of \(rater) on \(set)") { db -> Int? in
      guard let row = try Row.fetchOne(
        db, sql: "SELECT id, item_index, pass FROM judgment WHERE set_name = ? AND rater = ? ORDER BY id DESC LIMIT 1",
        arguments: [set, rater])
      else { return nil }
      // The open claim (if any) of the current item goes back to the pool, so the undone item is next.
      try db.execute(
        sql: """
          DELETE FROM claim WHERE set_name = ? AND rater = ? AND NOT EXISTS (
            SELECT 1 FROM judgment j WHERE j.set_name = claim.set_name AND j.item_index = claim.item_index
              AND j.rater = claim.rater AND j.pass = claim.pass)
          """, arguments: [set, rater])
      try db.execute(sql: "DELETE FROM judgment WHERE id = ?", arguments: [row["id"] as Int64])
      return row["item_index"]
    }
  }

  /// How many judgments the rater has made in the set.
  public func judgmentCount(set: String, rater: String) throws(AssayError) -> Int {
    try read("counting judgments") { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judgment WHERE set_name = ? AND rater = ?", arguments: [set, rater]) ?? 0
    }
  }

  /// Every judgment of a set, in the order made.
  public func judgments(set: String) throws(AssayError) -> [StoredJudgment] {
    try read("reading judgments of \(set)") { db in
      try Row.fetchAll(db, sql: "SELECT * FROM judgment WHERE set_name = ? ORDER BY id", arguments: [set]).map { row in
        StoredJudgment(
          item: row["item_index"], rater: row["rater"], raterKind: row["rater_kind"], pass: row["pass"],
          aOnLeft: row["a_on_left"], verdict: Verdict(rawValue: row["verdict"]) ?? .skip, note: row["note"],
          latencyMs: row["latency_ms"])
      }
    }
  }

  static func pairItem(_ row: Row) -> PairItem {
    PairItem(
      index: row["item_index"], key: row["item_key"], prompt: row["prompt"], modelA: row["model_a"],
      responseA: row["response_a"], modelB: row["model_b"], responseB: row["response_b"], context: row["context"])
  }
}
