import Foundation

/// Deterministic JSON (sorted keys) for hashing and storage.
public enum CanonicalJSON {
  /// The value as sorted-key JSON bytes.
  public static func encode<Value: Encodable>(_ value: Value) -> [UInt8] {
    Array((try? encoder.encode(value)) ?? Data())
  }

  /// One configured encoder for every call (encoding does not change it, and setting one up costs time per sample).
  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  /// The value as a sorted-key JSON string.
  public static func string<Value: Encodable>(_ value: Value) -> String {
    String(decoding: encode(value), as: UTF8.self)
  }
}
