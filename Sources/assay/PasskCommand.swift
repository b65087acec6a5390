import ArgumentParser
import AssayCore
import AssaySandbox
import AssaySuites
import Foundation

/// `assay passk`: openai/human-eval's `evaluate_functional_correctness`, sandboxed and parallel.
struct PasskCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "passk",
    abstract: "Run code samples against their problems' tests in the sandbox and compute pass@k.",
    discussion: """
      Reads openai/human-eval's formats: --problems is HumanEval.jsonl(.gz) (or a HumanEval-X file with \
      --language, or CRUXEval), --samples has one {"task_id", "completion"} per line (gzip allowed), any number per \
      problem. pass@k is the unbiased estimator of Chen et al. (2021), averaged over problems; a k is reported when \
      every problem has at least k samples.

      Each sample runs in a fresh folder of the sandbox (see `isolation` in the output): rlimits, a wall-clock limit \
      of max(--timeout-floor, --timeout-factor x the canonical solution's measured time), no network, no writes \
      outside its folder.

      Examples:
        assay passk --problems ../shared/datasets/humaneval/HumanEval.jsonl.gz --samples samples.jsonl --json
        assay passk --problems humaneval_cpp.jsonl.gz --language cpp --samples cpp.jsonl --k 1,10 \\
          --results-out cpp_results.jsonl
      """)

  @Option(help: ArgumentHelp("Problems file (JSONL, gzip allowed).", valueName: "file"))
  var problems: String

  @Option(help: ArgumentHelp("Samples file: {\"task_id\", \"completion\"} per line (gzip allowed).", valueName: "file"))
  var samples: String

  @Option(help: ArgumentHelp("Comma-separated k values.", valueName: "list"))
  var k = "1,10,100"

  @Option(help: "HumanEval-X language of the problems: python, js, cpp, java, go, rust.")
  var language: String?

  @Option(help: "How programs are put together: humaneval, humaneval-x, cruxeval-output (default: from the file).")
  var harness: String?

  @Flag(help: "Print pass@k as one JSON object.")
  var json = false

  @Option(
    name: .customLong("results-out"),
    help: ArgumentHelp("Write one {task_id, completion, result, passed} line per sample, in input order.", valueName: "file"))
  var resultsOut: String?

  @Option(name: .customLong("exec-workers"), help: "Programs run at once (default: the number of cores).")
  var execWorkers: Int?

  @Option(name: .customLong("timeout-floor"), help: "Seconds no program's limit goes below.")
  var timeoutFloor = 1.0

  @Option(name: .customLong("timeout-factor"), help: "Limit = this x the canonical solution's measured time, when larger.")
  var timeoutFactor = 10.0

  @Flag(name: .customLong("no-calibrate"), help: "Do not run canonical solutions first; every limit is the floor.")
  var noCalibrate = false

  @Flag(name: .customLong("no-bubblewrap"), help: "Run without bubblewrap's filesystem, network and pid layers.")
  var noBubblewrap = false

  @Flag(name: .customLong("allow-unisolated-code"), help: ArgumentHelp(
    "Run even where neither bubblewrap's pid namespace nor root is available, although a sample's daemon can then outlive it and forge later verdicts."))
  var allowUnisolatedCode = false

  func run() async throws {
    let ks = try parseK()
    let rows = try JSONLines.read(problems, fix: "pass openai/human-eval's HumanEval.jsonl.gz or a HumanEval-X file")
    let problemList = try loadProblems(rows)
    let byID = Dictionary(problemList.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let sampleRows = try JSONLines.read(samples, fix: #"each line is {"task_id": "...", "completion": "..."}"#)
    var work: [(problem: CodeProblem, completion: String)] = []
    for (line, object) in sampleRows {
      guard let id = object["task_id"] as? String, let completion = object["completion"] as? String else {
        throw AssayError(.invalidData, "\(samples), line \(line): needs string fields task_id and completion",
          fix: #"each line is {"task_id": "HumanEval/0", "completion": "    return 1\n"}"#)
      }
      guard let problem = byID[id] else {
        throw AssayError(.invalidData, "\(samples), line \(line): task_id '\(id)' is not in \(problems)",
          fix: "use the problems file the samples were generated from (or --language for HumanEval-X)")
      }
      work.append((problem, completion))
    }
    guard !work.isEmpty else {
      throw AssayError(.invalidData, "\(samples) has no samples", fix: "generate samples first")
    }

    let workers = execWorkers ?? ProcessInfo.processInfo.activeProcessorCount
    let checker = try CodeChecker(
      workers: workers, timeoutFloor: timeoutFloor, timeoutFactor: timeoutFactor, bubblewrap: !noBubblewrap,
      allowUnisolated: allowUnisolatedCode)
    defer { checker.shutdown() }
    for warning in checker.sandbox.isolation.warnings { warn("sandbox: \(warning)") }
    let trap = SignalTrap { _ in checker.shutdown(); _exit(130) }
    defer { trap.cancel() }

    // Toolchain problems are reported once, up front, rather than as hundreds of sandbox errors.
    try checker.prepare(work.map(\.problem.language))

    var limits: [String: Double] = [:]
    let used = Set(work.map(\.problem.id))
    if !noCalibrate {
      let progress = TerminalProgress(label: "canonical", counting: .programs)
      let toCalibrate = problemList.filter { used.contains($0.id) }
      progress.start(total: toCalibrate.count, alreadyDone: 0)
      let measured = await checker.calibrate(toCalibrate)
      progress.finish()
      var broken: [String] = []
      for (id, verdict) in measured {
        if verdict.passed { limits[id] = checker.timeLimit(canonicalSeconds: verdict.seconds) } else { broken.append(id) }
      }
      if !broken.isEmpty {
        warn(
          "\(broken.count) canonical solution(s) did not pass here (their limit is the floor): "
            + broken.sorted().prefix(10).joined(separator: ", "))
      }
    }

    let progress = TerminalProgress(label: "samples", counting: .programs)
    progress.start(total: work.count, alreadyDone: 0)
    let verdicts = await withTaskGroup(of: (Int, ExecutionVerdict).self) { group in
      for (index, item) in work.enumerated() {
        let limit = limits[item.problem.id] ?? checker.timeLimit(canonicalSeconds: nil)
        group.addTask { (index, await checker.check(item.problem, completion: item.completion, timeLimit: limit)) }
      }
      var verdicts = [ExecutionVerdict](repeating: ExecutionVerdict(.sandboxError), count: work.count)
      for await (index, verdict) in group {
        verdicts[index] = verdict
        progress.advance(program: verdict)
      }
      return verdicts
    }
    progress.finish()

    if let resultsOut {
      var text = ""
      for (item, verdict) in zip(work, verdicts) {
        text += CanonicalJSON.string(
          ResultLine(
            task_id: item.problem.id, completion: item.completion, result: verdict.humanEvalResult,
            passed: verdict.passed)) + "\n"
      }
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: resultsOut), options: .atomic)
      } catch {
        throw AssayError(.io, "cannot write --results-out \(resultsOut): \(error.localizedDescription)")
      }
    }

    var counts: [String: (n: Int, c: Int)] = [:]
    for (item, verdict) in zip(work, verdicts) {
      counts[item.problem.id, default: (0, 0)].n += 1
      if verdict.passed { counts[item.problem.id, default: (0, 0)].c += 1 }
    }
    let perProblem = Array(counts.values)
    var passAtK: [String: Double] = [:]
    for k in ks {
      if let value = PassAtK.mean(perProblem, k: k) { passAtK[PassAtK.name(k)] = value }
    }
    if json {
      print(CanonicalJSON.string(passAtK))
      return
    }
    var kinds: [ExecutionVerdict.Kind: Int] = [:]
    for verdict in verdicts { kinds[verdict.kind, default: 0] += 1 }
    print("\(work.count) samples of \(counts.count) problems; isolation: \(checker.sandbox.isolation.summary)")
    for kind in ExecutionVerdict.Kind.allCases where kinds[kind] != nil {
      print("  \(kind.rawValue): \(kinds[kind]!)")
    }
    for k in ks {
      let name = PassAtK.name(k)
      if let value = passAtK[name] {
        print("\(name): \(String(format: "%.4f", value))")
      } else {
        print("\(name): n/a (some problem has fewer than \(k) samples)")
      }
    }
  }

  /// One line of `--results-out`, as human-eval's `_results.jsonl`.
  private struct ResultLine: Encodable {
    let task_id: String
    let completion: String
    let result: String
    let passed: Bool
  }

  private func warn(_ text: String) {
    FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
  }

  private func parseK() throws(AssayError) -> [Int] {
    var values: [Int] = []
    for part in k.split(separator: ",") {
      guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value >= 1 else {
        throw AssayError(.invalidArgument, "--k '\(k)': '\(part)' is not a positive integer", fix: "e.g. --k 1,5,10")
      }
      values.append(value)
    }
    guard !values.isEmpty else { throw AssayError(.invalidArgument, "--k is empty", fix: "e.g. --k 1,5,10") }
    return values
  }

  private func loadProblems(_ rows: [(line: Int, object: [String: Any])]) throws(AssayError) -> [CodeProblem] {
    var chosenLanguage: CodeLanguage = .python
    if let language {
      guard let parsed = CodeLanguage(name: language) else {
        throw AssayError(.invalidArgument, "--language '\(language)' is not one of python, js, cpp, java, go, rust")
      }
      chosenLanguage = parsed
    }
    var problems: [CodeProblem] = []
    for (line, object) in rows {
      var fields: [String: String] = [:]
      for (key, value) in object {
        if let text = value as? String { fields[key] = text } else if let number = value as? NSNumber {
          fields[key] = number.stringValue
        }
      }
      let kind: CodeProblem.Harness
      if let harness {
        guard let parsed = CodeProblem.Harness(rawValue: harness) else {
          throw AssayError(.invalidArgument, "--harness '\(harness)' is not one of humaneval, humaneval-x, cruxeval-output")
        }
        kind = parsed
      } else if language != nil || fields["declaration"] != nil {
        kind = .humanEvalX
      } else if fields["code"] != nil && fields["output"] != nil {
        kind = .cruxevalOutput
      } else {
        kind = .humanEval
      }
      if kind == .humanEvalX && language == nil, let id = fields["task_id"] {
        // HumanEval-X ids name their language: CPP/0, Go/0, Java/0, JavaScript/0, Python/0, Rust/0.
        let prefix = id.split(separator: "/").first.map { String($0).lowercased() } ?? ""
        chosenLanguage = CodeLanguage(name: prefix == "javascript" ? "js" : prefix) ?? chosenLanguage
      }
      guard let id = fields["task_id"] ?? fields["id"] else {
        throw AssayError(.invalidData, "\(problems), line \(line): no task_id", fix: "pass a HumanEval-style problems file")
      }
      let needed = kind == .cruxevalOutput ? ["code", "input"] : ["prompt", "test"]
      for field in needed where fields[field] == nil {
        throw AssayError(.invalidData, "\(problems), line \(line): problem \(id) has no '\(field)' field",
          fix: "pass a HumanEval-style problems file (or --harness)")
      }
      problems.append(CodeProblem(id: id, language: chosenLanguage, harness: kind, fields: fields))
    }
    return problems
  }
}
