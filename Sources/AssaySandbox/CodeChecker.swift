import AssayCore
import Foundation
import Synchronization

/// Runs completions of code problems in the sandbox and returns verdicts: Python in warm per-slot workers,
/// compiled languages compiled once per sample and run (`CodeToolchain`). Toolchains and their shared pieces (the
/// Rust crates, the Go cache) are prepared once per checker, on first use.
public final class CodeChecker: Sendable {
  /// The sandbox everything runs in.
  public let sandbox: Sandbox
  /// The worker slots (`--exec-workers`).
  public let pool: ExecutionPool
  /// Seconds no program's limit goes below (openai/human-eval uses a fixed 3 s).
  public let timeoutFloor: Double
  /// A problem's limit is this many times its canonical solution's measured time, when that is above the floor.
  public let timeoutFactor: Double
  private let toolchains = Mutex<[CodeLanguage: Result<CodeToolchain, AssayError>]>([:])
  private let workers = Mutex<[Int: PythonWorker]>([:])
  private let shared: String

  /// A checker over a new sandbox with `workers` slots. Refused where nothing can kill what a sample leaves
  /// running (neither a pid namespace nor root) unless `allowUnisolated` (`--allow-unisolated-code`).
  public init(
    workers: Int, timeoutFloor: Double = 1, timeoutFactor: Double = 10, bubblewrap: Bool = true,
    allowUnisolated: Bool = false
  ) throws(AssayError) {
    sandbox = try Sandbox(bubblewrap: bubblewrap)
    do {
      try sandbox.isolation.requireContainment(allowUnisolated: allowUnisolated)
    } catch {
      sandbox.removeRoot()
      throw error
    }
    pool = ExecutionPool(workers: workers)
    self.timeoutFloor = timeoutFloor
    self.timeoutFactor = timeoutFactor
    shared = sandbox.root + "/shared"
    mkdir(shared, 0o755)
  }

  /// Stops the Python workers and removes every sandbox folder.
  public func shutdown() {
    let all = workers.withLock { workers in
      defer { workers.removeAll() }
      return Array(workers.values)
    }
    for worker in all { worker.stop() }
    pool.stop()
    sandbox.removeRoot()
  }

  /// The language's toolchain, prepared on first use; an error names what is missing and how to install it.
  public func toolchain(_ language: CodeLanguage) -> Result<CodeToolchain, AssayError> {
    toolchains.withLock { cache in
      if let known = cache[language] { return known }
      let result: Result<CodeToolchain, AssayError>
      do throws(AssayError) {
        result = .success(try CodeToolchain.prepare(language, shared: shared, sandbox: sandbox))
      } catch {
        result = .failure(error)
      }
      cache[language] = result
      return result
    }
  }

  /// Prepares every language's toolchain up front, so a missing one is one clear error rather than a sandbox error
  /// per sample.
  public func prepare(_ languages: some Sequence<CodeLanguage>) throws(AssayError) {
    for language in Set(languages) {
      if case .failure(let error) = toolchain(language) {
        throw AssayError(error.code, "\(language.displayName): \(error.message)", fix: error.fix)
      }
    }
  }

  /// The wall-clock limit for a problem whose canonical solution took `canonicalSeconds` (nil: not measured).
  public func timeLimit(canonicalSeconds: Double?) -> Double {
    max(timeoutFloor, (canonicalSeconds ?? 0) * timeoutFactor)
  }

  /// Runs one completion against its problem's tests within `timeLimit` seconds.
  public func check(_ problem: CodeProblem, completion: String, timeLimit: Double) async -> ExecutionVerdict {
    await pool.run { slot in
      let verdict = self.checkBlocking(problem, completion: completion, timeLimit: timeLimit, slot: slot)
      // The sandbox's own failure (a namespace refused under load, a worker lost) is not the program's: once more.
      guard verdict.kind == .sandboxError else { return verdict }
      return self.checkBlocking(problem, completion: completion, timeLimit: timeLimit, slot: slot)
    }
  }

  /// Runs a problem's reference solution, which must pass, with a generous limit (nil when it has none); its time
  /// sets the problem's limit (`timeLimit(canonicalSeconds:)`).
  public func checkCanonical(_ problem: CodeProblem) async -> ExecutionVerdict? {
    guard let canonical = problem.canonicalCompletion else { return nil }
    return await check(problem, completion: canonical, timeLimit: max(timeoutFloor, 30))
  }

  /// Runs every problem's reference solution (`checkCanonical`), concurrently; verdicts by problem id.
  public func calibrate(_ problems: [CodeProblem]) async -> [String: ExecutionVerdict] {
    await withTaskGroup(of: (String, ExecutionVerdict?).self) { group in
      for problem in problems {
        group.addTask { (problem.id, await self.checkCanonical(problem)) }
      }
      var measured: [String: ExecutionVerdict] = [:]
      for await (id, verdict) in group { measured[id] = verdict }
      return measured
    }
  }

  private func checkBlocking(_ problem: CodeProblem, completion: String, timeLimit: Double, slot: Int)
    -> ExecutionVerdict
  {
    let toolchain: CodeToolchain
    switch self.toolchain(problem.language) {
    case .success(let found): toolchain = found
    case .failure(let error): return ExecutionVerdict(.sandboxError, error.message)
    }
    if let reason = problem.refusal(completion: completion) { return ExecutionVerdict(.fail, reason) }
    let program = problem.program(completion: completion)
    if problem.language == .python {
      return runPython(program, toolchain: toolchain, timeLimit: timeLimit, slot: slot)
    }
    return toolchain.compileAndRun(program, sandbox: sandbox, timeLimit: timeLimit, slot: slot)
  }

  private func runPython(_ program: String, toolchain: CodeToolchain, timeLimit: Double, slot: Int)
    -> ExecutionVerdict
  {
    var worker = workers.withLock { $0[slot] }
    if worker == nil || worker!.broken {
      worker?.stop()
      do {
        worker = try PythonWorker(
          sandbox: sandbox, slot: slot, python: toolchain.run[0], supervisor: toolchain.supervisorPath,
          readOnly: toolchain.readOnly, limits: toolchain.limits)
      } catch {
        return ExecutionVerdict(.sandboxError, error.message)
      }
      workers.withLock { $0[slot] = worker }
    }
    var limits = toolchain.limits
    limits.cpuSeconds = Int(timeLimit.rounded(.up)) + 1
    return worker!.run(program: program, limits: limits, timeout: timeLimit)
  }
}
