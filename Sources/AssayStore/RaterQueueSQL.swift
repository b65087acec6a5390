/// The FROM and WHERE clauses of a rater's queue in a comparison set, shared by `nextAssignment` (which claims from
/// them in this order) and `raterProgress` (which counts them), so that what is counted as left is what will be shown.
enum RaterQueueSQL {
  /// The rater's claims without a judgment yet (arguments: set, rater).
  static let openClaims = """
    FROM claim c
    LEFT JOIN judgment j ON j.set_name = c.set_name AND j.item_index = c.item_index AND j.rater = c.rater AND j.pass = c.pass
    WHERE c.set_name = ? AND c.rater = ? AND j.id IS NULL
    """

  /// The rater's first-pass judgments of repeated items whose second showing is not claimed yet (arguments: set,
  /// rater; a skip does not come back as a repeat).
  static let pendingRepeats = """
    FROM judgment j JOIN pair_item p ON p.set_name = j.set_name AND p.item_index = j.item_index
    WHERE j.set_name = ? AND j.rater = ? AND j.pass = 0 AND p.repeated = 1 AND j.verdict != 'skip'
      AND NOT EXISTS (SELECT 1 FROM claim c WHERE c.set_name = j.set_name AND c.item_index = j.item_index
                      AND c.rater = j.rater AND c.pass = 1)
    """

  /// Items the rater has not claimed that fewer than `overlap` people hold (arguments: set, rater, overlap; an LLM
  /// judge's claims do not count).
  static let freshItems = """
    FROM pair_item p
    WHERE p.set_name = ?
      AND NOT EXISTS (SELECT 1 FROM claim c WHERE c.set_name = p.set_name AND c.item_index = p.item_index AND c.rater = ?)
      AND (SELECT COUNT(DISTINCT c.rater) FROM claim c WHERE c.set_name = p.set_name AND c.item_index = p.item_index
           AND c.rater_kind = 'human') < ?
    """

  /// The rater's skips that have not come back yet (arguments: set, rater).
  static let waitingSkips = """
    FROM judgment j JOIN claim c ON c.set_name = j.set_name
      AND c.item_index = j.item_index AND c.rater = j.rater AND c.pass = j.pass
    WHERE j.set_name = ? AND j.rater = ? AND j.verdict = 'skip' AND c.revisit = 0
    """
}
