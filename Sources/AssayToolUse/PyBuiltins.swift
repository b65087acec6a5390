/// Python's `int(str)` and `float(str)`, which BFCL's Java and JavaScript converters call on source text: surrounding
/// whitespace, a sign, any Unicode decimal digits, single underscores between digits; `float` also reads `inf`,
/// `infinity` and `nan` in any case. nil where Python raises `ValueError`.
///
/// ```swift
/// PyBuiltins.int(" -1_000\n")   // .int(-1000)
/// PyBuiltins.float("1e3")      // .float(1000.0)
/// ```
public enum PyBuiltins {
  /// `int(text)`.
  public static func int(_ text: String) -> PyValue? {
    var scalars = Substring(pythonStripped(text)).unicodeScalars[...]
    var negative = false
    if let first = scalars.first, first == "+" || first == "-" {
      negative = first == "-"
      scalars = scalars.dropFirst()
    }
    guard let digits = asciiDigits(scalars), !digits.isEmpty else { return nil }
    let trimmed = String(digits.drop { $0 == "0" })
    let body = trimmed.isEmpty ? "0" : trimmed
    if let value = Int((negative ? "-" : "") + body) { return .int(value) }
    return .bigInt((negative ? "-" : "") + body)
  }

  /// `float(text)`.
  public static func float(_ text: String) -> PyValue? {
    var scalars = Substring(pythonStripped(text)).unicodeScalars[...]
    var sign = ""
    if let first = scalars.first, first == "+" || first == "-" {
      sign = first == "-" ? "-" : ""
      scalars = scalars.dropFirst()
    }
    let word = String(String.UnicodeScalarView(scalars)).lowercased()
    if word == "inf" || word == "infinity" { return .float(sign == "-" ? -.infinity : .infinity) }
    if word == "nan" { return .float(.nan) }
    // Mantissa digits, an optional fraction, an optional exponent; underscores only between digits.
    var ascii = ""
    var part: [Unicode.Scalar] = []
    func flush() -> Bool {
      if part.isEmpty { return true }
      guard let digits = asciiDigits(part[...]) else { return false }
      ascii += digits
      part = []
      return true
    }
    var sawDigit = false
    var sawPoint = false
    var sawExponent = false
    var exponentDigits = false
    var previous: Unicode.Scalar?
    for scalar in scalars {
      if scalar == "." {
        guard !sawPoint, !sawExponent, flush() else { return nil }
        sawPoint = true
        ascii += "."
      } else if scalar == "e" || scalar == "E" {
        guard sawDigit, !sawExponent, flush() else { return nil }
        sawExponent = true
        ascii += "e"
      } else if (scalar == "+" || scalar == "-") && (previous == "e" || previous == "E") {
        ascii += String(scalar)
      } else {
        guard scalar == "_" || decimalValue(scalar) != nil else { return nil }
        if decimalValue(scalar) != nil {
          sawDigit = true
          if sawExponent { exponentDigits = true }
        }
        part.append(scalar)
      }
      previous = scalar
    }
    guard flush(), sawDigit, !sawExponent || exponentDigits else { return nil }
    if ascii.hasPrefix(".") { ascii = "0" + ascii }
    ascii = ascii.replacingOccurrences(of: ".e", with: ".0e")
    if ascii.hasSuffix(".") { ascii += "0" }
    guard let value = Double(sign + ascii) else { return nil }
    return .float(value)
  }

  /// Digits (Unicode decimal, single underscores between them) as ASCII, or nil.
  static func asciiDigits(_ scalars: Substring.UnicodeScalarView.SubSequence) -> String? {
    var out = ""
    var previousUnderscore = true
    for scalar in scalars {
      if scalar == "_" {
        guard !previousUnderscore else { return nil }
        previousUnderscore = true
        continue
      }
      guard let value = decimalValue(scalar) else { return nil }
      out += String(value)
      previousUnderscore = false
    }
    return previousUnderscore && !out.isEmpty ? nil : out
  }

  static func asciiDigits(_ scalars: ArraySlice<Unicode.Scalar>) -> String? {
    asciiDigits(String(String.UnicodeScalarView(scalars)).unicodeScalars[...])
  }

  /// The value of a Unicode decimal digit (category Nd).
  static func decimalValue(_ scalar: Unicode.Scalar) -> Int? {
    guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
    return Int(value)
  }
}

/// `text.strip()` with Python's whitespace.
func pythonStripped(_ text: String) -> String {
  let scalars = text.unicodeScalars
  guard let start = scalars.firstIndex(where: { !PyWhitespace.contains($0) }) else { return "" }
  let end = scalars.lastIndex(where: { !PyWhitespace.contains($0) })!
  return String(scalars[start...end])
}

/// The code points `str.isspace()` accepts.
enum PyWhitespace {
  static func contains(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
    default: false
    }
  }
}
