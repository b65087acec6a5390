import Foundation

/// langdetect 1.0.9's character normalization (`NGram.normalize`, `NGram.normalize_vi`) with its tables read from
/// `messages.properties`. Everything works on code points (`Unicode.Scalar.value`), as Python strings do.
struct LangDetectNGram: Sendable {
  /// Latin-1 characters that count as spaces (`NGram.LATIN1_EXCLUDE`).
  private let latin1Excluded: Set<UInt32>
  /// Each kanji of a `NGram.KANJI_*` class to the class's first character (`NGram.CJK_MAP`).
  private let cjkMap: [UInt32: UInt32]
  /// Vietnamese base letters (`TO_NORMALIZE_VI_CHARS`) to their first position in that string.
  private let vietnameseBases: [UInt32: Int]
  /// Combining marks (`DMARK_CLASS`) to their first position in that string.
  private let vietnameseMarks: [UInt32: Int]
  /// `NORMALIZED_VI_CHARS_*`: [mark][base] to the precomposed letter.
  private let vietnameseComposed: [[UInt32]]

  /// The `NGram.KANJI_*` keys in `NGram.CJK_CLASS` order (later classes would win an overlap; there is none).
  private static let kanjiClasses: [String] = [
    "1_0", "1_2", "1_4", "1_8", "1_11", "1_12", "1_13", "1_14", "1_16", "1_18", "1_22", "1_27", "1_29", "1_31",
    "1_35", "2_0", "2_1", "2_4", "2_9", "2_10", "2_11", "2_12", "2_13", "2_15", "2_16", "2_18", "2_21", "2_22",
    "2_23", "2_28", "2_29", "2_30", "2_31", "2_32", "2_35", "2_36", "2_37", "2_38", "3_1", "3_2", "3_3", "3_4",
    "3_5", "3_8", "3_9", "3_11", "3_12", "3_13", "3_15", "3_16", "3_18", "3_19", "3_22", "3_23", "3_27", "3_29",
    "3_30", "3_31", "3_32", "3_35", "3_36", "3_37", "3_38", "4_0", "4_9", "4_10", "4_16", "4_17", "4_18", "4_22",
    "4_24", "4_28", "4_34", "4_39", "5_10", "5_11", "5_12", "5_13", "5_14", "5_18", "5_26", "5_29", "5_34",
    "5_39", "6_0", "6_3", "6_9", "6_10", "6_11", "6_12", "6_16", "6_18", "6_20", "6_21", "6_22", "6_23", "6_25",
    "6_28", "6_29", "6_30", "6_32", "6_34", "6_35", "6_37", "6_39", "7_0", "7_3", "7_6", "7_7", "7_9", "7_11",
    "7_12", "7_13", "7_16", "7_18", "7_19", "7_20", "7_21", "7_23", "7_25", "7_28", "7_29", "7_32", "7_33",
    "7_35", "7_37",
  ].map { "NGram.KANJI_" + $0 }

  static let space: UInt32 = 0x20

  /// The tables from the contents of langdetect's `utils/messages.properties`.
  init(messages: String) throws {
    let table = Self.parseProperties(messages)
    func value(_ key: String) throws -> [UInt32] {
      guard let value = table[key] else {
        throw TextDataError(.invalidData, "langdetect's messages.properties has no \(key)")
      }
      return value
    }
    latin1Excluded = Set(try value("NGram.LATIN1_EXCLUDE"))
    var cjk: [UInt32: UInt32] = [:]
    for key in Self.kanjiClasses {
      let members = try value(key)
      guard let representative = members.first else { continue }
      for member in members { cjk[member] = representative }
    }
    cjkMap = cjk
    func firstPositions(_ scalars: [UInt32]) -> [UInt32: Int] {
      var positions: [UInt32: Int] = [:]
      for (position, scalar) in scalars.enumerated() where positions[scalar] == nil { positions[scalar] = position }
      return positions
    }
    let bases = try value("TO_NORMALIZE_VI_CHARS")
    let marks = try value("DMARK_CLASS")
    vietnameseBases = firstPositions(bases)
    vietnameseMarks = firstPositions(marks)
    vietnameseComposed = try ["0300", "0301", "0303", "0309", "0323"].map { try value("NORMALIZED_VI_CHARS_" + $0) }
    guard vietnameseComposed.allSatisfy({ $0.count >= bases.count }), marks.count <= vietnameseComposed.count else {
      throw TextDataError(.invalidData, "langdetect's messages.properties has short NORMALIZED_VI_CHARS_* rows")
    }
  }

  /// `Messages`: each line stripped and split at its first `=`, the value decoded as Python's `unicode_escape`
  /// codec decodes the line's UTF-8 bytes (escapes such as `\uXXXX`; any other byte is the Latin-1 code point).
  static func parseProperties(_ text: String) -> [String: [UInt32]] {
    let scalars = Array(text.unicodeScalars)
    var lines: [ArraySlice<Unicode.Scalar>] = []
    var start = 0
    var i = 0
    while i < scalars.count {
      // Python's text-mode lines end at \n, \r or \r\n.
      if scalars[i] == "\n" || scalars[i] == "\r" {
        lines.append(scalars[start..<i])
        if scalars[i] == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
        start = i + 1
      }
      i += 1
    }
    if start < scalars.count { lines.append(scalars[start...]) }
    var table: [String: [UInt32]] = [:]
    for var line in lines {
      while let first = line.first, PythonText.isSpace(first) { line.removeFirst() }
      while let last = line.last, PythonText.isSpace(last) { line.removeLast() }
      let equals = line.firstIndex(of: "=") ?? line.endIndex
      let key = String(String.UnicodeScalarView(line[..<equals]))
      let value = equals == line.endIndex ? line[equals...] : line[(equals + 1)...]
      table[key] = unicodeEscapeDecode(Array(String(String.UnicodeScalarView(value)).utf8))
    }
    return table
  }

