import AssayText

/// BFCL's prompting-mode decoder: a model's text `[f(a=1), g(b="x")]` to the checker's input, a list of
/// `{name: {param: value}}`, as `default_decode_ast_prompting` and `ast_parse` decode it (Python, Java and
/// JavaScript return formats).
///
/// One deliberate difference: BFCL hands arithmetic values (`a=1+2`) to Python's `eval`, which also runs any call
/// inside (`a=1+len(x)`, or worse). Here arithmetic on literals is folded and anything else fails to decode.
///
/// ```swift
/// let calls = try BFCLDecoder.decode("[get_weather(city='Paris', days=3)]", format: .python)
/// // [{"get_weather": {"city": "Paris", "days": 3}}]
/// ```
public enum BFCLDecoder {
  /// The language a category's answers are written in (`Language` and `ReturnFormat` in bfcl-eval).
  public enum Format: String, Sendable, Codable {
    case python, java, javascript
  }

  /// Why a text did not decode.
  public struct DecodeError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
  }

  /// `default_decode_ast_prompting(text, format)`: strip backticks, newlines and spaces at both ends, make sure of
  /// the brackets, then parse.
  public static func decode(_ text: String, format: Format) throws -> PyValue {
    var result = PythonText.strip(text, "`\n ")
    if !result.hasPrefix("[") { result = "[" + result }
    if !result.hasSuffix("]") { result += "]" }
    switch format {
    case .python: return try decodePython(result)
    case .java: return try JavaCallParser.decode(String(result.unicodeScalars.dropFirst().dropLast()))
    case .javascript: return try JavaScriptCallParser.decode(String(result.unicodeScalars.dropFirst().dropLast()))
    }
  }

  /// `ast_parse(text, PYTHON)`: a call, or a list, tuple or set of calls.
  static func decodePython(_ text: String) throws -> PyValue {
    let cleaned = PythonText.strip(PythonText.strip(text), "'")
    let expression: PyExpr
    do {
      expression = try PythonExpressionParser.parse(cleaned)
    } catch let error as PythonSyntaxError {
      throw DecodeError("invalid syntax: \(error.description)")
    }
    switch expression {
    case .call:
      return .list([try resolveCall(expression)])
    case .list(let items), .tuple(let items), .set(let items):
      return .list(try items.map { item in
        guard case .call = item else { throw DecodeError("an element is not a function call") }
        return try resolveCall(item)
      })
    default:
      throw DecodeError("the text is not a list of function calls")
    }
  }

  /// `resolve_ast_call`: `{dotted.name: {keyword: value}}`; positional arguments are dropped, as BFCL drops them.
  static func resolveCall(_ call: PyExpr) throws -> PyValue {
    guard case .call(let function, _, let keywords) = call else { throw DecodeError("not a call") }
    var parts: [String] = []
    var node = function
    while case .attribute(let base, let name) = node {
      parts.append(name)
      node = base
    }
    if case .name(let name) = node { parts.append(name) }
    let name = parts.reversed().joined(separator: ".")
    var arguments: [(PyValue, PyValue)] = []
    for (keyword, value) in keywords {
      arguments.append((keyword.map(PyValue.str) ?? .none, try resolve(value)))
    }
    return .makeDict([(.str(name), .makeDict(arguments))])
  }

  /// `resolve_ast_by_type`, node kind by node kind.
  static func resolve(_ expr: PyExpr) throws -> PyValue {
    switch expr {
    case .constant(let value): return value
    case .ellipsis: return .str("...")
    case .unary(_, let operand):
      // BFCL negates the operand's constant whatever the operator (`+5` and `~5` give -5).
      guard case .constant(let value) = operand, let negated = PyArithmetic.negate(value) else {
        throw DecodeError("unsupported unary operand")
      }
      return negated
    case .list(let items): return .list(try items.map(resolve))
    case .dict(let pairs):
      var resolved: [(PyValue, PyValue)] = []
      for (key, value) in pairs {
        guard let key else { throw DecodeError("Unsupported AST type: NoneType") }
        let k = try resolve(key)
        guard PyArithmetic.isHashable(k) else { throw DecodeError("unhashable dict key") }
        resolved.append((k, try resolve(value)))
      }
      return .makeDict(resolved)
    case .binary:
      guard let value = PyArithmetic.evaluate(expr) else { throw DecodeError("arithmetic that is not on literals") }
      return value
    case .name(let name): return .str(name)
    case .call(_, _, let keywords):
      if keywords.isEmpty {
        guard let text = PyUnparse.text(expr) else { throw DecodeError("cannot unparse the call") }
        return .str(text)
      }
      return try resolveCall(expr)
    case .tuple(let items): return .tuple(try items.map(resolve))
    case .subscript(let value, let slice):
      guard let base = PyUnparse.text(value), let index = PyUnparse.text(slice) else { throw DecodeError("cannot unparse") }
      return .str(base + "[" + index + "]")
    case .set, .attribute, .slice, .starred, .boolOp, .compare, .ifExp, .unsupported:
      throw DecodeError("Unsupported AST type")
    }
  }

  /// `is_function_calling_format_output`: a list of one-key dicts whose value is a dict (`[]` included).
  public static func isFunctionCallingFormat(_ decoded: PyValue) -> Bool {
    guard case .list(let items) = decoded else { return false }
    return items.allSatisfy { item in
      guard case .dict(let pairs) = item, pairs.count == 1, case .dict = pairs[0].1 else { return false }
      return true
    }
  }

  /// `is_empty_output`: not in the call format, `[]`, or `[{}]`.
  public static func isEmptyOutput(_ decoded: PyValue) -> Bool {
    guard isFunctionCallingFormat(decoded), case .list(let items) = decoded else { return true }
    if items.isEmpty { return true }
    if items.count == 1, case .dict(let pairs) = items[0], pairs.isEmpty { return true }
    return false
  }
}
