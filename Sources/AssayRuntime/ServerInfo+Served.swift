import Foundation

extension ServerInfo {
  /// The fields of a `/v1/models` entry that describe the weights behind a served name and stay the same while the
  /// server runs: vLLM's `root` and `parent` (the model path or id), llama.cpp's `meta` (vocabulary, parameters,
  /// file size). Times (`created`), owners and permissions are left out: vLLM stamps them anew on every request.
  public static let servedFields = ["root", "parent", "meta"]

  /// The entry's `servedFields` as sorted-key JSON, or nil when it has none.
  public static func served(_ entry: [String: Any]?) -> String? {
    guard let entry else { return nil }
    let kept = entry.filter { servedFields.contains($0.key) && !($0.value is NSNull) }
    guard !kept.isEmpty, JSONSerialization.isValidJSONObject(kept),
      let data = try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return nil }
    return String(decoding: data, as: UTF8.self)
  }
}
