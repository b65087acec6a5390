import AssayTesting
import Foundation
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
import GRDB
import Testing

/// `assay run --shard I/N` in separate processes against one real llama.cpp server, merged with `assay merge`,
/// equals the unsharded run sample by sample.
@Suite(.serialized, .tags(.slow)) struct ShardingTests {
  /// What must be equal between the merged and the unsharded run, per sample.
  static let compared = "task_id, sample_index, status, request_key, prompt, target, response, finish_reason, answers, correct, score, graded, weights"

  @Test func fourShardProcessesMergeToTheUnshardedRun() throws {
    let server = try LlamaServerProcess(model: CLI.models + "/tiny-llama2-random.gguf")
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    // A generated suite and a log-likelihood suite: both kinds of work are split.
    let run = ["run", "--base-url", server.baseURL, "--model", "tiny", "--suite", "mgsm/de,xcopa/it", "--limit", "6",
               "--max-tokens", "8", "--concurrency", "2", "--format", "json"]
    let whole = try CLI.run(run + ["--db", dir + "/whole.sqlite"], in: dir)
    #expect(whole.status == 0, "\(whole.stderr)")

    let shards = (0..<4).map { index in
      try! CLI.start(run + ["--shard", "\(index)/4", "--db", dir + "/shard-\(index).sqlite"], in: dir)
    }
    for (index, shard) in shards.enumerated() {
      shard.0.waitUntilExit()
      let stderr = (try? String(contentsOfFile: shard.stderr, encoding: .utf8)) ?? ""
      #expect(shard.0.terminationStatus == 0, "shard \(index): \(stderr)")
      #expect(stderr.contains("shard \(index)/4"), "\(stderr)")
    }
    let counts = try (0..<4).map { index in
      try DatabaseQueue(path: dir + "/shard-\(index).sqlite").read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sample")! }
    }
    print("sharding test: samples per shard \(counts)")
    #expect(counts.reduce(0, +) == 12)
    #expect(counts.allSatisfy { $0 >= 2 }, "shards balanced by expected tokens: \(counts)")

    let merged = try CLI.run(
      ["merge", "--db", dir + "/merged.sqlite", "--format", "json"] + (0..<4).map { dir + "/shard-\($0).sqlite" }, in: dir)
    #expect(merged.status == 0, "\(merged.stderr)")

    func rows(_ path: String) throws -> [[String]] {
      try DatabaseQueue(path: path).read { db in
        try Row.fetchAll(db, sql: "SELECT \(Self.compared) FROM sample ORDER BY task_id, sample_index").map { row in
          row.databaseValues.map { $0.description }
        }
      }
    }
    let unsharded = try rows(dir + "/whole.sqlite")
    let combined = try rows(dir + "/merged.sqlite")
    #expect(unsharded.count == 12)
    #expect(combined.count == unsharded.count)
    for (a, b) in zip(unsharded, combined) { #expect(a == b, "sample \(a[0])#\(a[1]) differs") }
    // The merged run has the unsharded configuration (so plain `assay run` resumes it) and the same report.
    let hashes = try [dir + "/whole.sqlite", dir + "/merged.sqlite"].map { path in
      try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "SELECT config_hash FROM run")! }
    }
    #expect(hashes[0] == hashes[1])
    func scores(_ json: String) throws -> [String] {
      let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
      return (object["suites"] as! [[String: Any]]).map { suite in
        let data = try! JSONSerialization.data(withJSONObject: suite, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
      }
    }
    #expect(try scores(whole.stdout) == scores(merged.stdout))
  }

  @Test func mergeRefusesMissingOrForeignShardsAndWritesNothing() throws {
    let server = try MockServerProcess(["--latency-ms", "1"])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let run = ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "gsm8k", "--limit", "12"]
    for index in [0, 2] {
      let result = try CLI.run(run + ["--shard", "\(index)/3", "--db", dir + "/s\(index).sqlite"], in: dir)
      #expect(result.status == 0, "\(result.stderr)")
    }
    let missing = try CLI.run(["merge", "--db", dir + "/m.sqlite", dir + "/s0.sqlite", dir + "/s2.sqlite"], in: dir)
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("1/3"), "\(missing.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/m.sqlite"))

    let other = try CLI.run(run + ["--limit", "5", "--shard", "1/3", "--db", dir + "/s1.sqlite"], in: dir)
    #expect(other.status == 0, "\(other.stderr)")
    let foreign = try CLI.run(
      ["merge", "--db", dir + "/m.sqlite", dir + "/s0.sqlite", dir + "/s1.sqlite", dir + "/s2.sqlite"], in: dir)
    #expect(foreign.status != 0)
    #expect(foreign.stderr.contains("different configurations"), "\(foreign.stderr)")

    let partial = try CLI.run(["merge", "--partial", "--db", dir + "/m.sqlite", dir + "/s0.sqlite", dir + "/s2.sqlite"], in: dir)
    #expect(partial.status == 0, "\(partial.stderr)")
    let status = try DatabaseQueue(path: dir + "/m.sqlite").read { try String.fetchOne($0, sql: "SELECT status FROM run") }
    #expect(status == "interrupted")
  }

  @Test func launchPrintsASlurmArrayAndAnIndexedJobWithTheMergeStep() throws {
    let dir = CLI.temporaryDirectory()
    let runArguments = ["--", "--base-url", "http://vllm-head:8000/v1", "--model", "Llama 3.1 8B", "--preset", "llama3.1-instruct"]
    let slurm = try CLI.run(["launch", "--slurm", "--shards", "8", "--db-dir", "/shared/assay"] + runArguments, in: dir)
    #expect(slurm.status == 0, "\(slurm.stderr)")
    let script = dir + "/assay.sbatch"
    try slurm.stdout.write(toFile: script, atomically: true, encoding: .utf8)
    let syntax = try Self.shell(["bash", "-n", script])
    #expect(syntax == 0, "the sbatch script is not valid bash")
    #expect(slurm.stdout.contains("#SBATCH --array=0-7"))
    #expect(slurm.stdout.contains("--model 'Llama 3.1 8B' --preset llama3.1-instruct"))
    #expect(slurm.stdout.contains("--shard \"${shard}/8\""))
    #expect(slurm.stdout.contains("assay merge --db /shared/assay/merged.sqlite /shared/assay/shard-*.sqlite"))
    // The shard line, run by a shell with the array index set, passes the shard and its database.
    let line = try #require(slurm.stdout.split(separator: "\n").firstIndex { $0.hasPrefix("exec assay run") })
    let lines = slurm.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let echoed = lines[line].replacingOccurrences(of: "exec assay run", with: "printf '%s\\n'") + "\n" + lines[line + 1]
    let out = dir + "/args.txt"
    #expect(try Self.shell(["bash", "-c", "SLURM_ARRAY_TASK_ID=5; shard=$SLURM_ARRAY_TASK_ID; " + echoed + " > " + out]) == 0)
    let words = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(words == ["--base-url", "http://vllm-head:8000/v1", "--model", "Llama 3.1 8B", "--preset", "llama3.1-instruct",
                      "--shard", "5/8", "--db", "/shared/assay/shard-5.sqlite"])

    let k8s = try CLI.run(["launch", "--k8s", "--shards", "8", "--image", "registry.example.org/assay:1"] + runArguments, in: dir)
    #expect(k8s.status == 0, "\(k8s.stderr)")
    for needle in ["kind: Job", "completionMode: Indexed", "completions: 8", "parallelism: 8",
                   "${JOB_COMPLETION_INDEX}/8", "claimName: \"assay-results\"", "image: \"registry.example.org/assay:1\"",
                   "kubectl wait --for=condition=complete job/assay", "#   kind: Job", "merge --db /results/merged.sqlite /results/shard-*.sqlite"] {
      #expect(k8s.stdout.contains(needle), "missing \(needle) in\n\(k8s.stdout)")
    }

    for (bad, message) in [
      (["launch", "--slurm", "--shards", "4"], "after --"),
      (["launch", "--slurm", "--k8s", "--shards", "4", "--", "--model", "m"], "one of --slurm and --k8s"),
      (["launch", "--slurm", "--shards", "4", "--", "--base-url", "http://h/v1", "--model", "m", "--suite", "x", "--shard", "1/4"], "leave --shard"),
      (["launch", "--slurm", "--shards", "4", "--", "--base-url", "http://h/v1", "--model", "m", "--suite", "x", "--concurency", "3"], "do not parse"),
    ] {
      let result = try CLI.run(bad, in: dir)
      #expect(result.status != 0, "\(bad)")
      #expect(result.stderr.contains(message), "\(bad): \(result.stderr)")
    }
  }

  static func shell(_ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}

