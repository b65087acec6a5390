import AssayCore
import AssayReport
import Foundation
import Testing

/// `ReferenceGap.find`: a preset's published rows without a comparison, each with why; rows compared under another
/// name of the same configuration are not gaps. And the Markdown that lists them.
@Suite struct ReferenceGapTests {
  static let model = "Llama 3.1 8B Instruct"

  static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(json.utf8))
  }

  static func row(_ benchmark: String, _ score: Double, source: String = "paper", model: String = model) -> String {
    #"{"model": "\#(model)", "variant": "instruct", "benchmark": "\#(benchmark)", "n_shot": 0, "cot": true, "metric": "em", "score": \#(score), "source": "\#(source)", "note": "", "second_hand": false}"#
  }

  static func configuration(_ suite: String) -> String {
    #"{"suite": "\#(suite)", "max_tokens": 100, "dataset_size": 10, "averaging": "micro", "prompt": "p", "decoding": "greedy", "prompt_mode": "chat", "source": "s"}"#
  }

  func find(_ entries: [PresetEntryOutcome], compared: [String]) throws -> [ReferenceGap] {
    let rows = try Self.decode([ReferenceRow].self, "[" + [
      Self.row("ARC-C", 83.4, source: "MODEL_CARD"), Self.row("ARC-Challenge", 83.4), Self.row("GPQA (CoT)", 32.8),
      Self.row("GPQA", 30.4, source: "MODEL_CARD"), Self.row("IFEval", 80.4), Self.row("MGSM (CoT)", 68.9),
      Self.row("Other model's row", 1, model: "Someone Else"),
    ].joined(separator: ",") + "]")
    let configurations = try Self.decode([String: PublishedConfiguration].self, """
      {"ARC-C": \(Self.configuration("arc-gen")), "ARC-Challenge": \(Self.configuration("arc-gen")),
       "GPQA (CoT)": \(Self.configuration("gpqa")), "MGSM (CoT)": \(Self.configuration("mgsm"))}
      """)
    let comparisons = try compared.map { benchmark in
      try Self.decode(ReferenceComparisonRow.self, """
        {"suite": "\(configurations[benchmark]!.suite)", "ours": 1, "ci_low": 0, "ci_high": 2, "published": 1, "delta": 0,
         "published_inside_ci": true, "benchmark": "\(benchmark)", "source": "s", "differences": []}
        """)
    }
    return ReferenceGap.find(
      entries: entries, compared: comparisons, model: Self.model, rows: rows, configurations: configurations)
  }

  @Test func notRunNotComparedAndPartlyRunRowsAreGapsAndOtherNamesOfAComparedRowAreNot() throws {
    let missing = PresetEntryOutcome.Skipped(variant: "main", reason: "gpqa/gpqa_main.csv is missing", fix: "fetch it")
    let gaps = try find([
      PresetEntryOutcome(suite: "arc-gen", reproduces: ["ARC-Challenge", "ARC-C"], variantsRun: ["challenge"], skipped: []),
      PresetEntryOutcome(suite: "gpqa", reproduces: ["GPQA (CoT)", "GPQA", "GPQA diamond (never published)"], variantsRun: [],
        skipped: [missing]),
      PresetEntryOutcome(suite: "ifeval", reproduces: ["IFEval"], variantsRun: ["main"], skipped: []),
      PresetEntryOutcome(suite: "mgsm", reproduces: ["MGSM (CoT)"], variantsRun: ["de"],
        skipped: [.init(variant: "bn", reason: "mgsm/mgsm_bn.tsv is missing", fix: nil)]),
    ], compared: ["ARC-C", "MGSM (CoT)"])
    #expect(gaps.map(\.benchmark) == ["GPQA (CoT)", "GPQA", "IFEval", "MGSM (CoT)"])
    #expect(gaps[0].reason == "not run: gpqa/gpqa_main.csv is missing" && gaps[0].fix == "fetch it" && gaps[0].published == 32.8)
    #expect(gaps[1].published == 30.4)
    #expect(gaps[2].reason.contains("ran as ifeval, not compared: results/reference/meta_configs.json states no configuration for 'IFEval'"))
    #expect(gaps[3].reason == "compared on part of mgsm only: variant(s) bn not run: mgsm/mgsm_bn.tsv is missing")
  }

  @Test func everythingRunAndComparedLeavesNoGap() throws {
    let gaps = try find([
      PresetEntryOutcome(suite: "arc-gen", reproduces: ["ARC-Challenge", "ARC-C"], variantsRun: ["challenge"], skipped: []),
      PresetEntryOutcome(suite: "gpqa", reproduces: ["GPQA (CoT)"], variantsRun: ["main"], skipped: []),
    ], compared: ["ARC-C", "GPQA (CoT)"])
    #expect(gaps.isEmpty)
  }

  @Test func theMarkdownListsEachGapWithItsNumberReasonAndFix() throws {
    var report = RunReport(runID: "r", model: "m", status: "finished", tasks: [], samples: [])
    report.referenceModel = Self.model
    report.reference = []
    report.referenceGaps = [
      ReferenceGap(benchmark: "GPQA (CoT)", suite: "gpqa", published: 32.8, source: "paper", reason: "not run: no data", fix: "fetch it"),
      ReferenceGap(benchmark: "IFEval", suite: "ifeval", published: nil, source: nil, reason: "ran, not compared", fix: nil),
    ]
    let markdown = MarkdownRenderer.render(report)
    #expect(markdown.contains("""
      ### Published rows without a comparison

      - GPQA (CoT) 32.8 (gpqa): not run: no data. Fix: fetch it
      - IFEval (ifeval): ran, not compared
      """))
  }
}
