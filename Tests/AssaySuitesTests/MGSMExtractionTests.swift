import AssayCore
import AssaySuites
import Testing

/// Extraction and normalization on the shipped MGSM suite, in all 11 languages, with native digits and locale
/// number formats as models actually write them.
@Suite struct MGSMExtractionTests {
  let suite = try! SuiteFile.load(path: TestPaths.benchmarks + "/mgsm/mgsm.yaml")

  func scorer(_ language: String) throws -> Scorer {
    let variant = try #require(suite.variants.first { $0.id == language })
    return try Scorer(spec: suite.scorer, params: variant.templateParameters)
  }

  static let cases: [(language: String, response: String, target: String, strict: String?, flexible: String)] = [
    ("en", "She has 16 - 3 - 4 = 9 eggs, 9 * $2 = $18.\nAnswer: 18", "18", "18", "18"),
    ("de", "Sie verkauft 9 Eier für je 2 €, also 18 €.\nAntwort: 1.250", "1250", "1250", "1250"),
    ("es", "Gana 3,5 dólares por hora.\nRespuesta: 3,5", "3.5", "3.5", "3.5"),
    ("fr", "Il y a 12 345 habitants.\nRéponse : 12 345", "12345", "12345", "12345"),
    ("sw", "Jumla ni 7 + 11 = 18.\nJibu: 18.", "18", "18", "18"),
    ("ru", "Всего 1\u{00A0}000 рублей.\nОтвет: 1\u{00A0}000", "1000", "1000", "1000"),
    ("bn", "১৬ - ৩ - ৪ = ৯, ৯ × ২ = ১৮\nউত্তর: ১৮", "18", "18", "18"),
    ("te", "మొత్తం ౧౮ డాలర్లు.\nసమాధానం: ౧౮", "18", "18", "18"),
    ("th", "รวม ๑๘ ดอลลาร์\nคำตอบ: ๑๘", "18", "18", "18"),
    ("ja", "合計は１８ドルです。\n答え: １８", "18", "18", "18"),
    ("zh", "她每天赚18美元。\n答案：18。", "18", "18", "18"),
  ]

  @Test(arguments: cases.indices)
  func extractsAndNormalizesInEveryLanguage(index: Int) throws {
    let c = Self.cases[index]
    let score = try scorer(c.language).score(response: c.response, target: c.target)
    #expect(score.answers["strict"] == c.strict, "\(c.language)")
    #expect(score.answers["flexible"] == c.flexible, "\(c.language)")
    #expect(score.correct["strict"] == true, "\(c.language)")
  }

  @Test(arguments: ["bn", "de", "en", "es", "fr", "ja", "ru", "sw", "te", "th", "zh"])
  func strictNeedsTheLanguagesAnswerPrefix(language: String) throws {
    // The number is right but the prefix is another language's: strict fails, flexible succeeds.
    let other = language == "en" ? "Antwort" : "Answer"
    let score = try scorer(language).score(response: "... \(other): 42", target: "42")
    #expect(score.answers["strict"] == nil)
    #expect(score.correct["strict"] == false && score.correct["flexible"] == true)
    // simple-evals needs the prefix too; lm-eval's flexible-extract takes the last number anywhere.
    #expect(score.correct["simple-evals"] == false && score.correct["lm-eval-flexible"] == true)
  }

  @Test func strictTakesTheLastNumberAfterTheLastPrefix() throws {
    // As simple-evals' parse_answer: text after the last prefix, then its last number.
    let score = try scorer("en").score(response: "Answer: 3\nWait. Answer: 4 apples and 5 pears", target: "5")
    #expect(score.answers["strict"] == "5")
  }
}
