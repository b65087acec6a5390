import Foundation

/// Python arithmetic on literal values, for the `a=1+2` arguments BFCL evaluates: `+ - * / // % **`, bit operators on
/// ints, `+` and `*` on strings, lists and tuples, unary `- + ~ not`. Names and calls are never evaluated (nil).
///
/// ```swift
/// PyArithmetic.evaluate(try PythonExpressionParser.parse("2**10 - 1"))   // .int(1023)
/// ```
public enum PyArithmetic {
  /// The value of a literal expression, or nil when Python would need names, calls or would raise.
  public static func evaluate(_ expr: PyExpr) -> PyValue? {
    switch expr {
    case .constant(let value): return value
    case .ellipsis: return nil
    case .list(let items): return collect(items).map(PyValue.list)
    case .tuple(let items): return collect(items).map(PyValue.tuple)
    case .unary(let op, let operand):
      guard let value = evaluate(operand) else { return nil }
      switch op {
      case "-": return negate(value)
      case "+": return plus(value)
      case "~":
        guard let i = integer(value) else { return nil }
        return .int(~i)
      default: return .bool(!truthy(value))
      }
    case .binary(let op, let left, let right):
      guard let l = evaluate(left), let r = evaluate(right) else { return nil }
      return binary(op, l, r)
    default: return nil
    }
  }

  private static func collect(_ items: [PyExpr]) -> [PyValue]? {
    var out: [PyValue] = []
    for item in items {
      guard let value = evaluate(item) else { return nil }
      out.append(value)
    }
    return out
  }

  /// `-value` for a number (bools become ints), nil otherwise.
  public static func negate(_ value: PyValue) -> PyValue? {
    switch value {
    case .bool(let b): return .int(b ? -1 : 0)
    case .int(let i): return i == .min ? nil : .int(-i)
    case .bigInt(let digits): return .bigInt(digits.hasPrefix("-") ? String(digits.dropFirst()) : "-" + digits)
    case .float(let d): return .float(-d)
    case .complex(let r, let i): return .complex(-r, -i)
    default: return nil
    }
  }

  private static func plus(_ value: PyValue) -> PyValue? {
    switch value {
    case .bool(let b): .int(b ? 1 : 0)
    case .int, .float, .complex, .bigInt: value
    default: nil
    }
  }

  /// Whether Python can hash the value (a dict key): not a list or dict, nor a tuple holding one.
  public static func isHashable(_ value: PyValue) -> Bool {
    switch value {
    case .list, .dict: false
    case .tuple(let items): items.allSatisfy(isHashable)
    default: true
    }
  }

  private static func truthy(_ value: PyValue) -> Bool {
    switch value {
    case .none: false
    case .bool(let b): b
    case .int(let i): i != 0
    case .bigInt: true
    case .float(let d): d != 0
    case .complex(let r, let i): r != 0 || i != 0
    case .str(let s): !s.isEmpty
    case .bytes(let b): !b.isEmpty
    case .list(let items), .tuple(let items): !items.isEmpty
    case .dict(let pairs): !pairs.isEmpty
    }
  }

  private static func integer(_ value: PyValue) -> Int? {
    switch value {
    case .bool(let b): b ? 1 : 0
    case .int(let i): i
    default: nil
    }
  }

  private static func real(_ value: PyValue) -> Double? {
    switch value {
    case .bool(let b): b ? 1 : 0
    case .int(let i): Double(i)
    case .float(let d): d
    default: nil
    }
  }

  private static func binary(_ op: String, _ l: PyValue, _ r: PyValue) -> PyValue? {
    // Sequences: concatenation and repetition.
    switch (op, l, r) {
    case ("+", .str(let a), .str(let b)): return .str(a + b)
    case ("+", .list(let a), .list(let b)): return .list(a + b)
    case ("+", .tuple(let a), .tuple(let b)): return .tuple(a + b)
    case ("*", .str, _), ("*", _, .str), ("*", .list, _), ("*", _, .list), ("*", .tuple, _), ("*", _, .tuple):
      return repeatSequence(l, r)
    case ("%", .str, _): return nil
    default: break
    }
    if let a = integer(l), let b = integer(r) { return integerBinary(op, a, b) }
    guard let a = real(l), let b = real(r) else { return nil }
    switch op {
    case "+": return .float(a + b)
    case "-": return .float(a - b)
    case "*": return .float(a * b)
    case "/": return b == 0 ? nil : .float(a / b)
    case "//": return b == 0 ? nil : .float((a / b).rounded(.down))
    case "%":
      guard b != 0 else { return nil }
      let m = fmod(a, b)
      return .float(m != 0 && (m < 0) != (b < 0) ? m + b : m)
    case "**":
      if a == 0 && b < 0 { return nil }
      if a < 0 && b != b.rounded() { return nil }
      return .float(pow(a, b))
    default: return nil
    }
  }

  private static func integerBinary(_ op: String, _ a: Int, _ b: Int) -> PyValue? {
    switch op {
    case "+": let (v, o) = a.addingReportingOverflow(b); return o ? nil : .int(v)
    case "-": let (v, o) = a.subtractingReportingOverflow(b); return o ? nil : .int(v)
    case "*": let (v, o) = a.multipliedReportingOverflow(by: b); return o ? nil : .int(v)
    case "/": return b == 0 ? nil : .float(Double(a) / Double(b))
    case "//":
      guard b != 0 else { return nil }
      let q = a / b
      return .int((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q)
    case "%":
      guard b != 0 else { return nil }
      let m = a % b
      return .int(m != 0 && (m < 0) != (b < 0) ? m + b : m)
    case "**":
      if b < 0 { return a == 0 ? nil : .float(pow(Double(a), Double(b))) }
      if a == 0 { return .int(b == 0 ? 1 : 0) }
      if a == 1 { return .int(1) }
      if a == -1 { return .int(b % 2 == 0 ? 1 : -1) }
      var result = 1
      for _ in 0..<min(b, 64) {
        let (v, o) = result.multipliedReportingOverflow(by: a)
        if o { return nil }
        result = v
      }
      return .int(result)
    case "&": return .int(a & b)
    case "|": return .int(a | b)
    case "^": return .int(a ^ b)
    case "<<": return b < 0 || b >= 63 ? nil : .int(a << b)
    case ">>": return b < 0 ? nil : .int(a >> min(b, 63))
    default: return nil
    }
  }

  private static func repeatSequence(_ l: PyValue, _ r: PyValue) -> PyValue? {
    let (sequence, countValue) = integer(r) != nil ? (l, r) : (r, l)
    guard let count = integer(countValue) else { return nil }
    let times = max(0, count)
    guard times <= 100_000 else { return nil }
    switch sequence {
    case .str(let s): return .str(String(repeating: s, count: times))
    case .list(let items): return .list(Array(repeating: items, count: times).flatMap { $0 })
    case .tuple(let items): return .tuple(Array(repeating: items, count: times).flatMap { $0 })
    default: return nil
    }
  }
}
