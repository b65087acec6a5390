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
  private let lanes = Mutex(Lanes())
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
    let all = lanes.withLock { lanes in
      defer { lanes.live.removeAll() }
      return Array(lanes.live.values)
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
    let verdict = await attempt(problem, completion: completion, timeLimit: timeLimit)
    // The sandbox's own failure (a namespace refused under load, a worker lost) is not the program's: once more.
    guard verdict.kind == .sandboxError else { return verdict }
    return await attempt(problem, completion: completion, timeLimit: timeLimit)
  }

  private func attempt(_ problem: CodeProblem, completion: String, timeLimit: Double) async -> ExecutionVerdict {
    let step = await pool.run { slot in
      self.checkBlocking(problem, completion: completion, timeLimit: timeLimit, slot: slot)
    }
    switch step {
    case .done(let verdict):
      return verdict
    case .parked(let worker, let lane, let slot):
      // The program is still running after `parkAfter`: its slot has moved on; a thread of its own waits for the
      // verdict (the program's end, or its wall-clock limit).
      return await withCheckedContinuation { continuation in
        let thread = Thread {
          let verdict = worker.finish()
          self.release(lane: lane, slot: slot, parked: true)
          continuation.resume(returning: verdict)
        }
        thread.name = "assay-parked-\(lane)"
        thread.start()
      }
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

  /// What a slot's thread did with a program: ran it to its verdict, or parked it (still running in its lane's
  /// worker) because it was still running after `parkAfter`.
  private enum Step: Sendable {
    case done(ExecutionVerdict)
    case parked(PythonWorker, lane: Int, slot: Int)
  }

  private func checkBlocking(_ problem: CodeProblem, completion: String, timeLimit: Double, slot: Int) -> Step {
    let toolchain: CodeToolchain
    switch self.toolchain(problem.language) {
    case .success(let found): toolchain = found
    case .failure(let error): return .done(ExecutionVerdict(.sandboxError, error.message))
    }
    if let reason = problem.refusal(completion: completion) { return .done(ExecutionVerdict(.fail, reason)) }
    let program = problem.program(completion: completion)
    if problem.language == .python {
      return runPython(program, toolchain: toolchain, timeLimit: timeLimit, slot: slot)
    }
    return .done(toolchain.compileAndRun(program, sandbox: sandbox, timeLimit: timeLimit, slot: slot))
  }

  /// The Python workers by lane. Slot `s` runs its programs in lanes `workers + s + workers * k`: lane k = 0 and,
  /// while programs of the slot are parked in some, the next free ones. Each lane has a uid of its own (never a
  /// compiled-language slot's), so cleaning up after one program never touches another lane's program.
  private struct Lanes {
    var live: [Int: PythonWorker] = [:]
    var busy: Set<Int> = []
    var parked: [Int: Int] = [:]
  }

  /// Most Python programs parked at once per slot. This bounds the processes and memory parked programs hold (each
  /// keeps its own rlimits); with that many parked the slot runs its next program to its end itself.
  public static let parkedPerSlot = 16

  /// Python programs parked now (still running after `parkAfter`, their slots gone on to other programs).
  public var parkedPrograms: Int { lanes.withLock { $0.parked.values.reduce(0, +) } }

  /// How many lanes a slot may use: its own and up to `parkedPerSlot` parked programs, within the sandbox's 256
  /// uids.
  private var lanesPerSlot: Int { max(1, min(Self.parkedPerSlot + 1, 256 / pool.workers - 1)) }

  /// Seconds a program may run before its slot moves on to the next program and leaves it running (parked), busy or
  /// sleeping, until its end or its wall-clock limit: a few infinite loops then share the CPU and expire together
  /// instead of holding the slots for the limit each in turn.
  static let parkAfter = 0.1

  private func runPython(_ program: String, toolchain: CodeToolchain, timeLimit: Double, slot: Int) -> Step {
    // A free lane of this slot (one is always free: at most lanesPerSlot - 1 are parked), its worker, and whether
    // this program may be parked in turn.
    let (lane, existing, mayPark) = lanes.withLock { lanes -> (Int, PythonWorker?, Bool) in
      let lane = (0..<lanesPerSlot).map { pool.workers + slot + pool.workers * $0 }.first { !lanes.busy.contains($0) }!
      lanes.busy.insert(lane)
      return (lane, lanes.live[lane], lanes.parked[slot, default: 0] < lanesPerSlot - 1)
    }
    var worker = existing
    if worker == nil || worker!.broken {
      worker?.stop()
      do {
        // Started from the slot's own thread, which lives as long as the pool (bubblewrap's --die-with-parent).
        worker = try PythonWorker(
          sandbox: sandbox, lane: lane, python: toolchain.run[0], supervisor: toolchain.supervisorPath,
          readOnly: toolchain.readOnly, limits: toolchain.limits)
      } catch {
        lanes.withLock { _ = $0.live.removeValue(forKey: lane); _ = $0.busy.remove(lane) }
        return .done(ExecutionVerdict(.sandboxError, error.message))
      }
      lanes.withLock { $0.live[lane] = worker }
    }
    var limits = toolchain.limits
    limits.cpuSeconds = Int(timeLimit.rounded(.up)) + 1
    if let failure = worker!.start(
      program: program, limits: limits, timeout: timeLimit, parkAfter: mayPark ? Self.parkAfter : nil)
    {
      release(lane: lane, slot: slot, parked: false)
      return .done(failure)
    }
    if case .verdict(let verdict) = worker!.next() {
      release(lane: lane, slot: slot, parked: false)
      return .done(verdict)
    }
    lanes.withLock { $0.parked[slot, default: 0] += 1 }
    return .parked(worker!, lane: lane, slot: slot)
  }

  /// Frees a lane once its program has its verdict; a broken worker is stopped (its slot starts a new one).
  private func release(lane: Int, slot: Int, parked: Bool) {
    let broken = lanes.withLock { lanes -> PythonWorker? in
      lanes.busy.remove(lane)
      if parked { lanes.parked[slot, default: 1] -= 1 }
      guard let worker = lanes.live[lane], worker.broken else { return nil }
      lanes.live.removeValue(forKey: lane)
      return worker
    }
    broken?.stop()
  }
}
