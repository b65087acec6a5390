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
}
