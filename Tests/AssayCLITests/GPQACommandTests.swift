import AssayTesting
import Foundation
import Testing

/// GPQA through the built binary: `assay data fetch --suite gpqa --from dataset.zip` extracts, pins and prints every
/// sha256 (a different archive and a wrong password are refused); a file with other columns stops a run with the
/// documented exit code; a preset run skips the suites whose data is absent and its report names their published
/// rows.
@Suite(.serialized) struct GPQACommandTests {
  static let password = "deserted-untie-orchid"

  /// A zip laid out as the official release, with synthetic CSVs; returns its path and the CSVs by set.
  static func release(in dir: String, name: String = "dataset.zip", password: String = password, mainRecords: Int = 12,
    change: String? = nil) throws -> (path: String, csvs: [String: String])
  {
    var main = GPQAFixture.csv((0..<mainRecords).map { GPQAFixture.record($0) })
    if let change { main = main.replacingOccurrences(of: "right answer 1\"", with: "\(change)\"") }
    let csvs = ["main": main, "diamond": GPQAFixture.csv((100..<104).map { GPQAFixture.record($0) }),
                "extended": GPQAFixture.csv((200..<215).map { GPQAFixture.record($0) })]
    var entries: [[String: Any]] = [["name": "dataset/", "method": 0, "text": ""]]
    for (set, text) in csvs.sorted(by: { $0.key < $1.key }) {
      entries.append(["name": "dataset/gpqa_\(set).csv", "text": text, "password": password, "descriptor": set == "extended"])
    }
    return (try ZipFixture.write(entries, to: dir + "/" + name), csvs)
  }

  static func sha256(_ path: String) throws -> String {
    try PythonProcess.run(
      "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", arguments: [path])
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func fetchFromAZipExtractsPinsAndPrintsEveryChecksum() throws {
    let dir = CLI.temporaryDirectory()
    let data = dir + "/data"
    let (zip, csvs) = try Self.release(in: dir)
    let fetch = try CLI.run(["data", "fetch", "--suite", "gpqa", "--from", zip, "--data-dir", data], in: dir)
    #expect(fetch.status == 0, "\(fetch.stderr)")
    #expect(fetch.stdout.contains("\(zip): sha256 \(try Self.sha256(zip))"), "\(fetch.stdout)")
    for (set, text) in csvs {
      let path = data + "/gpqa/gpqa_\(set).csv"
      #expect(FileManager.default.contents(atPath: path) == Data(text.utf8), "\(set)")
      #expect(fetch.stdout.contains("gpqa/gpqa_\(set).csv  sha256 \(try Self.sha256(path))"), "\(set)")
    }
    #expect(fetch.stdout.contains("written, pinned now"))
    #expect(fetch.stdout.contains("Not checked: that the archive is the publisher's"))
    // The pins are a `sha256sum` file that Python's hashlib agrees with, line for line.
    let check = try PythonProcess.run(
      """
      import hashlib, os, sys
      folder = sys.argv[1]
      for line in open(os.path.join(folder, "SHA256SUMS")):
          sha, name = line.rstrip("\\n").split("  ", 1)
          print(name, hashlib.sha256(open(os.path.join(folder, name), "rb").read()).hexdigest() == sha)
      """, arguments: [data + "/gpqa"])
    #expect(check == "gpqa_diamond.csv True\ngpqa_extended.csv True\ngpqa_main.csv True\n")

    let again = try CLI.run(["data", "fetch", "--suite", "gpqa", "--from", zip, "--data-dir", data], in: dir)
    #expect(again.status == 0)
    #expect(again.stdout.contains("0 downloaded, 3 already present, 0 failed"), "\(again.stdout)")
    #expect(again.stdout.contains("unchanged, matches its pin"))
    // Without --from, nothing is downloaded: every file is there and matches its pin.
    let offline = try CLI.run(["data", "fetch", "--suite", "gpqa", "--data-dir", data], in: dir)
    #expect(offline.status == 0 && offline.stdout.contains("0 downloaded, 3 already present"), "\(offline.stdout)")

    let validate = try CLI.run(["validate", "--suite", "gpqa", "--data-dir", data], in: dir)
    #expect(validate.status == 0, "\(validate.stderr)")
    #expect(validate.stdout.contains("3 of 3 variants ok"), "\(validate.stdout)")
    #expect(validate.stdout.contains("ok   gpqa/main  12 samples"))

    let mock = try MockServerProcess(["--latency-ms", "1"])
    defer { mock.stop() }
    let run = try CLI.run(
      ["run", "--suite", "gpqa/main", "--limit", "4", "--base-url", mock.baseURL, "--model", "mock-model",
       "--data-dir", data, "--db", dir + "/r.sqlite", "--format", "json"], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(((report["suites"] as? [[String: Any]])?.first?["total"] as? [String: Any])?["n"] as? Int == 4)

    // Another archive (one answer changed) is refused, and the pinned copy stays as it was.
    let other = try Self.release(in: dir, name: "other.zip", change: "right answer one")
    let refused = try CLI.run(["data", "fetch", "--suite", "gpqa", "--from", other.path, "--data-dir", data], in: dir)
    #expect(refused.status == 2, "\(refused.stderr)")
    #expect(refused.stderr.contains("was pinned as") && refused.stderr.contains("nothing was written"), "\(refused.stderr)")
    #expect(FileManager.default.contents(atPath: data + "/gpqa/gpqa_main.csv") == Data(csvs["main"]!.utf8))
  }

  @Test func aWrongPasswordOrNoSuiteIsBadInput() throws {
    let dir = CLI.temporaryDirectory()
    let (zip, _) = try Self.release(in: dir, password: "not-the-password")
    let wrong = try CLI.run(["data", "fetch", "--suite", "gpqa", "--from", zip, "--data-dir", dir + "/data"], in: dir)
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("wrong password for entry 'dataset/gpqa_diamond.csv'"), "\(wrong.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/data/gpqa"), "nothing was written")
    let noSuite = try CLI.run(["data", "fetch", "--from", zip, "--data-dir", dir + "/data"], in: dir)
    #expect(noSuite.status == 2)
    #expect(noSuite.stderr.contains("--from \(zip) needs --suite naming the one suite whose archive it is"), "\(noSuite.stderr)")
    #expect(noSuite.stderr.contains("--suite gpqa --from"))
  }

