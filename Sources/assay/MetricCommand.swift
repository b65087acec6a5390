import ArgumentParser
import AssayCore
import Foundation

/// `assay metric`: a corpus text metric over two line-aligned files, as its reference implementation computes it.
struct MetricCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metric",
    abstract: "Score line-aligned hypotheses against references with a text metric (0-100).",
    discussion: """
      Metrics, each matching its reference implementation's defaults:
        chrf, chrf++   sacrebleu CHRF (char order 6, word order 0 / 2, beta 2, whitespace removed)
        bleu           sacrebleu BLEU (13a tokenizer, exp smoothing, corpus statistics)
        rouge_l        rouge-score ROUGE-L F-measure (lowercase a-z0-9 tokens, no stemming), mean over lines
        squad_em, squad_f1   the official SQuAD v1.1 exact match and token F1, mean over lines
        mlqa_em, mlqa_f1     MLQA's language-aware exact match and F1 (--lang; en es hi vi de ar zh as MLQA's script,
                             th segmented like zh, el ro ru tr on whitespace), mean over lines
        span_f1        AfroBench's MasakhaNER span F1 over "label: entity $ label: entity" lines, corpus-level
      Example:
        assay metric --name chrf++ --hyp system.txt --ref reference.txt --json   # {"score": 52.31...}
        assay metric --name mlqa_f1 --lang zh --hyp answers.txt --ref gold.txt
      """)

  /// The metrics `--name` accepts.
  enum Name: String, ExpressibleByArgument, CaseIterable {
    case chrf, chrfPlusPlus = "chrf++", bleu, rougeL = "rouge_l", squadEM = "squad_em", squadF1 = "squad_f1"
    case mlqaEM = "mlqa_em", mlqaF1 = "mlqa_f1", spanF1 = "span_f1"
  }

  @Option(help: "chrf, chrf++, bleu, rouge_l, squad_em, squad_f1, mlqa_em, mlqa_f1 or span_f1.")
  var name: Name

  @Option(help: ArgumentHelp("mlqa_em, mlqa_f1: the answers' language (en, es, hi, vi, de, ar, zh; th, el, ro, ru, tr).", valueName: "code"))
  var lang: String?

  @Option(help: ArgumentHelp("Hypotheses, one per line.", valueName: "file"))
  var hyp: String

  @Option(help: ArgumentHelp("References, one per line, aligned with --hyp.", valueName: "file"))
  var ref: String

  @Flag(help: "Print {\"score\": x}.")
  var json = false

  func run() throws {
    let hypotheses = try lines(hyp, flag: "--hyp")
    let references = try lines(ref, flag: "--ref")
    guard hypotheses.count == references.count else {
      throw AssayError(
        .invalidData, "--hyp has \(hypotheses.count) lines but --ref has \(references.count)",
        fix: "the files must be line-aligned: line i of --hyp is scored against line i of --ref")
    }
    let score: Double
    switch name {
    case .chrf: score = ChrF(wordOrder: 0).corpusScore(hypotheses: hypotheses, references: references)
    case .chrfPlusPlus: score = ChrF(wordOrder: 2).corpusScore(hypotheses: hypotheses, references: references)
    case .bleu: score = BLEU.corpusScore(hypotheses: hypotheses, references: references)
    case .rougeL: score = RougeL.corpusScore(hypotheses: hypotheses, references: references)
    case .squadEM, .squadF1:
      let values = zip(hypotheses, references).map { hypothesis, reference in
        name == .squadEM
          ? SQuADMetric.exactMatch(hypothesis, golds: [reference]) : SQuADMetric.f1(hypothesis, golds: [reference])
      }
      score = values.isEmpty ? 0 : 100 * values.reduce(0, +) / Double(values.count)
    case .mlqaEM, .mlqaF1:
      guard let lang else {
        throw AssayError(.invalidArgument, "--name \(name.rawValue) needs --lang", fix: "pass the answers' language, e.g. --lang de")
      }
      let values = zip(hypotheses, references).map { hypothesis, reference in
        name == .mlqaEM
          ? MLQAMetric.exactMatch(hypothesis, golds: [reference], language: lang)
          : MLQAMetric.f1(hypothesis, golds: [reference], language: lang)
      }
      score = values.isEmpty ? 0 : 100 * values.reduce(0, +) / Double(values.count)
    case .spanF1:
      score = 100 * SpanF1.corpusScore(predictions: hypotheses, golds: references)
    }
    if json {
      print(CanonicalJSON.string(["score": score]))
    } else {
      print("\(name.rawValue): \(String(format: "%.4f", score)) (\(hypotheses.count) lines)")
    }
  }

  /// The file's lines (a final newline does not make an extra empty line), as UTF-8.
  private func lines(_ path: String, flag: String) throws(AssayError) -> [String] {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw AssayError(.io, "cannot read \(flag) \(path) (missing or not UTF-8)", fix: "check the path")
    }
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
  }
}
