import AssayCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One language's compiler and runner, found on this machine, with what every sample shares (prebuilt Rust crates,
/// a Go GOPATH and build cache) prepared once. Paths are absolute and outside the home folder, because the
/// sandbox mounts only the system and the folders listed in `readOnly`.
public struct CodeToolchain: Sendable {
  /// The language.
  public let language: CodeLanguage
  /// The source file a program is written to.
  let sourceName: String
  /// The compile command (nil for interpreted languages), run in the sample folder.
  let compile: [String]?
  /// The run (or test) command; for Python the interpreter.
  let run: [String]
  /// Extra environment for both commands.
  let environment: [String: String]
  /// Folders mounted read-only for this language (toolchain prefixes, shared prebuilt pieces).
  let readOnly: [String]
  /// Limits of the run step (its wall-clock limit is the problem's).
  let limits: SandboxLimits
  /// Python: the supervisor script of the warm workers.
  let supervisorPath: String
  /// Go: a prebuilt build cache copied into each sample folder before `go test`.
  let seedCache: String?

  /// Finds the language's programs and prepares the shared pieces under `shared`; the error names what is
  /// missing and the Debian package that provides it.
  static func prepare(_ language: CodeLanguage, shared: String, sandbox: Sandbox) throws(AssayError) -> CodeToolchain {
    let base = SandboxLimits(
      wallSeconds: 10, cpuSeconds: 30, addressSpaceBytes: 4 << 30, fileSizeBytes: 64 << 20, openFiles: 256,
      processes: 256, outputBytes: 1 << 20)
    switch language {
    case .python:
      let python = try find(["ASSAY_PYTHON", "/usr/bin/python3", "/usr/local/bin/python3"], package: "python3")
      let folder = shared + "/python"
      mkdir(folder, 0o755)
      let supervisor = folder + "/supervisor.py"
      guard FileManager.default.createFile(atPath: supervisor, contents: Data(PythonSupervisor.source.utf8)) else {
        throw AssayError(.io, "cannot write the Python supervisor to \(supervisor)")
      }
      chmod(supervisor, 0o644)
      return CodeToolchain(
        language: language, sourceName: "program.py", compile: nil, run: [python], environment: [:],
        readOnly: prefixOutsideUsr(python), limits: base, supervisorPath: supervisor, seedCache: nil)
    case .js:
      let node = try find(["ASSAY_NODE", "/usr/bin/node", "/usr/local/bin/node"], package: "nodejs")
      // JavaScript/162 requires `js-md5`, which no Debian package provides: a stand-in built on node:crypto.
      let modules = shared + "/node/node_modules/js-md5"
      try FileManager.default.createDirectoryIfNeeded(modules)
      try write(CodeToolchain.jsMD5, to: modules + "/index.js")
      try write(#"{"name": "js-md5", "version": "0.0.0-assay", "main": "index.js"}"#, to: modules + "/package.json")
      return CodeToolchain(
        language: language, sourceName: "test.js", compile: nil, run: [node, "test.js"],
        environment: ["NODE_PATH": shared + "/node/node_modules"],
        readOnly: prefixOutsideUsr(node) + [shared + "/node"], limits: base, supervisorPath: "", seedCache: nil)
    case .cpp:
      let gpp = try find(["ASSAY_CXX", "/usr/bin/g++"], package: "g++")
      return CodeToolchain(
        language: language, sourceName: "test.cpp",
        compile: [gpp, "-std=c++11", "-O0", "test.cpp", "-o", "test", "-lcrypto", "-lssl"], run: ["./test"],
        environment: [:], readOnly: [], limits: base, supervisorPath: "", seedCache: nil)
    case .java:
      let javac = try find(["ASSAY_JAVAC", "/usr/bin/javac"], package: "default-jdk-headless")
      let java = try find(["ASSAY_JAVA", "/usr/bin/java"], package: "default-jre-headless")
      let flags = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xss16m", "-Xmx512m"]
      var limits = base
      limits.addressSpaceBytes = 16 << 30  // the JVM reserves large virtual ranges it never touches
      return CodeToolchain(
        language: language, sourceName: "Main.java",
        compile: [javac, "-nowarn", "-encoding", "UTF-8"] + flags.map { "-J" + $0 } + ["Main.java"],
        run: [java] + flags + ["-cp", ".", "AssayEnd"], environment: [:],
        readOnly: prefixOutsideUsr(javac) + prefixOutsideUsr(java), limits: limits, supervisorPath: "",
        seedCache: nil)
    case .go:
      return try GoToolchain.prepare(shared: shared, sandbox: sandbox, limits: base)
    case .rust:
      return try RustToolchain.prepare(shared: shared, sandbox: sandbox, limits: base)
    }
  }

  /// Writes the program into a fresh sample folder, compiles it (60 s, not scaled) and runs it within
  /// `timeLimit`, and turns what happened into a verdict.
  func compileAndRun(_ program: String, sandbox: Sandbox, timeLimit: Double, slot: Int) -> ExecutionVerdict {
    let marker = "assay-tests-finished-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    return sandbox.withDirectory(slot: slot) { directory in
      do throws(AssayError) {
        try sandbox.write(Self.sealed(program, language: language, marker: marker), to: sourceName, in: directory, slot: slot)
      } catch {
        return ExecutionVerdict(.sandboxError, error.message)
      }
      var seconds = 0.0
      if let seedCache {
        let copy = sandbox.run(
          ["/bin/cp", "-r", seedCache, directory + "/.gocache"], in: directory, limits: SandboxLimits(wallSeconds: 60),
          readOnly: readOnly, slot: slot)
        seconds += copy.wallSeconds
        guard copy.succeeded else {
          return ExecutionVerdict(.sandboxError, "copying the Go build cache failed: \(copy.stderr.prefix(300))")
        }
      }
      if let compile {
        var compileLimits = limits
        compileLimits.wallSeconds = max(60, timeLimit)
        compileLimits.cpuSeconds = 120
        let built = sandbox.run(
          compile, in: directory, environment: environment(in: directory), limits: compileLimits, readOnly: readOnly, slot: slot)
        seconds += built.wallSeconds
        switch built.termination {
        case .exited(0): break
        case .timedOut: return ExecutionVerdict(.timeout, "compilation took over \(Int(compileLimits.wallSeconds)) s", seconds: seconds)
        case .sandboxError(let message): return ExecutionVerdict(.sandboxError, message, seconds: seconds)
        default:
          return ExecutionVerdict(.compileError, Self.firstError(built.stderr + built.stdout), seconds: seconds)
        }
      }
      var runLimits = limits
      runLimits.wallSeconds = timeLimit
      runLimits.cpuSeconds = Int(timeLimit.rounded(.up)) + 1
      let ran = sandbox.run(
        run, in: directory, environment: environment(in: directory), limits: runLimits, readOnly: readOnly, slot: slot)
      seconds += ran.wallSeconds
      return verdict(ran, seconds: seconds, marker: marker)
    }
  }

