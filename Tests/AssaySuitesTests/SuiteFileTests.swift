import AssayCore
import AssaySuites
import Foundation
import Testing

@Suite struct SuiteFileTests {
  static let valid = """
    format: 1
    id: toy
    family: toy
    description: toy
    license: MIT
    citation: none
    task_type: generate
    dataset: { path: toy.jsonl, format: jsonl, target: "{{answer}}" }
    sha256: { toy.jsonl: abc }
    variants:
      - { id: main, language: en }
    solver:
      prompt: { template: "Q: {{question}}" }
      generate: { max_tokens: 8, temperature: 0 }
    scorer:
      extract:
        - { name: strict, steps: [ { numbers: all }, { take: last } ] }
      normalize: [trim]
      match: number
      primary: strict
    """

  func message(_ yaml: String) -> String {
    do {
      _ = try SuiteFile.parse(yaml, path: "benchmarks/toy/toy.yaml")
      return "no error"
    } catch {
      return error.description
    }
  }

  @Test func parsesAValidSuite() throws {
    let suite = try SuiteFile.parse(Self.valid, path: "toy.yaml")
    #expect(suite.id == "toy")
    #expect(suite.solver.generate.maxTokens == 8)
    #expect(suite.scorer.extract?[0].steps == [.numbers, .takeLast])
  }

  @Test func malformedYAMLNamesFileAndLine() {
    let text = message(Self.valid.replacingOccurrences(of: "  generate: { max_tokens: 8, temperature: 0 }", with: "  generate: { max_tokens: 8, temperature: 0"))
    #expect(text.contains("benchmarks/toy/toy.yaml"))
    #expect(text.contains("not valid YAML"))
    #expect(text.contains("line"))
  }

  @Test func unknownKeyGetsDidYouMean() {
    let text = message(Self.valid.replacingOccurrences(of: "max_tokens: 8", with: "max_token: 8"))
    #expect(text.contains("unknown key 'max_token' in 'solver.generate'"))
    #expect(text.contains("Did you mean 'max_tokens'?"))
    #expect(text.contains("line 14"))
  }

  @Test func wrongTypeNamesTheKeyAndLine() {
    let text = message(Self.valid.replacingOccurrences(of: "max_tokens: 8", with: "max_tokens: lots"))
    #expect(text.contains("solver.generate.max_tokens"))
    #expect(text.contains("an integer"))
  }

  @Test func unknownEnumeratedValuesListTheValidOnesWithTheLine() {
    let task = message(Self.valid.replacingOccurrences(of: "task_type: generate", with: "task_type: generation"))
    #expect(task.contains("line 7: unknown task_type 'generation'; use one of: generate,"), "\(task)")
    #expect(task.contains("rank_choices"))
    let format = message(Self.valid.replacingOccurrences(of: "format: jsonl", with: "format: jsonlines"))
    #expect(format.contains("unknown dataset.format 'jsonlines'; use one of:") && format.contains("jsonl"), "\(format)")
    // Scorer errors (found when the scorer is built) name the line of the value.
    let match = message(Self.valid.replacingOccurrences(of: "match: number", with: "match: numeric"))
    #expect(match.contains("line 19: variant 'main': unknown match 'numeric'"), "\(match)")
    #expect(match.contains("use one of: exact, number"))
    let normalizer = message(Self.valid.replacingOccurrences(of: "normalize: [trim]", with: "normalize: [trimm]"))
    #expect(normalizer.contains("line 18:") && normalizer.contains("unknown normalizer 'trimm'"), "\(normalizer)")
  }

  @Test func aMappingInsideAVariantSaysWhatVariantsHold() {
    let text = message(Self.valid.replacingOccurrences(
      of: "- { id: main, language: en }", with: "- { id: main, language: en, fewshot: { path: x.jsonl } }"))
    #expect(text.contains("'variants[0].fewshot' is not a string"), "\(text)")
    #expect(text.contains("go under solver"))
    #expect(!text.contains("Scalar"))
  }

  @Test func missingKeyIsNamed() {
    let text = message(Self.valid.replacingOccurrences(of: "license: MIT\n", with: ""))
    #expect(text.contains("missing key 'license'"))
  }

  @Test func undefinedVariantParameterIsCaughtAtLoad() {
    let text = message(Self.valid.replacingOccurrences(of: "Q: {{question}}", with: "${prefix}: {{question}}"))
    #expect(text.contains("variant 'main'"))
    #expect(text.contains("${prefix}"))
  }

  @Test func badRegexIsCaughtAtLoad() {
    let text = message(Self.valid.replacingOccurrences(of: "{ numbers: all }", with: "{ regex: '(unclosed' }"))
    #expect(text.contains("invalid regular expression"))
  }

  @Test func aPipelinesOwnRulesAreCheckedAtLoad() {
    func pipeline(_ text: String) -> String {
      message(Self.valid.replacingOccurrences(of: "{ name: strict, steps: [ { numbers: all }, { take: last } ] }", with: text))
    }
    #expect(pipeline("{ name: strict, steps: [ { take: last } ], normalise: [trim] }").contains("Did you mean 'normalize'?"))
    #expect(pipeline("{ name: strict, steps: [ { sub: [',', '', 'x'] } ] }").contains("`sub` is a pair [pattern, replacement]"))
    #expect(pipeline("{ name: strict, steps: [ { findall: '(a' } ] }").contains("invalid regular expression '(a' in a `findall` step"))
    #expect(pipeline("{ name: strict, steps: [ { sub: ['(a)', '\\2'] } ] }").contains("names group 2; the pattern has 1"))
    #expect(pipeline("{ name: strict, steps: [ { take: last } ], normalize: [ { sub: ['a', '\\q'] } ] }").contains("\\q, which Python refuses"))
    #expect(pipeline("{ name: strict, steps: [ { take: last } ], normalize: [ trim, lowercas ] }").contains("unknown normalizer 'lowercas' in the pipeline 'strict'"))
    #expect(pipeline("{ name: strict, steps: [ { take: last } ], match: numeric }").contains("unknown match 'numeric' in the pipeline 'strict'"))
    #expect(pipeline("{ name: strict, steps: [ { take: last } ], preprocess: [ native_digit ] }").contains("unknown normalizer 'native_digit'"))
    #expect(pipeline("{ name: strict, steps: [ { split_last: '' }, { take: last } ], preprocess: [], match: exact }") == "no error")
  }
}
