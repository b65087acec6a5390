import AssayCore

/// The made-up log-probabilities `assay-mock-server` gives for an echoed prompt, shared by the server and its
/// in-process replica (`MockServerReplica`) so that both answer alike.
public enum MockEcho {
  /// A token per word (with its leading space or newline) plus one generated token " x", offsets in Unicode
  /// scalars as llama.cpp's server gives them, the first token without a value.
  ///
  /// ```swift
  /// let echo = MockEcho.logprobs(for: "Question: 2+2?\nAnswer:")
  /// echo.tokens   // ["Question:", " 2+2?", "\nAnswer:", " x"]
  /// ```
  public static func logprobs(for prompt: String) -> TokenLogprobs {
    var tokens: [String] = []
    var offsets: [Int] = []
    var current = String.UnicodeScalarView()
    var start = 0
    var position = 0
    for scalar in prompt.unicodeScalars {
      if scalar == " " || scalar == "\n", !current.isEmpty {
        tokens.append(String(current))
        offsets.append(start)
        current = String.UnicodeScalarView()
        start = position
      }
      current.append(scalar)
      position += 1
    }
    if !current.isEmpty {
      tokens.append(String(current))
      offsets.append(start)
    }
    tokens.append(" x")
    offsets.append(position)
    let values: [Double?] = tokens.enumerated().map { index, token in
      guard index > 0 else { return nil }
      var sum = 0
      for byte in token.utf8 { sum = (sum &* 31 &+ Int(byte)) & 0xFFFF }
      return -Double(sum % 997) / 100 - 0.01
    }
    return TokenLogprobs(tokens: tokens, logprobs: values, offsets: offsets)
  }
}
