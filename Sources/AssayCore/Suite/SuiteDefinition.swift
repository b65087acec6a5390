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
  /// What kind of task (see `TaskType`).
  public var taskType: TaskType
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
  /// Published reference rows this suite reproduces (`benchmark` names in results/reference), for presets.
  public var reproduces: [String]?
  /// A warning shown with the suite (harmful content, known data problems).
  public var warning: String?
  /// Files the scorer reads besides the data (IFEval: nltk's Punkt parameters, langdetect's profiles), fetched by
  /// `assay data fetch` into the resource root; their sha256 sit in `sha256` under `resources/<path>`.
  public var resources: [ResourceSpec]?
  /// `needle` suites: the grid of context lengths and depths, and the needle and question texts.
  public var needle: NeedleSpec?
  /// An archive `assay data fetch` extracts the data files from (GPQA's password-protected zip), instead of
  /// downloading each file.
  public var archive: ArchiveSpec?
  /// A file in the data root (`sha256sum` format, paths relative to its folder) holding the sha256 of the data files
  /// `sha256` does not list: data whose checksums Assay cannot publish (the user's own copy). `assay data fetch`
  /// writes it when it first extracts the files; every load then checks them against it.
  public var localChecksums: String?

  enum CodingKeys: String, CodingKey {
    case format, id, family, description, license, citation, taskType = "task_type", dataset, sha256, variants, solver,
      scorer, chainOfThought = "chain_of_thought", reproduces, warning, resources, archive, needle
    case localChecksums = "local_checksums"
  }

  /// Whether the data is the user's own copy, checked against checksums pinned in the data root rather than
  /// published ones (`local_checksums`): Assay ships none of it, so its absence is expected, not an error.
  public var dataIsUsersCopy: Bool { localChecksums != nil }

  /// Whether `assay run` can score this suite: its task type is implemented, and a judge suite names its judging.
  public var isRunnable: Bool {
    switch taskType {
    case .judge: return scorer.judge.map { JudgeSpec.modes.contains($0.mode) } == true
    case .instructionFollowing: return ["ifeval", "m-ifeval"].contains(scorer.checkers ?? "ifeval")
    default: return taskType.isRunnable
    }
  }

  /// Whether `assay run` can score this variant: the suite can, and the variant is not marked `unsupported` (a
  /// parameter giving the reason).
  public func isRunnable(_ variant: VariantSpec) -> Bool { isRunnable && variant.params["unsupported"] == nil }

  /// Every top-level key a suite file may use (for "did you mean" on typos).
  public static let knownKeys: Set<String> = [
    "format", "id", "family", "description", "license", "citation", "task_type", "dataset", "sha256", "variants",
    "solver", "scorer", "chain_of_thought", "reproduces", "warning", "resources", "archive", "local_checksums", "needle",
  ]
}

/// A file a scorer needs at run time, relative to the resource root, with where to download it.
public struct ResourceSpec: Codable, Sendable, Equatable {
  /// Path relative to the resource root (`punkt_tab/english/abbrev_types.txt`).
  public var path: String
  /// Where `assay data fetch` downloads it from.
  public var url: String
}

/// The kinds of task a suite can declare.
public enum TaskType: String, Codable, Sendable, Equatable, CaseIterable {
  /// Generate text, extract an answer, compare with the target.
  case generate
  /// Score each choice's continuation by log-likelihood (`/v1/completions` with echo and logprobs).
  case rankChoices = "rank_choices"
  /// Generated code run against tests in the sandbox (`scorer.execute`), scored as pass@k.
  case code
  /// IFEval-style instruction checkers (AssayInstructions' `InstructionFollowingGrader`).
  case instructionFollowing = "instruction_following"
  /// Answers graded by an LLM judge (AssayRunner's `JudgeGrader`: single ratings, pairwise verdicts, multi-turn).
  case judge
  /// Function calling, BFCL-style: the prompt template renders the item's record (JSON with `question` and
  /// `function`), the model answers calls in BFCL's prompted format, `FunctionCallGrader` checks them as BFCL does.
  case functionCall = "function_call"
  /// Needle in a haystack: each item is a cell of the suite's `needle` grid; its context is cut from the haystack
  /// to a length in the model's own tokens at run time, needles hidden at the cell's depth, and `NeedleGrader`
  /// scores the share of asked values the answer gives.
  case needle
  /// Safety: the model answers harmful or benign-but-risky prompts; a guard model (Llama Guard) judges the answers
  /// to harmful ones (`violation`), XSTest's string match and optionally an LLM classifier count refusals
  /// (`refusal`, `false_refusal`). AssayRunner's `GuardGrader` grades them.
  case safety

