import Foundation
import Synchronization

/// A regular expression that behaves like Python's `re` on `str` for the patterns IFEval uses: ICU does the
/// matching, with `\s`, `\w` and `\b` rewritten to Python's Unicode classes, and only `\n` ending a line for `.`,
/// `^` and `$` (ICU would also end lines at `\r`, U+0085 and U+2028). A pattern ICU cannot compile matches nothing.
public struct PythonRegex: @unchecked Sendable {
  // NSRegularExpression is immutable once built and documented as safe to share between threads.
  private let expression: NSRegularExpression?

  /// Python's `\s`: the code points `str.isspace()` accepts.
  public static let space = "[\\t\\n\\x{0B}\\f\\r\\x{1C}-\\x{1F} \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}]"
  /// Python's `\w`: letters, code points with a numeric value, and `_`.
  public static let word = "[\\p{L}\\p{Nd}\\p{Nl}\\p{No}_]"

  /// Compiled expressions by pattern and flags: ICU compiles the case-insensitive Unicode classes slowly, and the
  /// same keyword patterns come back for every response and every loose variant of it.
  private static let cache = Mutex<[String: PythonRegex]>([:])

  /// The expression for a pattern, compiled once per process.
  public static func cached(
    _ pattern: String, caseInsensitive: Bool = false, multiline: Bool = false, dotAll: Bool = false
  ) -> PythonRegex {
    let key = "\(caseInsensitive ? "i" : "-")\(multiline ? "m" : "-")\(dotAll ? "s" : "-")\(pattern)"
    if let found = cache.withLock({ $0[key] }) { return found }
    let compiled = PythonRegex(pattern, caseInsensitive: caseInsensitive, multiline: multiline, dotAll: dotAll)
    cache.withLock { $0[key] = compiled }
    return compiled
  }

  /// The compiled expression, nil when ICU could not compile the pattern.
  var compiled: NSRegularExpression? { expression }

  /// A pattern with Python's flags: `re.IGNORECASE`, `re.MULTILINE`, `re.DOTALL`.
  public init(_ pattern: String, caseInsensitive: Bool = false, multiline: Bool = false, dotAll: Bool = false) {
    var options: NSRegularExpression.Options = [.useUnixLineSeparators]
    if caseInsensitive { options.insert(.caseInsensitive) }
    if multiline { options.insert(.anchorsMatchLines) }
    if dotAll { options.insert(.dotMatchesLineSeparators) }
    expression = try? NSRegularExpression(pattern: Self.translate(pattern), options: options)
  }

  /// The pattern with Python's meanings of `\s`, `\w` and `\b` spelled out for ICU (outside character classes).
  static func translate(_ pattern: String) -> String {
    var result = ""
    var escaped = false
    var inClass = false
    for character in pattern {
      if escaped {
        escaped = false
        switch character {
        case "s" where !inClass: result += space
        case "w" where !inClass: result += word
        case "b" where !inClass: result += "(?:(?<=\(word))(?!\(word))|(?<!\(word))(?=\(word)))"
        default: result += "\\" + String(character)
        }
        continue
      }
      switch character {
      case "\\": escaped = true
      case "[": inClass = true; result.append(character)
      case "]": inClass = false; result.append(character)
      default: result.append(character)
      }
    }
    if escaped { result += "\\" }
    return result
  }

  /// The number of non-overlapping matches (`len(re.findall(...))`), stopping early at `limit`.
  public func count(in text: String, limit: Int = .max) -> Int {
    guard let expression else { return 0 }
    var count = 0
    let range = NSRange(location: 0, length: (text as NSString).length)
    expression.enumerateMatches(in: text, options: [], range: range) { _, _, stop in
      count += 1
      if count >= limit { stop.pointee = true }
    }
    return count
  }

  /// The matched texts, in order (`re.findall` for a pattern without groups).
  public func matches(in text: String) -> [String] {
    guard let expression else { return [] }
    let string = text as NSString
    return expression.matches(in: text, range: NSRange(location: 0, length: string.length)).map {
      string.substring(with: $0.range)
    }
  }

  /// Every match replaced by `replacement` taken literally (`re.sub` with a plain replacement).
  public func replace(_ text: String, with replacement: String) -> String {
    guard let expression else { return text }
    let string = text as NSString
    return expression.stringByReplacingMatches(
      in: text, range: NSRange(location: 0, length: string.length),
      withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
  }

  /// The pieces between matches (`re.split` for a pattern without groups).
  public func split(_ text: String) -> [String] {
    guard let expression else { return [text] }
    let string = text as NSString
    var pieces: [String] = []
    var start = 0
    for match in expression.matches(in: text, range: NSRange(location: 0, length: string.length)) {
      pieces.append(string.substring(with: NSRange(location: start, length: match.range.location - start)))
      start = match.range.location + match.range.length
    }
    pieces.append(string.substring(from: start))
    return pieces
  }
}
