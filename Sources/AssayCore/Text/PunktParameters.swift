/// A trained Punkt model (nltk's `PunktParameters`), read from the four `punkt_tab/<language>` files as
/// `nltk.tokenize.punkt.load_punkt_params` reads them.
public struct PunktParameters: Sendable {
  /// Word types (lowercase, without the final period) that are known abbreviations.
  package var abbreviationTypes: Set<[Unicode.Scalar]>
  /// Pairs of word types whose first ends in a period that is not a sentence break ("s." "bach").
  var collocations: Set<[[Unicode.Scalar]]>
  /// Word types that often start sentences.
  var sentenceStarters: Set<[Unicode.Scalar]>
  /// Word type to the orthographic contexts (bit flags) it was seen in; absent means 0.
  var orthographicContexts: [[Unicode.Scalar]: Int]

  /// The model from the contents of `abbrev_types.txt`, `collocations.tab`, `sent_starters.txt` and
  /// `ortho_context.tab`. Keys are kept as code points: Swift's `String` equality would also match canonically
  /// equivalent spellings, which Python's does not.
  public init(abbrevTypes: String, collocations: String, sentenceStarters: String, orthoContext: String) throws {
    abbreviationTypes = Set(Self.lines(abbrevTypes))
    self.sentenceStarters = Set(Self.lines(sentenceStarters))
    // `tuple(line.split("\t"))`: rows that are not pairs can never equal a pair of types, so they are dropped.
    self.collocations = Set(Self.lines(collocations).map { Self.fields($0) }.filter { $0.count == 2 })
    orthographicContexts = [:]
    for (number, line) in Self.lines(orthoContext).enumerated() {
      let fields = Self.fields(line)
      guard fields.count == 2, let flags = Self.pythonInt(fields[1]) else {
        var text = ""
        text.unicodeScalars.append(contentsOf: line)
        throw AssayError(
          .invalidData, "ortho_context.tab line \(number + 1) is not `type<TAB>integer`: \(text.debugDescription)",
          fix: "use the punkt_tab/english files nltk's punkt_tab package ships")
      }
      orthographicContexts[fields[0]] = flags
    }
  }

  /// The lines of a file read in Python's text mode: `\r\n`, `\r` and `\n` all end a line, and a final line end
  /// does not start an empty line.
  static func lines(_ contents: String) -> [[Unicode.Scalar]] {
    var lines: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    var afterReturn = false
    for scalar in contents.unicodeScalars {
      if afterReturn && scalar == "\n" {
        afterReturn = false
        continue
      }
      afterReturn = scalar == "\r"
      if scalar == "\n" || scalar == "\r" {
        lines.append(current)
        current = []
      } else {
        current.append(scalar)
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }

  /// `line.split("\t")`.
  static func fields(_ line: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
    line.split(separator: "\t", omittingEmptySubsequences: false).map(Array.init)
  }

  /// Python's `int(text)`: surrounding whitespace, an optional sign, decimal digits (any script) with single
  /// underscores between them.
  static func pythonInt(_ text: [Unicode.Scalar]) -> Int? {
    var start = text.startIndex
    var end = text.endIndex
    while start < end && PythonCharacters.isPySpace(text[start]) { start += 1 }
    while end > start && PythonCharacters.isPySpace(text[end - 1]) { end -= 1 }
    var negative = false
    if start < end && (text[start] == "-" || text[start] == "+") {
      negative = text[start] == "-"
      start += 1
    }
    guard start < end else { return nil }
    var value = 0
    var previousWasDigit = false
    for scalar in text[start..<end] {
      if scalar == "_" {
        guard previousWasDigit else { return nil }
        previousWasDigit = false
        continue
      }
      guard scalar.properties.numericType == .decimal, let digit = scalar.properties.numericValue else { return nil }
      let (product, overflow) = value.multipliedReportingOverflow(by: 10)
      guard !overflow else { return nil }
      value = product + Int(digit)
      previousWasDigit = true
    }
    guard previousWasDigit else { return nil }
    return negative ? -value : value
  }
}
