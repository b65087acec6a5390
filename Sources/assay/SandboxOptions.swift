import ArgumentParser
import AssayCore
import AssaySandbox
import Foundation

/// The sandbox flags `assay passk` and `assay score` share, and running a list of completions with them: limits
/// from each problem's canonical solution (unless --no-calibrate), progress on stderr, verdicts in input order.
struct SandboxOptions: ParsableArguments {
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

  /// A checker over a new sandbox; its isolation warnings go to stderr.
  func checker() throws(AssayError) -> CodeChecker {
    let workers = execWorkers ?? ProcessInfo.processInfo.activeProcessorCount
    let checker = try CodeChecker(
      workers: workers, timeoutFloor: timeoutFloor, timeoutFactor: timeoutFactor, bubblewrap: !noBubblewrap,
      allowUnisolated: allowUnisolatedCode)
    for warning in checker.sandbox.isolation.warnings { Self.warn("sandbox: \(warning)") }
    return checker
  }

  /// Runs every completion against its problem (toolchains prepared first, so a missing one is one error) and
  /// returns the verdicts in input order.
  func verdicts(_ work: [(problem: CodeProblem, completion: String)], checker: CodeChecker) async throws(AssayError)
    -> [ExecutionVerdict]
  {
    try checker.prepare(work.map(\.problem.language))
    var limits: [String: Double] = [:]
    if !noCalibrate {
      var seen = Set<String>()
      let toCalibrate = work.map(\.problem).filter { seen.insert($0.id).inserted }
      let progress = TerminalProgress(label: "canonical", counting: .programs)
      progress.start(total: toCalibrate.count, alreadyDone: 0)
      let measured = await checker.calibrate(toCalibrate)
      progress.finish()
      var broken: [String] = []
      for (id, verdict) in measured {
        if verdict.passed { limits[id] = checker.timeLimit(canonicalSeconds: verdict.seconds) } else { broken.append(id) }
      }
      if !broken.isEmpty {
        Self.warn(
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
    return verdicts
  }

  /// pass@k averaged over problems for each k that every problem has at least k completions for.
  static func passAtK(_ verdicts: [(id: String, passed: Bool)], ks: [Int]) -> [String: Double] {
    var counts: [String: (n: Int, c: Int)] = [:]
    for verdict in verdicts {
      counts[verdict.id, default: (0, 0)].n += 1
      if verdict.passed { counts[verdict.id, default: (0, 0)].c += 1 }
    }
    var values: [String: Double] = [:]
    for k in ks {
      if let value = PassAtK.mean(Array(counts.values), k: k) { values[PassAtK.name(k)] = value }
    }
    return values
  }

  /// Parses a comma-separated --k list.
  static func parseK(_ text: String) throws(AssayError) -> [Int] {
    var values: [Int] = []
    for part in text.split(separator: ",") {
      guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value >= 1 else {
        throw AssayError(.invalidArgument, "--k '\(text)': '\(part)' is not a positive integer", fix: "e.g. --k 1,5,10")
      }
      values.append(value)
    }
    guard !values.isEmpty else { throw AssayError(.invalidArgument, "--k is empty", fix: "e.g. --k 1,5,10") }
    return values
  }

  static func warn(_ text: String) {
    Output.error("warning: \(text)\n")
  }
}