  @Test func aFileWithOtherColumnsStopsTheRunNamingTheFileTheColumnsAndTheFix() throws {
    let dir = CLI.temporaryDirectory()
    let data = dir + "/data"
    try FileManager.default.createDirectory(atPath: data + "/gpqa", withIntermediateDirectories: true)
    // Another dataset's layout, pinned, so that only its columns are wrong.
    let text = "id,question,choices,answer\r\n1,\"What?\",\"[\"\"a\"\",\"\"b\"\"]\",0\r\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: data + "/gpqa/gpqa_main.csv"))
    try "\(try Self.sha256(data + "/gpqa/gpqa_main.csv"))  gpqa_main.csv\n".write(
      toFile: data + "/gpqa/SHA256SUMS", atomically: true, encoding: .utf8)
    let run = try CLI.run(
      ["run", "--suite", "gpqa/main", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--data-dir", data,
       "--db", dir + "/r.sqlite"], in: dir)
    #expect(run.status == 2, "bad data exits 2, as documented: \(run.stderr)")
    #expect(run.stderr.contains("dataset file \(data)/gpqa/gpqa_main.csv has no column 'Correct Answer', 'Incorrect Answer 1', 'Incorrect Answer 2', 'Incorrect Answer 3', 'Question'"), "\(run.stderr)")
    #expect(run.stderr.contains("the file's columns are: 'id', 'question', 'choices', 'answer'"))
    #expect(run.stderr.contains("assay data fetch --suite gpqa --from dataset.zip"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/r.sqlite"), "nothing was stored")
  }

