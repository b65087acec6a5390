/// A zip archive that holds a suite's data files (`archive:` in a suite file), for `assay data fetch`: where it is
/// published, its password, and which entry becomes which file under the data root.
public struct ArchiveSpec: Codable, Sendable, Equatable {
  /// Where the archive is published (`assay data fetch` downloads it; `--from PATH` reads a copy instead).
  public var url: String
  /// The password of ZipCrypto-encrypted entries, when the publisher prints one (GPQA's keeps crawlers out, not
  /// people).
  public var password: String?
  /// Entry name in the archive → path relative to the data root (`dataset/gpqa_main.csv: gpqa/gpqa_main.csv`).
  public var files: [String: String]

  /// Every key an `archive` mapping may use.
  public static let knownKeys: Set<String> = ["url", "password", "files"]

  /// An archive spec.
  public init(url: String, password: String? = nil, files: [String: String]) {
    self.url = url
    self.password = password
    self.files = files
  }
}
