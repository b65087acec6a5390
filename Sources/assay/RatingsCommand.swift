import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay ratings`: leaderboard, confidence intervals and agreement from pairwise judgments.
struct RatingsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ratings",
    abstract: "Bradley-Terry ratings with bootstrap CIs, win rates, position bias and rater agreement.",
    discussion: """
      Examples:
        assay ratings --set fp8-vs-bf16
        assay ratings --battles clean_battle.jsonl --rounds 100 --json     # FastChat battle JSONL
      Ratings are on FastChat's compute_mle_elo scale (400 points per factor 10 in odds, mean 1000; a tie is half a win for each side). Agreement statistics use each rater's first verdict per item, in model terms (A better, B better, tie, both bad).
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "A comparison set in the database.")
  var set: String?

  @Option(help: ArgumentHelp("FastChat battles JSONL instead of a set.", valueName: "file"))
  var battles: String?

  @Option(help: "Bootstrap rounds.")
  var rounds: Int = 100

  @Option(help: "Bootstrap seed.")
  var seed: UInt64 = 0

  @Option(name: .customLong("llm-judge"), help: "Judges that are models (compared with the human majority), repeatable.")
  var llmJudges: [String] = []

  @Flag(help: "Print JSON.")
  var json = false

  func validate() throws {
    if (set == nil) == (battles == nil) { throw ValidationError("pass exactly one of --set NAME or --battles FILE") }
    if rounds < 0 { throw ValidationError("--rounds must be >= 0") }
  }

  func run() throws {
    var list: [Battle]
    var repeats: [(rater: String, item: String, first: String, second: String)] = []
    var judges = Set(llmJudges)
    if let set {
      let store = try SQLiteStore.openExisting(path: storeOptions.db)
      _ = try store.comparisonSet(set)
      list = try RatingData.battles(store: store, set: set)
      repeats = try RatingData.repeats(store: store, set: set)
      judges.formUnion(try store.judgments(set: set).filter { $0.raterKind == "llm" }.map(\.rater))
    } else {
      list = try Self.readBattles(battles!)
    }
    guard !list.isEmpty else {
      throw AssayError(.invalidArgument, "no judgments to rate yet", fix: "collect some with `assay rate --set NAME --rater YOU`")
    }
    let summary = RatingsSummary(battles: list, rounds: rounds, seed: seed, llmJudges: judges, repeats: repeats)
    if json { Output.json(Self.json(summary)) } else { Output.text(Self.markdown(summary)) }
  }

  static func readBattles(_ path: String) throws(AssayError) -> [Battle] {
    var list: [Battle] = []
    for (line, row) in try JSONLines.read(path) {
      guard let a = row["model_a"] as? String, let b = row["model_b"] as? String,
        let winnerText = row["winner"] as? String, let winner = Battle.Winner(rawValue: winnerText)
      else {
        throw AssayError(
          .invalidData, "\(path), line \(line): expected model_a, model_b and winner (model_a, model_b, tie, tie (bothbad))")
      }
      let question = (row["question_id"] as? NSNumber)?.stringValue ?? row["question_id"] as? String ?? "line \(line)"
      list.append(Battle(modelA: a, modelB: b, winner: winner, judge: row["judge"] as? String ?? "unknown", questionID: question))
    }
    return list
  }

  static func json(_ s: RatingsSummary) -> String {
    var winRates: [String: Any] = [:]
    for (model, rate) in s.winRates {
      winRates[model] = ["n": rate.n, "win": rate.win, "tie": rate.tie, "loss": rate.loss, "win_ci": [rate.winLow, rate.winHigh]]
    }
    var object: [String: Any] = [
      "battles": s.battles,
      "bradley_terry": s.bradleyTerry,
      "ci": s.intervals.mapValues { [$0.low, $0.high] },
      "online_elo": s.onlineElo,
      "win_rates": winRates,
      "undefeated": s.undefeated, "winless": s.winless,
      "agreement": [
        "cohen_kappa": s.cohenKappa,
        "fleiss_kappa": s.fleissKappa as Any? ?? NSNull(),
        "krippendorff_alpha": s.krippendorffAlpha as Any? ?? NSNull(),
        "self_consistency": s.selfConsistency,
        "judge_human_kappa": s.judgeHumanKappa,
      ] as [String: Any],
    ]
    if let bias = s.positionBias {
      object["position_bias"] = ["decisive": bias.decisive, "left_share": bias.leftShare, "p_value": bias.pValue]
    }
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  static func markdown(_ s: RatingsSummary) -> String {
    let f = { (x: Double) in String(format: "%.1f", x) }
    let pct = { (x: Double) in String(format: "%.1f%%", 100 * x) }
    var lines = ["# Ratings (\(s.battles) judgments)", "", "| rank | model | Bradley-Terry | 95% CI | online Elo | win | tie | loss | win 95% CI |",
      "|---:|---|---:|---|---:|---:|---:|---:|---|"]
    for (rank, entry) in s.bradleyTerry.sorted(by: { $0.value > $1.value }).enumerated() {
      let ci = s.intervals[entry.key].map { "[\(f($0.low)), \(f($0.high))]" } ?? "—"
      let rate = s.winRates[entry.key]!
      let flag = s.undefeated.contains(entry.key) ? " (undefeated)" : s.winless.contains(entry.key) ? " (winless)" : ""
      lines.append(
        "| \(rank + 1) | \(entry.key)\(flag) | \(f(entry.value)) | \(ci) | \(f(s.onlineElo[entry.key] ?? 1000)) | \(pct(rate.win)) | \(pct(rate.tie)) | \(pct(rate.loss)) | [\(pct(rate.winLow)), \(pct(rate.winHigh))] |")
    }
    lines.append("")
    if !s.undefeated.isEmpty || !s.winless.isEmpty {
      lines.append("Undefeated or winless groups have no finite maximum-likelihood rating; they are rated with a weak prior (0.1 virtual ties per compared pair).")
    }
    if let bias = s.positionBias {
      lines.append("Position bias: the left response won \(pct(bias.leftShare)) of \(bias.decisive) decisive judgments (exact binomial p = \(String(format: "%.4f", bias.pValue)) against 50%).")
    }
    lines.append("")
    lines.append("## Agreement")
    lines.append("")
    lines.append("- Fleiss' kappa: \(s.fleissKappa.map { String(format: "%.3f", $0) } ?? "— (needs items with 2+ raters)")")
    lines.append("- Krippendorff's alpha (nominal): \(s.krippendorffAlpha.map { String(format: "%.3f", $0) } ?? "—")")
    for (pair, kappa) in s.cohenKappa.sorted(by: { $0.key < $1.key }) {
      lines.append("- Cohen's kappa \(pair.replacingOccurrences(of: "|", with: " vs ")): \(String(format: "%.3f", kappa))")
    }
    for (rater, share) in s.selfConsistency.sorted(by: { $0.key < $1.key }) {
      lines.append("- Self-consistency of \(rater): \(pct(share)) of repeated items judged the same")
    }
    for (judge, kappa) in s.judgeHumanKappa.sorted(by: { $0.key < $1.key }) {
      lines.append("- LLM judge \(judge) vs human majority: Cohen's kappa \(String(format: "%.3f", kappa))")
    }
    return lines.joined(separator: "\n")
  }
}
