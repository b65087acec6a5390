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
    var output = ""
    var rest = template[...]
    while let start = rest.range(of: open) {
      guard let end = rest[start.upperBound...].range(of: close) else { break }
      output += rest[..<start.lowerBound]
      let name = String(rest[start.upperBound..<end.lowerBound]).trimmingWhitespace()
      guard let value = values[name] else {
        let known = values.keys.sorted().joined(separator: ", ")
        throw AssayError(
          .invalidSuite, "template uses \(open)\(name)\(close) but the \(kind) '\(name)' is not defined (defined: \(known))",
          fix: "define '\(name)' or correct the placeholder")
      }
      output += value
      rest = rest[end.upperBound...]
    }
    output += rest
    return output
  }
}
