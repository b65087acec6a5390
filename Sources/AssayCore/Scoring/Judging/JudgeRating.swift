/// A judge's verdict on one answer: the rating it gave, or that its reply could not be parsed. An unparseable
/// reply is its own outcome, never a rating of 0.
public enum JudgeRating: Sendable, Equatable {
  case rating(Double)
  case unparseable

  /// FastChat's reading of a single-answer judgment: the first `[[x]]` with x a number (digits, optionally a
  /// point and more digits), else the first `[x]`.
  public static func parse(_ reply: String) -> JudgeRating {
    let scalars = Array(reply.unicodeScalars)
    for brackets in [2, 1] {
      var start = 0
      while start + 2 * brackets < scalars.count {
        if let value = number(in: scalars, at: start, brackets: brackets) { return .rating(value) }
        start += 1
      }
    }
    return .unparseable
  }

  /// The number in `[`*brackets  digits [.digits]  `]`*brackets starting at `start`, if that is what is there.
  private static func number(in scalars: [Unicode.Scalar], at start: Int, brackets: Int) -> Double? {
    var position = start
    for _ in 0..<brackets {
      guard position < scalars.count, scalars[position] == "[" else { return nil }
      position += 1
    }
    let digitsStart = position
    let isDigit = { (scalar: Unicode.Scalar) in ("0"..."9").contains(scalar) }
    while position < scalars.count, isDigit(scalars[position]) { position += 1 }
    guard position > digitsStart else { return nil }
    // `\.?\d*`: a point may follow, with or without digits.
    if position < scalars.count, scalars[position] == "." {
      position += 1
      while position < scalars.count, isDigit(scalars[position]) { position += 1 }
    }
    let text = String(String.UnicodeScalarView(scalars[digitsStart..<position]))
    for _ in 0..<brackets {
      guard position < scalars.count, scalars[position] == "]" else { return nil }
      position += 1
    }
    return Double(text.hasSuffix(".") ? text + "0" : text)
  }
}
