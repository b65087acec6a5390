/// Substitutes `${param}` (from the variant) and then `{{field}}` (from the sample) into a template.
///
/// Parameters are substituted first, so a parameter's value may itself contain `{{field}}`; sample values are
/// never scanned again, so a question that contains `{{` stays as written.
public enum Template {
  /// Renders `template`; throws naming the first placeholder that has no value.
  public static func render(
    _ template: String, params: [String: String], fields: [String: String]
  ) throws(AssayError) -> String {
    let withParams = try substitute(template, open: "${", close: "}", values: params, kind: "variant parameter")
    return try substitute(withParams, open: "{{", close: "}}", values: fields, kind: "sample field")
  }

  /// Substitutes only `${param}`, leaving `{{field}}` in place.
  public static func renderParams(_ template: String, params: [String: String]) throws(AssayError) -> String {
    try substitute(template, open: "${", close: "}", values: params, kind: "variant parameter")
  }

  /// The names used as `${name}` in a template.
  public static func paramNames(in template: String) -> [String] {
    names(in: template, open: "${", close: "}")
  }

  /// The names used as `{{name}}` in a template.
  public static func fieldNames(in template: String) -> [String] {
    names(in: template, open: "{{", close: "}}")
  }

  private static func names(in template: String, open: String, close: String) -> [String] {
    var result: [String] = []
    var rest = template[...]
    while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
      result.append(String(rest[start.upperBound..<end.lowerBound]).trimmingWhitespace())
      rest = rest[end.upperBound...]
    }
    return result
  }

  private static func substitute(
    _ template: String, open: String, close: String, values: [String: String], kind: String
  ) throws(AssayError) -> String {
    // Byte-level search: templates are short and substituted once per row, so Foundation's range(of:) (which
    // bridges to NSString) dominated suite loading.
    let bytes = Array(template.utf8)
    let openBytes = Array(open.utf8)
    let closeBytes = Array(close.utf8)
    func find(_ needle: [UInt8], from start: Int) -> Int? {
      guard needle.count <= bytes.count else { return nil }
      var index = start
      while index + needle.count <= bytes.count {
        if bytes[index] == needle[0] && Array(bytes[index..<index + needle.count]) == needle { return index }
        index += 1
      }
      return nil
    }
    guard var start = find(openBytes, from: 0) else { return template }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count * 2)
    var cursor = 0
    while true {
      guard let end = find(closeBytes, from: start + openBytes.count) else { break }
      output += bytes[cursor..<start]
      let name = String(decoding: bytes[(start + openBytes.count)..<end], as: UTF8.self).trimmingWhitespace()
      guard let value = values[name] else {
        let known = values.keys.sorted().joined(separator: ", ")
        throw AssayError(
          .invalidSuite, "template uses \(open)\(name)\(close) but the \(kind) '\(name)' is not defined (defined: \(known))",
          fix: "define '\(name)' or correct the placeholder")
      }
      output += value.utf8
      cursor = end + closeBytes.count
      guard let next = find(openBytes, from: cursor) else { break }
      start = next
    }
    output += bytes[cursor...]
    return String(decoding: output, as: UTF8.self)
  }
}
