import Foundation
import Testing

/// `assay score --suite m-ifeval --variant es|fr|ja --per-item` on the fixtures made by running M-IFEval's reference
/// checkers (Tests/Fixtures/m-ifeval, see its README): every strict and loose verdict must match, except Spanish
/// `number_sentences`, which the reference counts with spaCy's neural dependency parser and Assay approximates
/// (Punkt's Spanish sentences per line): its agreement is printed, not asserted.
@Suite struct MIFEvalScoreTests {
  static let fixtures = CLI.repository + "/Tests/Fixtures/m-ifeval"

  @Test(arguments: ["es", "fr", "ja"])
  func verdictsMatchTheReferenceFixture(language: String) throws {
    let dir = CLI.temporaryDirectory()
    let lines = try String(contentsOfFile: Self.fixtures + "/\(language).jsonl", encoding: .utf8).split(separator: "\n")
    let expected = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    let inputs = try expected.map { entry in
      String(decoding: try JSONSerialization.data(withJSONObject: ["sample": entry["sample"]!, "response": entry["response"]!]), as: UTF8.self)
    }
    try (inputs.joined(separator: "\n") + "\n").write(toFile: dir + "/responses.jsonl", atomically: true, encoding: .utf8)
    let result = try CLI.run(
      ["score", "--suite", "m-ifeval", "--variant", language, "--responses", dir + "/responses.jsonl", "--per-item",
       "--allow-duplicate-samples"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let got = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    try #require(got.count == expected.count, "\(got.count) lines for \(expected.count) responses")
    let rows = try String(contentsOfFile: CLI.datasets + "/m-ifeval/\(language)_input_data.jsonl", encoding: .utf8)
      .split(separator: "\n").map { (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["instruction_id_list"] as! [String] }
    let approximate: Set<String> = ["es:length_constraints:number_sentences"]
    var agree = 0
    var total = 0
    var approximateAgree = 0
    var approximateTotal = 0
    var first: [String] = []
    for (ours, reference) in zip(got, expected) {
      let ids = rows[reference["sample"] as! Int]
      for key in ["instructions_strict", "instructions_loose"] {
        let a = ours[key] as? [Bool] ?? []
        let b = reference[key] as? [Bool] ?? []
        for (position, id) in ids.enumerated() where position < b.count {
          let same = position < a.count && a[position] == b[position]
          if approximate.contains(id) {
            approximateTotal += 1
            if same { approximateAgree += 1 }
            continue
          }
          total += 1
          if same { agree += 1 } else if first.count < 5 { first.append("sample \(reference["sample"]!) \(id) \(key): assay \(a) reference \(b)") }
        }
      }
    }
    print("m-ifeval/\(language) through assay score: \(agree)/\(total) instruction verdicts agree with the reference fixture (\(expected.count) responses)"
      + (approximateTotal > 0 ? "; approximated number_sentences: \(approximateAgree)/\(approximateTotal)" : ""))
    for line in first { print("DISAGREEMENT \(line)") }
    #expect(agree == total)
  }
}