  /// Whether `assay run` can score this task type yet.
  public var isRunnable: Bool {
    self == .generate || self == .rankChoices || self == .code || self == .instructionFollowing || self == .functionCall
      || self == .needle || self == .safety
  }
  /// Whether scoring needs a `ResponseGrader` (the sandbox, IFEval's checkers) rather than the suite's scorer alone.
  public var needsGrader: Bool {
    self == .code || self == .instructionFollowing || self == .judge || self == .functionCall || self == .needle
      || self == .safety
  }
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
  /// The suite's prompt mode when the run does not choose one (`chat` unless set).
  public var mode: PromptMode?
  /// The prompt template for one sample.
  public var prompt: PromptSpec
  /// `rank_choices`: the scored continuation of each choice (default ` {{choice}}`; may use `{{letter}}`).
  public var continuation: String?
  /// Generation parameters.
  public var generate: GenerateSpec
  /// Multi-turn chat: the sample field holding the list of user turns (MT-Bench's `turns`). The prompt template
  /// renders the first; each later turn is sent as is, after the model's own answers to the earlier ones.
  public var turns: String?

  /// Every key a solver mapping may use.
  public static let knownKeys: Set<String> = ["fewshot", "system", "mode", "prompt", "continuation", "generate", "turns"]
}

/// Few-shot exemplars: written inline, the first rows of a data file, or a text file included verbatim.
public struct FewShotSpec: Codable, Sendable, Equatable {
  /// Inline exemplars, each a map of fields.
  public var examples: [[String: String]]?
  /// A data file (read with the dataset's layout) whose first `count` rows are the exemplars.
  public var path: String?
  /// How many rows of `path` to use (default 5).
  public var count: Int?
  /// A text file placed verbatim before the question (BIG-Bench-Hard's chain-of-thought prompts).
  public var textFile: String?
  /// Lines of `text_file` that start with this prefix are dropped (BIG-Bench-Hard's canary line).
  public var dropLinesStarting: String?
  /// How a whole exemplar is rendered in text form (`Q: {{question}}\nA: {{answer}}`).
  public var template: String?
  /// The question part of an exemplar (default: the suite's prompt template); used with `answer`.
  public var prompt: String?
  /// The answer part of an exemplar (the assistant turn in `turns` style).
  public var answer: String?
  /// What separates exemplars from each other and from the question.
  public var separator: String?
  /// `text` (exemplars inside one prompt) or `turns` (user/assistant turns before the question, chat mode).
  public var style: FewShotStyle?
  /// Text placed once before the first exemplar (or before the question when there are none), e.g. lm-eval's
  /// MMLU description; may use `${param}`; include its own trailing separator.
  public var header: String?

  enum CodingKeys: String, CodingKey {
    case examples, path, count, textFile = "text_file", dropLinesStarting = "drop_lines_starting", template, prompt
    case answer, separator, style, header
  }

  /// Every key a few-shot mapping may use.
  public static let knownKeys: Set<String> = [
    "examples", "path", "count", "text_file", "drop_lines_starting", "template", "prompt", "answer", "separator",
    "style", "header",
  ]
}

/// How few-shot exemplars are presented.
public enum FewShotStyle: String, Codable, Sendable, Equatable, CaseIterable {
  /// All exemplars and the question in one user message (or one completion prompt).
  case text
  /// Each exemplar as a user turn and an assistant turn (chat mode; text in completion mode).
  case turns
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
  /// Completions generated per item (`code` suites: pass@k for every k up to this); 1 when absent.
  public var samples: Int?

  enum CodingKeys: String, CodingKey {
    case maxTokens = "max_tokens", temperature, topP = "top_p", stop, samples
  }
}

