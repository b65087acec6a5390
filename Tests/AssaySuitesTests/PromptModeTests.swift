import AssayCore
import AssaySuites
import Foundation
import Testing

/// How one suite's prompt is sent in each mode: chat or completion, few-shot as text or as turns, system prompt.
@Suite struct PromptModeTests {
  static let yaml = """
    format: 1
    id: toy-mc
    family: toy
    description: toy
    license: MIT
    citation: none
    task_type: generate
    dataset:
      path: toy.jsonl
      format: jsonl
      choices: [ { json: "{{options}}" } ]
      answer: "{{label}}"
      answer_format: letter
    sha256: { toy.jsonl: abc }
    variants: [ { id: main, language: en } ]
    solver:
      system: Be brief.
      fewshot:
        examples:
          - { question: "1+1?", choices_block: "A. 2\\nB. 3", answer_letter: A }
        answer: " {{answer_letter}}"
        separator: "\\n\\n"
      prompt: { template: "{{question}}\\n{{choices_block}}\\nAnswer:" }
      generate: { max_tokens: 4, temperature: 0 }
    scorer:
      extract: [ { name: letter, steps: [ { regex: "([A-D])" }, { take: first } ] } ]
      normalize: [trim]
      match: exact
      primary: letter
    """

  func task() throws -> (EvalTask, Sample) {
    let suite = try SuiteFile.parse(Self.yaml, path: "toy.yaml")
    let sample = Sample(
      index: 0, fields: ["question": "2+2?", "choices_block": "A. 3\nB. 4", "answer_letter": "B"], target: "B",
      choices: ["3", "4"], correct: [1])
    return (try EvalTask(suite: suite, variant: suite.variants[0], samples: [sample], datasetSHA256: [:]), sample)
  }

  @Test func chatWithTextFewShotIsOneUserMessageAfterTheSystemPrompt() throws {
    let (task, sample) = try task()
    let request = try task.request(for: sample, options: GenerationOptions(model: "m"))
    #expect(request.endpoint == "chat/completions")
    #expect(request.prompt == .chat([
      ChatMessage(role: "system", content: "Be brief."),
      ChatMessage(role: "user", content: "1+1?\nA. 2\nB. 3\nAnswer: A\n\n2+2?\nA. 3\nB. 4\nAnswer:"),
    ]))
  }

  @Test func turnsPutEachExemplarInItsOwnUserAndAssistantMessages() throws {
    let (task, sample) = try task()
    let options = GenerationOptions(model: "m", systemPrompt: "Other.", fewshotStyle: .turns)
    #expect(try task.request(for: sample, options: options).prompt == .chat([
      ChatMessage(role: "system", content: "Other."),
      ChatMessage(role: "user", content: "1+1?\nA. 2\nB. 3\nAnswer:"),
      ChatMessage(role: "assistant", content: "A"),
      ChatMessage(role: "user", content: "2+2?\nA. 3\nB. 4\nAnswer:"),
    ]))
    let settings = task.settings(options: options, limit: nil)
    #expect(settings.fewshotStyle == "turns" && settings.systemPrompt == "Other." && settings.shots == 1)
  }

  @Test func completionModeIsRawTextWithoutTheSystemPrompt() throws {
    let (task, sample) = try task()
    let options = GenerationOptions(model: "m", mode: .completion, fewshotStyle: .turns)
    let request = try task.request(for: sample, options: options)
    #expect(request.endpoint == "completions")
    #expect(request.prompt == .completion("1+1?\nA. 2\nB. 3\nAnswer: A\n\n2+2?\nA. 3\nB. 4\nAnswer:"))
    let settings = task.settings(options: options, limit: nil)
    #expect(settings.promptMode == "completion" && settings.fewshotStyle == "text" && settings.systemPrompt == nil)
  }

  @Test func rankedChoicesAreCompletionsWithEchoAndTheirContinuationSpan() throws {
    var suite = try SuiteFile.parse(Self.yaml.replacingOccurrences(of: "task_type: generate", with: "task_type: rank_choices")
      .replacingOccurrences(of: """
        extract: [ { name: letter, steps: [ { regex: "([A-D])" }, { take: first } ] } ]
          normalize: [trim]
          match: exact
          primary: letter
        """, with: "metrics: [acc, acc_norm]\n  primary: acc"), path: "rank.yaml")
    suite.solver.continuation = " {{letter}}"
    let (_, sample) = try task()
    let ranked = try EvalTask(suite: suite, variant: suite.variants[0], samples: [sample], datasetSHA256: [:])
    let requests = try ranked.choiceRequests(for: sample, options: GenerationOptions(model: "m", mode: .chat))
    #expect(requests.count == 2)
    let context = "1+1?\nA. 2\nB. 3\nAnswer: A\n\n2+2?\nA. 3\nB. 4\nAnswer:"
    #expect(requests[1].request.prompt == .completion(context + " B"))
    #expect(requests[1].request.echo == true && requests[1].request.logprobs == 1 && requests[1].request.maxTokens == 1)
    #expect(requests[1].contextLength == context.unicodeScalars.count)
    #expect(requests[1].promptLength == context.unicodeScalars.count + 2)
    #expect(requests[1].continuationBytes == 2)
    #expect(ranked.promptMode(GenerationOptions(model: "m", mode: .chat)) == .completion)
  }
}
