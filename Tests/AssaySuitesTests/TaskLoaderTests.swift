import AssayCore
import AssaySuites
import Foundation
import Testing

/// Rows to samples through a real suite file and data folder: multi-answer letters, excluded rows, choice separators,
/// array elements as fields, and the few-shot header.
@Suite struct TaskLoaderTests {
  @Test func lettersExcludeSeparatorsArraysAndHeader() throws {
    let root = TestPaths.temporaryDirectory()
    let rows = [
      #"{"q": "Pick primes", "options": ["2", "4", "5"], "label": ["A", "C"], "turns": ["first", "second"]}"#,
      #"{"q": "Broken", "options": ["x", "y"], "label": [], "turns": []}"#,
      #"{"q": "Pick even", "options": ["3", "8"], "label": "B", "turns": ["only"]}"#,
    ].joined(separator: "\n") + "\n"
    try rows.write(toFile: root + "/mc.jsonl", atomically: true, encoding: .utf8)
    let sha = SHA256.hex(Data(rows.utf8))
    let yaml = """
      format: 1
      id: mc
      family: mc
      description: test
      license: MIT
      citation: none
      task_type: rank_choices
      dataset:
        path: mc.jsonl
        format: jsonl
        choices: [ { json: "{{options}}" } ]
        answer: "{{label}}"
        answer_format: letters
        choice_separator: " | "
        exclude: { label: "[]" }
      sha256: { mc.jsonl: \(sha) }
      variants: [ { id: main, language: en, topic: numbers } ]
      solver:
        fewshot:
          examples: [ { q: "Pick odd", "turns.0": "ex", choices_block: "A. 1 | B. 2", answer_letter: A } ]
          answer: " {{answer_letter}}"
          header: "About ${topic}.\\n\\n"
        prompt: { template: "{{q}} ({{turns.0}})\\n{{choices_block}}\\nAnswer:" }
        continuation: " {{letter}}"
        generate: { max_tokens: 1, temperature: 0 }
      scorer: { metrics: [acc], primary: acc }
      """
    let suite = try SuiteFile.parse(yaml, path: "mc.yaml")
    let task = try TaskLoader(dataRoot: DataRoot(path: root, origin: "test")).load(suite: suite, variant: suite.variants[0])
    #expect(task.samples.count == 2, "the row without an answer is excluded")
    #expect(task.samples[0].correct == [0, 2])
    #expect(task.samples[0].fields["choices_block"] == "A. 2 | B. 4 | C. 5")
    #expect(task.samples[1].correct == [1] && task.samples[1].target == "B")
    let requests = try task.choiceRequests(for: task.samples[0], options: GenerationOptions(model: "m"))
    guard case .completion(let text) = requests[2].request.prompt else { Issue.record("not a completion"); return }
    #expect(text == "About numbers.\n\nPick odd (ex)\nA. 1 | B. 2\nAnswer: A\n\nPick primes (first)\nA. 2 | B. 4 | C. 5\nAnswer: C")
  }

