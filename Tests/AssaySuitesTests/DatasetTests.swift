import AssayCore
import AssaySuites
import Foundation
import Testing

@Suite struct DatasetTests {
  @Test func invalidJSONLineIsNamed() {
    let data = Data("{\"a\": 1}\n{\"a\": 2\n".utf8)
    #expect {
      try DatasetReader.rows(from: data, format: .jsonl, columns: nil, path: "x/test.jsonl")
    } throws: { error in
      let message = (error as? AssayError)?.message ?? ""
      return message.contains("x/test.jsonl, line 2") && message.contains("not valid JSON")
    }
  }

  @Test func aJSONArrayReadAsJSONLSuggestsFormatJSON() {
    // Spread over lines (the usual pretty-printed file) and on one line: either way the fix is `format: json`.
    for text in ["[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n", "[{\"a\": 1}, {\"a\": 2}]\n"] {
      #expect {
        try DatasetReader.rows(from: Data(text.utf8), format: .jsonl, columns: nil, path: "x/test.json")
      } throws: { error in
        let error = error as? AssayError
        return error?.fix?.contains("format: json") == true && error?.message.contains("x/test.json, line 1") == true
          && error?.fix?.contains("damaged") == false
      }
    }
  }

  @Test func tsvWithWrongFieldCountIsNamed() {
    let data = Data("q1\t1\nq2 without tab\n".utf8)
    #expect {
      try DatasetReader.rows(from: data, format: .tsv, columns: ["question", "answer"], path: "m.tsv")
    } throws: { error in
      (error as? AssayError)?.message.contains("m.tsv, line 2: expected 2 tab-separated fields") == true
    }
  }

  @Test func nonStringJSONValuesBecomeText() throws {
    let rows = try DatasetReader.rows(
      from: Data(#"{"n": 3, "l": [1, 2], "s": "x"}"#.utf8), format: .jsonl, columns: nil, path: "p")
    #expect(rows == [["n": "3", "l": "[1,2]", "s": "x", "l.0": "1", "l.1": "2"]])
  }

  @Test func missingFileNamesPathAndChecksum() throws {
    let suite = try SuiteFile.load(path: TestPaths.benchmarks + "/mgsm/mgsm.yaml")
    let loader = TaskLoader(dataRoot: DataRoot(path: "/nonexistent", origin: "--data-dir"))
    #expect {
      try loader.load(suite: suite, variant: suite.variants[0])
    } throws: { error in
      let e = error as! AssayError
      return e.code == .missingData && e.message.contains("/nonexistent/mgsm/mgsm_bn.tsv")
        && e.message.contains(suite.sha256["mgsm/mgsm_bn.tsv"]!) && e.fix!.contains("--data-dir")
    }
  }

  @Test func checksumMismatchIsRefused() throws {
    let root = TestPaths.temporaryDirectory()
    try FileManager.default.createDirectory(atPath: root + "/mgsm", withIntermediateDirectories: true)
    try Data("question\t1\n".utf8).write(to: URL(fileURLWithPath: root + "/mgsm/mgsm_bn.tsv"))
    let suite = try SuiteFile.load(path: TestPaths.benchmarks + "/mgsm/mgsm.yaml")
    #expect {
      try TaskLoader(dataRoot: DataRoot(path: root, origin: "test")).load(suite: suite, variant: suite.variants[0])
    } throws: { error in
      (error as? AssayError)?.code == .checksumMismatch
    }
  }

  @Test func realMGSMAndGSM8KLoadWithTargets() throws {
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    let loader = TaskLoader(dataRoot: DataRoot(path: TestPaths.datasets, origin: "test"))
    let gsm = try loader.load(suite: try catalog.suite(named: "gsm8k"), variant: try catalog.suite(named: "gsm8k").variants[0])
    #expect(gsm.samples.count == 1319)
    #expect(gsm.samples[0].target == "18")
    let mgsm = try catalog.suite(named: "mgsm")
    #expect(mgsm.variants.count == 11)
    for variant in mgsm.variants {
      let task = try loader.load(suite: mgsm, variant: variant)
      #expect(task.samples.count == 250, "\(variant.id)")
    }
  }

  @Test func unknownSuiteSuggestsTheClosest() throws {
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    #expect {
      try catalog.suite(named: "msgm")
    } throws: { error in
      (error as? AssayError)?.message.contains("Did you mean 'mgsm'?") == true
    }
  }

  @Test func contentHashChangesWhenThePromptChanges() throws {
    var suite = try SuiteFile.load(path: TestPaths.benchmarks + "/gsm8k/gsm8k.yaml")
    let before = try EvalTask.contentHash(suite: suite, variant: suite.variants[0])
    suite.solver.prompt.template += " "
    #expect(try EvalTask.contentHash(suite: suite, variant: suite.variants[0]) != before)
  }
}
