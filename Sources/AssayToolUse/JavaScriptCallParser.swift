/// BFCL's `parse_javascript_function_call`: the first statement that is a call, named by its callee's source text,
/// with its `name=value` arguments as source text (surrounding quotes trimmed), bare identifiers and `true` under
/// the `None` key. No such statement gives `None`, which the runner rejects as the wrong output format.
///
/// ```swift
/// try JavaScriptCallParser.decode("sort(list=[3, 1], asc=true)")   // [{'sort': {'list': '[3, 1]', 'asc': 'true'}}]
/// ```
enum JavaScriptCallParser {
  static func decode(_ source: String) throws -> PyValue {
    var parser: CLikeExpressionParser
    let statements: [CLikeExpressionParser.Node]
    do {
      parser = try CLikeExpressionParser(source: source, javaScript: true)
      statements = try parser.statements()
    } catch is CLikeLexer.SyntaxError {
      throw BFCLDecoder.DecodeError("Error js parsing the source code.")
    }
    guard let call = statements.first(where: { $0.kind == .methodInvocation }) else { return .none }
    var arguments: [(PyValue, PyValue)] = []
    for argument in call.arguments {
      let key: PyValue
      var value: String
      if argument.kind == .assignment, let target = argument.target, let right = argument.value {
        key = .str(target)
        value = parser.text(right)
        let quoted = (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'"))
        if quoted { value = BFCLTypeConverters.inner(value) }
      } else if argument.kind == .identifier || (argument.kind == .other && argument.nested == "true") {
        key = .none
        value = parser.text(argument)
      } else {
        continue
      }
      guard !arguments.contains(where: { $0.0 == key }) else {
        throw BFCLDecoder.DecodeError("Error: Multiple arguments with the same name are not supported.")
      }
      arguments.append((key, .str(value)))
    }
    return .list([.dict([(.str(call.callee ?? ""), .dict(arguments))])])
  }
}
