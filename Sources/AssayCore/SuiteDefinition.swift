/// A benchmark suite as declared in a `benchmarks/<family>/<id>.yaml` file (suite format v1).
public struct SuiteDefinition: Codable, Sendable, Equatable {
  /// The suite format version; only 1 exists.
  public var format: Int
  /// Kebab-case id, unique across all suites (`mgsm`).
  public var id: String
  /// The family folder this suite belongs to (`mgsm`).
  public var family: String
  /// One line on what the suite measures.
  public var description: String
  /// The dataset's license, carried into reports.
  public var license: String
  /// How to cite the dataset.
  public var citation: String
  /// What kind of task: `generate` for now.
  public var taskType: String
  /// Where the data lives and how to read it.
  public var dataset: DatasetSpec
  /// Expected sha256 of every data file, keyed by path relative to the data root.
  public var sha256: [String: String]
  /// The suite's variants (languages, subjects); at least one.
  public var variants: [VariantSpec]
  /// How a prompt is built and sent.
  public var solver: SolverSpec
  /// How a response is scored.
  public var scorer: ScorerSpec
  /// Whether the prompt asks for chain-of-thought reasoning (recorded; compared with published configurations).
  public var chainOfThought: Bool?

  enum CodingKeys: String, CodingKey {
    case format, id, family, description, license, citation, taskType = "task_type", dataset, sha256, variants, solver,
      scorer, chainOfThought = "chain_of_thought"
  }

  /// Every top-level key a suite file may use (for "did you mean" on typos).
  public static let knownKeys: Set<String> = [
    "format", "id", "family", "description", "license", "citation", "task_type", "dataset", "sha256", "variants",
    "solver", "scorer", "chain_of_thought",
  ]
}

/// The location and layout of a suite's dataset file.
public struct DatasetSpec: Codable, Sendable, Equatable {
  /// Path relative to the data root; may use `${param}` from the variant.
  public var path: String
  /// `jsonl`, `tsv` (no header) or `json` (an array of objects).
  public var format: DatasetFormat
  /// Column names for `tsv`.
  public var columns: [String]?
  /// The target answer, a template over the sample's fields (`{{answer_number}}`).
  public var target: String
  /// When set, the target is the text after the last occurrence of this marker (GSM8K's `####`).
  public var targetAfterLast: String?
  /// Where the original file can be downloaded (documentation and `assay data fetch`).
  public var url: String?

  enum CodingKeys: String, CodingKey {
    case path, format, columns, target, targetAfterLast = "target_after_last", url
  }
}

/// File layouts that dataset files come in.
public enum DatasetFormat: String, Codable, Sendable, Equatable, CaseIterable {
  case jsonl, tsv, json
}

/// One variant of a suite: a language, a subject, a split.
public struct VariantSpec: Codable, Sendable, Equatable {
  /// The variant id (`de`), unique within its suite.
  public var id: String
  /// BCP-47 language tag of the prompts (`de`, `zh`, `en`).
  public var language: String
  /// Values substituted for `${name}` in the suite's templates.
  public var params: [String: String]

  /// A variant with the given id, language and parameters.
  public init(id: String, language: String, params: [String: String] = [:]) {
    self.id = id
    self.language = language
    self.params = params
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    var all = try container.decode([String: String].self)
    guard let id = all["id"] else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a variant needs an `id`"))
    }
    guard let language = all["language"] else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "variant '\(id)' needs a `language` (BCP-47 tag)"))
    }
    all["id"] = nil
    all["language"] = nil
    self.init(id: id, language: language, params: all)
  }

  public func encode(to encoder: any Encoder) throws {
    var all = params
    all["id"] = id
    all["language"] = language
    var container = encoder.singleValueContainer()
    try container.encode(all)
  }

  /// The parameters visible to templates, including `id` and `language`.
  public var templateParameters: [String: String] {
    var all = params
    all["id"] = id
    all["language"] = language
    all["variant"] = id
    return all
  }
}

