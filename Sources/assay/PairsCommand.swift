import ArgumentParser
import AssayCore
import AssayStore
import AssaySuites
import Foundation

/// `assay pairs`: build, import, list and export comparison sets for pairwise rating.
struct PairsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pairs",
    abstract: "Build comparison sets (two models' responses to the same prompts) for `assay rate`.",
    subcommands: [Create.self, Import.self, PairsJudgeCommand.self, List.self, Export.self])

  /// Options every set-building subcommand shares.
  struct SetOptions: ParsableArguments {
    @Option(help: "Name of the comparison set.")
    var name: String

    @Option(help: "Distinct raters per item.")
    var overlap: Int = 1

    @Option(name: .customLong("repeat-share"), help: "Share of items shown a second time to each rater (self-consistency).")
    var repeatShare: Double = 0.1

    @Option(help: "Only this many items, drawn at random (seeded).")
    var sample: Int?

    @Option(help: "Seed of the sample, the sides and the order.")
    var seed: Int = 0

    func validate() throws {
      if overlap < 1 { throw ValidationError("--overlap must be at least 1") }
      if !(0...1).contains(repeatShare) { throw ValidationError("--repeat-share is a share between 0 and 1") }
    }

    func store(_ storeOptions: StoreOptions, items: [PairItem], source: String) throws {
      let renumbered = PairDraw.sample(items, count: sample, seed: seed)
      guard !renumbered.isEmpty else {
        throw AssayError(.invalidArgument, "no items to compare from \(source)", fix: "check that both sources answer the same prompts")
      }
      let store = try SQLiteStore(path: storeOptions.db)
      try store.createComparisonSet(
        name: name, source: source, items: renumbered, overlap: overlap, repeatShare: repeatShare, seed: seed)
      Output.text("comparison set '\(name)': \(renumbered.count) items (\(renumbered[0].modelA) vs \(renumbered[0].modelB)), overlap \(overlap), in \(storeOptions.db)")
    }
  }

  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Pair two runs' responses to the same prompts.",
      discussion: """
        Example: assay pairs create --name fp8-vs-bf16 --a RUN_A --b RUN_B --suite mgsm --sample 100 --overlap 3

        Raters see the question first: few-shot exemplars before it are folded (e on the rating screen opens them), found by rendering each item's question from its suite (--suites-dir, --data-dir as for run).
        """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var setOptions: SetOptions
    @OptionGroup var suiteOptions: SuiteOptions

    @Option(help: "First run (model A).")
    var a: String

    @Option(help: "Second run (model B).")
    var b: String

    @Option(help: "Only tasks of this suite.")
    var suite: String?

    func run() throws {
      let store = try SQLiteStore.openExisting(path: storeOptions.db)
      let runA = try store.run(a)
      let runB = try store.run(b)
      let samplesB = Dictionary(
        try store.samples(runID: runB.id).filter(\.isScored).map { ("\($0.taskID)#\($0.index)", $0) },
        uniquingKeysWith: { first, _ in first })
      var items: [PairItem] = []
      let folder = PromptFolder(suiteOptions: suiteOptions)
      for sample in try store.samples(runID: runA.id) where sample.isScored {
        if let suite, !sample.taskID.hasPrefix(suite + "/") { continue }
        let key = "\(sample.taskID)#\(sample.index)"
        guard let other = samplesB[key] else { continue }
        let (context, question) = folder.fold(Self.promptText(sample.prompt), taskID: sample.taskID, index: sample.index)
        items.append(
          PairItem(
            index: items.count, key: key, prompt: question, modelA: "\(runA.model) (\(runA.id))",
            responseA: sample.response ?? "", modelB: "\(runB.model) (\(runB.id))", responseB: other.response ?? "",
            context: context))
      }
      try setOptions.store(storeOptions, items: items, source: "runs \(runA.id) vs \(runB.id)")
    }

    /// The last user message of a chat prompt, or the raw completion prompt.
    static func promptText(_ stored: String) -> String {
      if let messages = try? JSONDecoder().decode([ChatMessage].self, from: Data(stored.utf8)),
        let user = messages.last(where: { $0.role == "user" })
      {
        return user.content
      }
      return stored
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Build a set from existing outputs (AlpacaEval, Arena-Hard, MT-Bench).",
      discussion: """
        Examples:
          assay pairs import --format alpaca_eval --name ae A/model_outputs.json B/model_outputs.json
          assay pairs import --format arena-hard --name ah question.jsonl model_answer/X.jsonl model_answer/Y.jsonl
          assay pairs import --format mt-bench --name mt question.jsonl answers_X.jsonl answers_Y.jsonl
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case alpacaEval = "alpaca_eval", arenaHard = "arena-hard", mtBench = "mt-bench"
    }

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var setOptions: SetOptions

    @Option(help: "alpaca_eval, arena-hard or mt-bench.")
    var format: Format

    @Argument(help: "alpaca_eval: two model_outputs.json; arena-hard and mt-bench: question.jsonl and two answer files.")
    var files: [String]

    func run() throws {
      let items: [PairItem]
      switch format {
      case .alpacaEval:
        guard files.count == 2 else { throw ValidationError("alpaca_eval takes two model_outputs.json files") }
        items = try PairImport.alpacaEval(files[0], files[1])
      case .arenaHard:
        guard files.count == 3 else { throw ValidationError("arena-hard takes question.jsonl and two model_answer files") }
        items = try PairImport.arenaHard(questions: files[0], files[1], files[2])
      case .mtBench:
        guard files.count == 3 else { throw ValidationError("mt-bench takes question.jsonl and two answer files") }
        items = try PairImport.mtBench(questions: files[0], files[1], files[2])
      }
      try setOptions.store(storeOptions, items: items, source: "\(format.rawValue): \(files.joined(separator: ", "))")
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List comparison sets and their progress.")
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
      let store = try SQLiteStore.openExisting(path: storeOptions.db)
      Output.text("| set | items | overlap | judgments | raters | source |\n|---|---:|---:|---:|---|---|")
      for set in try store.comparisonSets() {
        let judgments = try store.judgments(set: set.name)
        let raters = Set(judgments.map(\.rater)).sorted().joined(separator: ", ")
        Output.text("| \(set.name) | \(set.items) | \(set.overlap) | \(judgments.count) | \(raters) | \(set.source) |")
      }
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Export judgments as FastChat battles (JSONL).",
      discussion: #"Lines: {"model_a", "model_b", "winner": "model_a"|"model_b"|"tie"|"tie (bothbad)", "judge", "question_id"}; skips are left out."#)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The comparison set.")
    var name: String

    @Option(help: "fastchat (the only format).")
    var format: String = "fastchat"

    @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
    var out: String?

    func run() throws {
      guard format == "fastchat" else { throw ValidationError("--format must be fastchat") }
      let store = try SQLiteStore.openExisting(path: storeOptions.db)
      _ = try store.comparisonSet(name)  // an unknown set is an error naming the known ones, not an empty export
      let battles = try store.battles(set: name)
      let lines = try battles.map { battle -> String in
        let object: [String: Any] = [
          "model_a": battle.modelA, "model_b": battle.modelB, "winner": battle.winner.rawValue, "judge": battle.judge,
          "question_id": battle.questionID,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
      }
      let text = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
      if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) } else { Output.json(text, terminator: "") }
    }
  }
}
