import AssayCore

extension StoredSample {
  /// Every graded value of the sample by metric. Stores since v4 keep them all (`sample.graded`); older runs kept
  /// only the primary metric's (`score`), which stands in for it when `graded` lacks it.
  public func gradedValues(primary: String?) -> [String: Double] {
    var values = self.values
    if let primary, let score, values[primary] == nil { values[primary] = score }
    return values
  }

  /// Whether the sample has a score (its request did not fail).
  public var isScored: Bool { status == .scored }
}
