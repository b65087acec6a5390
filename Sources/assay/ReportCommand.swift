import ArgumentParser
import AssayCore
import AssayReport
import AssayStore
import AssaySuites
import Foundation

/// Output formats of reports.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case markdown, json
}

/// `assay report`: the report of a stored run.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Print a stored run's report (Markdown or JSON).",
    discussion: """
      Examples:
        assay report                    # the latest run
        assay report 20261128-134501    # a run by id (a unique prefix is enough)
        assay report latest --format json
        assay report --list             # all runs in the database
        assay report --samples | jq -c 'select(.correct.strict == false) | {task, sample, response}'
        assay report --samples --show-text           # safety suites' prompts and responses too

      """)

  @OptionGroup var storeOptions: StoreOptions

  @Argument(help: "Run id, or `latest`.")
  var runReference: String = "latest"

  @Option(help: "markdown or json.")
  var format: ReportFormat = .markdown

  @Option(help: ArgumentHelp(
    "Put each suite next to this model's published number, scored by the pipeline that follows the publisher's rule when the suite has one, with configuration differences (e.g. \"Llama 3.1 8B Instruct\").",
    valueName: "model"))
  var reference: String?

  @Flag(help: "List the runs in the database instead.")
  var list = false

  @Flag(help: "Print one JSON line per sample (prompt, response, answers, verdicts, errors) instead.")
  var samples = false

  @Flag(name: .customLong("show-text"), help: "With --samples: include the prompt and response text of safety suites (harmful by design; left out by default).")
  var showText = false

  func run() throws {
    let store = try SQLiteStore.openExisting(path: storeOptions.db)
    if list {
      Output.text("| run | model | status | started | finished |\n|---|---|---|---|---|")
      for run in try store.runs() {
        Output.text("| \(run.id) | \(run.model) | \(run.status) | \(run.startedAt) | \(run.finishedAt ?? "—") |")
      }
      return
    }
    if samples {
      let run = try store.run(runReference)
      // Safety suites' prompts and answers are harmful by design: shown only when asked for.
      let hidden = showText ? Set<String>() : Set(try store.tasks(runID: run.id).filter {
        SafetyMetric.isSafetyTask(pipelines: $0.pipelines)
      }.map(\.taskID))
      for sample in try store.samples(runID: run.id) {
        var object: [String: Any] = [
          "task": sample.taskID, "sample": sample.index, "status": sample.status.rawValue, "target": sample.target,
          "answers": sample.answers, "correct": sample.correct, "finish_reason": sample.finishReason ?? NSNull(),
          "response": sample.response ?? NSNull(), "error": sample.error ?? NSNull(), "prompt": sample.prompt,
          "attempts": sample.attempts, "latency_ms": sample.latencyMs ?? NSNull(),
        ]
        if hidden.contains(sample.taskID) {
          object["prompt"] = NSNull()
          object["response"] = NSNull()
          object["text_hidden"] = "safety suite: pass --show-text to include the prompt and response"
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        Output.json(String(decoding: data, as: UTF8.self))
      }
      return
    }
    Output.report(try ReportBuilder.render(store: store, run: runReference, format: format, referenceModel: reference), format: format)
  }
}

/// Builds a `RunReport` from the store and renders it.
enum ReportBuilder {
  static func report(store: SQLiteStore, run reference: String) throws(AssayError) -> RunReport {
    let run = try store.run(reference)
    let tasks = try store.tasks(runID: run.id).map { task in
      ReportTask(
        taskID: task.taskID, suiteID: task.suiteID, variantID: task.variantID, language: task.language,
        primary: task.primary, pipelines: task.pipelines, planned: task.planned,
        averages: Scorer.averages(pipelines: task.pipelines), needle: task.settings?.needle)
    }
    let primaries = Dictionary(tasks.map { ($0.taskID, $0.primary) }, uniquingKeysWith: { first, _ in first })
    let samples = try store.samples(runID: run.id, texts: false).map { sample in
      ReportSample(
        taskID: sample.taskID, scored: sample.isScored, correct: sample.correct, answers: sample.answers,
        finishReason: sample.finishReason, values: sample.gradedValues(primary: primaries[sample.taskID]),
        weights: sample.weights, error: sample.error, index: sample.index)
    }
    return RunReport(runID: run.id, model: run.model, status: run.status.rawValue, tasks: tasks, samples: samples)
  }

