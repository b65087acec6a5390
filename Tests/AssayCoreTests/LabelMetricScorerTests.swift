import AssayCore
import Foundation
import Testing

/// A generate suite naming the label, correlation and character-level metrics in `scorer.metrics`: item values,
/// the suite's normalization on answer and target, and the unknown-name error.
@Suite struct LabelMetricScorerTests {
  static func scorer(metrics: [String], normalize: [String] = ["trim", "lowercase"]) throws -> Scorer {
    let json = """
      {"extract": [{"name": "answer", "steps": [{"regex": "^\\\\s*([^\\\\n]*[^\\\\s])"}, {"take": "first"}]}],
       "normalize": \(String(decoding: try JSONEncoder().encode(normalize), as: UTF8.self)),
       "metrics": \(String(decoding: try JSONEncoder().encode(metrics), as: UTF8.self)), "primary": "\(metrics[0])"}
      """
    let spec = try JSONDecoder().decode(ScorerSpec.self, from: Data(json.utf8))
    return try Scorer(spec: spec, params: [:])
  }

  @Test func labelMetricsScoreTheCorpusOfNormalizedLabels() throws {
    let scorer = try Self.scorer(metrics: ["macro_f1", "weighted_f1", "mcc"])
    let pairs = [("Positive", "positive"), ("negative", "positive"), ("negative", "negative"), ("  NEGATIVE ", "negative")]
    let items = pairs.map { scorer.score(response: $0.0, target: $0.1).values }
    #expect(items.map { $0["macro_f1"] } == [1, 0, 1, 1])
    // gold [pos, pos, neg, neg], predicted [pos, neg, neg, neg]: F1 pos 2/3, neg 4/5.
    #expect(abs(CorpusMetric.corpusScore("macro_f1", items: items) - (2.0 / 3 + 0.8) / 2) < 1e-12)
    #expect(abs(CorpusMetric.corpusScore("mcc", items: items) - 1 / 3.0.squareRoot()) < 1e-12)
    let summary = CorpusMetric.summary("mcc", items: items)
    #expect(summary.n == 4)
  }

  @Test func correlationsReadNumbersAndSkipItemsWithout() throws {
    let scorer = try Self.scorer(metrics: ["pearson", "spearman"])
    let items = [("1.0", "1"), ("2.5", "2.5"), ("no idea", "4"), ("4", "3.5"), ("5", "5")].map {
      scorer.score(response: $0.0, target: $0.1).values
    }
    #expect(items[2]["pearson#pred"] == nil)
    #expect(abs(CorpusMetric.corpusScore("spearman", items: items) - 1) < 1e-12)
    #expect(Correlation.pearson([1, 1, 1], [1, 2, 3]) == nil)
    #expect(CorpusMetric.corpusScore("pearson", items: [[:], [:]]) == 0)
  }

  @Test func squadNamesAreTheSQuADMetrics() throws {
    let scorer = try Self.scorer(metrics: ["squad_f1", "squad_em", "f1", "exact_match"])
    // SQuAD v1.1: articles and punctuation dropped; F1 over tokens: "the eiffel tower" vs "Eiffel Tower in Paris".
    let score = scorer.score(response: "The Eiffel Tower.", target: "Eiffel Tower in Paris")
    #expect(score.values["squad_f1"] == score.values["f1"])
    #expect(abs((score.values["squad_f1"] ?? 0) - 2.0 / 3) < 1e-12)  // precision 2/2, recall 2/4
    #expect(score.values["squad_em"] == 0 && score.values["exact_match"] == 0)
    #expect(scorer.score(response: "the Eiffel tower!", target: "Eiffel Tower").values["squad_em"] == 1)
  }

  @Test func characterF1UsesTheSuiteNormalizationOnBothSides() throws {
    let scorer = try Self.scorer(
      metrics: ["char_f1", "char_exact_match"], normalize: ["remove_whitespace", "strip_punctuation"])
    let score = scorer.score(response: "東京 タワー。", target: "「東京タワー」")
    #expect(score.values["char_f1"] == 1)
    #expect(score.values["char_exact_match"] == 1)
    let partial = scorer.score(response: "東京都", target: "東京")
    #expect(abs(partial.values["char_f1"]! - 0.8) < 1e-12)
    #expect(partial.values["char_exact_match"] == 0)
    // SQuAD's whitespace tokens would make this 0: one token each.
    #expect(SQuADMetric.f1("東京都", golds: ["東京"]) == 0)
  }

  @Test func korquadNormalizationGivesKorQuADsCharacterF1() throws {
    let scorer = try Self.scorer(metrics: ["char_f1"], normalize: ["korquad"])
    #expect(scorer.score(response: "《훈민정음》", target: "훈민정음").values["char_f1"] == 1)
    // 주 삼 성 전 자 against 삼 성 전 자: precision 4/5, recall 1.
    #expect(abs(scorer.score(response: "(주)삼성전자", target: "삼성 전자").values["char_f1"]! - 8.0 / 9) < 1e-12)
  }

  @Test func anUnknownMetricListsTheValidNames() throws {
    let error = #expect(throws: AssayError.self) { try Self.scorer(metrics: ["macro-f1"]) }
    #expect(error?.message.contains("unknown generate metric 'macro-f1' in scorer.metrics") == true)
    #expect(error?.fix?.contains("macro_f1, weighted_f1, mcc, pearson, spearman") == true)
    #expect(error?.fix?.contains("char_f1") == true)
    #expect(error?.fix?.hasPrefix("did you mean 'macro_f1'?") == true)
  }
}
