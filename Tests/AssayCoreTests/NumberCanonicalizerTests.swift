import AssayCore
import Testing

@Suite struct NumberCanonicalizerTests {
  @Test(arguments: [
    ("1,234", "1234"), ("1.234", "1234"), ("1 234", "1234"), ("1\u{202F}234", "1234"), ("1\u{00A0}234,5", "1234.5"),
    ("1.234,50", "1234.5"), ("1,234.50", "1234.5"), ("1'234'567", "1234567"), ("12,34,567", "1234567"),
    ("3,5", "3.5"), ("0.750", "0.75"), ("18.00", "18"), ("18.", "18"), ("-42", "-42"), ("+7", "7"), ("007", "7"),
    ("$1,000", "1000"), ("-0", "0"),
  ])
  func canonicalizesLocaleFormats(input: String, expected: String) {
    #expect(NumberCanonicalizer.canonical(input) == expected)
  }

  @Test func rejectsNonNumbers() {
    #expect(NumberCanonicalizer.canonical("abc") == nil)
    #expect(NumberCanonicalizer.canonical("") == nil)
    #expect(NumberCanonicalizer.canonical("1.2.3,4,5") == nil)
  }

  @Test func findsEveryNumberInProse() {
    let text = "Sie hat 16 - 3 - 4 = 9 Eier übrig, also 9 * 2 = 18 Dollar. Insgesamt 1.250,75 € und -3 Grad."
    #expect(NumberCanonicalizer.numbers(in: text) == ["16", "3", "4", "9", "9", "2", "18", "1250.75", "-3"])
  }

  @Test func plainSpaceGroupsOnlyThreeDigitGroups() {
    #expect(NumberCanonicalizer.numbers(in: "il a 12 345 pommes") == ["12345"])
    #expect(NumberCanonicalizer.numbers(in: "entre 5 10 et 20") == ["5", "10", "20"])
    #expect(NumberCanonicalizer.numbers(in: "1 2345") == ["1", "2345"])
  }

  @Test func sentenceFinalPeriodIsNotADecimalPoint() {
    #expect(NumberCanonicalizer.numbers(in: "The answer is 18.") == ["18"])
    #expect(NumberCanonicalizer.numbers(in: "答案是18。") == ["18"])
  }
}
