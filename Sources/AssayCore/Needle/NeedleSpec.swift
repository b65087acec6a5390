import Foundation

/// A needle-in-a-haystack suite's grid and texts (`needle:` in a suite file): which context lengths, which depths,
/// how many needles are hidden and how many asked for, and the templates of the needle and the question.
///
/// ```yaml
/// needle:
///   haystack: "{{context}}"                       # one text per data row; rows with the same text are used once
///   lengths: { from: 2000, to: window, count: 10 } # or a list: [1024, 2048, window]
///   depths: [0, 25, 50, 75, 100]                  # percent of the context before the (first) needle
///   needles: 4
///   asked: 2
///   needle_text: "${needle}"                      # renders {{key}} and {{value}}
///   question: "${question}"                       # renders {{key}}, or {{key1}} and {{key2}} when two are asked
/// ```
public struct NeedleSpec: Codable, Sendable, Equatable {
  /// The haystack text of one data row (a template over the row's fields).
  public var haystack: String
  /// Text placed between two rows' texts (default two newlines).
  public var separator: String?
  /// The context lengths, in the model's tokens, of the whole prompt.
  public var lengths: NeedleLengths
  /// Depths in percent (0 = the start of the context, 100 = its end).
  public var depths: [Double]
  /// Needles hidden per item (1, or 4 for Meta's multi-needle test).
  public var needles: Int
  /// Needles the question asks for (1, or 2 for Meta's multi-needle test).
  public var asked: Int
  /// One needle's sentence (`{{key}}`, `{{value}}`), after `${param}` substitution.
  public var needleText: String
  /// The question: `{{key}}` when one needle is asked, `{{key1}}` ... `{{keyN}}` for several.
  public var question: String
  /// What joins a needle to the text around it (default a space; empty for scripts written without spaces).
  public var joiner: String?
  /// Digits of each needle's value (default 7) and of its key (default 3).
  public var valueDigits: Int?
  /// Digits of each needle's key (default 3).
  public var keyDigits: Int?

  enum CodingKeys: String, CodingKey {
    case haystack, separator, lengths, depths, needles, asked, needleText = "needle_text", question, joiner
    case valueDigits = "value_digits", keyDigits = "key_digits"
  }

  /// A spec with every field given.
  public init(
    haystack: String, separator: String? = nil, lengths: NeedleLengths, depths: [Double], needles: Int = 1, asked: Int = 1,
    needleText: String, question: String, joiner: String? = nil, valueDigits: Int? = nil, keyDigits: Int? = nil
  ) {
    self.haystack = haystack
    self.separator = separator
    self.lengths = lengths
    self.depths = depths
    self.needles = needles
    self.asked = asked
    self.needleText = needleText
    self.question = question
    self.joiner = joiner
    self.valueDigits = valueDigits
    self.keyDigits = keyDigits
  }

  /// Every key a needle mapping may use.
  public static let knownKeys: Set<String> = [
    "haystack", "separator", "lengths", "depths", "needles", "asked", "needle_text", "question", "joiner", "value_digits",
    "key_digits",
  ]

  /// Checks the counts and depths; throws naming the suite and the fix.
  public func validate(suite: String) throws(AssayError) {
    let fix = "see benchmarks/README.md, section Needle in a haystack"
    guard needles >= 1, needles <= 16 else {
      throw AssayError(.invalidSuite, "suite '\(suite)': needle.needles is \(needles); it must be between 1 and 16", fix: fix)
    }
    guard asked >= 1, asked <= needles else {
      throw AssayError(.invalidSuite, "suite '\(suite)': needle.asked is \(asked); it must be between 1 and needle.needles (\(needles))", fix: fix)
    }
    guard !depths.isEmpty, depths.allSatisfy({ $0 >= 0 && $0 <= 100 }) else {
      throw AssayError(.invalidSuite, "suite '\(suite)': needle.depths must be percentages from 0 to 100, at least one", fix: fix)
    }
    let digits = valueDigits ?? 7
    let keys = keyDigits ?? 3
    guard (4...12).contains(digits), (2...6).contains(keys), keys < digits else {
      throw AssayError(.invalidSuite, "suite '\(suite)': needle.value_digits must be 4 to 12 and key_digits 2 to 6, fewer than the value's",
        fix: fix)
    }
    try lengths.validate(suite: suite)
  }
}