  static func render(
    store: SQLiteStore, run: String, format: ReportFormat, referenceModel: String? = nil,
    presetOutcomes: [PresetEntryOutcome]? = nil
  ) throws(AssayError) -> String {
    let report = try report(store: store, run: run, referenceModel: referenceModel, presetOutcomes: presetOutcomes)
    switch format {
    case .markdown: return MarkdownRenderer.render(report)
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      return String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self) + "\n"
    }
  }

  /// The report of a run, with published numbers beside it when `referenceModel` is given, and the preset's
  /// published rows that have none (from `presetOutcomes`, else from the preset the run recorded).
  static func report(
    store: SQLiteStore, run: String, referenceModel: String?, presetOutcomes: [PresetEntryOutcome]? = nil
  ) throws(AssayError) -> RunReport {
    var report = try report(store: store, run: run)
    if let referenceModel {
      let table = try ReferenceTable.load()
      guard table.rows.contains(where: { $0.model == referenceModel }) else {
        let models = Array(Set(table.rows.map(\.model))).sorted()
        let close = Suggest.closest(to: referenceModel, among: models)
        throw AssayError(
          .invalidArgument,
          "no published numbers for '\(referenceModel)' (from --reference)" + (close.isEmpty ? "" : "; did you mean '\(close[0])'?"),
          fix: "use a model name from \(table.directory)/reference_scores.json, e.g. \(models.filter { $0.hasPrefix("Llama 3.1") }.joined(separator: ", "))")
      }
      let runRecord = try store.run(run)
      var settings: [String: [TaskSettings]] = [:]
      for task in try store.tasks(runID: runRecord.id) {
        if let taskSettings = task.settings { settings[task.suiteID, default: []].append(taskSettings) }
      }
      report.referenceModel = referenceModel
      report.reference = ReferenceComparison.compare(
        report: report, settings: settings, model: referenceModel, rows: table.rows, configurations: table.configurations)
      var outcomes = presetOutcomes
      if outcomes == nil { outcomes = try recordedPresetOutcomes(store: store, run: runRecord) }
      if let outcomes {
        report.referenceGaps = ReferenceGap.find(
          entries: outcomes, compared: report.reference ?? [], model: referenceModel, rows: table.rows,
          configurations: table.configurations)
      }
    }
    return report
  }

  /// For a stored run of a preset (`preset` in its configuration): each entry's variants in the run, the others as
  /// not in it (why is known only while the run starts; its own report says). Nil for other runs or when the preset
  /// is no longer there.
  static func recordedPresetOutcomes(store: SQLiteStore, run: RunRecord) throws(AssayError) -> [PresetEntryOutcome]? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(run.config.utf8)) as? [String: Any],
      let id = object["preset"] as? String,
      let builtIn = SuiteOptions.builtInSuitesDirectory(),
      let preset = (try? Preset.loadAll(directory: builtIn + "/presets"))?[id],
      let catalog = try? SuiteCatalog.load(directories: [builtIn], strict: false)
    else { return nil }
    let ran = Set(try store.tasks(runID: run.id).map { "\($0.suiteID)/\($0.variantID)" })
    return preset.suites.map { entry in
      let variants = (catalog.suites[entry.suite].map { suite in
        (try? catalog.variants(of: suite, selected: entry.variants))?.map(\.id) ?? []
      }) ?? entry.variants ?? []
      return PresetEntryOutcome(
        suite: entry.suite, reproduces: entry.reproduces,
        variantsRun: variants.filter { ran.contains("\(entry.suite)/\($0)") },
        skipped: variants.filter { !ran.contains("\(entry.suite)/\($0)") }.map {
          .init(variant: $0, reason: "\(entry.suite)/\($0) is not in this run (a preset run skips what has no data; the run's own report said why)",
            fix: "`assay data fetch --suite \(entry.suite)`, then run the preset again")
        })
    }
  }
}

/// The project's reference table: published scores and the configurations behind them (`results/reference/`).
struct ReferenceTable {
  let directory: String
  let rows: [ReferenceRow]
  let configurations: [String: PublishedConfiguration]

  /// From $ASSAY_REFERENCE_DIR, ./results/reference, or a results/reference beside an ancestor of the binary.
  static func load() throws(AssayError) -> ReferenceTable {
    guard let directory = CheckoutPath.find("results/reference", environment: "ASSAY_REFERENCE_DIR", isValid: {
      FileManager.default.fileExists(atPath: $0 + "/reference_scores.json")
    }) else {
      throw AssayError(
        .missingData, "the reference table (results/reference/reference_scores.json) was not found",
        fix: "run from the Assay checkout, or set ASSAY_REFERENCE_DIR")
    }
    do {
      let rows = try JSONDecoder().decode(
        [ReferenceRow].self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/reference_scores.json")))
      let configurations = try JSONDecoder().decode(
        [String: PublishedConfiguration].self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/meta_configs.json")))
      return ReferenceTable(directory: directory, rows: rows, configurations: configurations)
    } catch {
      throw AssayError(.invalidData, "cannot read the reference table in \(directory): \(error)", fix: "rebuild it with scripts/reference/build.py")
    }
  }
}
