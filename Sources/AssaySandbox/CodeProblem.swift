import AssayCore
import AssayText

/// A programming language generated code is tested in.
public enum CodeLanguage: String, CaseIterable, Sendable, Codable {
  case python, js, cpp, java, go, rust

  /// The name people use (`C++`).
  public var displayName: String {
    switch self {
    case .python: return "Python"
    case .js: return "JavaScript"
    case .cpp: return "C++"
    case .java: return "Java"
    case .go: return "Go"
    case .rust: return "Rust"
    }
  }

  /// Parses a language name as HumanEval-X and users spell it (`js`, `javascript`, `c++`, `cpp`).
  public init?(name: String) {
    switch name.lowercased() {
    case "python", "py": self = .python
    case "js", "javascript", "node": self = .js
    case "cpp", "c++": self = .cpp
    case "java": self = .java
    case "go", "golang": self = .go
    case "rust", "rs": self = .rust
    default: return nil
    }
  }
}

/// One code problem and how a completion of it becomes a test program.
public struct CodeProblem: Sendable, Equatable {
  /// How the program is put together.
  public enum Harness: String, Sendable, CaseIterable, Codable {
    /// openai/human-eval: prompt + completion + "\n" + test + "\n" + "check(entry_point)".
    case humanEval = "humaneval"
    /// CodeGeeX's HumanEval-X: the language's prompt + completion + test (see `CodeToolchain`).
    case humanEvalX = "humaneval-x"
    /// CRUXEval output prediction, as its `evaluate_score`: code + "assert <output> == <prediction>"; a prediction
    /// that holds the call `f(<input>)` itself fails unrun.
    case cruxevalOutput = "cruxeval-output"
    /// CRUXEval input prediction, as its `evaluate_score`: code + "assert <output> == <prediction>", where the
    /// prediction is a call such as `f("ab")`; one without `f(` fails unrun.
    case cruxevalInput = "cruxeval-input"
  }

  /// The problem id (`HumanEval/0`).
  public var id: String
  /// The language the program runs in.
  public var language: CodeLanguage
  /// How the program is assembled.
  public var harness: Harness
  /// The dataset row (`prompt`, `test`, `entry_point`, `canonical_solution`, `declaration`, `test_setup`, ...).
  public var fields: [String: String]

  /// A problem from a dataset row.
  public init(id: String, language: CodeLanguage, harness: Harness, fields: [String: String]) {
    self.id = id
    self.language = language
    self.harness = harness
    self.fields = fields
  }

  /// The reference completion, which must pass (`canonical_solution`; CRUXEval's `output`, or `f(<input>)`).
  public var canonicalCompletion: String? {
    switch harness {
    case .cruxevalOutput: return fields["output"]
    case .cruxevalInput: return fields["input"].map { "f(\($0))" }
    case .humanEval, .humanEvalX: return fields["canonical_solution"]
    }
  }

  /// Why a completion fails without being run, as CRUXEval's `evaluate_score` decides before executing: an input
  /// prediction without `f(` in it, an output prediction that contains `f(<input>)` (the question, not an answer).
  public func refusal(completion: String) -> String? {
    switch harness {
    case .cruxevalInput where !PythonText.contains(completion, "f("):
      return "the predicted input is not a call of f (no \"f(\" in it)"
    case .cruxevalOutput where PythonText.contains(completion, "f(\(fields["input"] ?? ""))"):
      return "the predicted output calls f on the input instead of giving its value"
    default:
      return nil
    }
  }

  /// The program's source text for a completion.
  public func program(completion: String) -> String {
    let prompt = fields["prompt"] ?? ""
    let test = fields["test"] ?? ""
    switch harness {
    case .humanEval:
      return prompt + completion + "\n" + test + "\n" + "check(\(fields["entry_point"] ?? "candidate"))\n"
    case .cruxevalOutput, .cruxevalInput:
      return (fields["code"] ?? "") + "\nassert \(fields["output"] ?? "") == \(completion)\n"
    case .humanEvalX:
      return CodeToolchain.humanEvalXProgram(language: language, fields: fields, completion: completion)
    }
  }
}
