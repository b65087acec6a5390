import AssayCore
import AssaySuites
import AssayTesting
import Foundation
import Testing

/// `dataset.shuffle` and `archive` as suite-format keys: the permutation equals Python's for every option count,
/// the keys are checked when a suite loads, linted, and part of the content hash.
@Suite struct ChoiceShuffleTests {
  @Test func theOrderIsPythonsSampleForTwoToTenOptions() throws {
    let seeds = ["", "recA1b2C3", "Question text with ünïcode ✓ and\nnewlines", "0"] + (0..<40).map { "seed-\($0)" }
    let json = String(decoding: try JSONSerialization.data(withJSONObject: seeds), as: UTF8.self)
    let out = try PythonProcess.run(
      """
      import hashlib, json, random, sys
      seeds = json.load(sys.stdin)
      print(json.dumps({str(n): [random.Random(int.from_bytes(hashlib.sha256(s.encode("utf-8")).digest(), "big")).sample(range(n), n)
                                for s in seeds] for n in range(2, 11)}))
      """, stdin: json)
    let python = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: [[Int]]]
    for count in 2...10 {
      let orders = seeds.map { ChoiceShuffle.order(count: count, seed: $0) }
      #expect(orders == python[String(count)], "\(count) options")
    }
    // A changed seed changes the order of some items (the rule is not a constant).
    #expect(Set(seeds.map { ChoiceShuffle.order(count: 4, seed: $0) }).count > 10)
  }

  @Test func aDigestWithALeadingZeroByteSeedsAsPythonDoes() throws {
    // CPython keys the generator with the integer's 32-bit words by its bit length, so a digest with a zero first
    // byte is a smaller number whose top word is short: seeds whose digest starts with 0x00, found by Python.
    let out = try PythonProcess.run(
      """
      import hashlib, random
      found = []
      i = 0
      while len(found) < 3:
          s = "z%d" % i
          if hashlib.sha256(s.encode()).digest()[0] == 0:
              found.append((s, random.Random(int.from_bytes(hashlib.sha256(s.encode()).digest(), "big")).sample(range(8), 8)))
          i += 1
      for s, order in found:
          print(s, *order)
      """)
    for line in out.split(separator: "\n") {
      let parts = line.split(separator: " ").map(String.init)
      #expect(ChoiceShuffle.order(count: 8, seed: parts[0]) == parts.dropFirst().map { Int($0)! }, "\(parts[0])")
    }
  }

  static func yaml(dataset: String, extra: String = "") -> String {
    """
    format: 1
    id: mc
    family: mc
    description: test
    license: MIT
    citation: none
    task_type: generate
    dataset:
      path: mc/mc.csv
      format: csv
    \(dataset)
    sha256: {}
    \(extra)
    variants: [ { id: main, language: en } ]
    solver:
      prompt: { template: "{{q}}\\n{{choices_block}}" }
      generate: { max_tokens: 8, temperature: 0 }
    scorer:
      extract: [ { name: letter, steps: [ { regex: "([A-D])" }, { take: first } ] } ]
      match: exact
      primary: letter
    """
  }

  static let choices = """
      choices: [ { template: "{{a}}" }, { template: "{{b}}" }, { template: "{{c}}" } ]
      answer: "0"
    """

  func error(_ yaml: String) -> String? {
    do {
      _ = try SuiteFile.parse(yaml, path: "mc.yaml")
      return nil
    } catch {
      return error.message
    }
  }

  @Test func theKeysAreCheckedWhenASuiteLoads() throws {
    // A typo in the shuffle mapping, a shuffle without choices, an unsafe archive path, a checksum file that does
    // not hold the extracted files.
    #expect(error(Self.yaml(dataset: Self.choices + "\n  shuffle: { sed: \"{{id}}\" }"))?.contains("Did you mean 'seed'?") == true)
    #expect(error(Self.yaml(dataset: "  target: \"{{a}}\"\n  shuffle: { seed: \"{{id}}\" }"))?.contains("dataset.shuffle needs dataset.choices") == true)
    let archive = "archive: { url: \"https://example.org/d.zip\", files: { \"d/mc.csv\": \"../mc.csv\" } }"
    #expect(error(Self.yaml(dataset: Self.choices, extra: archive))?.contains("archive.files: the path '../mc.csv' has a '..' component") == true)
    let outside = "archive: { url: \"https://example.org/d.zip\", files: { \"d/mc.csv\": \"mc/mc.csv\" } }\nlocal_checksums: other/SHA256SUMS"
    #expect(error(Self.yaml(dataset: Self.choices, extra: outside))?.contains("outside the folder of local_checksums") == true)
    #expect(error(Self.yaml(dataset: Self.choices, extra: "archive: { url: \"https://example.org/d.zip\", file: {} }"))?
      .contains("Did you mean 'files'?") == true)
    let good = "archive: { url: \"https://example.org/d.zip\", password: pw, files: { \"d/mc.csv\": \"mc/mc.csv\" } }\nlocal_checksums: mc/SHA256SUMS"
    #expect(error(Self.yaml(dataset: Self.choices + "\n  shuffle: { seed: [\"{{id}}\", \"{{q}}\"] }", extra: good)) == nil)
  }

  @Test func lintWarnsAboutASeedWithoutFieldsAndChecksumsWithoutAnArchive() throws {
    let constant = try SuiteFile.parse(Self.yaml(dataset: Self.choices + "\n  shuffle: { seed: \"fixed\" }"), path: "mc.yaml")
    #expect(SuiteLint.warnings(for: constant).contains { $0.contains("names no row field") })
    let seeded = try SuiteFile.parse(Self.yaml(dataset: Self.choices + "\n  shuffle: { seed: \"{{id}}\" }"), path: "mc.yaml")
    #expect(SuiteLint.warnings(for: seeded).isEmpty)
    let pinnedOnly = try SuiteFile.parse(Self.yaml(dataset: Self.choices, extra: "local_checksums: mc/SHA256SUMS"), path: "mc.yaml")
    #expect(SuiteLint.warnings(for: pinnedOnly).contains { $0.contains("local_checksums without archive") })
    let gpqa = try SuiteFile.load(path: TestPaths.repository + "/benchmarks/gpqa/gpqa.yaml")
    #expect(SuiteLint.warnings(for: gpqa).isEmpty, "\(SuiteLint.warnings(for: gpqa))")
  }

  @Test func theShuffleAndTheArchiveArePartOfTheContentHash() throws {
    func hash(_ yaml: String) throws -> String {
      let suite = try SuiteFile.parse(yaml, path: "mc.yaml")
      return try EvalTask.contentHash(suite: suite, variant: suite.variants[0])
    }
    let plain = try hash(Self.yaml(dataset: Self.choices))
    let byID = try hash(Self.yaml(dataset: Self.choices + "\n  shuffle: { seed: \"{{id}}\" }"))
    let byQuestion = try hash(Self.yaml(dataset: Self.choices + "\n  shuffle: { seed: \"{{q}}\" }"))
    let asList = try hash(Self.yaml(dataset: Self.choices + "\n  shuffle: { seed: [\"{{id}}\"] }"))
    #expect(Set([plain, byID, byQuestion]).count == 3)
    #expect(byID == asList, "one string and a list of one are the same rule")
    let archived = try hash(Self.yaml(
      dataset: Self.choices, extra: "archive: { url: \"https://example.org/d.zip\", files: { \"d/mc.csv\": \"mc/mc.csv\" } }"))
    #expect(archived != plain)
  }
}
