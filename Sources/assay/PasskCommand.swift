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

  @Option(help: "How programs are put together: humaneval, humaneval-x, cruxeval-output, cruxeval-input (default: from the file; CRUXEval rows are output prediction).")
  var harness: String?

  @Flag(help: "Print pass@k as one JSON object.")
  var json = false

  @Option(
    name: .customLong("results-out"),
    help: ArgumentHelp("Write one {task_id, completion, result, passed} line per sample, in input order.", valueName: "file"))
  var resultsOut: String?

  @OptionGroup var sandboxOptions: SandboxOptions

  func run() async throws {
    let ks = try SandboxOptions.parseK(k)
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

    let checker = try sandboxOptions.checker()
    defer { checker.shutdown() }
    let trap = SignalTrap { _ in checker.shutdown(); _exit(130) }
    defer { trap.cancel() }
    let verdicts = try await sandboxOptions.verdicts(work, checker: checker)

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

    let passAtK = SandboxOptions.passAtK(zip(work, verdicts).map { ($0.problem.id, $1.passed) }, ks: ks)
    let problemCount = Set(work.map(\.problem.id)).count
    if json {
      print(CanonicalJSON.string(passAtK))
      return
    }
    var kinds: [ExecutionVerdict.Kind: Int] = [:]
    for verdict in verdicts { kinds[verdict.kind, default: 0] += 1 }
    print("\(work.count) samples of \(problemCount) problems; isolation: \(checker.sandbox.isolation.summary)")
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
          throw AssayError(.invalidArgument, "--harness '\(harness)' is not one of \(CodeProblem.Harness.allCases.map(\.rawValue).joined(separator: ", "))")
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
      let needed: [String]
      switch kind {
      case .cruxevalOutput: needed = ["code", "input", "output"]
      case .cruxevalInput: needed = ["code", "output"]
      case .humanEval, .humanEvalX: needed = ["prompt", "test"]
      }
      for field in needed where fields[field] == nil {
        throw AssayError(.invalidData, "\(problems), line \(line): problem \(id) has no '\(field)' field",
          fix: "pass a HumanEval-style problems file (or --harness)")
      }
      problems.append(CodeProblem(id: id, language: chosenLanguage, harness: kind, fields: fields))
    }
    return problems
  }
}
