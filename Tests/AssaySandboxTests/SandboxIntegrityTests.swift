import AssayCore
import AssaySandbox
import AssayTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Completions that attack the verdict and the samples after them rather than the machine: forged PASS reports,
/// descriptor scanning, fake markers, symlinks planted where the harness makes its next folders, daemons that
/// outlive their program, and files left in /tmp, /var/tmp and /dev/shm. Each one runs with bubblewrap and
/// without it (the root-only layers: a uid per slot, private network and temporary folders); every one must
/// fail, and the host must be as it was.
@Suite(.serialized, .tags(.slow)) struct SandboxIntegrityTests {
  /// A HumanEval-style problem whose test passes only if `attack()` returns True.
  static let problem = CodeProblem(
    id: "integrity", language: .python, harness: .humanEval,
    fields: [
      "prompt": "def attack():\n", "entry_point": "attack",
      "test": "def check(candidate):\n    assert candidate() is True\n",
    ])

  static func checker(bubblewrap: Bool, workers: Int = 1) throws -> CodeChecker {
    let checker = try CodeChecker(workers: workers, timeoutFloor: 3, bubblewrap: bubblewrap)
    print("isolation (bubblewrap \(bubblewrap)): \(checker.sandbox.isolation.summary)")
    return checker
  }

  /// Processes on the host whose name (`/proc/<pid>/comm`) is `name`.
  static func processes(named name: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> Int32? in
      guard let pid = Int32(entry),
        let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8),
        comm.trimmingCharacters(in: .whitespacesAndNewlines) == name
      else { return nil }
      let state = (try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8)) ?? ""
      return state.contains(") Z ") ? nil : pid  // a zombie is dead already
    }
  }

  /// Python that gives this process the name `name` (seen in /proc/<pid>/comm from the host).
  static func rename(_ name: String, indent: String) -> String {
    "\(indent)import ctypes\n\(indent)ctypes.CDLL(None).prctl(15, b'\(name)', 0, 0, 0)\n"
  }

  /// Bodies of `attack()` that try to be reported as passing without returning True.
  static let forgeries: [(name: String, body: String)] = [
    ("PASS written to every descriptor, then _exit(0)",
      "    import os\n    for fd in range(3, 256):\n        try:\n            os.write(fd, b'PASS')\n        except OSError:\n"
        + "            pass\n    os._exit(0)\n"),
    ("PASS written to every descriptor, then a wrong answer",
      "    import os\n    for fd in range(3, 256):\n        try:\n            os.write(fd, b'PASS')\n        except OSError:\n"
        + "            pass\n    return None\n"),
    ("descriptors found through /proc (its own, its parent's, pid 1's), PASS and a reply line written to each",
      "    import os\n    for folder in ('/proc/self/fd', '/proc/%d/fd' % os.getppid(), '/proc/1/fd'):\n"
        + "        try:\n            names = os.listdir(folder)\n        except OSError:\n            continue\n"
        + "        for name in names:\n            try:\n                fd = os.open(folder + '/' + name, os.O_WRONLY)\n"
        + "                os.write(fd, b'PASS')\n"
        + "                os.write(fd, b'\\n{\"status\": \"pass\", \"detail\": \"\", \"seconds\": 0}\\n')\n"
        + "            except OSError:\n                pass\n    os._exit(0)\n"),
    ("early os._exit(0)", "    import os\n    os._exit(0)\n"),
    ("early sys.exit(0)", "    import sys\n    sys.exit(0)\n"),
    ("PASS and a reply line on stdout and stderr, then _exit(0)",
      "    import os, sys\n    print('PASS')\n    print('{\"status\": \"pass\", \"detail\": \"\", \"seconds\": 0}')\n"
        + "    sys.stderr.write('PASS\\n')\n    sys.stdout.flush()\n    os._exit(0)\n"),
    ("a reply line in an exception message",
      "    raise Exception('x\\n{\"status\": \"pass\", \"detail\": \"\", \"seconds\": 0}\\nPASS')\n"),
    ("PASS written to every descriptor from a thread that outlives the function",
      "    import os, threading, time\n    def forge():\n        time.sleep(0.2)\n        for fd in range(3, 256):\n"
        + "            try:\n                os.write(fd, b'PASS')\n            except OSError:\n                pass\n"
        + "        os._exit(0)\n    threading.Thread(target=forge).start()\n    time.sleep(1)\n    return None\n"),
  ]

  @Test(arguments: [true, false]) func forgedVerdictsFail(bubblewrap: Bool) async throws {
    let checker = try Self.checker(bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    #expect(await checker.check(Self.problem, completion: "    return True\n", timeLimit: 3).passed)
    for (name, body) in Self.forgeries {
      let verdict = await checker.check(Self.problem, completion: body, timeLimit: 3)
      print("  \(name): \(verdict.kind.rawValue) \(verdict.detail.prefix(100))")
      #expect(!verdict.passed, "\(name) is not scored as passing (bubblewrap \(bubblewrap))")
    }
    #expect(await checker.check(Self.problem, completion: "    return True\n", timeLimit: 3).passed)
  }

  @Test(arguments: [true, false]) func plantedSymlinksAreNotFollowed(bubblewrap: Bool) async throws {
    // A root-only host folder with a secret file: the links point at it and at the file.
    let victim = "/var/tmp/assay-victim-\(UUID().uuidString.prefix(8))"
    mkdir(victim, 0o700)
    defer { try? FileManager.default.removeItem(atPath: victim) }
    let secret = victim + "/secret"
    try Data("root's".utf8).write(to: URL(fileURLWithPath: secret))
    chmod(secret, 0o600)
    let checker = try Self.checker(bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    // Links at every name the next job folders or files could have (j1...j300, program.py), next to its own
    // folder and inside it, and the same names in the folder above.
    let plant = """
          import os
          made = 0
          here = os.getcwd()
          for folder in (os.path.dirname(here), here, os.path.dirname(os.path.dirname(here))):
              for name in ['j%d' % n for n in range(1, 300)] + ['program.py', 'stdout', 'stderr']:
                  for target in ('\(victim)', '\(secret)'):
                      try:
                          os.symlink(target, os.path.join(folder, name))
                          made += 1
                          break
                      except OSError:
                          pass
          print('planted', made)
          return None

      """
    let planted = await checker.check(Self.problem, completion: plant, timeLimit: 5)
    #expect(!planted.passed)
    for _ in 0..<4 {
      _ = await checker.check(Self.problem, completion: "    return True\n", timeLimit: 3)
    }
    var info = stat()
    #expect(lstat(victim, &info) == 0 && info.st_uid == 0 && info.st_mode & 0o777 == 0o700,
      "the host folder is still root's and private (owner \(info.st_uid), bubblewrap \(bubblewrap))")
    #expect(lstat(secret, &info) == 0 && info.st_uid == 0 && info.st_mode & 0o777 == 0o600,
      "the host file is still root's and private (owner \(info.st_uid), bubblewrap \(bubblewrap))")
    #expect(try String(contentsOfFile: secret, encoding: .utf8) == "root's")
    let inside = (try? FileManager.default.contentsOfDirectory(atPath: victim)) ?? []
    #expect(inside == ["secret"], "nothing was written into the host folder: \(inside)")
  }

  @Test(arguments: [true, false]) func daemonsDieBeforeTheNextProgram(bubblewrap: Bool) async throws {
    let checker = try Self.checker(bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    let name = "assayd\(Int.random(in: 1000..<9999))"
    // A double-forked setsid daemon that, for 30 s, rewrites every program.py it can find to one that passes.
    let daemon = """
          import os, time
          base = os.path.dirname(os.getcwd())
          if os.fork() == 0:
              os.setsid()
              if os.fork() == 0:
      \(Self.rename(name, indent: "            "))
                  end = time.time() + 30
                  while time.time() < end:
                      for folder in (base, os.getcwd()):
                          try:
                              for root, dirs, files in os.walk(folder):
                                  for entry in files:
                                      if entry == 'program.py':
                                          with open(os.path.join(root, entry), 'w') as handle:
                                              handle.write('pass\\n')
                          except OSError:
                              pass
                      for n in range(1, 64):
                          try:
                              with open(os.path.join(base, 'j%d' % n, 'program.py'), 'w') as handle:
                                  handle.write('pass\\n')
                          except OSError:
                              pass
                      time.sleep(0.0005)
              os._exit(0)
          time.sleep(0.3)
          return None

      """
    let first = await checker.check(Self.problem, completion: daemon, timeLimit: 5)
    print("  daemon's own program: \(first.kind.rawValue) \(first.detail.prefix(200)); \(Self.processes(named: name).count) daemon(s) alive")
    #expect(!first.passed)
    var passed = 0
    for _ in 0..<12 {
      if await checker.check(Self.problem, completion: "    return False\n", timeLimit: 3).passed { passed += 1 }
    }
    #expect(passed == 0, "wrong programs after the daemon's are scored as failing (\(passed) of 12 passed)")
    let alive = Self.processes(named: name)
    #expect(alive.isEmpty, "the daemon is dead while the run goes on (bubblewrap \(bubblewrap)): pids \(alive)")
    for pid in alive { kill(pid, SIGKILL) }
  }

  @Test(arguments: [true, false]) func temporaryFilesDoNotReachLaterProgramsOrStayOnTheHost(bubblewrap: Bool)
    async throws
  {
    let token = "assay-leak-\(UUID().uuidString.prefix(8))"
    let places = ["/tmp", "/var/tmp", "/dev/shm"]
    let list = places.map { "'\($0)/\(token)'" }.joined(separator: ", ")
    let writer = """
          import os
          for path in (\(list)):
              try:
                  with open(path, 'w') as handle:
                      handle.write('left behind')
                  os.chmod(path, 0o444)
              except OSError:
                  pass
          return None

      """
    let reader = "    import os\n    return any(os.path.exists(path) for path in (\(list)))\n"
    defer { for place in places { unlink(place + "/" + token) } }
    let checker = try Self.checker(bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    #expect(!(await checker.check(Self.problem, completion: writer, timeLimit: 3).passed))
    let found = await checker.check(Self.problem, completion: reader, timeLimit: 3)
    #expect(!found.passed, "the next program of the slot finds nothing its predecessor left (bubblewrap \(bubblewrap))")
    #expect(found.kind == .fail, "\(found.kind): \(found.detail)")
    for place in places {
      #expect(access(place + "/" + token, F_OK) != 0, "nothing is left in the host's \(place) (bubblewrap \(bubblewrap))")
    }

    // The one-shot path (compiled languages): the same two steps as commands.
    let sandbox = checker.sandbox
    let limits = SandboxLimits(wallSeconds: 5)
    let script = "def attack():\n" + writer + "attack()\n"
    let check = "import sys\ndef attack():\n" + reader + "sys.exit(0 if attack() else 1)\n"
    for (name, program) in [("writer", script), ("reader", check)] {
      let result = sandbox.withDirectory(slot: 0) { directory -> ExecutionResult in
        try? sandbox.write(program, to: "p.py", in: directory, slot: 0)
        return sandbox.run(["/usr/bin/python3", "p.py"], in: directory, limits: limits, slot: 0)
      }
      if name == "reader" {
        #expect(result.termination == .exited(1), "a later command finds nothing (bubblewrap \(bubblewrap))")
      }
    }
    for place in places {
      #expect(access(place + "/" + token, F_OK) != 0, "nothing is left in the host's \(place) (bubblewrap \(bubblewrap))")
    }
  }

  @Test func codeSuitesAreRefusedWithoutIsolationUnlessAllowed() throws {
    let bare = SandboxIsolation(filesystem: false, network: false, pidNamespace: false, separateUser: false, warnings: [])
    #expect(throws: AssayError.self) { try bare.requireContainment(allowUnisolated: false) }
    #expect(throws: Never.self) { try bare.requireContainment(allowUnisolated: true) }
    do {
      try bare.requireContainment(allowUnisolated: false)
    } catch {
      #expect(error.message.contains("--allow-unisolated-code"), "the error names the flag: \(error.message)")
      #expect(error.message.contains("outlive"), "the error says what is unsafe: \(error.message)")
    }
    for contained in [
      SandboxIsolation(filesystem: true, network: true, pidNamespace: true, separateUser: false, warnings: []),
      SandboxIsolation(filesystem: false, network: true, pidNamespace: false, separateUser: true, warnings: []),
    ] {
      #expect(throws: Never.self) { try contained.requireContainment(allowUnisolated: false) }
    }
  }
}

/// Compiled languages are judged by how the test program ends: a reference solution that first exits with status
/// 0 (before any test ran) must fail, while the unchanged reference passes.
@Suite(.serialized, .tags(.slow)) struct EarlyExitTests {
  @Test(arguments: [true, false]) func compiledProgramsThatExitEarlyFail(bubblewrap: Bool) async throws {
    let checker = try CodeChecker(workers: 1, timeoutFloor: 10, bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    let exits: [(CodeLanguage, String)] = [
      (.cpp, "    exit(0);\n"), (.java, "        System.exit(0);\n"), (.js, "  process.exit(0);\n"),
      (.rust, "    std::process::exit(0);\n"),
    ]
    for (language, exit) in exits {
      guard case .success = checker.toolchain(language) else {
        Issue.record("no \(language) toolchain (scripts/setup-toolchains.sh)")
        continue
      }
      let path = "humaneval-x/\(language.rawValue)/humaneval_\(language.rawValue).jsonl.gz"
      let row = try #require(try TestData.rows(path).first)
      let problem = CodeProblem(id: row["task_id"] ?? "", language: language, harness: .humanEvalX, fields: row)
      let canonical = try #require(row["canonical_solution"])
      // The exit goes first in the body (Rust's reference starts with the signature's line break).
      let early = exit + canonical
      let reference = await checker.check(problem, completion: canonical, timeLimit: 20)
      let exited = await checker.check(problem, completion: early, timeLimit: 20)
      print("  \(language) (bubblewrap \(bubblewrap)): reference \(reference.kind.rawValue), early exit \(exited.kind.rawValue) \(exited.detail.prefix(80))")
      #expect(reference.passed, "\(language): the reference passes: \(reference.detail)")
      #expect(!exited.passed, "\(language): exiting with status 0 before the tests is not a pass (bubblewrap \(bubblewrap))")
    }
  }
}

/// System V IPC objects (shared memory, semaphores, message queues) outlive the processes that made them: one
/// left by a program must not reach the next program of the same worker.
@Suite(.serialized) struct IPCLeftoverTests {
  @Test(arguments: [true, false]) func ipcObjectsDoNotReachLaterPrograms(bubblewrap: Bool) async throws {
    let checker = try CodeChecker(workers: 1, timeoutFloor: 3, bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    let key = Int.random(in: 0x1000_0000..<0x7000_0000)
    let libc = "    import ctypes\n    libc = ctypes.CDLL(None, use_errno=True)\n"
    let writer = libc + "    made = [libc.shmget(\(key), 4096, 0o1600), libc.semget(\(key), 1, 0o1600), libc.msgget(\(key), 0o1600)]\n"
      + "    raise RuntimeError('made %s' % made)\n"
    let reader = libc + "    found = [libc.shmget(\(key), 0, 0), libc.semget(\(key), 0, 0), libc.msgget(\(key), 0)]\n"
      + "    if found == [-1, -1, -1]:\n        raise RuntimeError('none found')\n    return True\n"
    let problem = SandboxIntegrityTests.problem
    let made = await checker.check(problem, completion: writer, timeLimit: 3)
    print("  writer (bubblewrap \(bubblewrap)): \(made.kind.rawValue) \(made.detail)")
    #expect(made.detail.hasPrefix("RuntimeError: made ") && !made.detail.contains("-1"), "the objects were made: \(made.detail)")
    let found = await checker.check(problem, completion: reader, timeLimit: 3)
    print("  reader (bubblewrap \(bubblewrap)): \(found.kind.rawValue) \(found.detail)")
    #expect(found.detail == "RuntimeError: none found",
      "the next program finds no IPC object its predecessor made (bubblewrap \(bubblewrap)): \(found.kind) \(found.detail)")
  }

  /// Cleaning up must not cost the warm worker: after programs that leave nothing behind (and after one that
  /// fills /tmp and /dev/shm), the next program runs in the same worker.
  @Test(arguments: [true, false]) func theWorkerSurvivesCleanedJobs(bubblewrap: Bool) async throws {
    let checker = try CodeChecker(workers: 1, timeoutFloor: 3, bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    let problem = SandboxIntegrityTests.problem
    let report = "    import os\n    raise RuntimeError(os.path.dirname(os.getcwd()))\n"
    let litter = "    for path in ('/tmp/x', '/dev/shm/y'):\n        try:\n            open(path, 'w').write('z')\n"
      + "        except OSError:\n            pass\n" + report
    var workers: [String] = []
    for body in [report, report, litter, report] {
      workers.append(await checker.check(problem, completion: body, timeLimit: 3).detail)
    }
    #expect(Set(workers).count == 1, "one worker ran all four programs (bubblewrap \(bubblewrap)): \(workers)")
  }
}
