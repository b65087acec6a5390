/// An expression parser for the Java and JavaScript that BFCL's prompted answers hold (`f(a=1, b=new int[]{1, 2})`),
/// building the few node kinds BFCL's tree-sitter walkers look at, each with its source range and the text BFCL's
/// Java walker rebuilds for it (`traverse_node` with `nested=True`: tokens joined without spaces, string literals
/// and method invocations as written, `new T(args)` and `new T[]{...}` respelled). What neither language's grammar
/// accepts throws, as tree-sitter's `ERROR` node makes BFCL refuse the text.
struct CLikeExpressionParser {
  typealias Token = CLikeLexer.Token

  /// One node of the syntax tree, as far as BFCL's walkers tell nodes apart.
  final class Node {
    enum Kind: Equatable {
      case stringLiteral, characterLiteral, identifier, classLiteral, methodInvocation, objectCreation, arrayCreation
      case assignment, fieldAccess, arrayAccess, other
    }

    let kind: Kind
    let start: Int
    let end: Int
    /// The text of BFCL's Java `traverse_node(node, nested=True)`.
    let nested: String
    /// For a call: the function's text (`obj.method` or `f`) and its argument nodes.
    var callee: String?
    var arguments: [Node] = []
    /// For an assignment: the target's source text and the value node.
    var target: String?
    var value: Node?

    init(_ kind: Kind, _ start: Int, _ end: Int, _ nested: String) {
      self.kind = kind
      self.start = start
      self.end = end
      self.nested = nested
    }
  }

  private let tokens: [Token]
  private let source: [Unicode.Scalar]
  private let javaScript: Bool
  private var position = 0
  /// Expression nesting; past 200 the text is refused (a hostile answer cannot exhaust the stack).
  private var depth = 0

  init(source: String, javaScript: Bool) throws {
    self.source = Array(source.unicodeScalars)
    self.tokens = try CLikeLexer.tokens(source, javaScript: javaScript)
    self.javaScript = javaScript
  }

  /// The top-level statements: expressions separated by `;`.
  mutating func statements() throws -> [Node] {
    var out: [Node] = []
    while position < tokens.count {
      if accept(";") { continue }
      out.append(try expression())
      if position < tokens.count { try expect(";") }
    }
    return out
  }

  func text(_ node: Node) -> String { String(String.UnicodeScalarView(source[node.start..<node.end])) }

  private var peek: Token? { position < tokens.count ? tokens[position] : nil }
  private func peek(_ offset: Int) -> Token? { position + offset < tokens.count ? tokens[position + offset] : nil }
  private func isOp(_ op: String) -> Bool { peek.map { $0.kind == .op && $0.text == op } ?? false }
  private func isWord(_ word: String) -> Bool { peek.map { $0.kind == .identifier && $0.text == word } ?? false }

  private mutating func accept(_ op: String) -> Bool {
    guard isOp(op) else { return false }
    position += 1
    return true
  }

  private mutating func expect(_ op: String) throws {
    guard accept(op) else { throw CLikeLexer.SyntaxError() }
  }

  private mutating func take() throws -> Token {
    guard let token = peek else { throw CLikeLexer.SyntaxError() }
    position += 1
    return token
  }

  private static let assignmentOps: Set<String> = [
    "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", ">>>=", "**=", "&&=", "||=", "??=",
  ]
  private static let binaryOps: Set<String> = [
    "||", "&&", "|", "^", "&", "==", "!=", "===", "!==", "<", ">", "<=", ">=", "<<", ">>", ">>>", "+", "-", "*", "/", "%",
    "**", "??",
  ]

  mutating func expression() throws -> Node {
    depth += 1
    defer { depth -= 1 }
    guard depth < 200 else { throw CLikeLexer.SyntaxError() }
    if let arrow = try arrowFunction() { return arrow }
    let left = try conditional()
    if let op = peek, op.kind == .op, Self.assignmentOps.contains(op.text) {
      guard [.identifier, .fieldAccess, .arrayAccess].contains(left.kind) || (javaScript && left.kind == .other) else {
        throw CLikeLexer.SyntaxError()
      }
      position += 1
      let right = try expression()
      let node = Node(.assignment, left.start, right.end, left.nested + op.text + right.nested)
      node.target = text(left)
      node.value = right
      return node
    }
    return left
  }

  /// `x -> body`, `(a, b) -> body` (Java) or `=>` (JavaScript), when one starts here.
  private mutating func arrowFunction() throws -> Node? {
    let arrow = javaScript ? "=>" : "->"
    guard let first = peek else { return nil }
    var end = position
    if first.kind == .identifier, peek(1)?.text == arrow {
      end = position + 1
    } else if first.text == "(" && first.kind == .op {
      var depth = 0
      var index = position
      while index < tokens.count {
        if tokens[index].text == "(" { depth += 1 }
        if tokens[index].text == ")" { depth -= 1; if depth == 0 { break } }
        index += 1
      }
      guard index + 1 < tokens.count, tokens[index + 1].text == arrow else { return nil }
      end = index + 1
    } else {
      return nil
    }
    let start = tokens[position].start
    var nested = tokens[position..<end].map(\.text).joined() + arrow
    position = end + 1
    if isOp("{") {
      nested += try balancedBlock()
    } else {
      nested += try expression().nested
    }
    return Node(.other, start, tokens[position - 1].end, nested)
  }