  /// A JSQuAD-style record with several gold answers: `dataset.targets` reads them, the target is the first, and the
  /// scorer keeps the best match (SQuAD's rule) for exact match, token F1 and character F1 alike.
  @Test func severalGoldAnswersScoreAsTheBestMatch() throws {
    let root = TestPaths.temporaryDirectory()
    let rows = [
      #"{"id": "q1", "question": "日本一高い塔は？", "answers": {"text": ["東京スカイツリー", "スカイツリー"], "answer_start": [0, 2]}}"#,
      #"{"id": "q2", "question": "Capital?", "answers": {"text": ["Paris"], "answer_start": [0]}}"#,
      #"{"id": "q3", "question": "Unanswerable", "answers": {"text": [], "answer_start": []}}"#,
    ].joined(separator: "\n") + "\n"
    try rows.write(toFile: root + "/qa.jsonl", atomically: true, encoding: .utf8)
    func suite(metrics: String, exclude: Bool = true) -> String {
      """
      format: 1
      id: qa
      family: qa
      description: test
      license: MIT
      citation: none
      task_type: generate
      dataset:
        path: qa.jsonl
        format: jsonl
        targets: "{{answers.text}}"
      \(exclude ? "  exclude: { answers.text: \"[]\" }" : "")
      sha256: { qa.jsonl: \(SHA256.hex(Data(rows.utf8))) }
      variants: [ { id: ja, language: ja } ]
      solver:
        prompt: { template: "{{question}}" }
        generate: { max_tokens: 16, temperature: 0 }
      scorer:
        extract: [ { name: answer, steps: [ { regex: "^\\\\s*([^\\\\n]+)" }, { take: first } ] } ]
        normalize: [trim, remove_whitespace, strip_punctuation]
        metrics: \(metrics)
        primary: char_f1
      """
    }
    let loader = TaskLoader(dataRoot: DataRoot(path: root, origin: "test"))
    let parsed = try SuiteFile.parse(suite(metrics: "[char_f1, char_exact_match, exact_match, f1]"), path: "qa.yaml")
    let task = try loader.load(suite: parsed, variant: parsed.variants[0])
    #expect(task.samples.count == 2, "the row without an answer is excluded")
    #expect(task.samples[0].golds == ["東京スカイツリー", "スカイツリー"])
    #expect(task.samples[0].target == "東京スカイツリー")
    #expect(task.samples[1].golds == ["Paris"])
    let scorer = try Scorer(spec: parsed.scorer, params: [:], taskType: .generate)
    // The second gold, written with a space and a full stop: exact on characters, and best over the golds.
    let second = scorer.score(response: "スカイ ツリー。", sample: task.samples[0])
    #expect(second.values["char_exact_match"] == 1 && second.values["char_f1"] == 1)
    // Against the first gold alone it would be 6/8 recall: F1 = 2·(1·0.75)/(1.75).
    let alone = scorer.score(response: "スカイ ツリー。", target: "東京スカイツリー")
    #expect(abs((alone.values["char_f1"] ?? 0) - 1.5 / 1.75) < 1e-12)
    #expect(alone.values["char_exact_match"] == 0)
    // Without the exclusion, the empty list is an error that names the row and the fix.
    let strict = try SuiteFile.parse(suite(metrics: "[char_f1]", exclude: false), path: "qa.yaml")
    #expect {
      try loader.load(suite: strict, variant: strict.variants[0])
    } throws: { error in
      let error = error as? AssayError
      return error?.message.contains("row 2") == true && error?.fix?.contains("dataset.exclude") == true
    }
  }

  /// ARC's `question.choices` (`[{label, text}, ...]`) read by one `json` source with `key` and `label_key`, the
  /// answer matched by label: on the whole ARC-Easy and ARC-Challenge test files, the same options and the same
  /// correct one as the shipped suite, which needs five regex derives for it.
  @Test func choicesFromAnArrayOfObjectsMatchTheShippedARCSuite() throws {
    let shipped = try SuiteFile.load(path: TestPaths.benchmarks + "/arc/arc.yaml")
    var yaml = try String(contentsOfFile: TestPaths.benchmarks + "/arc/arc.yaml", encoding: .utf8)
    let start = try #require(yaml.range(of: "  derive:\n"))
    let end = try #require(yaml.range(of: "  answer_format: index\n"))
    yaml.replaceSubrange(start.lowerBound..<end.upperBound, with: """
        choices: [ { json: "{{question.choices}}", key: text, label_key: label } ]
        answer: "{{answerKey}}"
        answer_format: label

      """)
    let oneLine = try SuiteFile.parse(yaml, path: "arc-one-line.yaml")
    #expect(oneLine.dataset.derive == nil)
    let loader = TaskLoader(dataRoot: DataRoot(path: TestPaths.datasets, origin: "test"))
    for (variant, size) in [("easy", 2376), ("challenge", 1172)] {
      let a = try loader.load(suite: shipped, variant: try #require(shipped.variants.first { $0.id == variant }))
      let b = try loader.load(suite: oneLine, variant: try #require(oneLine.variants.first { $0.id == variant }))
      #expect(a.samples.count == size && b.samples.count == size)
      #expect(a.samples.map(\.choices) == b.samples.map(\.choices), "\(variant)")
      #expect(a.samples.map(\.correct) == b.samples.map(\.correct), "\(variant)")
      #expect(Set(b.samples.map(\.choices.count)) == [3, 4, 5], "items keep their 3 to 5 options")
    }
  }

  @Test func anObjectWithoutTheKeyIsNamedWithItsRow() throws {
    let root = TestPaths.temporaryDirectory()
    let rows = #"{"q": "x", "opts": [{"label": "A", "text": "one"}, {"label": "B", "txt": "two"}], "key": "A"}"# + "\n"
    try rows.write(toFile: root + "/o.jsonl", atomically: true, encoding: .utf8)
    let yaml = """
      format: 1
      id: o
      family: o
      description: test
      license: MIT
      citation: none
      task_type: rank_choices
      dataset:
        path: o.jsonl
        format: jsonl
        choices: [ { json: "{{opts}}", key: text, label_key: label } ]
        answer: "{{key}}"
        answer_format: label
      sha256: { o.jsonl: \(SHA256.hex(Data(rows.utf8))) }
      variants: [ { id: main, language: en } ]
      solver:
        prompt: { template: "{{q}}" }
        continuation: " {{choice}}"
        generate: { max_tokens: 1, temperature: 0 }
      scorer: { metrics: [acc], primary: acc }
      """
    let suite = try SuiteFile.parse(yaml, path: "o.yaml")
    #expect {
      try TaskLoader(dataRoot: DataRoot(path: root, origin: "test")).load(suite: suite, variant: suite.variants[0])
    } throws: { error in
      let error = error as? AssayError
      return error?.message.contains("row 0") == true && error?.message.contains("no key 'text'") == true
        && error?.message.contains("\"txt\":\"two\"") == true
    }
    // label without a label_key source is refused when the suite loads.
    #expect(throws: AssayError.self) {
      try SuiteFile.parse(yaml.replacingOccurrences(of: ", label_key: label", with: ""), path: "o.yaml")
    }
  }

  /// Exemplars drawn from the evaluated file (lighteval's BBH setting, only test splits exist): each item sees the
  /// first rows but never its own (the next row stands in), the run's settings say so, and a variant may choose its
  /// own count.
  @Test func exemplarsFromTheEvaluatedFileLeaveTheItemOut() throws {
    let root = TestPaths.temporaryDirectory()
    let rows = (0..<6).map { #"{"q": "q\#($0)", "a": "a\#($0)"}"# }.joined(separator: "\n") + "\n"
    try rows.write(toFile: root + "/t.jsonl", atomically: true, encoding: .utf8)
    let yaml = """
      format: 1
      id: t
      family: t
      description: test
      license: MIT
      citation: none
      task_type: generate
      dataset: { path: t.jsonl, format: jsonl, target: "{{a}}" }
      sha256: { t.jsonl: \(SHA256.hex(Data(rows.utf8))) }
      variants: [ { id: two, language: en }, { id: one, language: en, fewshot_count: "1" }, { id: bad, language: en, fewshot_count: "x" } ]
      solver:
        mode: completion
        fewshot: { path: t.jsonl, count: 2, template: "{{q}}={{target}}", separator: "|" }
        prompt: { template: "{{q}}=" }
        generate: { max_tokens: 4, temperature: 0 }
      scorer:
        extract: [ { name: answer, steps: [ { take: first } ] } ]
        primary: answer
      """
    let suite = try SuiteFile.parse(yaml, path: "t.yaml")
    let loader = TaskLoader(dataRoot: DataRoot(path: root, origin: "test"))
    let task = try loader.load(suite: suite, variant: suite.variants[0])
    let options = GenerationOptions(model: "m")
    func prompt(_ index: Int, _ task: EvalTask, _ options: GenerationOptions) throws -> String {
      guard case .completion(let text) = try task.request(for: task.samples[index], options: options).prompt else {
        Issue.record("not a completion")
        return ""
      }
      return text
    }
    #expect(try prompt(0, task, options) == "q1=a1|q2=a2|q0=")
    #expect(try prompt(1, task, options) == "q0=a0|q2=a2|q1=")
    #expect(try prompt(2, task, options) == "q0=a0|q1=a1|q2=")
    #expect(try prompt(5, task, options) == "q0=a0|q1=a1|q5=")
    let settings = task.settings(options: options, limit: nil)
    #expect(settings.shots == 2 && settings.fewshotFromEvaluatedFile == true)
    // --num-fewshot 1 still never shows the item itself.
    var one = options
    one.numFewshot = 1
    #expect(try prompt(0, task, one) == "q1=a1|q0=")
    // A variant's fewshot_count.
    let single = try loader.load(suite: suite, variant: suite.variants[1])
    #expect(try prompt(0, single, options) == "q1=a1|q0=" && single.shots(options) == 1)
    #expect(throws: AssayError.self) { try loader.load(suite: suite, variant: suite.variants[2]) }
  }
}
