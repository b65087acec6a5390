import AssayCore
import Foundation

/// Small suites and tasks built in code, for tests that need no files.
public enum SuiteFixtures {
  /// A one-variant math suite: prompt `Q: {{question}}`, strict "The answer is N", flexible last number.
  public static func mathSuite(id: String = "toy-math") -> SuiteDefinition {
    let json = """
      {"format": 1, "id": "\(id)", "family": "\(id)", "description": "toy", "license": "MIT", "citation": "none",
       "task_type": "generate",
       "dataset": {"path": "toy.jsonl", "format": "jsonl", "target": "{{answer}}"},
       "sha256": {}, "variants": [{"id": "main", "language": "en"}],
       "solver": {"prompt": {"template": "Q: {{question}}"}, "generate": {"max_tokens": 32, "temperature": 0}},
       "scorer": {"preprocess": ["native_digits"],
         "extract": [{"name": "strict", "steps": [{"regex": "The answer is (-?[0-9.,]+)"}, {"take": "first"}]},
                     {"name": "flexible", "steps": [{"numbers": "all"}, {"take": "last"}]}],
         "normalize": ["trim"], "match": "number", "primary": "strict"}}
      """
    return try! JSONDecoder().decode(SuiteDefinition.self, from: Data(json.utf8))
  }

  /// A task of `count` samples whose target is the sample index.
  public static func mathTask(count: Int, id: String = "toy-math") throws -> EvalTask {
    let samples = (0..<count).map { Sample(index: $0, fields: ["question": "What is \($0)?"], target: "\($0)") }
    let suite = mathSuite(id: id)
    return try EvalTask(suite: suite, variant: suite.variants[0], samples: samples, datasetSHA256: ["toy.jsonl": "0"])
  }
}