  /// A `{ ... }` block taken whole; its text is its tokens joined.
  private mutating func balancedBlock() throws -> String {
    var depth = 0
    var out = ""
    repeat {
      let token = try take()
      if token.text == "{" && token.kind == .op { depth += 1 }
      if token.text == "}" && token.kind == .op { depth -= 1 }
      out += token.text
    } while depth > 0
    return out
  }

  private mutating func conditional() throws -> Node {
    let test = try binary()
    guard accept("?") else { return test }
    let yes = try expression()
    try expect(":")
    let no = try expression()
    return Node(.other, test.start, no.end, test.nested + "?" + yes.nested + ":" + no.nested)
  }

  private mutating func binary() throws -> Node {
    var left = try unary()
    while let op = peek {
      let isBinary = (op.kind == .op && Self.binaryOps.contains(op.text)) || (op.kind == .identifier && op.text == "instanceof")
        || (javaScript && op.kind == .identifier && op.text == "in")
      guard isBinary else { break }
      position += 1
      let right = op.text == "instanceof" && !javaScript ? try typeNode() : try unary()
      left = Node(.other, left.start, right.end, left.nested + op.text + right.nested)
    }
    return left
  }

  private mutating func unary() throws -> Node {
    depth += 1
    defer { depth -= 1 }
    guard depth < 400 else { throw CLikeLexer.SyntaxError() }
    if let op = peek, op.kind == .op, ["+", "-", "!", "~", "++", "--"].contains(op.text) || (javaScript && op.text == "...") {
      position += 1
      let operand = try unary()
      return Node(.other, op.start, operand.end, op.text + operand.nested)
    }
    if javaScript, let word = peek, word.kind == .identifier, ["typeof", "void", "delete", "await"].contains(word.text) {
      position += 1
      let operand = try unary()
      return Node(.other, word.start, operand.end, word.text + operand.nested)
    }
    return try postfix(try primary())
  }

  private mutating func postfix(_ base: Node) throws -> Node {
    var node = base
    var trailers = 0
    while true {
      trailers += 1
      guard trailers < 200 else { throw CLikeLexer.SyntaxError() }
      if isOp(".") || (javaScript && isOp("?.")) {
        let dot = try take()
        if !javaScript && isWord("class") {
          let word = try take()
          node = Node(.classLiteral, node.start, word.end, node.nested + ".class")
          continue
        }
        if javaScript && dot.text == "?." && (isOp("(") || isOp("[")) { continue }
        let name = try take()
        guard name.kind == .identifier else { throw CLikeLexer.SyntaxError() }
        if isOp("(") {
          node = try call(node, name: name.text, start: node.start)
        } else {
          node = Node(.fieldAccess, node.start, name.end, node.nested + dot.text + name.text)
        }
      } else if isOp("(") && (javaScript || node.kind == .identifier) {
        node = try call(javaScript ? node : nil, name: text(node), start: node.start)
      } else if accept("[") {
        let index = try expression()
        let close = try take()
        guard close.text == "]" else { throw CLikeLexer.SyntaxError() }
        node = Node(.arrayAccess, node.start, close.end, node.nested + "[" + index.nested + "]")
      } else if let op = peek, op.kind == .op, op.text == "++" || op.text == "--" {
        position += 1
        node = Node(.other, node.start, op.end, node.nested + op.text)
      } else if !javaScript && isOp("::") {
        position += 1
        let name = try take()
        node = Node(.other, node.start, name.end, node.nested + "::" + name.text)
      } else if javaScript, let template = peek, template.kind == .template {
        position += 1
        node = Node(.other, node.start, template.end, node.nested + template.text)
      } else {
        return node
      }
    }
  }

  /// A call `callee(arguments)`; Java names it `object.name`, JavaScript by the callee's source text.
  private mutating func call(_ object: Node?, name: String, start: Int) throws -> Node {
    let functionText = String(String.UnicodeScalarView(source[start..<(peek?.start ?? start)]))
    try expect("(")
    var arguments: [Node] = []
    while !isOp(")") {
      arguments.append(try expression())
      if !accept(",") { break }
    }
    let close = try take()
    guard close.text == ")" else { throw CLikeLexer.SyntaxError() }
    let raw = String(String.UnicodeScalarView(source[start..<close.end]))
    let node = Node(.methodInvocation, start, close.end, raw)
    if javaScript {
      node.callee = pythonStripped(functionText)
    } else {
      node.callee = object.map { text($0) + "." + name } ?? name
    }
    node.arguments = arguments
    return node
  }

