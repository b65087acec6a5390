import AssayCore
import AssaySuites
import Foundation
import Testing

/// A YAML-only Japanese extractive QA suite with several golds per question, in JSQuAD's row layout
/// (`answers: {text: [...], answer_start: [...]}`), scoring fixed responses as JGLUE's scorer does: the hostile
/// cases of `Tests/Fixtures/jsquad/reference.json` (made by `scripts/jsquad-reference.py`) that have golds.
@Suite struct JSQuADSuiteTests {
  struct Case: Decodable {
    let name: String
    let prediction: String
    let golds: [String]
    let exact_match: Double
    let char_f1: Double
  }

  struct Reference: Decodable { let cases: [Case] }

  @Test func aSuiteScoresFixedResponsesAsJGLUE() throws {
    let fixture = URL(fileURLWithPath: TestPaths.repository + "/Tests/Fixtures/jsquad/reference.json")
    let cases = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: fixture)).cases.filter { !$0.golds.isEmpty }
    #expect(cases.count >= 40)
    let root = TestPaths.temporaryDirectory()
    var rows = ""
    for (index, item) in cases.enumerated() {
      let row: [String: Any] = [
        "id": "q\(index)", "title": "t", "context": item.golds.joined(separator: "。"), "question": item.name,
        "answers": ["text": item.golds, "answer_start": item.golds.map { _ in 0 }],
      ]
      rows += String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self) + "\n"
    }
    try rows.write(toFile: root + "/valid.jsonl", atomically: true, encoding: .utf8)
    let yaml = """
      format: 1
      id: jsquad-mini
      family: qa
      description: JSQuAD-style extractive QA, scored with JGLUE's rules
      license: MIT
      citation: none
      task_type: generate
      dataset:
        path: valid.jsonl
        format: jsonl
        targets: "{{answers.text}}"
      sha256: { valid.jsonl: \(SHA256.hex(Data(rows.utf8))) }
      variants: [ { id: ja, language: ja } ]
      solver:
        prompt: { template: "{{context}}\\n質問: {{question}}\\n答え:" }
        generate: { max_tokens: 32, temperature: 0 }
      scorer:
        extract: [ { name: answer, steps: [ { take: first } ] } ]
        metrics: [char_f1_jsquad, exact_match_jsquad]
        primary: char_f1_jsquad
      """
    try yaml.write(toFile: root + "/jsquad-mini.yaml", atomically: true, encoding: .utf8)
    let suite = try SuiteFile.load(path: root + "/jsquad-mini.yaml")
    let task = try TaskLoader(dataRoot: DataRoot(path: root, origin: "test")).load(suite: suite, variant: suite.variants[0])
    let scorer = try Scorer(spec: suite.scorer, params: [:], taskType: .generate)
    #expect(task.samples.count == cases.count)
    var exactSum = 0.0, f1Sum = 0.0, referenceExact = 0.0, referenceF1 = 0.0, trimmed: [String] = []
    for (sample, item) in zip(task.samples, cases) {
      // The loader trims every gold; JGLUE does not, which matters only where white space after a final `。` keeps
      // it from being stripped (a gold "。 " is "。" to JGLUE but nothing once trimmed).
      let loaded = item.golds.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      #expect(sample.golds == loaded, "\(item.name): the loader changed the golds beyond trimming")
      let score = scorer.score(response: item.prediction, sample: sample)
      let exact = score.values["exact_match_jsquad"] ?? -1, f1 = score.values["char_f1_jsquad"] ?? -1
      if loaded != item.golds, JSQuADMetric.f1(item.prediction, golds: loaded) != item.char_f1 {
        trimmed.append(item.name)
        continue
      }
      #expect(exact == item.exact_match, "\(item.name): exact match \(exact), reference \(item.exact_match)")
      #expect(abs(f1 - item.char_f1) < 1e-12, "\(item.name): F1 \(f1), reference \(item.char_f1)")
      exactSum += exact
      f1Sum += f1
      referenceExact += item.exact_match
      referenceF1 += item.char_f1
    }
    #expect(abs(exactSum - referenceExact) < 1e-9 && abs(f1Sum - referenceF1) < 1e-9)
    // The one case the trimming changes, named so that a change to it shows here.
    #expect(trimmed == ["gold of only a full stop, empty prediction"])
  }
}
