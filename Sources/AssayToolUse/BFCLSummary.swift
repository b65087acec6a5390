/// BFCL's summary figures from per-category accuracies, averaged the way bfcl-eval's leaderboard does
/// (`eval_runner_helper.py` of bfcl-eval 2026.3.23):
/// - non-live simple: the unweighted mean of simple_python, simple_java and simple_javascript;
/// - non-live overall: the unweighted mean of simple, multiple, parallel and parallel_multiple;
/// - live overall: the mean of live_simple, live_multiple, live_parallel and live_parallel_multiple weighted by
///   their item counts;
/// - hallucination (irrelevance): the unweighted mean of irrelevance and live_irrelevance; relevance is
///   live_relevance;
/// - single-turn overall: BFCL v4's overall weighs non-live, live, irrelevance, multi-turn and agentic 10:10:10:30:40;
///   Assay runs the first three, so this is their weighted mean (10:10:10) and not BFCL's overall.
///
/// ```swift
/// let summary = BFCLSummary(["simple_python": .init(accuracy: 0.9, count: 400), ...])
/// summary.groups.first { $0.name == "non-live overall" }?.accuracy
/// ```
public struct BFCLSummary: Sendable, Equatable, Codable {
  /// One category's accuracy (0...1) over `count` items.
  public struct Category: Sendable, Equatable, Codable {
    /// Share correct.
    public var accuracy: Double
    /// Items scored.
    public var count: Int

    /// A category's figure.
    public init(accuracy: Double, count: Int) {
      self.accuracy = accuracy
      self.count = count
    }
  }

  /// One summary figure: nil accuracy when a category it needs was not run (listed in `missing`).
  public struct Group: Sendable, Equatable, Codable {
    /// The figure's name, as in BFCL's leaderboard columns (lower case).
    public var name: String
    /// How it is averaged, in words.
    public var rule: String
    /// The figure, when every category it needs was run.
    public var accuracy: Double?
    /// Items behind it.
    public var count: Int
    /// Categories it needs that were not run.
    public var missing: [String]
  }

  /// The categories given, by BFCL name (`simple_python`).
  public var categories: [String: Category]
  /// The summary figures in leaderboard order.
  public var groups: [Group]

  /// The non-live AST categories making up "simple".
  public static let simple = ["simple_python", "simple_java", "simple_javascript"]
  /// The live AST categories.
  public static let live = ["live_simple", "live_multiple", "live_parallel", "live_parallel_multiple"]

  /// The figures from per-category results (missing categories make the figures that need them nil).
  public init(_ categories: [String: Category]) {
    self.categories = categories
    func part(_ name: String) -> (Double, Int)? { categories[name].map { ($0.accuracy, $0.count) } }
    func unweighted(_ name: String, _ rule: String, _ parts: [(String, (Double, Int)?)]) -> Group {
      let missing = parts.filter { $0.1 == nil }.map(\.0)
      let present = parts.compactMap(\.1)
      return Group(
        name: name, rule: rule,
        accuracy: missing.isEmpty && !present.isEmpty ? present.map(\.0).reduce(0, +) / Double(present.count) : nil,
        count: present.map(\.1).reduce(0, +), missing: missing)
    }
    func weighted(_ name: String, _ rule: String, _ parts: [(String, (Double, Int)?)], weights: [Double]? = nil)
      -> Group
    {
      let missing = parts.filter { $0.1 == nil }.map(\.0)
      let present = parts.compactMap(\.1)
      let w = weights ?? present.map { Double($0.1) }
      let total = w.reduce(0, +)
      return Group(
        name: name, rule: rule,
        accuracy: missing.isEmpty && total > 0 ? zip(present, w).map { $0.0 * $1 }.reduce(0, +) / total : nil,
        count: present.map(\.1).reduce(0, +), missing: missing)
    }
    let simple = unweighted(
      "non-live simple", "unweighted mean of simple_python, simple_java, simple_javascript",
      Self.simple.map { ($0, part($0)) })
    func fromGroup(_ group: Group) -> (Double, Int)? { group.accuracy.map { ($0, group.count) } }
    let nonLiveParts: [(String, (Double, Int)?)] = [
      ("simple", fromGroup(simple)), ("multiple", part("multiple")), ("parallel", part("parallel")),
      ("parallel_multiple", part("parallel_multiple")),
    ]
    var nonLive = unweighted(
      "non-live overall", "unweighted mean of simple, multiple, parallel, parallel_multiple", nonLiveParts)
    nonLive.missing = Array(Set(nonLive.missing.flatMap { $0 == "simple" ? simple.missing : [$0] })).sorted()
    let live = weighted(
      "live overall", "mean of the live AST categories weighted by their item counts", Self.live.map { ($0, part($0)) })
    let irrelevance = unweighted(
      "hallucination: irrelevance", "unweighted mean of irrelevance and live_irrelevance",
      [("irrelevance", part("irrelevance")), ("live_irrelevance", part("live_irrelevance"))])
    let relevance = unweighted(
      "hallucination: relevance", "live_relevance", [("live_relevance", part("live_relevance"))])
    var overall = weighted(
      "single-turn overall",
      "non-live overall, live overall and irrelevance weighted 10:10:10 (BFCL v4's overall adds multi-turn 30 and agentic 40, which Assay does not run)",
      [("non-live overall", fromGroup(nonLive)), ("live overall", fromGroup(live)), ("irrelevance", fromGroup(irrelevance))],
      weights: [10, 10, 10])
    overall.missing = Array(Set(nonLive.missing + live.missing + irrelevance.missing)).sorted()
    groups = [simple, nonLive, live, irrelevance, relevance, overall]
  }
}
