/// Python's `ast.unparse` for the expressions BFCL turns back into text (a call without keyword arguments, a
/// subscript): the same spacing, quotes and parentheses by precedence. Lambdas, comprehensions and f-strings are not
/// unparsed: `nil`.
///
/// ```swift
/// PyUnparse.text(try PythonExpressionParser.parse("f( 1,\"a\" )"))   // "f(1, 'a')"
/// ```
public enum PyUnparse {
  /// Precedence levels of `ast._Precedence`, lowest first.
  enum Level: Int, Comparable {
    case tuple, yield, test, or, and, not, cmp, expr, bor, bxor, band, shift, arith, term, factor, power, await, atom
    static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
  }

  static func level(ofBinary op: String) -> Level {
    switch op {
    case "|": .bor
    case "^": .bxor
    case "&": .band
    case "<<", ">>": .shift
    case "+", "-": .arith
    case "**": .power
    default: .term
    }
  }

  /// `ast.unparse(expr)`, or nil for a node not unparsed here.
  public static func text(_ expr: PyExpr) -> String? { unparse(expr, context: .tuple, top: true) }

  private static func wrap(_ text: String, _ own: Level, _ context: Level) -> String {
    own < context ? "(" + text + ")" : text
  }

  private static func unparse(_ expr: PyExpr, context: Level, top: Bool = false) -> String? {
    switch expr {
    case .name(let name): return name
    case .constant(let value): return constant(value)
    case .ellipsis: return "..."
    case .list(let items): return join(items).map { "[" + $0 + "]" }
    case .set(let items): return join(items).map { "{" + $0 + "}" }
    case .tuple(let items):
      guard let inner = join(items) else { return nil }
      let body = items.count == 1 ? inner + "," : inner
      // A tuple at the top or in a subscript is written without parentheses, as ast.unparse does.
      return top && !items.isEmpty ? body : "(" + body + ")"
    case .dict(let pairs):
      var parts: [String] = []
      for (key, value) in pairs {
        if let key {
          guard let k = unparse(key, context: .test), let v = unparse(value, context: .test) else { return nil }
          parts.append(k + ": " + v)
        } else {
          guard let v = unparse(value, context: .expr) else { return nil }
          parts.append("**" + v)
        }
      }
      return "{" + parts.joined(separator: ", ") + "}"
    case .call(let function, let positional, let keywords):
      guard let f = unparse(function, context: .atom), let args = join(positional) else { return nil }
      var parts = positional.isEmpty ? [] : [args]
      for (name, value) in keywords {
        guard let v = unparse(value, context: .test) else { return nil }
        parts.append(name.map { $0 + "=" + v } ?? "**" + v)
      }
      return f + "(" + parts.joined(separator: ", ") + ")"
    case .attribute(let value, let name):
      guard var base = unparse(value, context: .atom) else { return nil }
      if case .constant(.int) = value { base = "(" + base + ")" }
      return base + "." + name
    case .subscript(let value, let slice):
      guard let base = unparse(value, context: .atom), let index = unparse(slice, context: .tuple, top: true) else { return nil }
      return base + "[" + index + "]"
    case .slice(let lower, let upper, let step):
      var text = ""
      if let lower { guard let l = unparse(lower, context: .test) else { return nil }; text += l }
      text += ":"
      if let upper { guard let u = unparse(upper, context: .test) else { return nil }; text += u }
      if let step { guard let s = unparse(step, context: .test) else { return nil }; text += ":" + s }
      return text
    case .starred(let value): return unparse(value, context: .expr).map { "*" + $0 }
    case .unary(let op, let operand):
      let own: Level = op == "not" ? .not : .factor
      guard let inner = unparse(operand, context: own) else { return nil }
      return wrap((op == "not" ? "not " : op) + inner, own, context)
    case .binary(let op, let left, let right):
      let own = level(ofBinary: op)
      let leftContext = op == "**" ? Level(rawValue: own.rawValue + 1)! : own
      let rightContext = op == "**" ? own : Level(rawValue: own.rawValue + 1)!
      guard let l = unparse(left, context: leftContext), let r = unparse(right, context: rightContext) else { return nil }
      return wrap(l + " " + op + " " + r, own, context)
    case .boolOp(let op, let items):
      let own: Level = op == "and" ? .and : .or
      var parts: [String] = []
      for (index, item) in items.enumerated() {
        guard let text = unparse(item, context: index == 0 ? own : Level(rawValue: own.rawValue + 1)!) else { return nil }
        parts.append(text)
      }
      return wrap(parts.joined(separator: " " + op + " "), own, context)
    case .compare(let left, let rest):
      guard var text = unparse(left, context: .bor) else { return nil }
      for (op, right) in rest {
        guard let r = unparse(right, context: .bor) else { return nil }
        text += " " + op + " " + r
      }
      return wrap(text, .cmp, context)
    case .ifExp(let test, let body, let orElse):
      guard let b = unparse(body, context: .or), let t = unparse(test, context: .or), let e = unparse(orElse, context: .test)
      else { return nil }
      return wrap(b + " if " + t + " else " + e, .test, context)
    case .unsupported: return nil
    }
  }

  private static func join(_ items: [PyExpr]) -> String? {
    var parts: [String] = []
    for item in items {
      guard let text = unparse(item, context: .test) else { return nil }
      parts.append(text)
    }
    return parts.joined(separator: ", ")
  }

  /// A constant as `ast.unparse` writes it: `repr`, with infinity as `1e309`.
  static func constant(_ value: PyValue) -> String {
    switch value {
    case .float(let d) where d.isInfinite: return d < 0 ? "-1e309" : "1e309"
    case .complex(_, let i) where i.isInfinite: return "1e309j"
    default: return PyRepr.repr(value)
    }
  }
}
