import AssayText
import Foundation

/// Corpus BLEU as sacrebleu (2.x) computes it by default: the 13a tokenizer (mteval-v13a), n-grams of orders 1-4,
/// clipped counts, the brevity penalty against the reference length, "exp" smoothing of zero precisions, 0-100.
public enum BLEU {
  /// sacrebleu's `13a` tokenization of one line.
  public static func tokenize13a(_ line: String) -> [String] {
    var text = line.replacingOccurrences(of: "<skipped>", with: "").replacingOccurrences(of: "-\n", with: "")
      .replacingOccurrences(of: "\n", with: " ")
    if text.contains("&") {
      text = text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }
    text = " \(text) "
    for (regex, template) in rules {
      text = regex.stringByReplacingMatches(
        in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
    return PythonText.split(text)
  }

  /// mteval-v13a's rules, in order: ASCII punctuation and symbols apart; period and comma apart unless beside a
  /// digit; a dash after a digit apart.
  nonisolated(unsafe) static let rules: [(NSRegularExpression, String)] = [
    (try! NSRegularExpression(pattern: "([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])"), " $1 "),
    (try! NSRegularExpression(pattern: "([^0-9])([\\.,])"), "$1 $2 "),
    (try! NSRegularExpression(pattern: "([\\.,])([^0-9])"), " $1 $2"),
    (try! NSRegularExpression(pattern: "([0-9])(-)"), "$1 $2 "),
  ]

  /// The corpus score of line-aligned hypotheses and references.
  public static func corpusScore(hypotheses: [String], references: [String], order maxOrder: Int = 4) -> Double {
    var correct = [Int](repeating: 0, count: maxOrder)
    var total = [Int](repeating: 0, count: maxOrder)
    var hypothesisLength = 0
    var referenceLength = 0
    for (hypothesis, reference) in zip(hypotheses, references) {
      let hyp = tokenize13a(hypothesis)
      let ref = tokenize13a(reference)
      hypothesisLength += hyp.count
      referenceLength += ref.count
      for order in 1...maxOrder {
        let hypGrams = PythonText.ngramCounts(hyp, order: order)
        let refGrams = PythonText.ngramCounts(ref, order: order)
        for (gram, count) in hypGrams { correct[order - 1] += min(count, refGrams[gram] ?? 0) }
        total[order - 1] += max(0, hyp.count - order + 1)
      }
    }
    guard hypothesisLength > 0 else { return 0 }
    var precisions = [Double](repeating: 0, count: maxOrder)
    var smooth = 1.0
    for order in 1...maxOrder {
      if total[order - 1] == 0 { break }
      if correct[order - 1] == 0 {
        smooth *= 2
        precisions[order - 1] = 100 / (smooth * Double(total[order - 1]))
      } else {
        precisions[order - 1] = 100 * Double(correct[order - 1]) / Double(total[order - 1])
      }
    }
    let brevity = hypothesisLength < referenceLength ? exp(1 - Double(referenceLength) / Double(hypothesisLength)) : 1
    let logSum = precisions.map { $0 > 0 ? log($0) : -9_999_999_999 }.reduce(0, +)
    return brevity * exp(logSum / Double(maxOrder))
  }
}