/// How responses are turned into answers and compared with the target.
public struct ScorerSpec: Codable, Sendable, Equatable {
  /// Text normalizers applied to the whole response before extraction (`native_digits`).
  public var preprocess: [String]?
  /// Named extraction pipelines (`strict`, `flexible`), in report order (`generate` suites).
  public var extract: [NamedPipeline]?
  /// Normalizers applied to the extracted answer and the target.
  public var normalize: [String]?
  /// The comparison: `exact` or `number`.
  public var match: String?
  /// `rank_choices` metrics, in report order: `acc`, `acc_norm` (by length, see `accNorm`), `mc2` (probability mass on
  /// true answers).
  public var metrics: [String]?
  /// Which pipeline's (or metric's) score is the headline number.
  public var primary: String
  /// `code` suites: how a reply becomes a program and is run (see `ExecuteSpec`).
  public var execute: ExecuteSpec?
  /// `judge` suites: how an LLM judge grades the answers (see `JudgeSpec`).
  public var judge: JudgeSpec?
  /// `instruction_following` suites: whose checkers (`ifeval`, the default, or `m-ifeval`: es and fr).
  public var checkers: String?
  /// `rank_choices` suites: what `acc_norm` divides the log-likelihood by: `bytes` (UTF-8 bytes of the
  /// continuation, the default) or `characters` (the choice's characters without the leading space, as lm-eval
  /// and lighteval count).
  public var accNorm: String?
  /// `safety` suites: harmful or benign prompts, and the item's hazard label.
  public var safety: SafetySpec?

  enum CodingKeys: String, CodingKey {
    case preprocess, extract, normalize, match, metrics, primary, execute, judge, checkers, accNorm = "acc_norm", safety
  }

  /// A scorer spec; generate suites give pipelines, rank_choices suites metrics.
  public init(
    preprocess: [String]? = nil, extract: [NamedPipeline]? = nil, normalize: [String]? = nil, match: String? = nil,
    metrics: [String]? = nil, primary: String
  ) {
    self.preprocess = preprocess
    self.extract = extract
    self.normalize = normalize
    self.match = match
    self.metrics = metrics
    self.primary = primary
  }

  /// Every key a scorer mapping may use.
  public static let knownKeys: Set<String> = [
    "preprocess", "extract", "normalize", "match", "metrics", "primary", "execute", "judge", "checkers", "acc_norm",
    "safety",
  ]
}

/// How a `code` suite's replies are tested: which program harness, in which language, and how the code is taken
/// out of the reply.
public struct ExecuteSpec: Codable, Sendable, Equatable {
  /// The program harness: `humaneval`, `humaneval-x` or `cruxeval-output`.
  public var harness: String
  /// The programming language (templated, `${lang}`); Python when absent.
  public var language: String?
  /// How code is taken out of a reply: `raw` (a completion continuing the prompt), `fenced_body` (simple-evals:
  /// the first fenced block, or the reply, from the function body on), `cruxeval` (the literal after `==`, before
  /// `[/ANSWER]`).
  public var extract: String?

  /// Every key an execute mapping may use.
  public static let knownKeys: Set<String> = ["harness", "language", "extract"]
}

/// One named extraction pipeline. A pipeline may set its own `preprocess`, `normalize` and `match`, replacing the
/// scorer's for its answers and targets: a reference-compatible pipeline scores by another harness's rules
/// (simple-evals', lm-eval's) next to the normalized ones.
public struct NamedPipeline: Codable, Sendable, Equatable {
  /// The pipeline name (`strict`).
  public var name: String
  /// Steps applied in order.
  public var steps: [ExtractStep]
  /// Normalizers applied to the whole response before this pipeline's steps, instead of `scorer.preprocess`
  /// (`[]`: the response as the model wrote it).
  public var preprocess: [String]?
  /// Steps applied to this pipeline's answer and to the target, instead of `scorer.normalize`.
  public var normalize: [NormalizeStep]?
  /// This pipeline's comparison (`exact` or `number`), instead of `scorer.match`.
  public var match: String?

