import AssayCore
import Foundation

/// `assay ratings`' output: a `RatingsSummary` (Bradley-Terry ratings, intervals, win rates, position bias and rater
/// agreement) as JSON or Markdown.
public enum RatingsReport {
  /// One sentence per LLM judge: its agreement with the human majority (the Markdown report and the dashboard).
  public static func judgeLines(_ s: RatingsSummary) -> [String] {
    let pct = { (x: Double) in String(format: "%.1f%%", 100 * x) }
    return s.judgeAgreement.sorted(by: { $0.key < $1.key }).map { judge, record in
      let kappa = s.judgeHumanKappa[judge].map { String(format: "%.3f", $0) } ?? "—"
      return "LLM judge \(judge) vs human majority on \(record.items) items: agrees on \(pct(record.agreement)), "
        + "picks the other model on \(pct(record.opposite)); Cohen's kappa \(kappa) (tie and both bad as one verdict)"
    }
  }

  /// The summary as pretty-printed JSON with sorted keys.
  public static func json(_ s: RatingsSummary) -> String {
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
        "judge_human": s.judgeAgreement.mapValues { ["items": $0.items, "agreement": $0.agreement, "opposite": $0.opposite] },
      ] as [String: Any],
      "judge_battles": s.judgeBattles,
    ]
    if let bias = s.positionBias {
      object["position_bias"] = ["decisive": bias.decisive, "left_share": bias.leftShare, "p_value": bias.pValue]
    }
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  /// The summary as a Markdown leaderboard followed by the agreement statistics.
  public static func markdown(_ s: RatingsSummary) -> String {
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
    lines += judgeLines(s).map { "- " + $0 }
    if s.judgeBattles > 0 {
      lines.append("- The ratings above count people only; \(s.judgeBattles) LLM judge verdicts are compared here, not counted there.")
    }
    return lines.joined(separator: "\n")
  }
}
