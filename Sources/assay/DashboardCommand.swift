import ArgumentParser
import AssayCore
import AssayReport
import AssayStore
import Foundation

/// `assay dashboard`: a static, offline HTML dashboard of the runs in a database.
struct DashboardCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dashboard",
    abstract: "Write a static HTML dashboard (inline SVG, no scripts, works offline) under dashboards/.",
    discussion: """
      Examples:
        assay dashboard                                        # the 12 newest runs -> dashboards/index.html
        assay dashboard --reference "Llama 3.1 8B Instruct"    # add deltas against published numbers
        assay dashboard --baseline RUN_A --candidate RUN_B     # choose the forest plot's pair
      Charts: runs overview, per-suite bars with CI whiskers, per-language heatmap, reference deltas, needle-in-a-haystack heatmaps (depth by length), candidate-vs-baseline forest plot (the two newest runs sharing suites, by default), human-rating leaderboard. Output is deterministic for the same database and --generated-at (default: SOURCE_DATE_EPOCH, else now).
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
  var out: String = "dashboards"

  @Option(help: "Runs to show (default: the 12 newest).")
  var runs: [String] = []

  @Option(help: ArgumentHelp("Published model to compare with.", valueName: "model"))
  var reference: String?

  @Option(help: "Baseline run of the forest plot.")
  var baseline: String?

  @Option(help: "Candidate run of the forest plot.")
  var candidate: String?

  @Option(name: .customLong("generated-at"), help: "Timestamp printed on the page.")
  var generatedAt: String?

  @Option(help: "Significance level of the forest plot.")
  var alpha: Double = 0.05

  func run() throws {
    let store = try SQLiteStore.openExisting(path: storeOptions.db)
    let records = runs.isEmpty ? Array(try store.runs().prefix(12)) : try runs.map { try store.run($0) }
    var inputs: [DashboardInput.Run] = []
    for record in records.sorted(by: { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }) {
      let rendered = try ReportBuilder.report(store: store, run: record.id, referenceModel: reference)
      inputs.append(.init(id: record.id, model: record.model, status: record.status.rawValue, startedAt: record.startedAt, report: rendered))
    }
    let pair = try forestPair(store: store, runs: inputs)
    let comparison = try pair.map { pair -> (baseline: String, candidate: String, result: Comparison) in
      let items = try pairedItems(store: store, baseline: pair.0, candidate: pair.1)
      return (pair.0, pair.1, Comparison(items: items, settings: .init(alpha: alpha, iterations: 2000, seed: 0)))
    }
    let stamp = generatedAt ?? ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init).map {
      SQLiteStore.timestamp(Date(timeIntervalSince1970: $0))
    } ?? SQLiteStore.timestamp()
    var input = DashboardInput(runs: inputs, comparison: comparison, referenceModel: reference, generatedAt: stamp)
    for set in try store.comparisonSets() {
      let battles = try store.battles(set: set.name)
      guard !battles.isEmpty else { continue }
      let judges = Set(try store.judgments(set: set.name).filter { $0.raterKind == "llm" }.map(\.rater))
      let summary = RatingsSummary(battles: battles, rounds: 100, seed: 0, llmJudges: judges)
      let rows = summary.bradleyTerry.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { model, rating in
        let interval = summary.intervals[model] ?? (rating, rating)
        return (model: model, rating: rating, low: interval.low, high: interval.high, win: summary.winRates[model]?.win ?? 0)
      }
      let notes = RatingsReport.judgeLines(summary)
        + (summary.judgeBattles > 0 ? ["The ratings count people only; \(summary.judgeBattles) LLM judge verdicts are compared, not counted."] : [])
      input.leaderboards.append(.init(set: set.name, judgments: summary.battles, rows: rows, notes: notes))
    }
    let files = DashboardRenderer.render(input)
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    for (name, content) in files.sorted(by: { $0.key < $1.key }) {
      let path = (out as NSString).appendingPathComponent(name)
      try content.write(toFile: path, atomically: true, encoding: .utf8)
      print(path)
    }
  }

  private func forestPair(store: SQLiteStore, runs: [DashboardInput.Run]) throws -> (String, String)? {
    if let baseline, let candidate { return (try store.run(baseline).id, try store.run(candidate).id) }
    if baseline != nil || candidate != nil {
      throw ValidationError("pass both --baseline and --candidate, or neither")
    }
    return DashboardInput.defaultForestPair(runs).map { ($0.baseline, $0.candidate) }
  }

  private func pairedItems(store: SQLiteStore, baseline: String, candidate: String) throws -> [PairedItem] {
    ComparisonReport.pairs(baseline: try store.scores(runID: baseline), candidate: try store.scores(runID: candidate))
  }
}
