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

      Suites whose data comes in an archive (`archive:` in the suite file, e.g. GPQA's password-protected \
      dataset.zip, which Assay does not ship) get their files extracted from it: the archive is downloaded, or read \
      from --from PATH when you downloaded it by hand. Every entry's CRC-32 is checked (a damaged archive or a wrong \
      password is refused); the sha256 of the archive and of each file is printed. Assay knows no published sha256 \
      for such data, so the first fetch pins each file's sha256 in the data root (the suite's `local_checksums`, \
      e.g. gpqa/SHA256SUMS) and every later load and fetch refuses a file that differs from its pin. That proves \
      the files have not changed since; it cannot prove the archive is the publisher's: compare the printed sha256 \
      with a trusted copy.

      Examples:
        assay data fetch                   # every suite, from upstream
        assay data fetch --suite mgsm,xcopa
        # From a mirror: MIRROR/<path under the data root>
        assay data fetch --mirror https://mirror.example.org/assay-data
        assay data fetch --data-dir /data/assay --suite mmlu
        # GPQA: download dataset.zip, extract and pin the CSVs
        assay data fetch --suite gpqa
        # GPQA from a zip downloaded by hand
        assay data fetch --suite gpqa --from ~/Downloads/dataset.zip
      Exit codes: 0 all files present; 2 bad input (a --from archive that is damaged or has the wrong password, an \
      archive whose files differ from the pinned copy); 3 some files could not be fetched (each is listed).
      """)

  @OptionGroup var suiteOptions: SuiteOptions

  @Option(help: ArgumentHelp("Suite id(s), comma-separated or repeated (default: every suite).", valueName: "id"))
  var suite: [String] = []

  @Option(help: ArgumentHelp(
    "Fetch from this base URL instead of upstream: MIRROR/<path relative to the data root>.", valueName: "url"))
  var mirror: String?

  @Option(help: ArgumentHelp(
    "Extract the suite's archive from this file (e.g. GPQA's dataset.zip downloaded by hand) instead of downloading it; needs --suite naming one suite with an archive.",
    valueName: "path"))
  var from: String?

  func run() async throws {
    let catalog = try suiteOptions.catalog()
    let ids = suite.isEmpty
      ? catalog.suites.keys.sorted()
      : suite.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    let root = suiteOptions.dataRoot
    let resources = TextResources.resolve(dataRoot: root)
    var archived: [SuiteDefinition] = []
    for id in ids {
      let definition = try catalog.suite(named: id)
      if definition.archive != nil { archived.append(definition) }
    }
    if let from {
      guard !suite.isEmpty, archived.count == 1, ids.count == 1 else {
        let withArchives = catalog.suites.values.filter { $0.archive != nil }.map(\.id).sorted()
        throw AssayError(
          .invalidArgument, "--from \(from) needs --suite naming the one suite whose archive it is",
          fix: "e.g. `assay data fetch --suite \(withArchives.first ?? "gpqa") --from \(from)` (suites with an archive: "
            + "\(withArchives.joined(separator: ", ")))")
      }
    }
    // Files an archive provides are extracted from it, not downloaded one by one.
    let extractedPaths = Set(archived.flatMap { $0.archive!.files.values })
    var files: [(path: String, url: String?, sha: String, suite: String, destination: String)] = []
    var seen: Set<String> = extractedPaths
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
    FileHandle.standardError.write(Data("\(files.count + extractedPaths.count) file(s) for \(ids.count) suite(s) into \(root.path) (data root from \(root.origin))\n".utf8))
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
    for definition in archived {
      let outcome = await fetchArchive(definition, root: root, downloader: downloader, isTTY: isTTY)
      switch outcome {
      case .success(let counts):
        fetched += counts.written
        present += counts.present
      case .failure(let error) where from != nil || error.code == .checksumMismatch || error.code == .invalidArgument:
        // The user's own archive, a wrong password or a changed copy: bad input, not a failed download.
        await downloader.shutdown()
        throw error
      case .failure(let error):
        failures.append("\(definition.id)'s archive: \(error.message)" + (error.fix.map { " (fix: \($0))" } ?? ""))
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

  /// Extracts one suite's archive (from --from, or downloaded into `<data root>/.archives/<suite>/`), printing the
  /// sha256 of the archive and of every file, and what is and is not verified.
  private func fetchArchive(
    _ definition: SuiteDefinition, root: DataRoot, downloader: Downloader, isTTY: Bool
  ) async -> Result<(written: Int, present: Int), AssayError> {
    var archivePath: String
    var downloaded = false
    if let from {
      archivePath = from
    } else {
      let spec = definition.archive!
      let name = (spec.url as NSString).lastPathComponent
      // Nothing to do when every file is there and matches its pin (or the suite's sha256).
      let pins: LocalChecksums?
      do { pins = try LocalChecksums.of(definition, dataRoot: root) } catch { return .failure(error) }
      let intact = spec.files.values.allSatisfy { path in
        guard let data = FileManager.default.contents(atPath: root.file(path)),
          let expected = definition.sha256[path] ?? pins?.pinned[path]
        else { return false }
        return SHA256.hex(data) == expected
      }
      if intact { return .success((0, spec.files.count)) }
      archivePath = root.file(".archives/\(definition.id)/\(name)")
      let throttle = ProgressThrottle()
      let outcome = await downloader.fetch(url: spec.url, destination: archivePath, sha256: nil) { done, total in
        guard isTTY, throttle.due() else { return }
        let size = total.map { " / " + Self.megabytes($0) } ?? ""
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(name)  \(Self.megabytes(done))\(size)".utf8))
      }
      if isTTY { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
      if case .failed(let reason) = outcome {
        return .failure(AssayError(
          .io, reason,
          fix: "download \(spec.url) by hand (a browser, another machine) and run `assay data fetch --suite \(definition.id) --from \(name)`"))
      }
      downloaded = true
    }
    return Result { () throws(AssayError) in
      try extractArchive(definition, archivePath: archivePath, downloaded: downloaded, root: root)
    }
  }

  /// Extracts a suite's archive into the data root and prints the sha256 of the archive and of every file.
  private func extractArchive(
    _ definition: SuiteDefinition, archivePath: String, downloaded: Bool, root: DataRoot
  ) throws(AssayError) -> (written: Int, present: Int) {
    let spec = definition.archive!
    let name = (spec.url as NSString).lastPathComponent
    guard let data = FileManager.default.contents(atPath: archivePath) else {
      throw AssayError(.invalidArgument, "cannot read the archive \(archivePath)", fix: "give the path of the downloaded \(name)")
    }
    let extracted: [ArchiveExtractor.Extracted]
    do {
      extracted = try ArchiveExtractor.extract(suite: definition, archive: data, archivePath: archivePath, dataRoot: root)
    } catch {
      // A damaged download would otherwise count as present next time.
      if downloaded && error.code == .invalidData { try? FileManager.default.removeItem(atPath: archivePath) }
      throw error
    }
    print("\(archivePath): sha256 \(SHA256.hex(data)) (\(data.count) bytes)")
    for file in extracted {
      let state = file.written ? "written" : "unchanged"
      let pin = definition.sha256[file.path] != nil ? "matches the suite's sha256"
        : file.newlyPinned ? "pinned now" : "matches its pin"
      print("  \(file.path)  sha256 \(file.sha256)  \(file.bytes) bytes  \(state), \(pin)")
    }
    if let pins = definition.localChecksums {
      print("""
        Checked: each entry's CRC-32 (the archive is intact\(spec.password == nil ? "" : " and the password right")). \
        Not checked: that the archive is the publisher's (it prints no sha256; compare the lines above with a trusted copy). \
        Pinned in \(root.file(pins)): every load of suite '\(definition.id)' refuses a file that differs from its pin.
        """)
    }
    let written = extracted.filter(\.written).count
    return (written, extracted.count - written)
  }
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
