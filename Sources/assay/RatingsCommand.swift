import ArgumentParser
import AssayCore
import AssayReport
import AssayStore
import AssaySuites
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
      list = try store.battles(set: set)
      repeats = try store.repeats(set: set)
      judges.formUnion(try store.judgments(set: set).filter { $0.raterKind == "llm" }.map(\.rater))
    } else {
      list = try Self.readBattles(battles!)
    }
    guard !list.isEmpty else {
      throw AssayError(.invalidArgument, "no judgments to rate yet", fix: "collect some with `assay rate --set NAME --rater YOU`")
    }
    let summary = RatingsSummary(battles: list, rounds: rounds, seed: seed, llmJudges: judges, repeats: repeats)
    if json { Output.json(RatingsReport.json(summary)) } else { Output.text(RatingsReport.markdown(summary)) }
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
}
