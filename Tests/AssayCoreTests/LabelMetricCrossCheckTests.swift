import AssayCore
import Foundation
import Testing

/// The classification, correlation and character-level metrics against scikit-learn, scipy.stats and KorQuAD 1.0's
/// character F1 (its official script's logic, rewritten in Python), on the seeded inputs of `Tests/Fixtures/label-metrics/reference.json` (made by
/// `scripts/label-metrics-reference.py`, whose header says how): equal to 1e-9, through the same stored item
/// values and corpus score a run's report uses.
@Suite struct LabelMetricCrossCheckTests {
  struct LabelCase: Decodable {
    let name: String
    let predicted: [String]
    let gold: [String]
    let macro_f1: Double
    let weighted_f1: Double
    let mcc: Double
  }

  struct ScoreCase: Decodable {
    let name: String
    let predicted: [Double]
    let gold: [Double]
    let pearson: Double?
    let spearman: Double?
  }

  struct CharacterCase: Decodable {
    let prediction: String
    let gold: String
    let char_f1: Double
  }

  struct Reference: Decodable {
    let generated_by: String
    let labels: [LabelCase]
    let scores: [ScoreCase]
    let characters: [CharacterCase]
  }

  static func reference() throws -> Reference {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    let data = try Data(contentsOf: root.appendingPathComponent("Fixtures/label-metrics/reference.json"))
    return try JSONDecoder().decode(Reference.self, from: data)
  }

  @Test func labelMetricsMatchScikitLearn() throws {
    let reference = try Self.reference()
    #expect(reference.labels.count >= 10)
    var largest = 0.0
    defer { print("label metrics: \(reference.labels.count) cases, largest difference \(largest) (\(reference.generated_by))") }
    for item in reference.labels {
      for (name, expected) in [("macro_f1", item.macro_f1), ("weighted_f1", item.weighted_f1), ("mcc", item.mcc)] {
        let values = zip(item.predicted, item.gold).map {
          CorpusMetric.labelValues(name, predicted: $0.0, gold: $0.1)
        }
        let got = CorpusMetric.corpusScore(name, items: values)
        largest = max(largest, abs(got - expected))
        #expect(abs(got - expected) < 1e-9, "\(item.name) \(name): assay \(got), scikit-learn \(expected)")
      }
      #expect(abs(LabelMetrics.macroF1(predicted: item.predicted, gold: item.gold) - item.macro_f1) < 1e-9)
    }
  }

  @Test func correlationsMatchScipy() throws {
    let reference = try Self.reference()
    #expect(reference.scores.contains { $0.pearson == nil }, "the fixture has a constant input")
    var largest = 0.0
    defer { print("correlations: \(reference.scores.count) cases, largest difference \(largest)") }
    for item in reference.scores {
      let pearson = Correlation.pearson(item.predicted, item.gold)
      let spearman = Correlation.spearman(item.predicted, item.gold)
      #expect((pearson == nil) == (item.pearson == nil), "\(item.name): pearson \(String(describing: pearson))")
      #expect((spearman == nil) == (item.spearman == nil), "\(item.name): spearman \(String(describing: spearman))")
      if let pearson, let expected = item.pearson {
        #expect(abs(pearson - expected) < 1e-9, "\(item.name) pearson: assay \(pearson), scipy \(expected)")
      }
      if let spearman, let expected = item.spearman {
        #expect(abs(spearman - expected) < 1e-9, "\(item.name) spearman: assay \(spearman), scipy \(expected)")
      }
      // Through the stored values, as the report computes it (undefined scores 0).
      for (name, expected) in [("pearson", item.pearson), ("spearman", item.spearman)] {
        let values = zip(item.predicted, item.gold).map {
          CorpusMetric.correlationValues(name, predicted: String($0.0), gold: String($0.1))
        }
        let got = CorpusMetric.corpusScore(name, items: values)
        largest = max(largest, abs(got - (expected ?? 0)))
        #expect(abs(got - (expected ?? 0)) < 1e-9, "\(item.name) \(name) via stored values: \(got)")
      }
    }
  }

  @Test func averageRanksShareTies() {
    #expect(Correlation.averageRanks([10, 20, 20, 5, 20]) == [2, 4, 4, 1, 4])
  }

  @Test func characterF1AfterKorQuADNormalizationMatchesKorQuADsScript() throws {
    for item in try Self.reference().characters {
      let got = CharacterF1.f1(
        TextNormalizer.korquad.apply(item.prediction), golds: [TextNormalizer.korquad.apply(item.gold)])
      #expect(abs(got - item.char_f1) < 1e-9, "'\(item.prediction)' vs '\(item.gold)': \(got), reference \(item.char_f1)")
    }
  }
}
