/// The location and layout of a suite's dataset file.
public struct DatasetSpec: Codable, Sendable, Equatable {
  /// Path relative to the data root; may use `${param}` from the variant. A `.gz` file is decompressed.
  public var path: String
  /// The file layout (see `DatasetFormat`).
  public var format: DatasetFormat
  /// Column names for `tsv` and `csv` files without a header row (with one, they rename the header's columns).
  public var columns: [String]?
  /// Whether a `csv`/`tsv` file starts with a header row (default: false for tsv, true for csv).
  public var header: Bool?
  /// For `json`: the key holding the array of records (`examples` in BIG-Bench-Hard files); default the top level.
  public var records: String?
  /// The target answer, a template over the sample's fields (`{{answer_number}}`); multiple-choice suites may
  /// leave it out (the correct choice's letter is the target).
  public var target: String?
  /// Several correct answers: a template rendering a JSON array of strings (`{{answers.text}}` of a SQuAD-style
  /// record). An answer is scored against each and keeps the best (SQuAD's rule); `target` defaults to the first.
  public var targets: String?
  /// When set, the target is the text after the last occurrence of this marker (GSM8K's `####`).
  public var targetAfterLast: String?
  /// Where the original file can be downloaded (documentation and `assay data fetch`).
  public var url: String?
  /// A line-aligned file whose lines become one more field of each row (PIQA's labels, Tatoeba's other side).
  public var lines: [LineFile]?
  /// Fields removed from every row when it is read (published model outputs stored beside the questions).
  public var dropFields: [String]?
  /// Fields computed from others by a regular expression (group 1 of the first match, or "" when none).
  public var derive: [String: DeriveSpec]?
  /// A named row transform for layouts no template can express (`xwinograd`).
  public var transform: String?
  /// Keep only rows whose field equals the value (values may use `${param}`): one file, several variants.
  public var filter: [String: String]?
  /// The answer options of a multiple-choice item, in order.
  public var choices: [ChoiceSource]?
  /// Template for the correct answer of a multiple-choice item, read as `answer_format` says.
  public var answer: String?
  /// How `answer` names the correct choice: `index` (0-based), `index1` (1-based), `letter` (A, B, ...), `text`.
  public var answerFormat: AnswerFormat?
  /// How one choice is written in `{{choices_block}}` (default `{{letter}}. {{choice}}`).
  public var choiceFormat: String?
  /// What joins the choices in `{{choices_block}}` (default a newline).
  public var choiceSeparator: String?
  /// Rows whose field equals the value are left out (a record without an answer); the count is reported.
  public var exclude: [String: String]?
  /// Shows each item's options in a fixed order seeded by the item (see `ChoiceShuffle`); the correct answer moves
  /// with its option.
  public var shuffle: ChoiceShuffle?

  enum CodingKeys: String, CodingKey {
    case path, format, columns, header, records, target, targets, targetAfterLast = "target_after_last", url, lines
    case dropFields = "drop_fields", derive, transform, choices, answer, answerFormat = "answer_format"
    case choiceFormat = "choice_format", filter, choiceSeparator = "choice_separator", exclude, shuffle
  }

  /// Every key a dataset mapping may use.
  public static let knownKeys: Set<String> = [
    "path", "format", "columns", "header", "records", "target", "targets", "target_after_last", "url", "lines", "drop_fields",
    "derive", "transform", "choices", "answer", "answer_format", "choice_format", "filter", "choice_separator",
    "exclude", "shuffle",
  ]
}

/// A file read line by line beside the dataset file; line i becomes field `field` of row i.
public struct LineFile: Codable, Sendable, Equatable {
  /// Path relative to the data root; may use `${param}`.
  public var path: String
  /// The field name the line is stored under.
  public var field: String
  /// Where the original file can be downloaded.
  public var url: String?
}

/// A field computed from a template: optionally a regular expression's group, a value map, a change of case.
public struct DeriveSpec: Codable, Sendable, Equatable {
  /// The text worked on: a template over the row's fields.
  public var from: String
  /// A pattern; group 1 of the first match is the value (the whole match when it has no group; "" when none).
  public var regex: String?
  /// Replaces the whole value by the mapped one (values may use `${param}`), e.g. XCOPA's cause/effect connectors.
  public var map: [String: String]?
  /// `lower_first` (lm-eval's XCOPA choices), `lower` or `upper`.
  public var `case`: String?

  /// A derived field.
  public init(from: String, regex: String? = nil, map: [String: String]? = nil, case: String? = nil) {
    self.from = from
    self.regex = regex
    self.map = map
    self.case = `case`
  }
}

/// Where a multiple-choice item's options come from; sources are concatenated in order.
public struct ChoiceSource: Codable, Sendable, Equatable {
  /// One option: a template over the row's fields.
  public var template: String?
  /// Several options: a template that renders to a JSON array of strings (`{{options}}`, `{{choices.text}}`), or of
  /// objects with `key` naming the option's text (ARC's `{{question.choices}}`: `[{label, text}, ...]`).
  public var json: String?
  /// With `json` over objects: the key holding each option's text (`text`).
  public var key: String?
  /// With `json` over objects: the key holding each option's label (`label`), which `answer_format: label` matches.
  public var labelKey: String?
  /// Several options: a template split on `by`.
  public var split: String?
  /// The separator for `split`.
  public var by: String?
  /// Several options: the lines of a file (relative to the data root; may use `${param}`).
  public var file: String?
  /// Marks every option of this source as correct (TruthfulQA MC2 has several true answers).
  public var correct: Bool?

  enum CodingKeys: String, CodingKey {
    case template, json, key, labelKey = "label_key", split, by, file, correct
  }

  /// Every key a choice source may use.
  public static let knownKeys: Set<String> = ["template", "json", "key", "label_key", "split", "by", "file", "correct"]
}

/// How a dataset names the correct choice.
public enum AnswerFormat: String, Codable, Sendable, Equatable, CaseIterable {
  /// 0-based index.
  case index
  /// 1-based index.
  case index1
  /// A letter: A is the first choice.
  case letter
  /// Every letter A-Z in the answer names a correct choice (`AD`, `A B D`, `["A","C"]`): multi-answer items.
  case letters
  /// The text of the correct choice.
  case text
  /// The label of the correct choice, as a `json` source's `label_key` gives it (ARC's `answerKey` against each
  /// choice's `label`: A-E, or 1-4 in some items).
  case label
}

/// File layouts that dataset files come in.
public enum DatasetFormat: String, Codable, Sendable, Equatable, CaseIterable {
  /// One JSON object per line.
  case jsonl
  /// Tab-separated values without quoting (columns from `columns` or a header row).
  case tsv
  /// Comma-separated values with RFC 4180 quoting (a header row unless `header: false`).
  case csv
  /// Tab-separated values with RFC 4180 quoting (quoted fields may hold newlines).
  case qtsv
  /// A JSON array of objects, or an object holding one under `records`.
  case json
  /// Plain text: one record per line, in field `text`.
  case text
  /// CoNLL: `token tag` per line, blank lines between sentences; fields `tokens`, `tags`, `entities`.
  case conll
  /// SQuAD v1.1 JSON: one record per question; fields `id`, `title`, `context`, `question`, `answers`, `answer`.
  case squad
}
