/// One row of a dataset: its 0-based position in the file, its fields, and the rendered target answer.
public struct Sample: Sendable, Equatable {
  /// 0-based row in the dataset file (the `sample` of `assay score` input).
  public var index: Int
  /// Field values by name (TSV columns or JSON keys; non-string JSON values as JSON text).
  public var fields: [String: String]
  /// The expected answer.
  public var target: String
  /// Every correct answer (`dataset.targets`), best match counts; `[target]` when the suite gives one.
  public var golds: [String]
  /// The options of a multiple-choice item, in order (empty otherwise).
  public var choices: [String]
  /// Indices of the correct options (one for most items; several for TruthfulQA MC2).
  public var correct: [Int]

  /// A sample with its index, fields and target (and, where several answers are right, all of them as `golds`).
  public init(
    index: Int, fields: [String: String], target: String, choices: [String] = [], correct: [Int] = [],
    golds: [String]? = nil
  ) {
    self.index = index
    self.fields = fields
    self.target = target
    self.golds = golds ?? [target]
    self.choices = choices
    self.correct = correct
  }

  /// Row fields plus one choice's `choice`, `letter` and `index`, as templates see them while a choice is rendered.
  public static func choiceFields(_ row: [String: String], choice: String, position: Int) -> [String: String] {
    var fields = row
    fields["choice"] = choice
    fields["letter"] = letter(position)
    fields["index"] = String(position)
    return fields
  }

  /// The letter that labels option `index` (A, B, ..., Z, then AA ...).
  public static func letter(_ index: Int) -> String {
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return index < 26 ? String(letters[index]) : letter(index / 26 - 1) + String(letters[index % 26])
  }
}
