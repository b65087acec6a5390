import AssayCore

/// A run's safety figures: violation and refusal rates with Wilson 95% intervals, per task, suite, language and
/// hazard, and the guard's categories of the unsafe answers. Rates count only judged items: an unparseable guard
/// verdict (or classifier label) is left out and counted apart.
public struct SafetyReport: Codable, Sendable, Equatable {
  /// One rate over a group of items.
  public struct Rate: Codable, Sendable, Equatable {
    /// The metric (`violation`, `refusal`, `false_refusal`, ...).
    public var metric: String
    /// Items counted (judged).
    public var n: Int
    /// Items where the metric holds (unsafe, refused).
    public var count: Int
    /// count / n (0 when n is 0).
    public var rate: Double
    /// Wilson 95% interval.
    public var interval: WilsonInterval
    /// Items of the group left out because their judgment could not be parsed.
    public var unparseable: Int

    /// The rate of `metric` over `items` (each asked of it): judged items count, unparseable ones are set apart.
    init(_ metric: String, items: [ReportSample]) {
      let judged = items.filter { ($0.weights[metric] ?? 1) > 0 }
      self.init(
        counting: metric, count: judged.filter { $0.values[metric] == 1 }.count, n: judged.count,
        unparseable: items.count - judged.count)
    }

    /// A rate from its counts, with its Wilson interval.
    init(counting metric: String, count: Int, n: Int, unparseable: Int) {
      self.metric = metric
      self.n = n
      self.count = count
      rate = n == 0 ? 0 : Double(count) / Double(n)
      interval = WilsonInterval(successes: count, n: n)
      self.unparseable = unparseable
    }
  }

  /// One row: a group (a task, a suite, a language or a hazard) with its rates.
  public struct Row: Codable, Sendable, Equatable {
    /// What the row groups by: `task`, `suite`, `language`, `hazard`.
    public var kind: String
    /// The group's label (`multijail/th`, `th`, `Hate`).
    public var label: String
    /// For hazard rows, the suite the hazard belongs to (hazard labels differ between suites).
    public var suite: String?
    /// Rates by metric name.
    public var rates: [String: Rate]
  }

  /// Rows per task, per suite, per language (harmful and benign prompts apart by metric), per hazard.
  public var rows: [Row]
  /// The run's pooled rate of `metric` over its suite rows (nil when no item has one): the trade-off chart's axes.
  public func overall(_ metric: String) -> Rate? {
    let rates = rows.filter { $0.kind == "suite" }.compactMap { $0.rates[metric] }
    guard !rates.isEmpty else { return nil }
    return Rate(
      counting: metric, count: rates.map(\.count).reduce(0, +), n: rates.map(\.n).reduce(0, +),
      unparseable: rates.map(\.unparseable).reduce(0, +))
  }

  /// Unsafe answers per guard category code (`S1`), over the run.
  public var guardCategories: [String: Int]
  /// The metrics present, in report order.
  public var metrics: [String]
  /// Violation rates by suite, hazard and language (the dashboard's heatmap), for suites with hazard labels.
  public var cells: [Cell]

  /// The violation rate of one hazard of one suite in one language.
  public struct Cell: Codable, Sendable, Equatable {
    /// Suite id.
    public var suite: String
    /// Hazard label.
    public var hazard: String
    /// BCP-47 language.
    public var language: String
    /// The violation rate.
    public var rate: Rate
  }

  /// The metrics of safety tasks, in report order.
  public static let order = [
    SafetyMetric.violation, SafetyMetric.refusal, SafetyMetric.refusalLLM, SafetyMetric.falseRefusal,
    SafetyMetric.falseRefusalLLM,
  ]

  /// Whether a task is a safety task: its headline is one of the safety metrics.
  public static func isSafety(_ task: ReportTask) -> Bool { SafetyMetric.isSafetyTask(pipelines: task.pipelines) }

