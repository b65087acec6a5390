import AssayCore
import Foundation

/// Where dataset files live: `--data-dir`, else `$ASSAY_DATA`, else `$XDG_DATA_HOME/assay/datasets`
/// (`~/.local/share/assay/datasets`).
public struct DataRoot: Sendable, Equatable {
  /// The directory.
  public let path: String
  /// Which rule chose it, for messages.
  public let origin: String

  /// Resolves the data root from a flag and the environment.
  public static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> DataRoot
  {
    if let flag, !flag.isEmpty { return DataRoot(path: flag, origin: "--data-dir") }
    if let env = environment["ASSAY_DATA"], !env.isEmpty { return DataRoot(path: env, origin: "ASSAY_DATA") }
    let base =
      environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
    return DataRoot(path: (base as NSString).appendingPathComponent("assay/datasets"), origin: "the default")
  }

  /// A data root at an explicit path.
  public init(path: String, origin: String) {
    self.path = path
    self.origin = origin
  }

  /// The absolute path of a file given relative to the root.
  public func file(_ relative: String) -> String {
    (path as NSString).appendingPathComponent(relative)
  }
}
