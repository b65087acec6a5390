/// The harness version stored with every run.
public enum AssayVersion {
  /// Semantic version of this build.
  public static let current = "0.1.0"
}
