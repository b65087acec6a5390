import Foundation

extension PythonRegex {
  /// ICU compiled the pattern (an invalid one matches nothing).
  public var isValid: Bool { compiled != nil }

  /// The number of capture groups (`re.compile(p).groups`), 0 for an invalid pattern.
  public var groupCount: Int { compiled?.numberOfCaptureGroups ?? 0 }

  /// A `re.sub` replacement template, read as Python reads it: `\1` to `\99` and `\g<1>` are groups (a group that
  /// did not take part gives ""), `\\`, `\n`, `\t`, `\r`, `\f`, `\v`, `\a`, `\b` are those characters, other escapes of
  /// punctuation stay as written; escapes of other ASCII letters are errors, as in Python 3.7+.
  public struct Replacement: Sendable, Equatable {
    /// A piece of the replacement.
    public enum Part: Sendable, Equatable {
      /// Text taken as is.
      case literal(String)
      /// A capture group's text.
      case group(Int)
    }

    /// The pieces, in order.
    public let parts: [Part]

    /// Reads `template` for a pattern with `groups` capture groups; throws when a group does not exist or an escape
    /// is one Python refuses.
    public init(_ template: String, groups: Int) throws(TextDataError) {
      var parts: [Part] = []
      var text = ""
      let characters = Array(template)
      var index = 0
      func group(_ number: Int) throws(TextDataError) {
        guard number <= groups else {
          throw TextDataError(.invalidData, "the replacement '\(template)' names group \(number); the pattern has \(groups)")
        }
        if !text.isEmpty { parts.append(.literal(text)) }
        text = ""
        parts.append(.group(number))
      }
      while index < characters.count {
        let character = characters[index]
        guard character == "\\", index + 1 < characters.count else {
          text.append(character)
          index += 1
          continue
        }
        let next = characters[index + 1]
        index += 2
        if let digit = next.wholeNumberValue, next.isASCII {
          var number = digit
          if index < characters.count, let second = characters[index].wholeNumberValue, characters[index].isASCII {
            number = number * 10 + second
            index += 1
          }
          guard number > 0 else {
            throw TextDataError(.invalidData, "the replacement '\(template)' has \\0, which Python reads as an octal escape",
              fix: "write the character itself")
          }
          try group(number)
          continue
        }
        switch next {
        case "g":
          guard index < characters.count, characters[index] == "<",
            let close = characters[index...].firstIndex(of: ">"),
            let number = Int(String(characters[(index + 1)..<close])), number >= 0
          else {
            throw TextDataError(.invalidData, "the replacement '\(template)' has a \\g that is not \\g<number>")
          }
          index = close + 1
          try group(number)
        case "\\": text.append("\\")
        case "n": text.append("\n")
        case "t": text.append("\t")
        case "r": text.append("\r")
        case "f": text.append("\u{0C}")
        case "v": text.append("\u{0B}")
        case "a": text.append("\u{07}")
        case "b": text.append("\u{08}")
        default:
          if next.isASCII && next.isLetter {
            throw TextDataError(.invalidData, "the replacement '\(template)' has the escape \\\(next), which Python refuses",
              fix: "write \\\\\(next) for a backslash and the letter")
          }
          text.append("\\")
          text.append(next)
        }
      }
      if !text.isEmpty { parts.append(.literal(text)) }
      self.parts = parts
    }
  }

  /// `re.sub(pattern, replacement, text)`: every non-overlapping match replaced. Patterns that can match the empty
  /// string follow ICU's rule for an empty match right after another match (Python 3.7+ also replaces it).
  public func substitute(_ text: String, with replacement: Replacement) -> String {
    guard let expression = compiled else { return text }
    let string = text as NSString
    var result = ""
    var start = 0
    for match in expression.matches(in: text, range: NSRange(location: 0, length: string.length)) {
      result += string.substring(with: NSRange(location: start, length: match.range.location - start))
      for part in replacement.parts {
        switch part {
        case .literal(let literal): result += literal
        case .group(let number):
          let range = match.range(at: number)
          if range.location != NSNotFound { result += string.substring(with: range) }
        }
      }
      start = match.range.location + match.range.length
    }
    return result + string.substring(from: start)
  }
}