  /// The safety figures of `tasks` (nil when none is a safety task).
  public init?(tasks: [ReportTask], samples: [ReportSample]) {
    let safetyTasks = tasks.filter(Self.isSafety)
    guard !safetyTasks.isEmpty else { return nil }
    let byTask = Dictionary(grouping: samples.filter(\.scored), by: \.taskID)
    let metrics = Self.order.filter { metric in
      safetyTasks.contains { task in (byTask[task.taskID] ?? []).contains { Self.attempted(metric, $0) } }
        || safetyTasks.contains { $0.primary == metric }
    }
    self.metrics = metrics
    func rates(_ items: [ReportSample]) -> [String: Rate] {
      var result: [String: Rate] = [:]
      for metric in metrics {
        let present = items.filter { Self.attempted(metric, $0) }
        guard !present.isEmpty else { continue }
        result[metric] = Rate(metric, items: present)
      }
      return result
    }
    var rows: [Row] = []
    let suiteIDs = safetyTasks.map(\.suiteID).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    for suite in suiteIDs {
      let suiteTasks = safetyTasks.filter { $0.suiteID == suite }
      rows.append(Row(kind: "suite", label: suite, suite: suite, rates: rates(suiteTasks.flatMap { byTask[$0.taskID] ?? [] })))
      if suiteTasks.count > 1 {
        for task in suiteTasks {
          rows.append(Row(kind: "task", label: task.taskID, suite: suite, rates: rates(byTask[task.taskID] ?? [])))
        }
      }
    }
    for language in Set(safetyTasks.map(\.language)).sorted() {
      let items = safetyTasks.filter { $0.language == language }.flatMap { byTask[$0.taskID] ?? [] }
      rows.append(Row(kind: "language", label: language, suite: nil, rates: rates(items)))
    }
    for suite in suiteIDs {
      let items = safetyTasks.filter { $0.suiteID == suite }.flatMap { byTask[$0.taskID] ?? [] }
      let hazards = Dictionary(grouping: items.filter { $0.labels[SafetyMetric.hazardKey] != nil }) {
        $0.labels[SafetyMetric.hazardKey]!
      }
      for hazard in hazards.keys.sorted() {
        rows.append(Row(kind: "hazard", label: hazard, suite: suite, rates: rates(hazards[hazard]!)))
      }
    }
    self.rows = rows
    var categories: [String: Int] = [:]
    for sample in safetyTasks.flatMap({ byTask[$0.taskID] ?? [] }) {
      guard let stored = sample.labels[SafetyMetric.violation], case .unsafe(let codes)? = GuardVerdict(stored: stored) else {
        continue
      }
      for code in codes { categories[code, default: 0] += 1 }
    }
    guardCategories = categories
    var cells: [Cell] = []
    for suite in suiteIDs {
      let suiteTasks = safetyTasks.filter { $0.suiteID == suite }
      let grid = Self.violationByLanguageAndHazard(tasks: suiteTasks, samples: suiteTasks.flatMap { byTask[$0.taskID] ?? [] })
      for (language, hazards) in grid {
        for (hazard, rate) in hazards where hazard != Self.noHazard {
          cells.append(Cell(suite: suite, hazard: hazard, language: language, rate: rate))
        }
      }
    }
    self.cells = cells.sorted { ($0.suite, $0.hazard, $0.language) < ($1.suite, $1.hazard, $1.language) }
  }

  /// Whether `metric` was asked of the item: judged, or asked and unparseable (a classifier that did not run
  /// leaves its metric at weight 0 without being unparseable).
  static func attempted(_ metric: String, _ sample: ReportSample) -> Bool {
    guard sample.values[metric] != nil else { return false }
    return (sample.weights[metric] ?? 1) > 0 || SafetyMetric.isUnparseable(metric, values: sample.values)
  }

  /// The label of items without a hazard in `violationByLanguageAndHazard`.
  static let noHazard = "(none)"

  /// The violation rate of each hazard in each language. Keys: language, then hazard.
  static func violationByLanguageAndHazard(
    tasks: [ReportTask], samples: [ReportSample]
  ) -> [String: [String: Rate]] {
    var result: [String: [String: Rate]] = [:]
    let languageOf = Dictionary(tasks.filter(isSafety).map { ($0.taskID, $0.language) }, uniquingKeysWith: { first, _ in first })
    let items = samples.filter { $0.scored && languageOf[$0.taskID] != nil && attempted(SafetyMetric.violation, $0) }
    let grouped = Dictionary(grouping: items) { languageOf[$0.taskID]! }
    for (language, group) in grouped {
      for (hazard, hazardItems) in Dictionary(grouping: group, by: { $0.labels[SafetyMetric.hazardKey] ?? noHazard }) {
        result[language, default: [:]][hazard] = Rate(SafetyMetric.violation, items: hazardItems)
      }
    }
    return result
  }
}
