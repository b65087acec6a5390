import ArgumentParser
import AssayCore
import AssayInstructions
import AssayReport
import AssayRuntime
import AssaySandbox
import AssaySuites
import Foundation

/// `assay score`: score external generations without calling a model.
struct ScoreCommand: AsyncParsableCommand {
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

      Code suites (humaneval, cruxeval/output, cruxeval/input, ...): each response is a raw generation; the suite's own
      extraction takes the program or answer out of it (a fenced block's body, CRUXEval's text before [/ANSWER]), which
      then runs in the sandbox as `assay run` runs it. Several lines per sample are that sample's completions (no
      --allow-duplicate-samples needed); per item {"sample", "passed": [...], "verdicts": [...], "pass@1", ...}, in
      total pass@k averaged over items for each --k that every item has k completions for, as `assay passk` does.
        assay score --suite cruxeval --variant input --responses raw.jsonl --per-item
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

  @Option(help: ArgumentHelp("Code suites: comma-separated k values of pass@k.", valueName: "list"))
  var k = "1,10,100"

  @OptionGroup(title: "Code suites") var sandboxOptions: SandboxOptions

  func run() async throws {
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
      let ks = try SandboxOptions.parseK(k)
      // Several completions per sample are what pass@k is made of, so repeats are always allowed here.
      let inputs = try ResponseFile.read(path: responses, sampleCount: task.samples.count, allowDuplicates: true)
      try await scoreCode(task: task, inputs: inputs, ks: ks)
      return
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

  /// Code: each response's program or answer taken out by the suite's extraction, run in the sandbox; per item the
  /// verdicts in input order and pass@k for k up to its completions, in total pass@k over items (`assay passk`'s).
  func scoreCode(task: EvalTask, inputs: [ResponseFile.Entry], ks: [Int]) async throws {
    var work: [(problem: CodeProblem, completion: String)] = []
    for input in inputs {
      let sample = task.samples[input.sample]
      guard let execution = task.scorer.execution, let problem = CodeGrader.problem(task: task, sample: sample) else {
        throw AssayError(
          .invalidSuite, "suite '\(suite)' names an unknown harness or language in scorer.execute",
          fix: "use one of the harnesses in benchmarks/README.md")
      }
      work.append((problem, execution.code(from: input.response)))
    }
    let checker = try sandboxOptions.checker()
    defer { checker.shutdown() }
    let trap = SignalTrap { _ in checker.shutdown(); _exit(130) }
    defer { trap.cancel() }
    let verdicts = try await sandboxOptions.verdicts(work, checker: checker)

    // Items in the order each first appears; a problem's id is its row here, so two rows never share one.
    var order: [Int] = []
    var bySample: [Int: [ExecutionVerdict]] = [:]
    for (input, verdict) in zip(inputs, verdicts) {
      if bySample[input.sample] == nil { order.append(input.sample) }
      bySample[input.sample, default: []].append(verdict)
    }
    if perItem {
      for sample in order {
        let list = bySample[sample]!
        var object: [String: Any] = [
          "sample": sample, "passed": list.map(\.passed), "verdicts": list.map(\.kind.rawValue),
        ]
        for k in 1...list.count { object[PassAtK.name(k)] = PassAtK.estimate(n: list.count, c: list.filter(\.passed).count, k: k) ?? 0 }
        if let failure = list.first(where: { !$0.passed }), !failure.detail.isEmpty {
          object["first_failure"] = String(failure.detail.prefix(200))
        }
        Output.json(Self.json(object))
      }
      return
    }
    var totals: [String: Any] = SandboxOptions.passAtK(
      zip(inputs, verdicts).map { (String($0.sample), $1.passed) }, ks: ks)
    totals["suite"] = task.suite.id
    totals["variant"] = task.variant.id
    totals["n"] = order.count
    totals["completions"] = inputs.count
    totals["isolation"] = checker.sandbox.isolation.summary
    Output.json(Self.json(totals))
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