  /// A suites folder with arc-gen and gpqa and a two-entry preset of them (the real preset would run every suite).
  static func miniPreset(entries: String) throws -> String {
    let suites = CLI.temporaryDirectory()
    for (family, file) in [("arc", "arc-gen.yaml"), ("gpqa", "gpqa.yaml")] {
      try FileManager.default.createDirectory(atPath: suites + "/" + family, withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        atPath: CLI.repository + "/benchmarks/\(family)/\(file)", toPath: suites + "/\(family)/\(file)")
    }
    try FileManager.default.createDirectory(atPath: suites + "/presets", withIntermediateDirectories: true)
    try """
      id: mini
      description: two entries of llama3.1-instruct
      reference_model: Llama 3.1 8B Instruct
      prompt_mode: chat
      suites:
      \(entries)
      """.write(toFile: suites + "/presets/mini.yaml", atomically: true, encoding: .utf8)
    return suites
  }

  static let arcEntry = "  - { suite: arc-gen, variants: [challenge], reproduces: [\"ARC-Challenge\", \"ARC-C\"] }"
  static let gpqaEntry = "  - { suite: gpqa, variants: [main], reproduces: [\"GPQA (CoT)\", \"GPQA\"] }"

  @Test func aPresetRunSkipsWhatHasNoDataAndItsReportNamesThoseRowsAndWhy() throws {
    let suites = try Self.miniPreset(entries: Self.arcEntry + "\n" + Self.gpqaEntry)
    let dir = CLI.temporaryDirectory()
    let db = dir + "/preset.sqlite"
    let mock = try MockServerProcess(["--latency-ms", "1"])
    defer { mock.stop() }
    // The data root is ../shared/datasets, which has ARC and no GPQA.
    #expect(!FileManager.default.fileExists(atPath: CLI.datasets + "/gpqa/gpqa_main.csv"))
    let environment = ["ASSAY_SUITES_DIR": suites]
    let run = try CLI.run(
      ["run", "--preset", "mini", "--limit", "3", "--base-url", mock.baseURL, "--model", "mock-model", "--db", db],
      in: dir, environment: environment)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("skipped gpqa/main of preset mini (reproduces GPQA (CoT), GPQA): dataset file 'gpqa/gpqa_main.csv' for suite 'gpqa' is missing"), "\(run.stderr)")
    #expect(run.stderr.contains("assay data fetch --suite gpqa --from dataset.zip"))
    #expect(run.stdout.contains("| arc-gen |"), "what has data runs and is compared: \(run.stdout)")
    #expect(run.stdout.contains("### Published rows without a comparison"))
    #expect(run.stdout.contains("- GPQA (CoT) 32.8 (gpqa): not run: dataset file 'gpqa/gpqa_main.csv' for suite 'gpqa' is missing"), "\(run.stdout)")
    #expect(run.stdout.contains("- GPQA 30.4 (gpqa): not run:"))
    #expect(run.stdout.contains("Fix: run `assay data fetch --suite gpqa`"))
    // ARC-C is the same configuration as the compared ARC-Challenge: not a gap. Exactly the two GPQA rows are.
    #expect(!run.stdout.contains("- ARC-C"))

    // The stored run's report, asked later, knows from the preset that gpqa/main is not in it.
    let report = try CLI.run(
      ["report", "--db", db, "--reference", "Llama 3.1 8B Instruct", "--format", "json"], in: CLI.repository,
      environment: environment)
    #expect(report.status == 0, "\(report.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
    let gaps = try #require(object["reference_gaps"] as? [[String: Any]])
    #expect(gaps.compactMap { $0["benchmark"] as? String } == ["GPQA (CoT)", "GPQA"])
    #expect(gaps.allSatisfy { ($0["reason"] as? String)?.contains("gpqa/main is not in this run") == true })
    #expect(gaps.first?["published"] as? Double == 32.8)
  }

  @Test func aPresetWithNoDataAtAllStopsBeforeAnyRequest() throws {
    let suites = try Self.miniPreset(entries: Self.gpqaEntry)
    let dir = CLI.temporaryDirectory()
    let run = try CLI.run(
      ["run", "--preset", "mini", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--db", dir + "/r.sqlite"],
      in: dir, environment: ["ASSAY_SUITES_DIR": suites])
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.contains("preset mini: the data of every suite is absent, so nothing can run"), "\(run.stderr)")
  }
}
