import AssayCore

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
    /// CRUXEval output prediction: code + "assert f(input) == <prediction>".
    case cruxevalOutput = "cruxeval-output"
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

  /// The reference completion, which must pass (`canonical_solution`, or CRUXEval's `output`).
  public var canonicalCompletion: String? {
    harness == .cruxevalOutput ? fields["output"] : fields["canonical_solution"]
  }

  /// The program's source text for a completion.
  public func program(completion: String) -> String {
    let prompt = fields["prompt"] ?? ""
    let test = fields["test"] ?? ""
    switch harness {
    case .humanEval:
      return prompt + completion + "\n" + test + "\n" + "check(\(fields["entry_point"] ?? "candidate"))\n"
    case .cruxevalOutput:
      return (fields["code"] ?? "") + "\nassert f(\(fields["input"] ?? "")) == \(completion)\n"
    case .humanEvalX:
      return CodeToolchain.humanEvalXProgram(language: language, fields: fields, completion: completion)
    }
  }
}
