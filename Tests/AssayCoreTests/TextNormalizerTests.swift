import AssayCore
import Testing

@Suite struct TextNormalizerTests {
  @Test(arguments: [
    ("১৮", "18"),  // Bengali
    ("౧౮", "18"),  // Telugu
    ("๑๘", "18"),  // Thai
    ("१८", "18"),  // Devanagari
    ("١٨", "18"),  // Arabic-Indic
    ("۱۸", "18"),  // Extended Arabic-Indic (Persian, Urdu)
    ("１８", "18"),  // Full-width
    ("１，２３４．５", "1,234.5"),  // Full-width separators
    ("١٬٢٣٤٫٥", "1,234.5"),  // Arabic separators
  ])
  func mapsNativeDigitsToASCII(input: String, expected: String) {
    #expect(TextNormalizer.nativeDigits.apply(input) == expected)
  }

  @Test func leavesOtherTextAlone() {
    #expect(TextNormalizer.nativeDigits.apply("答案：十八 Antwort") == "答案:十八 Antwort")
  }

  @Test func stripsTrailingPunctuationOfAnyScript() {
    #expect(TextNormalizer.stripTrailingPunctuation.apply("18。") == "18")
    #expect(TextNormalizer.stripTrailingPunctuation.apply("18।") == "18")
    #expect(TextNormalizer.stripTrailingPunctuation.apply("18!.") == "18")
  }

  @Test func trimsUnicodeWhitespace() {
    #expect(TextNormalizer.trim.apply("\u{3000} 18 \n") == "18")
  }
}
