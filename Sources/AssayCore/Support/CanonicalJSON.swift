import Foundation

/// Deterministic JSON (sorted keys) for hashing and storage.
public enum CanonicalJSON {
  /// The value as sorted-key JSON bytes, for storage and display; empty when the value cannot be encoded (a
  /// non-finite number). Never hash these bytes: identities go through `hashable(_:what:)`, which throws instead.
  public static func encode<Value: Encodable>(_ value: Value) -> [UInt8] {
    Array((try? encoder.encode(value)) ?? Data())
  }

  /// One configured encoder for every call (encoding does not change it, and setting one up costs time per sample).
  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  /// The value as a sorted-key JSON string (see `encode`: empty when it cannot be encoded).
  public static func string<Value: Encodable>(_ value: Value) -> String {
    String(decoding: encode(value), as: UTF8.self)
  }

  /// The value as sorted-key JSON bytes for an identity that is hashed (a run's configuration, a suite's content):
  /// throws when the value cannot be encoded (NaN or infinity anywhere in it) or encodes to nothing, so two
  /// different values can never share the hash of an empty encoding. `what` names the value in the message.
  public static func hashable<Value: Encodable>(_ value: Value, what: String) throws(AssayError) -> [UInt8] {
    let bytes: Data
    do {
      bytes = try encoder.encode(value)
    } catch {
      throw AssayError(
        .invalidArgument, "cannot encode \(what) to hash it: \(describe(error))",
        fix: "every number must be finite (no nan, inf or values beyond ±1.8e308, such as 1e400); correct the flag or suite file")
    }
    guard !bytes.isEmpty else {
      throw AssayError(.invalidArgument, "\(what) encodes to nothing; it cannot be hashed", fix: "report this as a bug")
    }
    return Array(bytes)
  }

  /// `hashable(_:what:)` as a string.
  public static func hashableString<Value: Encodable>(_ value: Value, what: String) throws(AssayError) -> String {
    String(decoding: try hashable(value, what: what), as: UTF8.self)
  }

  private static func describe(_ error: any Error) -> String {
    if case EncodingError.invalidValue(let value, let context) = error {
      let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return "\(value) at \(path.isEmpty ? "the top level" : String(path.dropFirst(path.hasPrefix(".") ? 1 : 0))) is not valid JSON"
    }
    return "\(error)"
  }
}
