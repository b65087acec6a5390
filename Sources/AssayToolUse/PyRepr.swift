/// Python's `repr` of the values BFCL decodes, character for character: the quote choice and escapes of `str`, the
/// shortest round-trip `float` in Python's layout (`1e-05`, `1e+16`, `100.0`), containers with `, ` and `: `.
///
/// ```swift
/// PyRepr.repr(.str("it's"))   // "\"it's\""
/// PyRepr.repr(.float(1e16))  // "1e+16"
/// ```
public enum PyRepr {
  /// `repr(value)`.
  public static func repr(_ value: PyValue) -> String {
    switch value {
    case .none: "None"
    case .bool(let b): b ? "True" : "False"
    case .int(let i): String(i)
    case .bigInt(let digits): digits
    case .float(let d): float(d)
    case .complex(let r, let i): complex(r, i)
    case .str(let s): string(s)
    case .bytes(let b): bytes(b)
    case .list(let items): "[" + items.map(repr).joined(separator: ", ") + "]"
    case .tuple(let items): items.count == 1 ? "(" + repr(items[0]) + ",)" : "(" + items.map(repr).joined(separator: ", ") + ")"
    case .dict(let pairs): "{" + pairs.map { repr($0.0) + ": " + repr($0.1) }.joined(separator: ", ") + "}"
    }
  }

  /// `str(value)`: a string as itself, anything else as its `repr`.
  public static func strText(_ value: PyValue) -> String {
    if case .str(let s) = value { return s }
    return repr(value)
  }

  /// `repr(float)`: shortest digits that round-trip, fixed notation for decimal exponents -4 ..< 16, else `d.ddde+XX`.
  public static func float(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    let (digits, exponent) = shortestDigits(abs(d))
    let sign = d < 0 ? "-" : ""
    // `exponent` is the position of the decimal point relative to the first digit (0.0123 -> digits 123, exponent -1).
    let scientific = exponent - 1
    if scientific < -4 || scientific >= 16 {
      var mantissa = String(digits.first!)
      if digits.count > 1 { mantissa += "." + digits.dropFirst() }
      let e = abs(scientific)
      return sign + mantissa + "e" + (scientific < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
    }
    if exponent <= 0 {
      return sign + "0." + String(repeating: "0", count: -exponent) + digits
    }
    if exponent >= digits.count {
      return sign + digits + String(repeating: "0", count: exponent - digits.count) + ".0"
    }
    let point = digits.index(digits.startIndex, offsetBy: exponent)
    return sign + digits[..<point] + "." + digits[point...]
  }

  /// The shortest round-trip decimal digits of a positive finite double and the decimal point's position.
  static func shortestDigits(_ d: Double) -> (String, Int) {
    // Swift's description is the shortest round-trip form, in fixed or exponent layout: read its digits back.
    let text = d.description
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    var digits = ""
    var pointPosition: Int?
    for character in mantissa {
      if character == "." { pointPosition = digits.count } else { digits.append(character) }
    }
    var point = (pointPosition ?? digits.count) + exponent
    while digits.hasPrefix("0") && digits.count > 1 {
      digits.removeFirst()
      point -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    return (digits, point)
  }

  static func complex(_ real: Double, _ imaginary: Double) -> String {
    func part(_ d: Double) -> String {
      let text = float(d)
      return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
    if real == 0 && real.sign == .plus { return part(imaginary) + "j" }
    let imaginaryText = part(imaginary)
    let joined = imaginaryText.hasPrefix("-") ? imaginaryText : "+" + imaginaryText
    return "(" + part(real) + joined + "j)"
  }

  /// `repr(str)`.
  public static func string(_ s: String) -> String {
    let scalars = s.unicodeScalars
    let quote: Unicode.Scalar = scalars.contains("'") && !scalars.contains("\"") ? "\"" : "'"
    var out = String(quote)
    for scalar in scalars {
      switch scalar {
      case quote, "\\": out += "\\" + String(scalar)
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\x" + hex(scalar.value, width: 2)
        } else if scalar.value < 0x7F || isPrintable(scalar) {
          out.unicodeScalars.append(scalar)
        } else if scalar.value <= 0xFF {
          out += "\\x" + hex(scalar.value, width: 2)
        } else if scalar.value <= 0xFFFF {
          out += "\\u" + hex(scalar.value, width: 4)
        } else {
          out += "\\U" + hex(scalar.value, width: 8)
        }
      }
    }
    out.unicodeScalars.append(quote)
    return out
  }

  static func bytes(_ b: [UInt8]) -> String {
    let quote: UInt8 = b.contains(0x27) && !b.contains(0x22) ? 0x22 : 0x27
    var out = "b" + String(UnicodeScalar(quote))
    for byte in b {
      switch byte {
      case quote, 0x5C: out += "\\" + String(UnicodeScalar(byte))
      case 0x09: out += "\\t"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x20..<0x7F: out += String(UnicodeScalar(byte))
      default: out += "\\x" + hex(UInt32(byte), width: 2)
      }
    }
    return out + String(UnicodeScalar(quote))
  }

  /// `str.isprintable()` for one character: not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, or Zs other than space.
  static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: false
    case .spaceSeparator: scalar == " "
    default: true
    }
  }

  static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
