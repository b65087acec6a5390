import AssayText

/// Span F1 of generated entity lists ("PER: Ada $ LOC: London"), as AfroBench's MasakhaNER task computes it
/// (lm-evaluation-harness `afrobench/masakhaner`, after mT5's CoNLL-style metric): spans split on `$$`, `$`, `. `
/// and `, `; each `label: entity` normalized (ASCII punctuation and • to spaces, lowercase-only English articles
/// dropped, runs of 3+ spaces and tabs deleted, whitespace collapsed, then lowercased); a predicted span matches an
/// unused gold span exactly. F1 is over the whole corpus: an item stores its counts as 2·TP over 2·TP + FP + FN
/// with that denominator as its weight, so a report's ratio of sums is the corpus F1.
public enum SpanF1 {
  /// True positives, false positives and false negatives of one prediction against its gold list.
  public struct Counts: Sendable, Equatable {
    /// Predicted spans found in the gold list.
    public var truePositives: Int
    /// Predicted spans not in it.
    public var falsePositives: Int
    /// Gold spans not predicted.
    public var falseNegatives: Int

    /// 2·TP + FP + FN: the item's weight in the corpus F1.
    public var weight: Int { 2 * truePositives + falsePositives + falseNegatives }
    /// The item's own F1 (0 when it has no spans at all; its weight is then 0).
    public var f1: Double { weight == 0 ? 0 : Double(2 * truePositives) / Double(weight) }
  }

  // AfroBench's class (with its ranges `,-.` and `"-,`) is ASCII punctuation but the backslash, plus •.
  static let punctuation = PythonRegex("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\]\\^_`{|}~•]+")
  static let articles = PythonRegex("\\b(a|an|the)\\b")
  static let longBlanks = PythonRegex("\\s{3,}|\\t")
  static let blanks = PythonRegex("\\s+")

  /// AfroBench's `normalize_text`.
  static func normalize(_ text: String) -> String {
    var result = punctuation.replace(text, with: " ")
    result = articles.replace(result, with: " ")
    result = longBlanks.replace(result, with: "")
    result = blanks.replace(result, with: " ")
    return PythonText.lower(result)
  }

  /// AfroBench's `tags_to_spans`: (label, entity) pairs, in order.
  static func spans(_ text: String) -> [[UInt32]] {
    var items: [String] = []
    for part in PythonText.split(PythonText.strip(text), separator: "$$") {
      for item in PythonText.split(part, separator: "$") where !item.isEmpty { items.append(PythonText.strip(item)) }
    }
    var spans: [[UInt32]] = []
    for value in items {
      for sentence in PythonText.split(value, separator: ". ") {
        for item in PythonText.split(sentence, separator: ", ") {
          let pair = PythonText.split(PythonText.strip(item), separator: ": ")
          guard pair.count == 2 else { continue }
          let label = normalize(PythonText.strip(pair[0]))
          let entity = normalize(PythonText.strip(pair[1]))
          spans.append(PythonText.codePoints(label) + [1] + PythonText.codePoints(entity))
        }
      }
    }
    return spans
  }

  /// The counts of one prediction against its gold entity list.
  public static func counts(prediction: String, gold: String) -> Counts {
    var golds = spans(gold)
    var counts = Counts(truePositives: 0, falsePositives: 0, falseNegatives: 0)
    for span in spans(prediction) {
      if let index = golds.firstIndex(of: span) {
        counts.truePositives += 1
        golds.remove(at: index)
      } else {
        counts.falsePositives += 1
      }
    }
    counts.falseNegatives = golds.count
    return counts
  }

  /// The corpus F1 over line-aligned predictions and golds (0-1).
  public static func corpusScore(predictions: [String], golds: [String]) -> Double {
    var tp = 0
    var weight = 0
    for (prediction, gold) in zip(predictions, golds) {
      let item = counts(prediction: prediction, gold: gold)
      tp += item.truePositives
      weight += item.weight
    }
    return weight == 0 ? 0 : Double(2 * tp) / Double(weight)
  }
}
