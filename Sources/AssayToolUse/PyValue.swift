/// A Python value as BFCL's checker sees it: what `ast` decoding or `json.loads` produces, with Python's own types
/// kept apart (`bool` is not `int` for `type(x) == int`) and Python's equality (`1 == 1.0 == True`, lists and tuples
/// never equal, dicts equal whatever their order).
///
/// ```swift
/// PyValue.int(1) == PyValue.float(1.0)   // true, as in Python
/// PyValue.list([.int(1)]) == PyValue.tuple([.int(1)])   // false
/// ```
public indirect enum PyValue: Sendable, Equatable, CustomStringConvertible {
  case none
  case bool(Bool)
  /// An `int` that fits in 64 bits.
  case int(Int)
  /// An `int` beyond 64 bits, as its canonical decimal digits (sign first when negative).
  case bigInt(String)
  case float(Double)
  case complex(Double, Double)
  case str(String)
  case bytes([UInt8])
  case list([PyValue])
  case tuple([PyValue])
  /// A dict in insertion order; a later equal key replaced the earlier one's value, as Python does.
  case dict([(PyValue, PyValue)])

  /// The name `type(x).__name__` prints.
  public var typeName: String {
    switch self {
    case .none: "NoneType"
    case .bool: "bool"
    case .int, .bigInt: "int"
    case .float: "float"
    case .complex: "complex"
    case .str: "str"
    case .bytes: "bytes"
    case .list: "list"
    case .tuple: "tuple"
    case .dict: "dict"
    }
  }

  /// The Python type, for `type(a) == type(b)` comparisons.
  public var pyType: PyType {
    switch self {
    case .none: .none
    case .bool: .bool
    case .int, .bigInt: .int
    case .float: .float
    case .complex: .complex
    case .str: .str
    case .bytes: .bytes
    case .list: .list
    case .tuple: .tuple
    case .dict: .dict
    }
  }

  /// Python's `==`.
  public static func == (lhs: PyValue, rhs: PyValue) -> Bool {
    switch (lhs, rhs) {
    case (.none, .none): return true
    case (.str(let a), .str(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
    case (.bytes(let a), .bytes(let b)): return a == b
    case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)): return a.count == b.count && zip(a, b).allSatisfy(==)
    case (.dict(let a), .dict(let b)):
      guard a.count == b.count else { return false }
      return a.allSatisfy { key, value in b.contains { $0.0 == key && $0.1 == value } }
    case (.bigInt(let a), .bigInt(let b)): return a == b
    case (.bigInt, _), (_, .bigInt): return false
    case (.complex(let ar, let ai), _):
      guard let (br, bi) = rhs.complexParts else { return false }
      return ar == br && ai == bi
    case (_, .complex): return rhs == lhs
    default:
      guard let a = lhs.numeric, let b = rhs.numeric else { return false }
      switch (a, b) {
      case (.integer(let x), .integer(let y)): return x == y
      case (.integer(let x), .real(let y)), (.real(y: let y), .integer(let x)): return Double(exactly: x).map { $0 == y } ?? false
      case (.real(let x), .real(let y)): return x == y
      }
    }
  }

  private enum Numeric {
    case integer(Int)
    case real(y: Double)
  }

  private var numeric: Numeric? {
    switch self {
    case .bool(let b): .integer(b ? 1 : 0)
    case .int(let i): .integer(i)
    case .float(let d): .real(y: d)
    default: nil
    }
  }

  private var complexParts: (Double, Double)? {
    switch self {
    case .complex(let r, let i): (r, i)
    case .bool(let b): (b ? 1 : 0, 0)
    case .int(let i): (Double(i), 0)
    case .float(let d): (d, 0)
    default: nil
    }
  }

  /// `x in values`, Python's membership test.
  public func isIn(_ values: [PyValue]) -> Bool { values.contains(self) }

  /// Python's `repr`, for error messages and for `ast.unparse` of constants.
  public var description: String { PyRepr.repr(self) }

  /// The value of `key` when this is a dict.
  public subscript(key: String) -> PyValue? {
    guard case .dict(let pairs) = self else { return nil }
    return pairs.last { $0.0 == .str(key) }?.1
  }

  /// The string, when this is a `str`.
  public var string: String? {
    if case .str(let s) = self { return s }
    return nil
  }

  /// The elements, when this is a list or a tuple.
  public var elements: [PyValue]? {
    switch self {
    case .list(let items), .tuple(let items): items
    default: nil
    }
  }

  /// A dict built from pairs, later keys replacing earlier equal ones in place, as Python's dict display does.
  public static func makeDict(_ pairs: [(PyValue, PyValue)]) -> PyValue {
    var result: [(PyValue, PyValue)] = []
    for (key, value) in pairs {
      if let index = result.firstIndex(where: { $0.0 == key }) {
        result[index].1 = value
      } else {
        result.append((key, value))
      }
    }
    return .dict(result)
  }
}

/// Python's built-in types that BFCL compares with `type(x) ==`.
public enum PyType: String, Sendable, Equatable {
  case none = "NoneType", bool, int, float, complex, str, bytes, list, tuple, dict, set
}