  /// Python's `bytes.decode('unicode_escape')`, for the escapes it knows; a malformed escape is kept as is.
  static func unicodeEscapeDecode(_ bytes: [UInt8]) -> [UInt32] {
    var out: [UInt32] = []
    var i = 0
    func hex(_ start: Int, _ count: Int) -> UInt32? {
      guard start + count <= bytes.count else { return nil }
      var value: UInt32 = 0
      for byte in bytes[start..<(start + count)] {
        guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
        value = value * 16 + UInt32(digit)
      }
      return value
    }
    while i < bytes.count {
      let byte = bytes[i]
      guard byte == UInt8(ascii: "\\"), i + 1 < bytes.count else {
        out.append(UInt32(byte))
        i += 1
        continue
      }
      let next = bytes[i + 1]
      let simple: [UInt8: UInt32] = [
        UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "'"): 0x27, UInt8(ascii: "\""): 0x22, UInt8(ascii: "a"): 0x07,
        UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D,
        UInt8(ascii: "t"): 0x09, UInt8(ascii: "v"): 0x0B,
      ]
      if let value = simple[next] {
        out.append(value)
        i += 2
      } else if next == UInt8(ascii: "\n") {
        i += 2
      } else if let width = [UInt8(ascii: "x"): 2, UInt8(ascii: "u"): 4, UInt8(ascii: "U"): 8][next],
        let value = hex(i + 2, width)
      {
        out.append(value)
        i += 2 + width
      } else if (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(next) {
        var value: UInt32 = 0
        var j = i + 1
        while j < bytes.count, j < i + 4, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[j]) {
          value = value * 8 + UInt32(bytes[j] - UInt8(ascii: "0"))
          j += 1
        }
        out.append(value)
        i = j
      } else {
        out.append(UInt32(byte))
        i += 1
      }
    }
    return out
  }

  /// `NGram.normalize(ch)`: the few Unicode blocks langdetect folds (its block table's bounds for them).
  @inline(__always)
  func normalize(_ ch: UInt32) -> UInt32 {
    switch ch {
    case 0...0x7F:  // Basic Latin: only ASCII letters survive
      return (ch < 0x41 || (0x5A < ch && ch < 0x61) || 0x7A < ch) ? Self.space : ch
    case 0x80...0xFF:  // Latin-1 Supplement
      return latin1Excluded.contains(ch) ? Self.space : ch
    case 0x180...0x24F:  // Latin Extended-B: Romanian comma below to cedilla
      if ch == 0x219 { return 0x15F }
      if ch == 0x21B { return 0x163 }
      return ch
    case 0x2000...0x206F:  // General Punctuation
      return Self.space
    case 0x600...0x6FF:  // Arabic: Farsi yeh to Arabic yeh
      return ch == 0x6CC ? 0x64A : ch
    case 0x1E00...0x1EFF:  // Latin Extended Additional
      return ch >= 0x1EA0 ? 0x1EC3 : ch
    case 0x3040...0x309F:  // Hiragana
      return 0x3042
    case 0x30A0...0x30FF:  // Katakana
      return 0x30A2
    case 0x3100...0x312F, 0x31A0...0x31BF:  // Bopomofo, Bopomofo Extended
      return 0x3105
    case 0x4E00...0x9FFF:  // CJK Unified Ideographs
      return cjkMap[ch] ?? ch
    case 0xAC00...0xD7AF:  // Hangul Syllables
      return 0xAC00
    default:
      return ch
    }
  }

  /// `NGram.normalize_vi(text)`: `([TO_NORMALIZE_VI_CHARS])([DMARK_CLASS])` replaced, left to right without
  /// overlap, by the precomposed letter.
  func normalizeVietnamese(_ text: [UInt32]) -> [UInt32] {
    var out: [UInt32] = []
    out.reserveCapacity(text.count)
    var i = 0
    while i < text.count {
      if i + 1 < text.count, let base = vietnameseBases[text[i]], let mark = vietnameseMarks[text[i + 1]] {
        out.append(vietnameseComposed[mark][base])
        i += 2
      } else {
        out.append(text[i])
        i += 1
      }
    }
    return out
  }

  /// Python 3.11's `str.isupper()` for one code point: the Unicode 14.0 Uppercase property. Swift's newer Unicode
  /// data is narrowed to code points assigned by 14.0, so later additions (unassigned for Python 3.11) are not upper.
  @inline(__always)
  static func isUpper(_ ch: UInt32) -> Bool {
    if ch < 0x80 { return ch >= 0x41 && ch <= 0x5A }
    guard let scalar = Unicode.Scalar(ch) else { return false }
    let properties = scalar.properties
    guard properties.isUppercase, let age = properties.age else { return false }
    return age.major < 14 || (age.major == 14 && age.minor == 0)
  }
}