  /// A pipeline that uses the scorer's preprocess, normalize and match unless given its own.
  public init(
    name: String, steps: [ExtractStep], preprocess: [String]? = nil, normalize: [NormalizeStep]? = nil,
    match: String? = nil
  ) {
    self.name = name
    self.steps = steps
    self.preprocess = preprocess
    self.normalize = normalize
    self.match = match
  }

  /// Every key a pipeline mapping may use.
  public static let knownKeys: Set<String> = ["name", "steps", "preprocess", "normalize", "match"]
}

/// One step of a pipeline's `normalize`: a named normalizer (`lowercase`) or a substitution (`{sub: [',', '']}`).
public enum NormalizeStep: Codable, Sendable, Equatable {
  /// A `TextNormalizer` by name.
  case named(String)
  /// Python's `re.sub(pattern, replacement, text)` (see `ExtractStep.sub`).
  case sub(pattern: String, replacement: String)

  public init(from decoder: any Decoder) throws {
    if let name = try? decoder.singleValueContainer().decode(String.self) {
      self = .named(name)
      return
    }
    guard case .sub(let pattern, let replacement) = try ExtractStep(from: decoder) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath,
          debugDescription: "a normalize step is a normalizer's name or {sub: [pattern, replacement]}"))
    }
    self = .sub(pattern: pattern, replacement: replacement)
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .named(let name):
      var container = encoder.singleValueContainer()
      try container.encode(name)
    case .sub(let pattern, let replacement): try ExtractStep.sub(pattern: pattern, replacement: replacement).encode(to: encoder)
    }
  }
}

/// One step of an extraction pipeline (lm-eval's filters, as values).
public enum ExtractStep: Codable, Sendable, Equatable {
  /// Keep the text after the last occurrence of a literal; fail when it does not occur.
  case afterLast(String)
  /// Python's `text.split(marker)[-1]`: the text after the last of the occurrences found left to right without
  /// overlapping, code points compared exactly (no Unicode equivalence); fail when it does not occur.
  case splitLast(String)
  /// All matches of a regular expression (group 1 when it has groups, else the whole match).
  case regex(String)
  /// Python's `re.findall` on `str` (`\s`, `\w`, `\b`, `\d`, `.` and `$` as Python reads them): each match's
  /// group when the pattern has one, the first non-empty group when it has several (lm-eval's regex filter; ""
  /// when all are empty), else the whole match.
  case findall(String)
  /// Python's `re.sub(pattern, replacement, text)` on every candidate; `\1` and `\g<1>` in the replacement are
  /// groups, anything else is literal.
  case sub(pattern: String, replacement: String)
  /// All numbers, in any script and locale format.
  case numbers
  /// Keep the first candidate.
  case takeFirst
  /// Keep the last candidate.
  case takeLast

  enum CodingKeys: String, CodingKey {
    case afterLast = "after_last", splitLast = "split_last", regex, findall, sub, numbers, take
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    guard container.allKeys.count == 1, let key = container.allKeys.first else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "an extraction step has exactly one of: after_last, split_last, regex, findall, sub, numbers, take"))
    }
    switch key {
    case .afterLast: self = .afterLast(try container.decode(String.self, forKey: key))
    case .splitLast: self = .splitLast(try container.decode(String.self, forKey: key))
    case .regex: self = .regex(try container.decode(String.self, forKey: key))
    case .findall: self = .findall(try container.decode(String.self, forKey: key))
    case .sub:
      let pair = try container.decode([String].self, forKey: key)
      guard pair.count == 2 else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: container,
          debugDescription: "`sub` is a pair [pattern, replacement], e.g. {sub: [',', '']}; it has \(pair.count) entries")
      }
      self = .sub(pattern: pair[0], replacement: pair[1])
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
    case .splitLast(let text): try container.encode(text, forKey: .splitLast)
    case .regex(let pattern): try container.encode(pattern, forKey: .regex)
    case .findall(let pattern): try container.encode(pattern, forKey: .findall)
    case .sub(let pattern, let replacement): try container.encode([pattern, replacement], forKey: .sub)
    case .numbers: try container.encode("all", forKey: .numbers)
    case .takeFirst: try container.encode("first", forKey: .take)
    case .takeLast: try container.encode("last", forKey: .take)
    }
  }
}
