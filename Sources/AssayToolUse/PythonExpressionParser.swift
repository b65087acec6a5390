/// A recursive-descent parser for Python's expression grammar (`ast.parse(text, mode="eval")`), building `PyExpr`.
/// It accepts what Python's parser accepts for expressions and throws `PythonSyntaxError` where Python raises
/// `SyntaxError` (repeated or misplaced keyword arguments, assignments in calls, unbalanced brackets).
///
/// ```swift
/// let expr = try PythonExpressionParser.parse("[f(a=1, b='x')]")
/// ```
public struct PythonExpressionParser {
  private let tokens: [PythonTokenizer.Token]
  private var position = 0
  /// Nesting of expressions inside expressions (conditionals, lambdas, exponents, brackets): past `maxDepth` the text
  /// is refused, so a hostile answer cannot exhaust the stack. Python's own limits are near (200 brackets).
  private var depth = 0
  private static let maxDepth = 200
  /// Operands of one chain of binary operators (`1+1+...`), which become a tree as deep as the chain.
  private static let maxChain = 200

  private static let keywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
    "pass", "raise", "return", "try", "while", "with", "yield",
  ]

  /// The expression `text` holds, as `ast.parse(text, mode="eval").body`.
  public static func parse(_ text: String) throws -> PyExpr {
    var parser = PythonExpressionParser(tokens: try PythonTokenizer.tokens(text))
    while parser.peek == .newline { parser.position += 1 }
    let expression = try parser.expressions()
    while parser.peek == .newline { parser.position += 1 }
    guard parser.peek == .end else { throw PythonSyntaxError("invalid syntax") }
    return expression
  }

  private init(tokens: [PythonTokenizer.Token]) { self.tokens = tokens }

  private var peek: PythonTokenizer.Token { tokens[position] }
  private func peek(_ offset: Int) -> PythonTokenizer.Token { tokens[min(position + offset, tokens.count - 1)] }

  private func isOp(_ op: String) -> Bool { peek == .op(op) }
  private func isKeyword(_ word: String) -> Bool { peek == .name(word) }

  private mutating func accept(_ op: String) -> Bool {
    guard isOp(op) else { return false }
    position += 1
    return true
  }

  private mutating func acceptKeyword(_ word: String) -> Bool {
    guard isKeyword(word) else { return false }
    position += 1
    return true
  }

  private mutating func expect(_ op: String) throws {
    guard accept(op) else { throw PythonSyntaxError("expected '\(op)'") }
  }

  /// `expressions`: one expression, or a tuple when commas follow.
  private mutating func expressions() throws -> PyExpr {
    let first = try starExpression()
    guard isOp(",") else {
      if case .starred = first { throw PythonSyntaxError("can't use starred expression here") }
      return first
    }
    var items = [first]
    while accept(",") {
      if endsList { break }
      items.append(try starExpression())
    }
    return .tuple(items)
  }

  /// Whether the next token closes a list (so a trailing comma was the last item).
  private var endsList: Bool {
    switch peek {
    case .op(")"), .op("]"), .op("}"), .end, .newline, .op(":"), .op("="): true
    default: false
    }
  }

  private mutating func starExpression() throws -> PyExpr {
    if accept("*") { return .starred(try bitOr()) }
    return try expression()
  }

  /// `expression`: a lambda, or a disjunction with an optional conditional.
  private mutating func expression() throws -> PyExpr {
    depth += 1
    defer { depth -= 1 }
    guard depth < Self.maxDepth else { throw PythonSyntaxError("too many nested expressions") }
    if acceptKeyword("lambda") {
      try lambdaParameters()
      _ = try expression()
      return .unsupported("lambda")
    }
    let body = try disjunction()
    if acceptKeyword("if") {
      let test = try disjunction()
      guard acceptKeyword("else") else { throw PythonSyntaxError("expected 'else' after 'if' expression") }
      return .ifExp(test, body, try expression())
    }
    return body
  }

  private mutating func lambdaParameters() throws {
    var seen = Set<String>()
    while !isOp(":") {
      _ = accept("*") || accept("**") || accept("/")
      if case .name(let name) = peek, !Self.keywords.contains(name) {
        guard seen.insert(name).inserted else { throw PythonSyntaxError("duplicate argument '\(name)' in function definition") }
        position += 1
        if accept("=") { _ = try expression() }
      }
      if !accept(",") { break }
    }
    try expect(":")
  }

  /// A named expression (`name := value`) where the grammar allows one, else an expression.
  private mutating func namedExpression() throws -> PyExpr {
    if case .name(let name) = peek, peek(1) == .op(":="), !Self.keywords.contains(name) {
      position += 2
      _ = try expression()
      return .unsupported("walrus")
    }
    return try expression()
  }

  private mutating func disjunction() throws -> PyExpr {
    var items = [try conjunction()]
    while acceptKeyword("or") { items.append(try conjunction()) }
    guard items.count < Self.maxChain * 10 else { throw PythonSyntaxError("too complex") }
    return items.count == 1 ? items[0] : .boolOp("or", items)
  }

  private mutating func conjunction() throws -> PyExpr {
    var items = [try inversion()]
    while acceptKeyword("and") { items.append(try inversion()) }
    return items.count == 1 ? items[0] : .boolOp("and", items)
  }

  private mutating func inversion() throws -> PyExpr {
    var count = 0
    while acceptKeyword("not") {
      count += 1
      guard count < 1_000 else { throw PythonSyntaxError("too complex") }
    }
    var value = try comparison()
    for _ in 0..<count { value = .unary("not", value) }
    return value
  }

  private mutating func comparison() throws -> PyExpr {
    let left = try bitOr()
    var rest: [(String, PyExpr)] = []
    while true {
      var op: String?
      for candidate in ["==", "!=", "<=", ">=", "<", ">"] where accept(candidate) {
        op = candidate
        break
      }
      if op == nil {
        if acceptKeyword("in") {
          op = "in"
        } else if isKeyword("not"), peek(1) == .name("in") {
          position += 2
          op = "not in"
        } else if acceptKeyword("is") {
          op = acceptKeyword("not") ? "is not" : "is"
        }
      }
      guard let found = op else { break }
      rest.append((found, try bitOr()))
    }
    return rest.isEmpty ? left : .compare(left, rest)
  }

  private mutating func binaryLevel(_ ops: [String], _ next: (inout PythonExpressionParser) throws -> PyExpr) throws -> PyExpr {
    var left = try next(&self)
    var operands = 1
    while true {
      guard let op = ops.first(where: { isOp($0) }) else { return left }
      position += 1
      operands += 1
      guard operands < Self.maxChain else { throw PythonSyntaxError("too complex") }
      left = .binary(op, left, try next(&self))
    }
  }

  private mutating func bitOr() throws -> PyExpr { try binaryLevel(["|"]) { try $0.bitXor() } }
  private mutating func bitXor() throws -> PyExpr { try binaryLevel(["^"]) { try $0.bitAnd() } }
  private mutating func bitAnd() throws -> PyExpr { try binaryLevel(["&"]) { try $0.shift() } }
  private mutating func shift() throws -> PyExpr { try binaryLevel(["<<", ">>"]) { try $0.sum() } }
  private mutating func sum() throws -> PyExpr { try binaryLevel(["+", "-"]) { try $0.term() } }
  private mutating func term() throws -> PyExpr { try binaryLevel(["*", "/", "//", "%", "@"]) { try $0.factor() } }

  private mutating func factor() throws -> PyExpr {
    // Python's parser gives up on very deep nesting ("too many nested parentheses", a recursion limit); so does
    // this one, before the stack does.
    var signs: [String] = []
    while let op = ["+", "-", "~"].first(where: { isOp($0) }) {
      position += 1
      signs.append(op)
      guard signs.count < 1_000 else { throw PythonSyntaxError("too complex") }
    }
    var value = try power()
    for op in signs.reversed() { value = .unary(op, value) }
    return value
  }

  private mutating func power() throws -> PyExpr {
    var base: PyExpr
    if acceptKeyword("await") {
      _ = try primary()
      base = .unsupported("await")
    } else {
      base = try primary()
    }
    if accept("**") {
      depth += 1
      defer { depth -= 1 }
      guard depth < Self.maxDepth else { throw PythonSyntaxError("too many nested expressions") }
      base = .binary("**", base, try factor())
    }
    return base
  }

  private mutating func primary() throws -> PyExpr {
    var value = try atom()
    var trailers = 0
    while true {
      trailers += 1
      guard trailers < Self.maxChain else { throw PythonSyntaxError("too complex") }
      if accept(".") {
        guard case .name(let name) = peek, !Self.keywords.contains(name) else { throw PythonSyntaxError("invalid syntax") }
        position += 1
        value = .attribute(value, name)
      } else if accept("(") {
        value = try call(value)
      } else if accept("[") {
        value = .subscript(value, try slices())
        try expect("]")
      } else {
        return value
      }
    }
  }

  private mutating func slices() throws -> PyExpr {
    var items: [PyExpr] = []
    var trailingComma = false
    repeat {
      if isOp("]") { break }
      items.append(try sliceItem())
      trailingComma = isOp(",")
    } while accept(",")
    guard !items.isEmpty else { throw PythonSyntaxError("invalid syntax") }
    return items.count == 1 && !trailingComma ? items[0] : .tuple(items)
  }

  private mutating func sliceItem() throws -> PyExpr {
    if accept("*") { return .starred(try bitOr()) }
    var lower: PyExpr?
    if !isOp(":") {
      lower = try namedExpression()
      guard isOp(":") else { return lower! }
    }
    try expect(":")
    let upper: PyExpr? = isOp(":") || isOp("]") || isOp(",") ? nil : try expression()
    var step: PyExpr?
    if accept(":"), !(isOp("]") || isOp(",")) { step = try expression() }
    return .slice(lower, upper, step)
  }

  /// Call arguments after `(`, with Python's ordering rules.
  private mutating func call(_ function: PyExpr) throws -> PyExpr {
    var positional: [PyExpr] = []
    var keywords: [(String?, PyExpr)] = []
    var sawKeywordUnpacking = false
    var names = Set<String>()
    while !isOp(")") {
      if accept("**") {
        keywords.append((nil, try expression()))
        sawKeywordUnpacking = true
      } else if accept("*") {
        guard !sawKeywordUnpacking else {
          throw PythonSyntaxError("iterable argument unpacking follows keyword argument unpacking")
        }
        positional.append(.starred(try expression()))
      } else if case .name(let name) = peek, peek(1) == .op("=") {
        guard !Self.keywords.contains(name) else { throw PythonSyntaxError("cannot assign to \(name)") }
        position += 2
        guard names.insert(name).inserted else { throw PythonSyntaxError("keyword argument repeated: \(name)") }
        keywords.append((name, try expression()))
      } else {
        let argument = try namedExpression()
        if isKeyword("for") || isKeyword("async") {
          try comprehensionClauses()
          guard positional.isEmpty, keywords.isEmpty, isOp(")") else {
            throw PythonSyntaxError("Generator expression must be parenthesized")
          }
          positional.append(.unsupported("generator"))
          break
        }
        if isOp("=") { throw PythonSyntaxError("expression cannot contain assignment, perhaps you meant \"==\"?") }
        guard keywords.isEmpty else {
          throw PythonSyntaxError(
            sawKeywordUnpacking
              ? "positional argument follows keyword argument unpacking" : "positional argument follows keyword argument")
        }
        positional.append(argument)
      }
      if !accept(",") { break }
    }
    try expect(")")
    return .call(function, positional, keywords)
  }

  private mutating func comprehensionClauses() throws {
    while acceptKeyword("async") || isKeyword("for") {
      guard acceptKeyword("for") else { throw PythonSyntaxError("invalid syntax") }
      repeat {
        if isKeyword("in") { break }
        _ = accept("*")
        _ = try bitOr()
      } while accept(",")
      guard acceptKeyword("in") else { throw PythonSyntaxError("expected 'in'") }
      _ = try disjunction()
      while acceptKeyword("if") { _ = try disjunction() }
    }
  }

  private mutating func atom() throws -> PyExpr {
    let token = peek
    position += 1
    switch token {
    case .name(let name):
      switch name {
      case "True": return .constant(.bool(true))
      case "False": return .constant(.bool(false))
      case "None": return .constant(.none)
      default:
        guard !Self.keywords.contains(name) else { throw PythonSyntaxError("invalid syntax near '\(name)'") }
        return .name(name)
      }
    case .number(let value): return .constant(value)
    case .string(let first):
      var parts = [first]
      while case .string(let more) = peek {
        parts.append(more)
        position += 1
      }
      return try joinStrings(parts)
    case .op("..."): return .ellipsis
    case .op("("): return try parenthesized()
    case .op("["): return try listDisplay()
    case .op("{"): return try braceDisplay()
    default: throw PythonSyntaxError("invalid syntax")
    }
  }

  private func joinStrings(_ parts: [PythonTokenizer.StringLiteral]) throws -> PyExpr {
    let byteParts = parts.filter { if case .bytes = $0 { true } else { false } }
    guard byteParts.isEmpty || byteParts.count == parts.count else {
      throw PythonSyntaxError("cannot mix bytes and nonbytes literals")
    }
    if parts.contains(.formatted) { return .unsupported("f-string") }
    if !byteParts.isEmpty {
      var bytes: [UInt8] = []
      for case .bytes(let b) in parts { bytes += b }
      return .constant(.bytes(bytes))
    }
    var text = ""
    for case .str(let s) in parts { text += s }
    return .constant(.str(text))
  }

  private mutating func parenthesized() throws -> PyExpr {
    if accept(")") { return .tuple([]) }
    if acceptKeyword("yield") {
      if !isOp(")") {
        _ = acceptKeyword("from")
        _ = try expressions()
      }
      try expect(")")
      return .unsupported("yield")
    }
    let first = isOp("*") ? try starExpression() : try namedExpression()
    if isKeyword("for") || isKeyword("async") {
      try comprehensionClauses()
      try expect(")")
      return .unsupported("generator")
    }
    if accept(")") {
      if case .starred = first { throw PythonSyntaxError("cannot use starred expression here") }
      return first
    }
    var items = [first]
    while accept(",") {
      if isOp(")") { break }
      items.append(isOp("*") ? try starExpression() : try namedExpression())
    }
    try expect(")")
    return .tuple(items)
  }

  private mutating func listDisplay() throws -> PyExpr {
    var items: [PyExpr] = []
    while !isOp("]") {
      items.append(isOp("*") ? try starExpression() : try namedExpression())
      if items.count == 1, isKeyword("for") || isKeyword("async") {
        try comprehensionClauses()
        try expect("]")
        return .unsupported("list comprehension")
      }
      if !accept(",") { break }
    }
    try expect("]")
    return .list(items)
  }

  private mutating func braceDisplay() throws -> PyExpr {
    if accept("}") { return .dict([]) }
    // The first entry decides between a dict and a set.
    if accept("**") {
      return try dictRest(first: (nil, try bitOr()))
    }
    let first = isOp("*") ? try starExpression() : try namedExpression()
    if accept(":") {
      let value = try expression()
      if isKeyword("for") || isKeyword("async") {
        try comprehensionClauses()
        try expect("}")
        return .unsupported("dict comprehension")
      }
      return try dictRest(first: (first, value))
    }
    if isKeyword("for") || isKeyword("async") {
      try comprehensionClauses()
      try expect("}")
      return .unsupported("set comprehension")
    }
    var items = [first]
    while accept(",") {
      if isOp("}") { break }
      items.append(isOp("*") ? try starExpression() : try namedExpression())
    }
    try expect("}")
    return .set(items)
  }

  private mutating func dictRest(first: (PyExpr?, PyExpr)) throws -> PyExpr {
    var pairs = [first]
    while accept(",") {
      if isOp("}") { break }
      if accept("**") {
        pairs.append((nil, try bitOr()))
      } else {
        let key = try expression()
        try expect(":")
        pairs.append((key, try expression()))
      }
    }
    try expect("}")
    return .dict(pairs)
  }
}
