import ArgumentParser
import AssayCore
import AssayReport
import AssayRuntime
import AssayStore
import AssaySuites
import Foundation

/// `assay compare`: paired comparison of two runs, with a regression gate for CI.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare two runs item by item: paired CIs, exact tests, Holm correction, a regression gate.",
    discussion: """
      BASELINE and CANDIDATE are run ids (or `latest`) in --db, or per-item JSONL files from `assay export --per-item`.

      Examples:
        assay compare 20261101-120000 latest
        assay compare baseline.jsonl fp8.jsonl --fail-if-regression 1 --alpha 0.05   # exit 1 on a regression

      Items are paired by (suite, sample); a file's sample may be a row index (12) or a string id (\"sample_12\", \"HumanEval/3\"), and ids pair by their text, so 12 and \"12\" are one item. Only items scored in both are compared. Binary scores use McNemar's exact test on the discordant pairs; graded scores a paired permutation test. The interval is a paired bootstrap 95% CI of the difference. p-values of suite rows are Holm-adjusted across suites; `overall` pools every item. MDE is the smallest difference this n detects at --alpha with 80% power. A regression is a significant drop larger than --fail-if-regression points in any row. Safety rates (violation, false refusal) are better lower: their rows gate on a significant rise instead, and they pool into their own `overall (lower is better)` row; per-item files mark them with \"lower_is_better\": true. Items that flipped are written to --flips-out.
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Argument(help: "Baseline run id or per-item JSONL file.")
  var baseline: String

  @Argument(help: "Candidate run id or per-item JSONL file.")
  var candidate: String

  @Option(help: "Significance level.")
  var alpha: Double = 0.05

  @Option(name: .customLong("fail-if-regression"), help: ArgumentHelp(
    "Exit 1 when a significant regression larger than this many percentage points is found.", valueName: "points"))
  var failIfRegression: Double?

  @Option(help: "Bootstrap and permutation iterations.")
  var iterations: Int = 10_000

  @Option(help: "Seed of all resampling.")
  var seed: UInt64 = 0

  @Option(name: .customLong("flips-out"), help: ArgumentHelp(
    "Where to save the flipped items (default: results/exports/flips-BASELINE-vs-CANDIDATE.jsonl).", valueName: "file"))
  var flipsOut: String?

  @Flag(help: "Print JSON instead of Markdown.")
  var json = false

  func validate() throws {
    if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be between 0 and 1 (got \(alpha))") }
    if iterations < 100 { throw ValidationError("--iterations must be at least 100") }
    if let failIfRegression, failIfRegression < 0 { throw ValidationError("--fail-if-regression takes points >= 0") }
  }

  func run() throws {
    let base = try scores(baseline)
    let cand = try scores(candidate)
    let lower = try lowerIsBetterTasks(baseline).union(try lowerIsBetterTasks(candidate))
    let items = ComparisonReport.pairs(baseline: base, candidate: cand, lowerIsBetter: lower)
    guard !items.isEmpty else {
      throw AssayError(
        .invalidArgument, "\(baseline) and \(candidate) have no scored items in common (paired by suite and sample)",
        fix: "compare runs of the same suites")
    }
    let comparison = Comparison(
      items: items,
      settings: .init(alpha: alpha, iterations: iterations, seed: seed, regressionThreshold: failIfRegression))
    try saveFlips(items)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      Output.json(String(decoding: try encoder.encode(comparison), as: UTF8.self))
    } else {
      Output.text(ComparisonReport.markdown(
        comparison, baseline: baseline, candidate: candidate, alpha: alpha, regressionThreshold: failIfRegression,
        unpaired: (base.count - items.count, cand.count - items.count)))
    }
    if failIfRegression != nil && comparison.regression {
      FileHandle.standardError.write(Data(
        "regression: a significant drop larger than \(failIfRegression!) points (for a lower-is-better rate: a rise)\n".utf8))
      throw ExitCode(1)
    }
  }

  private func scores(_ reference: String) throws(AssayError) -> [PairKey: Double] {
    if FileManager.default.fileExists(atPath: reference) { return try Self.readPerItem(reference) }
    let role = reference == baseline ? "BASELINE" : "CANDIDATE"
    if reference.contains("/") || [".jsonl", ".json", ".gz"].contains(where: { reference.hasSuffix($0) }) {
      throw AssayError(
        .io, "no file \(reference) (the \(role) argument)",
        fix: "check the path (per-item files come from `assay export RUN --per-item`), or pass a run id from --db")
    }
    guard FileManager.default.fileExists(atPath: storeOptions.db) else {
      throw AssayError(
        .invalidArgument,
        "'\(reference)' (the \(role) argument) is neither a file nor a run: there is no file of that name, and no results database at \(storeOptions.db) to look a run up in",
        fix: "pass a per-item JSONL file (`assay export RUN --per-item`), or a run id with --db PATH")
    }
    let store = try SQLiteStore.openExisting(path: storeOptions.db)
    return ComparisonReport.keyed(try store.scores(runID: try store.run(reference).id))
  }

  /// Reads `{"suite", "sample", "score"}` lines: a sample id that is a whole number or a string (`12`, `"sample_12"`,
  /// `"HumanEval/3"`; 12 and "12" are the same item), a score from 0 to 1, each item once.
  static func readPerItem(_ path: String) throws(AssayError) -> [PairKey: Double] {
    var result: [PairKey: Double] = [:]
    var firstLine: [PairKey: (line: Int, written: String)] = [:]
    let fix = "create the file with `assay export RUN --per-item`"
    let shape = "expected {\"suite\": string, \"sample\": integer or string, \"score\": number}"
    for (line, text) in try JSONLines.lines(path) {
      guard let object = try? JSONValue.parse(Array(text.utf8)), let suite = object["suite"]?.string,
        let value = object["sample"], let score = object["score"]?.number
      else {
        throw AssayError(.invalidData, "\(path), line \(line): \(shape)", fix: fix)
      }
      let sample: String
      let written: String
      if let index = value.int {
        sample = String(index)
        written = "the number \(index)"
      } else if let id = value.string, !id.isEmpty {
        sample = id
        written = "the string \"\(id.prefix(60))\""
      } else {
        throw AssayError(
          .invalidData, "\(path), line \(line): `sample` must be a whole number or a non-empty string, not "
            + ResponseFile.describe(value), fix: "give the item's row index (12) or its id (\"sample_12\"); \(fix)")
      }
      // A score outside 0...1 (or 1e308, which overflows the means to +inf) would let the gate pass anything.
      guard score.isFinite, score >= 0, score <= 1 else {
        throw AssayError(
          .invalidData, "\(path), line \(line): score \(score) is outside 0...1",
          fix: "per-item scores are fractions (1 right, 0 wrong); \(fix)")
      }
      let key = PairKey(suite: suite, sample: sample)
      if let first = firstLine[key] {
        let forms = first.written == written ? "" : " (as \(first.written) there, \(written) here: ids pair by their text)"
        throw AssayError(
          .invalidData, "\(path), line \(line): suite \(suite) sample \(sample) appears again, first on line \(first.line)\(forms)",
          fix: "give each item one line")
      }
      firstLine[key] = (line, written)
      result[key] = score
    }
    return result
  }

  private func saveFlips(_ items: [PairedItem]) throws {
    let name = { (s: String) in (s as NSString).lastPathComponent.replacingOccurrences(of: ".jsonl", with: "") }
    let path = flipsOut ?? "results/exports/flips-\(name(baseline))-vs-\(name(candidate)).jsonl"
    let lines = ComparisonReport.flips(items)
    let directory = (path as NSString).deletingLastPathComponent
    // A failed write (a full disk, a read-only folder) is an I/O error (exit 2), never exit 1, the regression gate's.
    do {
      if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
      try (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw AssayError(
        .io, "cannot save the flipped items to \(path) - while comparing, before the gate: \(error.localizedDescription)",
        fix: "free space there, or pass --flips-out with a writable path")
    }
    FileHandle.standardError.write(Data("\(lines.count) flipped items saved to \(path)\n".utf8))
  }
}
