/// One row of a dataset: its 0-based position in the file, its fields, and the rendered target answer.
public struct Sample: Sendable, Equatable {
  /// 0-based row in the dataset file (the `sample` of `assay score` input).
  public var index: Int
  /// Field values by name (TSV columns or JSON keys; non-string JSON values as JSON text).
  public var fields: [String: String]
  /// The expected answer.
  public var target: String

  /// A sample with its index, fields and target.
  public init(index: Int, fields: [String: String], target: String) {
    self.index = index
    self.fields = fields
    self.target = target
  }
}
