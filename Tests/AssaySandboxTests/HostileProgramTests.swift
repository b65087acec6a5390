import AssayCore
import AssaySandbox
import AssayTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Programs that attack the machine, run the way model code runs: as HumanEval completions through the checker
/// (warm Python workers) and as plain commands through `Sandbox.run` (the path compiled languages take). Every one
/// must be scored as not passing, the canary and the host must be untouched, and this process must keep running.
@Suite(.serialized, .tags(.slow)) struct HostileProgramTests {
  /// A HumanEval-style problem whose test passes only if `attack()` returns True.
  static func problem() -> CodeProblem {
    CodeProblem(
      id: "hostile", language: .python, harness: .humanEval,
      fields: [
        "prompt": "def attack():\n", "entry_point": "attack",
        "test": "def check(candidate):\n    assert candidate() is True\n",
      ])
  }

  /// A planted secret in the home folder, a host folder nobody else may write, and a listening socket.
  struct Targets {
    let canary: String
    let secret = "assay-canary-\(UUID().uuidString)"
    let outside: String
    let listener: Int32
    let port: UInt16

    init() throws {
      let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
      canary = home + "/.assay-canary-\(UUID().uuidString.prefix(8))"
      try Data(secret.utf8).write(to: URL(fileURLWithPath: canary))
      chmod(canary, 0o600)
      outside = "/var/tmp/assay-hostile-\(UUID().uuidString.prefix(8))"
      try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
      chmod(outside, 0o755)
      let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      address.sin_port = 0
      _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      listen(descriptor, 16)
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
      }
      listener = descriptor
      port = UInt16(bigEndian: address.sin_port)
      _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
    }

    /// Whether anything connected to the listener.
    func someoneConnected() -> Bool {
      let connection = accept(listener, nil, nil)
      if connection >= 0 { close(connection) }
      return connection >= 0
    }

    func cleanUp() {
      close(listener)
      try? FileManager.default.removeItem(atPath: canary)
      try? FileManager.default.removeItem(atPath: outside)
    }
  }

  /// Each attack as the body of `attack()`: it returns True only if the attack worked.
  static func attacks(_ targets: Targets) -> [(name: String, body: String)] {
    [
      ("fork bomb", "    import os\n    while True:\n        os.fork()\n"),
      ("memory bomb", "    blocks = []\n    while True:\n        blocks.append(bytearray(256 << 20))\n"),
      ("infinite loop", "    while True:\n        pass\n"),
      // Output is dropped, never the program's failure: this one fails because it never returns.
      ("endless output", "    import os, sys\n    chunk = 'x' * (1 << 20)\n    while True:\n        sys.stdout.write(chunk)\n"
        + "        os.write(1, chunk.encode())\n"),
      ("write outside its folder",
        "    with open('\(targets.outside)/escaped.txt', 'w') as handle:\n        handle.write('escaped')\n    return True\n"),
      ("read the home canary", "    return '\(targets.secret)' in open('\(targets.canary)').read()\n"),
      ("socket to 127.0.0.1",
        "    import socket\n    s = socket.create_connection(('127.0.0.1', \(targets.port)), timeout=2)\n    s.close()\n    return True\n"),
      ("signal the parent",
        "    import os, signal\n    for pid in (os.getppid(), \(getpid()), 1):\n        try:\n            os.kill(pid, signal.SIGKILL)\n        except OSError:\n            pass\n    os.kill(-1, signal.SIGKILL)\n    return True\n"),
      ("sleep forever after closing stdout",
        "    import os, time\n    os.close(1)\n    os.close(2)\n    time.sleep(10 ** 6)\n"),
    ]
  }

  func checkHostUntouched(_ targets: Targets, _ sandbox: Sandbox) throws {
    #expect(try String(contentsOfFile: targets.canary, encoding: .utf8) == targets.secret, "the canary is unchanged")
    #expect(!FileManager.default.fileExists(atPath: targets.outside + "/escaped.txt"), "nothing was written outside")
    if sandbox.isolation.network {
      #expect(!targets.someoneConnected(), "no connection reached the host's 127.0.0.1")
    }
    #expect(kill(getpid(), 0) == 0, "the harness is alive")
  }

  @Test func hostileCompletionsFailAndLeaveTheHostAlone() async throws {
    let targets = try Targets()
    defer { targets.cleanUp() }
    let checker = try CodeChecker(workers: 2, timeoutFloor: 2)
    defer { checker.shutdown() }
    print("sandbox isolation: \(checker.sandbox.isolation.summary)")
    for warning in checker.sandbox.isolation.warnings { print("  warning: \(warning)") }
    let problem = Self.problem()
    // The harness itself works: a benign completion passes.
    #expect(await checker.check(problem, completion: "    return True\n", timeLimit: 2).passed)
    for (name, body) in Self.attacks(targets) {
      let started = ContinuousClock.now
      let verdict = await checker.check(problem, completion: body, timeLimit: 2)
      print("  \(name): \(verdict.kind.rawValue) \(verdict.detail.prefix(80)) (\(ContinuousClock.now - started))")
      #expect(!verdict.passed, "\(name) is not scored as passing")
      #expect(verdict.kind != .sandboxError, "\(name) is the program's failure, not the sandbox's: \(verdict.detail)")
      if name == "read the home canary" && checker.sandbox.isolation.filesystem {
        #expect(verdict.detail.contains("FileNotFoundError"), "the home folder is not there: \(verdict.detail)")
      }
      if name == "socket to 127.0.0.1" && checker.sandbox.isolation.network {
        #expect(verdict.kind == .fail, "connecting fails: \(verdict.detail)")
      }
      try checkHostUntouched(targets, checker.sandbox)
    }
    // The workers survived the attacks on them, or were replaced: the next program still runs.
    #expect(await checker.check(problem, completion: "    return True\n", timeLimit: 2).passed)
  }

  @Test func hostileCommandsFailInTheOneShotSandbox() throws {
    let targets = try Targets()
    defer { targets.cleanUp() }
    let sandbox = try Sandbox()
    defer { sandbox.removeRoot() }
    let python = "/usr/bin/python3"
    let limits = SandboxLimits(wallSeconds: 3, cpuSeconds: 3, addressSpaceBytes: 2 << 30, outputBytes: 1 << 20)
    for (name, body) in Self.attacks(targets) {
      let program = "def attack():\n" + body + "\nimport sys\nsys.exit(0 if attack() is True else 1)\n"
      let result = sandbox.withDirectory(slot: 0) { directory -> ExecutionResult in
        try? sandbox.write(program, to: "attack.py", in: directory, slot: 0)
        return sandbox.run([python, "attack.py"], in: directory, limits: limits, slot: 0)
      }
      print("  \(name): \(result.termination) \(result.stderr.split(separator: "\n").last ?? "")")
      #expect(!result.succeeded, "\(name) does not exit 0")
      if case .sandboxError(let message) = result.termination { Issue.record("\(name): sandbox error \(message)") }
      try checkHostUntouched(targets, sandbox)
    }
    // A benign command still runs.
    let fine = sandbox.withDirectory(slot: 0) { directory in
      sandbox.run(["/bin/sh", "-c", "echo ok"], in: directory, limits: limits, slot: 0)
    }
    #expect(fine.succeeded && fine.stdout == "ok\n")
  }

  @Test func outputIsCappedAndTheEnvironmentScrubbed() throws {
    let sandbox = try Sandbox()
    defer { sandbox.removeRoot() }
    setenv("ASSAY_TEST_SECRET_TOKEN", "do-not-leak", 1)
    defer { unsetenv("ASSAY_TEST_SECRET_TOKEN") }
    let result = sandbox.withDirectory(slot: 1) { directory in
      sandbox.run(["/usr/bin/env"], in: directory, limits: SandboxLimits(wallSeconds: 5), slot: 1)
    }
    #expect(result.succeeded)
    #expect(!result.stdout.contains("do-not-leak"), "the harness's environment does not reach the sample")
    #expect(result.stdout.contains("HOME="))
    // Output over the cap is read and dropped: the command runs on (here until its time limit), the first
    // `outputBytes` and the last 64 KiB are kept, with a line counting what was dropped between them.
    let flood = sandbox.withDirectory(slot: 1) { directory in
      sandbox.run(["/usr/bin/yes"], in: directory, limits: SandboxLimits(wallSeconds: 1, outputBytes: 100_000), slot: 1)
    }
    #expect(flood.termination == .timedOut)
    #expect(flood.truncated && flood.droppedBytes > 1_000_000, "yes wrote more than a megabyte in a second")
    #expect(flood.stdout.hasPrefix(String(repeating: "y\n", count: 50_000) + "\n[assay: \(flood.droppedBytes) bytes"))
    #expect(flood.stdout.utf8.count < 100_000 + (64 << 10) + 100)
  }

  /// A command that prints 5 MB and then ends well is not cut short: it exits 0, and its last line (where the
  /// compiled languages' end marker and Rust's test summary are) is kept.
  @Test func loudCommandsRunToTheirEnd() throws {
    let sandbox = try Sandbox()
    defer { sandbox.removeRoot() }
    let result = sandbox.withDirectory(slot: 0) { directory in
      sandbox.run(
        ["/bin/sh", "-c", "head -c 5000000 /dev/zero | tr '\\0' x; head -c 3000000 /dev/zero >&2; echo; echo all-tests-ran"],
        in: directory, limits: SandboxLimits(wallSeconds: 20, outputBytes: 1 << 20), slot: 0)
    }
    #expect(result.succeeded, "\(result.termination)")
    #expect(result.stdout.hasSuffix("\nall-tests-ran\n"))
    #expect(result.stdout.hasPrefix(String(repeating: "x", count: 1 << 20) + "\n[assay: "))
    #expect(result.droppedBytes == (5_000_015 - (1 << 20) - (64 << 10)) + (3_000_000 - (1 << 20) - (64 << 10)))
  }
}
