/// `json.dumps(value, indent=4)` with Python's defaults (`ensure_ascii=True`, `", "` and `": "` separators, floats as
/// `repr`, `NaN` and `Infinity`): the function documents BFCL puts in its prompt, byte for byte.
///
/// ```swift
/// PyJSONDump.dumps(.dict([(.str("a"), .list([.int(1)]))]))   // "{\n    \"a\": [\n        1\n    ]\n}"
/// ```
public enum PyJSONDump {
  /// The JSON text of `value`.
  public static func dumps(_ value: PyValue, indent: Int = 4) -> String {
    var out = ""
    write(value, level: 0, indent: indent, to: &out)
    return out
  }

  /// `json.dumps(value)` without indentation: `, ` between items, `: ` after keys.
  public static func compact(_ value: PyValue) -> String {
    switch value {
    case .list(let items), .tuple(let items): return "[" + items.map(compact).joined(separator: ", ") + "]"
    case .dict(let pairs): return "{" + pairs.map { string(keyText($0.0)) + ": " + compact($0.1) }.joined(separator: ", ") + "}"
    default: return dumps(value)
    }
  }

  static func write(_ value: PyValue, level: Int, indent: Int, to out: inout String) {
    let pad = String(repeating: " ", count: indent * (level + 1))
    let closePad = String(repeating: " ", count: indent * level)
    switch value {
    case .none: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .bigInt(let digits): out += digits
    case .float(let d):
      out += d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : PyRepr.float(d)
    case .str(let s): out += string(s)
    case .complex, .bytes: out += string(PyRepr.repr(value))
    case .list(let items), .tuple(let items):
      guard !items.isEmpty else { out += "[]"; return }
      out += "[\n"
      for (index, item) in items.enumerated() {
        out += pad
        write(item, level: level + 1, indent: indent, to: &out)
        out += index == items.count - 1 ? "\n" : ",\n"
      }
      out += closePad + "]"
    case .dict(let pairs):
      guard !pairs.isEmpty else { out += "{}"; return }
      out += "{\n"
      for (index, (key, item)) in pairs.enumerated() {
        out += pad + string(keyText(key)) + ": "
        write(item, level: level + 1, indent: indent, to: &out)
        out += index == pairs.count - 1 ? "\n" : ",\n"
      }
      out += closePad + "}"
    }
  }

  /// Python's conversion of a non-string key.
  static func keyText(_ key: PyValue) -> String {
    switch key {
    case .str(let s): s
    case .none: "null"
    case .bool(let b): b ? "true" : "false"
    case .float(let d): PyRepr.float(d)
    default: PyRepr.repr(key)
    }
  }

  /// A JSON string literal with every non-ASCII character escaped.
  public static func string(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 || scalar.value > 0x7E && scalar.value != 0x7F {
          if scalar.value > 0xFFFF {
            let v = scalar.value - 0x10000
            out += "\\u" + PyRepr.hex(0xD800 + (v >> 10), width: 4) + "\\u" + PyRepr.hex(0xDC00 + (v & 0x3FF), width: 4)
          } else {
            out += "\\u" + PyRepr.hex(scalar.value, width: 4)
          }
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
