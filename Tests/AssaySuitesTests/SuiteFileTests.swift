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
}
