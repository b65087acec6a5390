import Foundation

/// Grades needle-in-a-haystack answers: the share of the asked values found in the answer (Meta's "recall"), each
/// compared exactly after normalization: digits of any script become ASCII, separators inside a number (spaces,
/// commas, points, apostrophes) are dropped, and a value counts when a whole number of the answer equals it.
///
/// ```swift
/// NeedleGrader.recall(answer: "The numbers are 4,829,173 and ٧٣٠٢٥١٨.", values: ["4829173", "7302518"])  // 1.0
/// ```
public struct NeedleGrader: ResponseGrader {
  /// A grader; it holds no state.
  public init() {}

  /// The numbers of an answer after normalization, in order: every run of digits, and every chain of runs joined
  /// by single separators (`4,829,173` and `4 829 173` give `4829173` as well as their parts).
  public static func numbers(in answer: String) -> [String] {
    let text = Array(TextNormalizer.nativeDigits.apply(answer).unicodeScalars)
    let separators: Set<Unicode.Scalar> = [
      " ", ",", ".", "'", "\u{00A0}", "\u{202F}", "\u{2009}", "\u{066C}", "\u{066B}", "\u{3001}", "\u{FF0C}", "_",
    ]
    var numbers: [String] = []
    var chain: [String] = []
    var current = ""
    func close() {
      if !current.isEmpty { numbers.append(current); chain.append(current); current = "" }
    }
    func endChain() {
      if chain.count > 1 { numbers.append(chain.joined()) }
      chain = []
    }
    var index = 0
    while index < text.count {
      let scalar = text[index]
      if ("0"..."9").contains(scalar) {
        current.unicodeScalars.append(scalar)
      } else {
        let joins = !current.isEmpty && separators.contains(scalar) && index + 1 < text.count && ("0"..."9").contains(text[index + 1])
        close()
        if !joins { endChain() }
      }
      index += 1
    }
    close()
    endChain()
    return numbers
  }

  /// The share of `values` that occur as whole numbers of the answer.
  public static func recall(answer: String, values: [String]) -> Double {
    recall(found: Set(numbers(in: answer)), values: values)
  }

  static func recall(found: Set<String>, values: [String]) -> Double {
    values.isEmpty ? 0 : Double(values.filter { found.contains($0) }.count) / Double(values.count)
  }

  /// The score of a reply to an item: recall over the item's golds (the asked values).
  public static func score(sample: Sample, text: String) -> SampleScore {
    let values = sample.golds
    let numbers = Self.numbers(in: text)
    let found = Set(numbers)
    let recall = Self.recall(found: found, values: values)
    return SampleScore(
      answers: ["recall": numbers.prefix(8).joined(separator: " ")], correct: ["recall": recall == 1], primary: "recall",
      explanation: values.map { "\($0) \(found.contains($0) ? "found" : "missing")" }.joined(separator: ", "),
      values: ["recall": recall])
  }

  public func grade(task: EvalTask, sample: Sample, response: ResponsePayload) async -> Grade {
    .scored(Self.score(sample: sample, text: response.storedText))
  }
}