/// llama-cpp-python's server on a free 127.0.0.1 port (from the virtualenv scripts/setup-llama.sh makes), stopped by
/// `stop()`.
final class LlamaServerProcess {
  let process = Process()
  let baseURL: String

  init(model: String, alias: String = "tiny") throws {
    let python = ProcessInfo.processInfo.environment["ASSAY_LLAMA_PYTHON"]
      ?? (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay/llama-venv/bin/python"
    guard FileManager.default.isExecutableFile(atPath: python) else {
      throw MockServerProcess.MockError(description: "llama.cpp server not installed at \(python): run scripts/setup-llama.sh")
    }
    let port = try FreeTCPPort.find()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1", "--port", "\(port)",
                         "--n_ctx", "4096", "--model_alias", alias]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    baseURL = "http://127.0.0.1:\(port)/v1"
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline {
      if process.isRunning == false { break }
      if Self.answers(baseURL + "/models") { return }
      Thread.sleep(forTimeInterval: 0.25)
    }
    stop()
    throw MockServerProcess.MockError(description: "llama.cpp server did not answer on \(baseURL) within 120 s")
  }

  /// Whether GET `url` answers 200 within 2 s.
  static func answers(_ url: String) -> Bool {
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = 2
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var ok = false
    URLSession.shared.dataTask(with: request) { _, response, _ in
      ok = (response as? HTTPURLResponse)?.statusCode == 200
      done.signal()
    }.resume()
    _ = done.wait(timeout: .now() + 3)
    return ok
  }

  /// SIGTERM, then SIGKILL after 10 s (uvicorn may wait for its workers).
  func stop() {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGTERM)
    let deadline = Date().addingTimeInterval(10)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit { stop() }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
enum FreeTCPPort {
  static func find() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw MockServerProcess.MockError(description: "cannot bind a port") }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
