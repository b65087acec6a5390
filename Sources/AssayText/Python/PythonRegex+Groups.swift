import Foundation

extension PythonRegex {
  /// The groups of the first match (`re.search`, or `re.match` when `anchored`): index 0 is the whole match, a group
  /// that did not take part is nil. nil when nothing matches.
  ///
  /// ```swift
  /// PythonRegex.cached(#"(\d+)-(\d+)"#).search("a 12-34")   // ["12-34", "12", "34"]
  /// ```
  public func search(_ text: String, anchored: Bool = false) -> [String?]? {
    guard let expression = compiled else { return nil }
    let string = text as NSString
    guard
      let match = expression.firstMatch(
        in: text, options: anchored ? [.anchored] : [], range: NSRange(location: 0, length: string.length))
    else { return nil }
    return Self.groups(of: match, in: string)
  }

  /// Every non-overlapping match's groups (`re.findall`; index 0 is the whole match).
  public func findAll(_ text: String) -> [[String?]] {
    guard let expression = compiled else { return [] }
    let string = text as NSString
    return expression.matches(in: text, range: NSRange(location: 0, length: string.length)).map {
      Self.groups(of: $0, in: string)
    }
  }

  private static func groups(of match: NSTextCheckingResult, in string: NSString) -> [String?] {
    (0..<match.numberOfRanges).map { index in
      let range = match.range(at: index)
      return range.location == NSNotFound ? nil : string.substring(with: range)
    }
  }
}