  private mutating func primary() throws -> Node {
    let token = try take()
    switch token.kind {
    case .string: return Node(.stringLiteral, token.start, token.end, token.text)
    case .character: return Node(.characterLiteral, token.start, token.end, token.text)
    case .number, .template: return Node(.other, token.start, token.end, token.text)
    case .identifier:
      if token.text == "new" { return try creation(start: token.start) }
      if javaScript && token.text == "function" { throw CLikeLexer.SyntaxError() }
      if ["true", "false", "null", "this", "super", "undefined"].contains(token.text) {
        return Node(.other, token.start, token.end, token.text)
      }
      return Node(.identifier, token.start, token.end, token.text)
    case .op:
      switch token.text {
      case "(":
        let inner = try expression()
        var nested = "(" + inner.nested
        while javaScript && accept(",") { nested += "," + (try expression()).nested }
        let close = try take()
        guard close.text == ")" else { throw CLikeLexer.SyntaxError() }
        // A Java cast: `(Type) operand`.
        if !javaScript, inner.kind == .identifier || inner.kind == .fieldAccess, let next = peek,
          next.kind != .op || next.text == "(" {
          let operand = try unary()
          return Node(.other, token.start, operand.end, nested + ")" + operand.nested)
        }
        return Node(.other, token.start, close.end, nested + ")")
      case "[" where javaScript:
        var nested = "["
        while !isOp("]") {
          if accept(",") { nested += ","; continue }
          nested += try expression().nested
          if accept(",") { nested += "," } else { break }
        }
        let close = try take()
        guard close.text == "]" else { throw CLikeLexer.SyntaxError() }
        return Node(.other, token.start, close.end, nested + "]")
      case "{" where javaScript:
        position -= 1
        let body = try objectLiteral()
        return Node(.other, token.start, tokens[position - 1].end, body)
      default: throw CLikeLexer.SyntaxError()
      }
    }
  }

  /// A JavaScript object literal `{a: 1, "b": [2], c, ...d}`.
  private mutating func objectLiteral() throws -> String {
    try expect("{")
    var nested = "{"
    while !isOp("}") {
      if accept("...") {
        nested += "..." + (try expression()).nested
      } else {
        let key = try take()
        guard key.kind == .identifier || key.kind == .string || key.kind == .number else { throw CLikeLexer.SyntaxError() }
        nested += key.text
        if accept(":") { nested += ":" + (try expression()).nested }
      }
      if accept(",") { nested += "," } else { break }
    }
    try expect("}")
    return nested + "}"
  }

  /// A type: a name, dotted, with type arguments `<...>` (their tokens joined) and `[]` pairs.
  private mutating func typeNode() throws -> Node {
    let first = try take()
    guard first.kind == .identifier else { throw CLikeLexer.SyntaxError() }
    var nested = first.text
    var end = first.end
    while isOp("."), peek(1)?.kind == .identifier {
      position += 1
      let part = try take()
      nested += "." + part.text
      end = part.end
    }
    if isOp("<") {
      var depth = 0
      repeat {
        let token = try take()
        switch token.text {
        case "<": depth += 1
        case ">": depth -= 1
        case ">>": depth -= 2
        case ">>>": depth -= 3
        default: break
        }
        nested += token.text
        end = token.end
      } while depth > 0
      guard depth == 0 else { throw CLikeLexer.SyntaxError() }
    }
    return Node(.other, first.start, end, nested)
  }

  /// `new T(args) {body}`, `new T[]{...}`, or (JavaScript) `new F(args)`.
  private mutating func creation(start: Int) throws -> Node {
    let type = try typeNode()
    if !javaScript && isOp("[") {
      var dimensions = 0
      while accept("[") {
        guard accept("]") else { throw BFCLDecoder.DecodeError("an array creation with sizes has no value to read") }
        dimensions += 1
      }
      guard isOp("{") else { throw CLikeLexer.SyntaxError() }
      let initializer = try arrayInitializer()
      return Node(.arrayCreation, start, tokens[position - 1].end, "new " + type.nested + "[]" + initializer)
    }
    guard isOp("(") else {
      if javaScript { return Node(.other, start, type.end, "new" + type.nested) }
      throw CLikeLexer.SyntaxError()
    }
    position += 1
    var arguments: [String] = []
    while !isOp(")") {
      arguments.append(try expression().nested)
      if !accept(",") { break }
    }
    try expect(")")
    if !javaScript && isOp("{") { _ = try balancedBlock() }
    return Node(.objectCreation, start, tokens[position - 1].end, "new " + type.nested + "(" + arguments.joined(separator: ", ") + ")")
  }

  /// A Java array initializer `{1, 2, {3}}`: its elements' texts joined by commas, braces kept.
  private mutating func arrayInitializer() throws -> String {
    depth += 1
    defer { depth -= 1 }
    guard depth < 200 else { throw CLikeLexer.SyntaxError() }
    try expect("{")
    var nested = "{"
    while !isOp("}") {
      nested += isOp("{") ? try arrayInitializer() : try expression().nested
      if accept(",") { nested += "," } else { break }
    }
    try expect("}")
    return nested + "}"
  }
}