  /// The program with a line printed only once the tests have run to their end (C++: the tests' `main` renamed and
  /// called from a new one; Java: a class whose `main` calls `Main.main`; JavaScript: a last statement), so a
  /// completion that exits early with status 0 fails. Go's `go test` fails such a test itself; Rust's test
  /// harness prints its summary only at the end.
  static func sealed(_ program: String, language: CodeLanguage, marker: String) -> String {
    switch language {
    case .cpp:
      return "#include <cstdio>\n#define main assay_tests_main\n" + program
        + "\n#undef main\nint main() {\n  assay_tests_main();\n  std::printf(\"\\n\(marker)\\n\");\n  std::fflush(stdout);\n"
        + "  return 0;\n}\n"
    case .java:
      return program + "\nclass AssayEnd {\n  public static void main(String[] args) throws Exception {\n    Main.main(args);\n"
        + "    System.out.println(\"\\n\(marker)\");\n    System.out.flush();\n  }\n}\n"
    case .js:
      return program + "\n;process.stdout.write('\\n\(marker)\\n');\n"
    case .python, .go, .rust:
      return program
    }
  }

  /// Whether the run reached the end of its tests: the marker as the last line of stdout (C++, Java, JavaScript),
  /// libtest's summary (Rust); Go and Python need nothing here.
  func finished(_ stdout: String, marker: String) -> Bool {
    switch language {
    case .cpp, .java, .js:
      return stdout.split(separator: "\n").last.map(String.init) == marker
    case .rust:
      return stdout.split(separator: "\n").contains { $0.hasPrefix("test result: ok.") }
    case .python, .go:
      return true
    }
  }

  /// The environment with `{dir}` replaced by the sample folder.
  func environment(in directory: String) -> [String: String] {
    environment.mapValues { $0.replacingOccurrences(of: "{dir}", with: directory) }
  }

