/// A Python expression as `ast.parse(..., mode="eval")` builds it, for the node kinds a model's function-call text
/// holds. Nodes BFCL cannot resolve (comprehensions, f-strings, lambdas) are kept, so a text parses exactly when
/// Python's parser accepts it and fails later only where BFCL's decoder fails.
public indirect enum PyExpr: Sendable, Equatable {
  case name(String)
  case constant(PyValue)
  case ellipsis
  case list([PyExpr])
  case tuple([PyExpr])
  case set([PyExpr])
  /// A dict display; a `nil` key is a `**mapping` entry.
  case dict([(PyExpr?, PyExpr)])
  /// A call: positional arguments (possibly `.starred`), then keywords (a `nil` name is `**mapping`).
  case call(PyExpr, [PyExpr], [(String?, PyExpr)])
  case attribute(PyExpr, String)
  case `subscript`(PyExpr, PyExpr)
  case slice(PyExpr?, PyExpr?, PyExpr?)
  case starred(PyExpr)
  case unary(String, PyExpr)
  case binary(String, PyExpr, PyExpr)
  case boolOp(String, [PyExpr])
  case compare(PyExpr, [(String, PyExpr)])
  case ifExp(PyExpr, PyExpr, PyExpr)
  /// A node BFCL's resolver rejects and that is not unparsed here: a lambda, comprehension, f-string, walrus,
  /// `await`, `yield`; the text says which.
  case unsupported(String)

  public static func == (lhs: PyExpr, rhs: PyExpr) -> Bool {
    switch (lhs, rhs) {
    case (.name(let a), .name(let b)), (.unsupported(let a), .unsupported(let b)): a == b
    case (.constant(let a), .constant(let b)): a == b && a.pyType == b.pyType
    case (.ellipsis, .ellipsis): true
    case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)), (.set(let a), .set(let b)): a == b
    case (.dict(let a), .dict(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    case (.call(let f, let a, let k), .call(let g, let b, let l)):
      f == g && a == b && k.count == l.count && zip(k, l).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    case (.attribute(let a, let x), .attribute(let b, let y)): a == b && x == y
    case (.subscript(let a, let x), .subscript(let b, let y)): a == b && x == y
    case (.slice(let a, let b, let c), .slice(let x, let y, let z)): a == x && b == y && c == z
    case (.starred(let a), .starred(let b)): a == b
    case (.unary(let o, let a), .unary(let p, let b)): o == p && a == b
    case (.binary(let o, let a, let c), .binary(let p, let b, let d)): o == p && a == b && c == d
    case (.boolOp(let o, let a), .boolOp(let p, let b)): o == p && a == b
    case (.compare(let a, let x), .compare(let b, let y)): a == b && x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    case (.ifExp(let a, let b, let c), .ifExp(let x, let y, let z)): a == x && b == y && c == z
    default: false
    }
  }
}
