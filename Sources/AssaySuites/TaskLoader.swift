import AssayCore
import Foundation

/// Turns a suite variant into an `EvalTask`: reads its data file, checks the sha256, renders targets.
public struct TaskLoader: Sendable {
  /// The data root.
  public let dataRoot: DataRoot

  /// A loader over a data root.
  public init(dataRoot: DataRoot) {
    self.dataRoot = dataRoot
  }

  /// Loads one variant; throws naming the missing or damaged file and the expected sha256.
  public func load(suite: SuiteDefinition, variant: VariantSpec) throws(AssayError) -> EvalTask {
    let params = variant.templateParameters
    let relative = try Template.renderParams(suite.dataset.path, params: params)
    let path = dataRoot.file(relative)
    let expected = suite.sha256[relative]
    let url = suite.dataset.url.flatMap { try? Template.renderParams($0, params: params) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AssayError(
        .missingData,
        "dataset file '\(relative)' for \(suite.id)/\(variant.id) is missing: looked for \(path) (data root from \(dataRoot.origin))"
          + (expected.map { "; expected sha256 \($0)" } ?? ""),
        fix: "point --data-dir or ASSAY_DATA at a folder that contains \(relative)"
          + (url.map { ", or download it from \($0)" } ?? ""))
    }
    let actual = SHA256.hex(data)
    guard let expected else {
      throw AssayError(
        .invalidSuite, "suite '\(suite.id)' lists no sha256 for '\(relative)'",
        fix: "add `\(relative): \(actual)` under `sha256:` in the suite file after checking the file's origin")
    }
    guard actual == expected else {
      throw AssayError(
        .checksumMismatch,
        "dataset file \(path) has sha256 \(actual), but suite '\(suite.id)' expects \(expected)",
        fix: "the file is damaged or a different version; replace it with the original"
          + (url.map { " from \($0)" } ?? ""))
    }
    let rows = try DatasetReader.rows(from: data, format: suite.dataset.format, columns: suite.dataset.columns, path: path)
    var samples: [Sample] = []
    samples.reserveCapacity(rows.count)
    for (index, row) in rows.enumerated() {
      var target: String
      do {
        target = try Template.render(suite.dataset.target, params: params, fields: row)
      } catch {
        throw AssayError(.invalidData, "dataset file \(path), row \(index + 1): \(error.message)", fix: error.fix)
      }
      if let marker = suite.dataset.targetAfterLast, let range = target.range(of: marker, options: .backwards) {
        target = String(target[range.upperBound...])
      }
      samples.append(Sample(index: index, fields: row, target: target.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
    return try EvalTask(suite: suite, variant: variant, samples: samples, datasetSHA256: [relative: actual])
  }
}
