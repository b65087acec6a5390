import ArgumentParser
import AssayCore
import AssayRuntime
import AssaySuites
import Foundation

/// `assay data`: get the datasets that suites read.
struct DataCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Download and check the datasets suites read.",
    subcommands: [DataFetchCommand.self])
}

/// `assay data fetch`: download every data file of the chosen suites into the data root.
struct DataFetchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fetch",
    abstract: "Download suites' data files into the data root, verifying each sha256; resumes partial downloads.",
    discussion: """
      Files already present with the right checksum are skipped; a broken-off download is resumed from its
      `.part` file on the next run; a file whose checksum does not match is never moved into place.

      Examples:
        assay data fetch                                 # every suite, from the upstream URLs in the suite files
        assay data fetch --suite mgsm,xcopa
        assay data fetch --mirror https://mirror.example.org/assay-data   # MIRROR/<path relative to the data root>
        assay data fetch --data-dir /data/assay --suite mmlu
      Exit codes: 0 all files present; 3 some files could not be fetched (each is listed).
      """)

  @OptionGroup var suiteOptions: SuiteOptions

  @Option(help: ArgumentHelp("Suite id(s), comma-separated or repeated (default: every suite).", valueName: "id"))
  var suite: [String] = []

  @Option(help: ArgumentHelp(
    "Fetch from this base URL instead of upstream: MIRROR/<path relative to the data root>.", valueName: "url"))
  var mirror: String?

  func run() async throws {
    let catalog = try suiteOptions.catalog()
    let ids = suite.isEmpty
      ? catalog.suites.keys.sorted()
      : suite.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    let root = suiteOptions.dataRoot
    let resources = TextResources.resolve(dataRoot: root)
    var files: [(path: String, url: String?, sha: String, suite: String, destination: String)] = []
    var seen: Set<String> = []
    for id in ids {
      let definition = try catalog.suite(named: id)
      for variant in definition.variants {
        for file in try TaskLoader.dataFiles(suite: definition, variant: variant) where !seen.contains(file.path) {
          seen.insert(file.path)
          guard let sha = definition.sha256[file.path] else {
            throw AssayError(.invalidSuite, "suite '\(id)' lists no sha256 for '\(file.path)'",
              fix: "add the file's sha256 under `sha256:` in \(catalog.files[id] ?? "the suite file")")
          }
          files.append((file.path, file.url, sha, id, root.file(file.path)))
        }
      }
      // Scorer resources go to the resource root; the mirror serves them under resources/.
      for resource in definition.resources ?? [] where !seen.contains("resources/" + resource.path) {
        let key = "resources/" + resource.path
        seen.insert(key)
        guard let sha = definition.sha256[key] else {
          throw AssayError(.invalidSuite, "suite '\(id)' lists no sha256 for '\(key)'",
            fix: "add the file's sha256 under `sha256:` in \(catalog.files[id] ?? "the suite file")")
        }
        files.append((key, resource.url, sha, id, resources.root + "/" + resource.path))
      }
    }
    FileHandle.standardError.write(Data("\(files.count) file(s) for \(ids.count) suite(s) into \(root.path) (data root from \(root.origin))\n".utf8))
    let downloader = Downloader()
    let isTTY = isatty(STDERR_FILENO) == 1
    var failures: [String] = []
    var fetched = 0
    var present = 0
    for (number, file) in files.enumerated() {
      let label = "[\(number + 1)/\(files.count)] \(file.path)"
      let source: String
      if let mirror {
        var base = mirror
        while base.hasSuffix("/") { base.removeLast() }
        source = base + "/" + (file.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? file.path)
      } else if let url = file.url {
        source = url
      } else {
        failures.append("\(file.path) (suite \(file.suite)): the suite gives no upstream URL for it; pass --mirror")
        continue
      }
      let throttle = ProgressThrottle()
      let outcome = await downloader.fetch(url: source, destination: file.destination, sha256: file.sha) { done, total in
        guard isTTY, throttle.due() else { return }
        let size = total.map { " / " + Self.megabytes($0) } ?? ""
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(label)  \(Self.megabytes(done))\(size)".utf8))
      }
      if isTTY { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
      switch outcome {
      case .present:
        present += 1
      case .downloaded(let bytes, let resumed):
        fetched += 1
        FileHandle.standardError.write(Data("\(label)  \(Self.megabytes(bytes))\(resumed ? " (resumed)" : "")  sha256 ok\n".utf8))
      case .failed(let reason):
        failures.append("\(file.path) (suite \(file.suite)): \(reason)")
        FileHandle.standardError.write(Data("\(label)  FAILED\n".utf8))
      }
    }
    await downloader.shutdown()
    print("\(fetched) downloaded, \(present) already present, \(failures.count) failed")
    if !failures.isEmpty {
      for failure in failures { Output.error("error: \(failure)\n") }
      throw ExitCode(3)
    }
  }

  static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
}

/// Lets a progress line be redrawn at most ten times a second.
final class ProgressThrottle: @unchecked Sendable {
  private let lock = NSLock()
  private var last = ContinuousClock.now - .seconds(1)

  func due() -> Bool {
    lock.lock()
    defer { lock.unlock() }
    let now = ContinuousClock.now
    guard now - last >= .milliseconds(100) else { return false }
    last = now
    return true
  }
}