  /// How a finished test run reads: CodeGeeX counts any JavaScript output as a failed `console.assert`; Go's
  /// `go test` compiles too, so its build errors are compile errors.
  func verdict(_ result: ExecutionResult, seconds: Double, marker: String) -> ExecutionVerdict {
    switch result.termination {
    case .timedOut: return ExecutionVerdict(.timeout, "", seconds: seconds)
    case .sandboxError(let message): return ExecutionVerdict(.sandboxError, message, seconds: seconds)
    case .signaled(let signal):
      if signal == SIGXCPU || signal == SIGKILL { return ExecutionVerdict(.timeout, "CPU limit", seconds: seconds) }
      if signal == SIGXFSZ {
        return ExecutionVerdict(.outputLimit, "a file it wrote went past \(limits.fileSizeBytes) bytes", seconds: seconds)
      }
      let output = result.stderr + result.stdout
      if signal == SIGABRT && output.contains("Assertion") {
        return ExecutionVerdict(.fail, Self.failure(output, status: 128 + signal), seconds: seconds)  // C++ assert()
      }
      return ExecutionVerdict(.crash, Self.signalName(signal), seconds: seconds)
    case .exited(let status):
      let output = result.stderr + result.stdout
      if status == 0 && !finished(result.stdout, marker: marker) {
        return ExecutionVerdict(.fail, "exited with status 0 before the tests finished", seconds: seconds)
      }
      // CodeGeeX counts any JavaScript output (a failed console.assert prints) as a failure; the marker aside.
      let printed = language == .js ? output.replacingOccurrences(of: "\n" + marker + "\n", with: "") : ""
      if status == 0 && printed.isEmpty { return ExecutionVerdict(.pass, "", seconds: seconds) }
      if language == .go && (output.contains("[build failed]") || output.contains("[setup failed]")) {
        return ExecutionVerdict(.compileError, Self.firstError(output), seconds: seconds)
      }
      return ExecutionVerdict(.fail, Self.failure(output, status: status), seconds: seconds)
    }
  }

  /// The first line that reads like an error (`error:`, `error[E...]`), else the first non-empty line.
  static func firstError(_ output: String) -> String {
    let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let line = lines.first { $0.contains("error") } ?? lines.first ?? "no compiler output"
    return String(line.prefix(300))
  }

  /// A short failure message: the assertion line or exception of the test output.
  static func failure(_ output: String, status: Int32) -> String {
    let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let markers = ["Assertion", "assert", "Error", "panicked", "FAIL", "Exception"]
    let line = lines.first { line in markers.contains { line.contains($0) } } ?? lines.last
    return String((line ?? "exit status \(status)").prefix(300))
  }

  static func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGSEGV: return "SIGSEGV"
    case SIGABRT: return "SIGABRT"
    case SIGFPE: return "SIGFPE"
    case SIGBUS: return "SIGBUS"
    case SIGILL: return "SIGILL"
    case SIGXFSZ: return "SIGXFSZ"
    default: return "signal \(signal)"
    }
  }

  /// The first candidate that is an executable file (an entry starting with `ASSAY_` names an environment
  /// variable), with symlinks resolved.
  static func find(_ candidates: [String], package: String) throws(AssayError) -> String {
    for candidate in candidates {
      let path = candidate.hasPrefix("ASSAY_") ? ProcessInfo.processInfo.environment[candidate] : candidate
      if let path, access(path, X_OK) == 0 {
        return (path as NSString).resolvingSymlinksInPath
      }
    }
    let names = candidates.filter { !$0.hasPrefix("ASSAY_") }.joined(separator: ", ")
    throw AssayError(
      .runtimeLaunch, "no \(package) found (looked for \(names))",
      fix: "install Debian's `\(package)` (apt-get install \(package)), or point \(candidates[0]) at one")
  }

  /// The install prefix of a program that lives outside /usr (to mount it read-only), else nothing.
  static func prefixOutsideUsr(_ program: String) -> [String] {
    if program.hasPrefix("/usr/") || program.hasPrefix("/bin/") { return [] }
    let bin = (program as NSString).deletingLastPathComponent
    return [(bin as NSString).deletingLastPathComponent]
  }

  static func write(_ text: String, to path: String) throws(AssayError) {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
      throw AssayError(.io, "cannot write \(path)")
    }
    chmod(path, 0o644)
  }

  /// `require('js-md5')` for JavaScript/162: md5 of a string as lowercase hex.
  static let jsMD5 = """
    const crypto = require('crypto');
    function md5(text) { return crypto.createHash('md5').update(String(text)).digest('hex'); }
    md5.hex = md5;
    module.exports = md5;

    """
}

extension FileManager {
  /// Creates a folder and its parents, as an AssayError.
  func createDirectoryIfNeeded(_ path: String) throws(AssayError) {
    do {
      try createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw AssayError(.io, "cannot create \(path): \(error.localizedDescription)")
    }
  }
}
