import Foundation

/// Deterministic JSON (sorted keys) for hashing and storage.
public enum CanonicalJSON {
  /// The value as sorted-key JSON bytes.
  public static func encode<Value: Encodable>(_ value: Value) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array((try? encoder.encode(value)) ?? Data())
  }

  /// The value as a sorted-key JSON string.
  public static func string<Value: Encodable>(_ value: Value) -> String {
    String(decoding: encode(value), as: UTF8.self)
  }
}
