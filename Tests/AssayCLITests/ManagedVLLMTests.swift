import AssayTesting
import Foundation
import GRDB
import Testing

/// `assay run --runtime vllm` against a stand-in `vllm` executable: a script that records its command line and pid,
/// then serves the API with Assay's mock server (exec, so the pid is the server's). Checks the exact command line,
/// and that the server is torn down after success, after a failure, and on SIGINT.
@Suite(.serialized, .tags(.slow)) struct ManagedVLLMTests {
  static let standIn = """
    #!/bin/sh
    # Stand-in for `vllm serve`: records its arguments and pid, then becomes Assay's mock server.
    printf '%s\\n' "$@" > "$STANDIN_DIR/args"
    echo $$ > "$STANDIN_DIR/pid"
    port=""; name=""; previous=""
    for argument in "$@"; do
      case "$previous" in
        --port) port="$argument" ;;
        --served-model-name) name="$argument" ;;
      esac
      previous="$argument"
    done
    if [ -n "$STANDIN_FAIL" ]; then echo "stand-in: failing on purpose" >&2; exit 7; fi
    exec "$STANDIN_MOCK" --port "$port" --model "${STANDIN_SERVE_AS:-$name}" --latency-ms "${STANDIN_LATENCY_MS:-1}"
    """

  struct Setup {
    let dir: String
    let model: String
    let environment: [String: String]
    var pid: pid_t? {
      (try? String(contentsOfFile: dir + "/pid", encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
    var arguments: [String]? {
      (try? String(contentsOfFile: dir + "/args", encoding: .utf8)).map { $0.split(separator: "\n").map(String.init) }
    }
  }

  func setup(_ extra: [String: String] = [:]) throws -> Setup {
    let dir = CLI.temporaryDirectory()
    let script = dir + "/vllm"
    try Self.standIn.write(toFile: script, atomically: true, encoding: .utf8)
    chmod(script, 0o755)
    let model = dir + "/Llama-3.1-8B-Instruct"
    try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
    var environment = ["ASSAY_VLLM": script, "STANDIN_DIR": dir, "STANDIN_MOCK": CLI.mockServer]
    for (key, value) in extra { environment[key] = value }
    return Setup(dir: dir, model: model, environment: environment)
  }

  func gone(_ pid: pid_t?) -> Bool { pid.map { kill($0, 0) != 0 } ?? false }

  @Test func launchesVLLMServeWithTheExactCommandLineAndStopsIt() throws {
    let s = try setup()
    let result = try CLI.run(
      ["run", "--runtime", "vllm", "--model", s.model, "--tensor-parallel", "2", "--vllm-arg=--max-model-len",
       "--vllm-arg=8192", "--suite", "gsm8k", "--limit", "5", "--db", s.dir + "/results/assay.sqlite"],
      in: s.dir, environment: s.environment)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("| **gsm8k** | en | 5 |"), "\(result.stdout)")
    let arguments = try #require(s.arguments)
    let port = try #require(arguments.firstIndex(of: "--port").map { arguments[$0 + 1] })
    #expect(Int(port) != nil && Int(port)! > 0)
    #expect(arguments == [
      "serve", s.model, "--host", "127.0.0.1", "--port", port, "--served-model-name", "Llama-3.1-8B-Instruct",
      "--tensor-parallel-size", "2", "--max-model-len", "8192",
    ])
    #expect(gone(s.pid), "the vLLM stand-in (pid \(s.pid ?? -1)) is still running after a finished run")
    let runtime = try DatabaseQueue(path: s.dir + "/results/assay.sqlite").read {
      try String.fetchOne($0, sql: "SELECT runtime || ' ' || model FROM run")
    }
    #expect(runtime == "vllm Llama-3.1-8B-Instruct")
  }

  @Test func aFailedRunStopsTheServerToo() throws {
    // The server answers, but serves another model: the run fails at its first check, after the launch.
    let s = try setup(["STANDIN_SERVE_AS": "another-model"])
    let result = try CLI.run(
      ["run", "--runtime", "vllm", "--model", s.model, "--suite", "gsm8k", "--limit", "5", "--db", s.dir + "/a.sqlite"],
      in: s.dir, environment: s.environment)
    #expect(result.status != 0)
    #expect(result.stderr.contains("Llama-3.1-8B-Instruct"), "\(result.stderr)")
    #expect(s.pid != nil, "the stand-in never started")
    #expect(gone(s.pid), "the vLLM stand-in survived a failed run")
  }

  @Test func aServerThatDiesAtStartIsReportedWithItsLog() throws {
    let s = try setup(["STANDIN_FAIL": "1"])
    let result = try CLI.run(
      ["run", "--runtime", "vllm", "--model", s.model, "--suite", "gsm8k", "--limit", "5", "--db", s.dir + "/a.sqlite"],
      in: s.dir, environment: s.environment)
    #expect(result.status != 0)
    #expect(result.stderr.contains("exited with status 7"), "\(result.stderr)")
    #expect(result.stderr.contains("failing on purpose"), "\(result.stderr)")
  }

  @Test func sigintStopsTheServerAndMarksTheRunInterrupted() throws {
    let s = try setup(["STANDIN_LATENCY_MS": "2000"])
    let db = s.dir + "/a.sqlite"
    let (process, _, stderrPath) = try CLI.start(
      ["run", "--runtime", "vllm", "--model", s.model, "--suite", "gsm8k", "--limit", "40", "--concurrency", "2",
       "--db", db, "--verbose"], in: s.dir, environment: s.environment)
    let deadline = Date().addingTimeInterval(60)
    var planned = false
    while Date() < deadline, !planned {
      Thread.sleep(forTimeInterval: 0.1)
      planned = ((try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "").contains("plan")
    }
    #expect(planned, "the run never started sending")
    let server = s.pid
    #expect(server.map { kill($0, 0) == 0 } == true, "the stand-in is not running mid-run")
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let stderr = try String(contentsOfFile: stderrPath, encoding: .utf8)
    #expect(process.terminationStatus == 130, "\(stderr)")
    #expect(gone(server), "the vLLM stand-in survived SIGINT")
    let status = try DatabaseQueue(path: db).read { try String.fetchOne($0, sql: "SELECT status FROM run") }
    #expect(status == "interrupted")
  }
}