/// How prompts are assembled and what generation parameters are sent.
public struct SolverSpec: Codable, Sendable, Equatable {
  /// Few-shot exemplars placed before the question.
  public var fewshot: FewShotSpec?
  /// An optional system message (chat mode only).
  public var system: String?
  /// The prompt template for one sample.
  public var prompt: PromptSpec
  /// Generation parameters.
  public var generate: GenerateSpec
}

/// Few-shot exemplars written inline in the suite file.
public struct FewShotSpec: Codable, Sendable, Equatable {
  /// The exemplars, each a map of fields.
  public var examples: [[String: String]]
  /// How one exemplar is rendered (`Q: {{question}}\nA: {{answer}}`).
  public var template: String
  /// What separates exemplars from each other and from the question.
  public var separator: String
}

/// The prompt template of one sample.
public struct PromptSpec: Codable, Sendable, Equatable {
  /// Template with `${param}` and `{{field}}` substitutions.
  public var template: String
}

/// Decoding parameters sent with every request of a suite.
public struct GenerateSpec: Codable, Sendable, Equatable {
  /// Maximum generated tokens.
  public var maxTokens: Int
  /// Sampling temperature; 0 is greedy.
  public var temperature: Double
  /// Nucleus sampling mass.
  public var topP: Double?
  /// Stop sequences (templated).
  public var stop: [String]?

  enum CodingKeys: String, CodingKey {
    case maxTokens = "max_tokens", temperature, topP = "top_p", stop
  }
}

/// How responses are turned into answers and compared with the target.
public struct ScorerSpec: Codable, Sendable, Equatable {
  /// Text normalizers applied to the whole response before extraction (`native_digits`).
  public var preprocess: [String]?
  /// Named extraction pipelines (`strict`, `flexible`), in report order.
  public var extract: [NamedPipeline]
  /// Normalizers applied to the extracted answer and the target.
  public var normalize: [String]
  /// The comparison: `exact` or `number`.
  public var match: String
  /// Which pipeline's score is the headline number.
  public var primary: String
}

/// One named extraction pipeline.
public struct NamedPipeline: Codable, Sendable, Equatable {
  /// The pipeline name (`strict`).
  public var name: String
  /// Steps applied in order.
  public var steps: [ExtractStep]
}

/// One step of an extraction pipeline (lm-eval's filters, as values).
public enum ExtractStep: Codable, Sendable, Equatable {
  /// Keep the text after the last occurrence of a literal; fail when it does not occur.
  case afterLast(String)
  /// All matches of a regular expression (group 1 when it has groups, else the whole match).
  case regex(String)
  /// All numbers, in any script and locale format.
  case numbers
  /// Keep the first candidate.
  case takeFirst
  /// Keep the last candidate.
  case takeLast

  enum CodingKeys: String, CodingKey {
    case afterLast = "after_last", regex, numbers, take
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    guard container.allKeys.count == 1, let key = container.allKeys.first else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "an extraction step has exactly one of: after_last, regex, numbers, take"))
    }
    switch key {
    case .afterLast: self = .afterLast(try container.decode(String.self, forKey: key))
    case .regex: self = .regex(try container.decode(String.self, forKey: key))
    case .numbers: self = .numbers
    case .take:
      let which = try container.decode(String.self, forKey: key)
      switch which {
      case "first": self = .takeFirst
      case "last": self = .takeLast
      default:
        throw DecodingError.dataCorruptedError(
          forKey: key, in: container, debugDescription: "`take` is `first` or `last`, not '\(which)'")
      }
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .afterLast(let text): try container.encode(text, forKey: .afterLast)
    case .regex(let pattern): try container.encode(pattern, forKey: .regex)
    case .numbers: try container.encode("all", forKey: .numbers)
    case .takeFirst: try container.encode("first", forKey: .take)
    case .takeLast: try container.encode("last", forKey: .take)
    }
  }
}
