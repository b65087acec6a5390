/// Python's character classes per code point, as the reference interpreter has them: `str.isspace()`, `re`'s `\w`,
/// `str.isupper()`/`islower()`, `lower()`'s mappings and Final_Sigma context (Unicode 14 in Python 3.11), and the
/// `regex` module's `\w`, `\d`, `\s` that nltk 3.10.4 compiles its patterns with (a newer Unicode; `\w` takes combining
/// marks, `\s` leaves out U+001C-U+001F). Swift's own Unicode properties follow yet another version, so the classes
/// are tables taken from the interpreter (PythonCharacters+Tables.swift, scripts/python-characters-tables.py). Every
/// Python-compatible text operation in Core (PythonText, Punkt, word_tokenize) asks here.
enum PythonCharacters {
  /// What one code point is, in each of the classes the tokenizers ask about.
  struct Flags: OptionSet, Sendable {
    let rawValue: UInt16
    /// `regex` module `\w`.
    static let regexWord = Flags(rawValue: 1)
    /// `regex` module `\d`.
    static let regexDigit = Flags(rawValue: 2)
    /// `regex` module `\s`.
    static let regexSpace = Flags(rawValue: 4)
    /// stdlib `re` `\w`: `str.isalnum()` or `_`.
    static let pyWord = Flags(rawValue: 8)
    /// `str.isspace()`, also stdlib `re` `\s` (what `split()`, `strip()` and `rstrip()` remove).
    static let pySpace = Flags(rawValue: 16)
    /// `str.isupper()` of the code point alone.
    static let upper = Flags(rawValue: 32)
    /// `str.islower()` of the code point alone.
    static let lower = Flags(rawValue: 64)
    /// Case-ignorable, for `str.lower()`'s Final_Sigma rule.
    static let caseIgnorable = Flags(rawValue: 128)
    /// Cased and not case-ignorable, for the same rule.
    static let cased = Flags(rawValue: 256)
  }

  /// Code points below this come from a direct lookup table (Latin, Greek, Cyrillic, ... up to CJK punctuation).
  private static let directLimit: UInt32 = 0x3000

  private static let direct: [Flags] = {
    var table = [Flags](repeating: [], count: Int(directLimit))
    for value in 0..<directLimit { table[Int(value)] = search(value) }
    return table
  }()

  /// The flags of a code point.
  @inline(__always)
  static func flags(_ scalar: Unicode.Scalar) -> Flags {
    let value = scalar.value
    if value < 0x80 { return asciiFlags(value) }
    return value < directLimit ? direct[Int(value)] : search(value)
  }

  /// The tables' flags for ASCII, spelled out so the commonest lookups skip the lazily built table (ASCII's classes
  /// are the same in every Unicode version; this switch was checked against the generated ranges).
  @inline(__always)
  static func asciiFlags(_ value: UInt32) -> Flags {
    switch value {
    case 0x30...0x39: return [.regexWord, .regexDigit, .pyWord]
    case 0x41...0x5A: return [.regexWord, .pyWord, .upper, .cased]
    case 0x61...0x7A: return [.regexWord, .pyWord, .lower, .cased]
    case 0x5F: return [.regexWord, .pyWord]
    case 0x09...0x0D, 0x20: return [.regexSpace, .pySpace]
    case 0x1C...0x1F: return [.pySpace]
    case 0x27, 0x2E, 0x3A, 0x5E, 0x60: return [.caseIgnorable]
    default: return []
    }
  }

  /// Binary search in the packed ranges: the last range starting at or before `value`.
  private static func search(_ value: UInt32) -> Flags {
    var low = 0
    var high = packedRanges.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if packedRanges[middle] >> 9 <= value { low = middle } else { high = middle - 1 }
    }
    return Flags(rawValue: UInt16(packedRanges[low] & 0x1FF))
  }

  /// `regex` module `\s`.
  @inline(__always) static func isRegexSpace(_ scalar: Unicode.Scalar) -> Bool {
    flags(scalar).contains(.regexSpace)
  }

  /// `str.isspace()`.
  @inline(__always) static func isPySpace(_ scalar: Unicode.Scalar) -> Bool {
    flags(scalar).contains(.pySpace)
  }

  /// The code points of a string.
  static func scalars(_ text: String) -> [Unicode.Scalar] {
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars { scalars.append(scalar) }
    return scalars
  }

  /// A string of code points (built from UTF-8 directly when they are ASCII, the common case).
  static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    guard scalars.allSatisfy({ $0.isASCII }) else {
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars)
      return String(view)
    }
    return String(unsafeUninitializedCapacity: scalars.count) { buffer in
      for (offset, scalar) in scalars.enumerated() { buffer[offset] = UInt8(truncatingIfNeeded: scalar.value) }
      return scalars.count
    }
  }

  /// `text.lower()` on code points, with Python's full mapping (U+0130 becomes two) and Final_Sigma rule.
  static func lowercased(_ text: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
    var result: [Unicode.Scalar] = []
    result.reserveCapacity(text.count + 1)
    for index in text.indices {
      let scalar = text[index]
      let value = scalar.value
      if value < 0x80 {
        result.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(value + 32)! : scalar)
      } else if value == 0x130 {
        result.append("i")
        result.append("\u{307}")
      } else if value == 0x3A3 {
        result.append(isFinalSigma(text, at: index) ? "\u{3C2}" : "\u{3C3}")
      } else {
        result.append(lowercaseMapping(value).flatMap(Unicode.Scalar.init) ?? scalar)
      }
    }
    return result
  }

  /// CPython's test: a cased code point before (skipping case-ignorable ones) and none after.
  private static func isFinalSigma(_ text: ArraySlice<Unicode.Scalar>, at index: Int) -> Bool {
    var before = index - 1
    while before >= text.startIndex && flags(text[before]).contains(.caseIgnorable) { before -= 1 }
    guard before >= text.startIndex, flags(text[before]).contains(.cased) else { return false }
    var after = index + 1
    while after < text.endIndex && flags(text[after]).contains(.caseIgnorable) { after += 1 }
    return after == text.endIndex || !flags(text[after]).contains(.cased)
  }

  /// The single code point `chr(value).lower()` gives, or nil when it is unchanged.
  private static func lowercaseMapping(_ value: UInt32) -> UInt32? {
    let target = Int32(value)
    let runs = lowercaseRuns.count / 4
    var low = 0
    var high = runs - 1
    guard high >= 0, lowercaseRuns[0] <= target else { return nil }
    while low < high {
      let middle = (low + high + 1) / 2
      if lowercaseRuns[middle * 4] <= target { low = middle } else { high = middle - 1 }
    }
    let start = lowercaseRuns[low * 4]
    let end = lowercaseRuns[low * 4 + 1]
    let stride = lowercaseRuns[low * 4 + 2]
    guard target <= end, (target - start) % stride == 0 else { return nil }
    return UInt32(target + lowercaseRuns[low * 4 + 3])
  }
}