/// The context lengths of a needle grid: a list (numbers, or `window` for the model's whole window), or `count`
/// lengths evenly spaced from `from` to `to` (a number or `window`), as Meta's "10 lengths from 2K to 128K".
public enum NeedleLengths: Codable, Sendable, Equatable {
  /// Each length, in tokens (nil: the window).
  case list([Int?])
  /// `count` lengths evenly spaced from `from` to `to` (nil: the window), both included.
  case spaced(from: Int, to: Int?, count: Int)

  enum CodingKeys: String, CodingKey { case from, to, count }

  public init(from decoder: any Decoder) throws {
    if var list = try? decoder.unkeyedContainer() {
      var values: [Int?] = []
      while !list.isAtEnd {
        if let number = try? list.decode(Int.self) {
          values.append(number)
        } else {
          let word = try list.decode(String.self)
          guard word == "window" else {
            throw DecodingError.dataCorruptedError(in: list, debugDescription: "a length is a number of tokens or `window`, not '\(word)'")
          }
          values.append(nil)
        }
      }
      self = .list(values)
      return
    }
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let from = try container.decode(Int.self, forKey: .from)
    let count = try container.decode(Int.self, forKey: .count)
    if let number = try? container.decode(Int.self, forKey: .to) {
      self = .spaced(from: from, to: number, count: count)
    } else {
      let word = try container.decode(String.self, forKey: .to)
      guard word == "window" else {
        throw DecodingError.dataCorruptedError(forKey: .to, in: container, debugDescription: "`to` is a number of tokens or `window`, not '\(word)'")
      }
      self = .spaced(from: from, to: nil, count: count)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .list(let values):
      var list = encoder.unkeyedContainer()
      for value in values {
        if let value { try list.encode(value) } else { try list.encode("window") }
      }
    case .spaced(let from, let to, let count):
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(from, forKey: .from)
      if let to { try container.encode(to, forKey: .to) } else { try container.encode("window", forKey: .to) }
      try container.encode(count, forKey: .count)
    }
  }

  /// Whether a length depends on the model's window.
  public var needsWindow: Bool {
    switch self {
    case .list(let values): return values.contains(nil)
    case .spaced(_, let to, _): return to == nil
    }
  }

  /// Parses `--needle-lengths`: numbers, with `k` for 1,024 (`1k,2k,4k`), or `window`; a range
  /// `FROM..TO/COUNT` (`2000..window/10`) spaces COUNT lengths evenly.
  public static func parse(_ text: String) throws(AssayError) -> NeedleLengths {
    let fix = "write lengths as 1024,2k,8k,window or a range 2000..window/10"
    func number(_ word: Substring) throws(AssayError) -> Int? {
      let word = word.trimmingCharacters(in: .whitespaces).lowercased()
      if word == "window" { return nil }
      let scale = word.hasSuffix("k") ? 1024 : 1
      guard let value = Int(word.hasSuffix("k") ? String(word.dropLast()) : word), value > 0 else {
        throw AssayError(.invalidArgument, "--needle-lengths: '\(word)' is not a positive number of tokens or `window`", fix: fix)
      }
      return value * scale
    }
    if let range = text.range(of: "..") {
      let head = text[..<range.lowerBound]
      let rest = text[range.upperBound...].split(separator: "/", omittingEmptySubsequences: false)
      guard rest.count == 2, let from = try number(head), let count = Int(rest[1]) else {
        throw AssayError(.invalidArgument, "--needle-lengths: '\(text)' is not a range FROM..TO/COUNT with a number FROM", fix: fix)
      }
      let lengths = NeedleLengths.spaced(from: from, to: try number(rest[0]), count: count)
      try lengths.validate(suite: "--needle-lengths")
      return lengths
    }
    var values: [Int?] = []
    for word in text.split(separator: ",") { values.append(try number(word)) }
    let lengths = NeedleLengths.list(values)
    try lengths.validate(suite: "--needle-lengths")
    return lengths
  }

  func validate(suite: String) throws(AssayError) {
    let fix = "see benchmarks/README.md, section Needle in a haystack"
    switch self {
    case .list(let values):
      guard !values.isEmpty, values.allSatisfy({ ($0 ?? 64) >= 64 }) else {
        throw AssayError(.invalidSuite, "\(suite): needle lengths must be at least 64 tokens each, and at least one", fix: fix)
      }
    case .spaced(let from, let to, let count):
      guard from >= 64, count >= 1, count <= 1000, to.map({ $0 >= from }) ?? true else {
        throw AssayError(.invalidSuite, "\(suite): needle lengths from \(from) to \(to.map(String.init) ?? "window") in \(count) steps: "
          + "FROM must be at least 64, TO at least FROM, COUNT 1 to 1000", fix: fix)
      }
    }
  }
}
