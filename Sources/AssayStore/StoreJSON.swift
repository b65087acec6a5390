import AssayCore

/// The JSON Assay stores per sample (verdict maps, graded values, the response), written by hand with sorted keys:
/// five JSONEncoder calls per sample were a fifth of the harness's CPU at thousands of samples per second. Reads go
/// through JSONDecoder as before; nothing hashes these texts.
enum StoreJSON {
  static func object(_ map: [String: String]) -> String {
    write(map) { JSONText.appendString($1, to: &$0) }
  }

  static func object(_ map: [String: Bool]) -> String {
    write(map) { $0.append(contentsOf: ($1 ? "true" : "false").utf8) }
  }

  static func object(_ map: [String: Double]) -> String {
    guard map.values.allSatisfy(\.isFinite) else { return CanonicalJSON.string(map) }
    return write(map) { $0.append(contentsOf: "\($1)".utf8) }
  }

  /// A response without log-probabilities by hand; with them (rare in storage), through CanonicalJSON.
  static func response(_ response: ModelResponse) -> String {
    guard response.logprobs == nil, response.latencyMs.isFinite else { return CanonicalJSON.string(response) }
    var out: [UInt8] = []
    out.reserveCapacity(response.text.utf8.count + 120)
    out.append(contentsOf: "{\"attempts\":\(response.attempts)".utf8)
    if let tokens = response.completionTokens { out.append(contentsOf: ",\"completionTokens\":\(tokens)".utf8) }
    if let reason = response.finishReason {
      out.append(contentsOf: ",\"finishReason\":".utf8)
      JSONText.appendString(reason, to: &out)
    }
    out.append(contentsOf: ",\"latencyMs\":\(response.latencyMs)".utf8)
    if let tokens = response.promptTokens { out.append(contentsOf: ",\"promptTokens\":\(tokens)".utf8) }
    out.append(contentsOf: ",\"text\":".utf8)
    JSONText.appendString(response.text, to: &out)
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }

  private static func write<Value>(_ map: [String: Value], _ value: (inout [UInt8], Value) -> Void) -> String {
    var out: [UInt8] = [UInt8(ascii: "{")]
    for (index, key) in map.keys.sorted().enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      JSONText.appendString(key, to: &out)
      out.append(UInt8(ascii: ":"))
      value(&out, map[key]!)
    }
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }
}
