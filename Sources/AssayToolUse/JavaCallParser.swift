/// BFCL's `parse_java_function_call`: the first method invocation in the text, its `name=value` arguments with each
/// value as the Java walker rebuilds it (a string literal without its quotes), bare identifiers and class literals
/// under the `None` key, other positional arguments dropped. No invocation gives `{}` (not a list), which the
/// runner then rejects as the wrong output format.
///
/// ```swift
/// try JavaCallParser.decode(#"Foo.bar(x="a", n=new int[]{1, 2})"#)   // [{'Foo.bar': {'x': 'a', 'n': 'new int[]{1,2}'}}]
/// ```
enum JavaCallParser {
  static func decode(_ source: String) throws -> PyValue {
    var parser: CLikeExpressionParser
    let statements: [CLikeExpressionParser.Node]
    do {
      parser = try CLikeExpressionParser(source: source, javaScript: false)
      statements = try parser.statements()
    } catch is CLikeLexer.SyntaxError {
      throw BFCLDecoder.DecodeError("Error parsing java the source code.")
    }
    guard let invocation = statements.lazy.compactMap(firstInvocation).first else { return .dict([]) }
    var arguments: [(PyValue, PyValue)] = []
    for argument in invocation.arguments {
      let key: PyValue
      let value: String
      switch argument.kind {
      case .assignment:
        key = .str(argument.target ?? "")
        value = topLevelText(argument.value!)
      case .identifier, .classLiteral:
        key = .none
        value = topLevelText(argument)
      default: continue
      }
      guard !arguments.contains(where: { $0.0 == key }) else {
        throw BFCLDecoder.DecodeError("Error: Multiple arguments with the same name are not supported.")
      }
      arguments.append((key, .str(value)))
    }
    return .list([.dict([(.str(invocation.callee ?? ""), .dict(arguments))])])
  }

  /// `traverse_node(node)` at the top: string and character literals lose their quotes.
  static func topLevelText(_ node: CLikeExpressionParser.Node) -> String {
    if node.kind == .stringLiteral || node.kind == .characterLiteral { return BFCLTypeConverters.inner(node.nested) }
    return node.nested
  }

  /// The first method invocation in a pre-order walk of the statement.
  static func firstInvocation(_ node: CLikeExpressionParser.Node) -> CLikeExpressionParser.Node? {
    if node.kind == .methodInvocation { return node }
    if let value = node.value { return firstInvocation(value) }
    return nil
  }
}
