import AssayCore
import AssayText
import Foundation
import Testing

@testable import AssayInstructions

/// M-IFEval's Japanese checkers against the reference's own verdicts: Tests/Fixtures/m-ifeval/ja.jsonl holds responses
/// to every row of ja_input_data.jsonl (Tatoeba Japanese edited towards following or breaking each instruction, with
/// chatter lines and markdown for the loose verdict) and the strict and loose verdicts M-IFEval's
/// `ja_instructions.py` gave them with janome, ja_sentence_segmenter and langdetect (scripts/m-ifeval-fixture-ja.py).
/// Every verdict must be the same.
@Suite struct JapaneseInstructionTests {
  static let dataset = MIFEvalFixture.dataset("ja")
  static let fixture = MIFEvalFixture.fixture("ja")

  /// The rows' instructions, parsed.
  static func instructions() throws -> [(ids: [String], instructions: [JapaneseInstruction])] {
    try MIFEvalFixture.jsonLines(dataset).map { row in
      let ids = row["instruction_id_list"] as! [String]
      let kwargs = row["kwargs"] as! [[String: Any]]
      return (ids, try zip(ids, kwargs).map { try JapaneseInstruction(id: $0, kwargs: $1) })
    }
  }

  @Test func everyDatasetIdIsRegistered() throws {
    let rows = try Self.instructions()
    #expect(rows.count == 172)
    #expect(Set(rows.flatMap(\.ids)) == Set(JapaneseInstruction.ids))
    #expect(JapaneseInstruction.ids.count == 33)
  }

  @Test func verdictsMatchTheReference() throws {
    let tools = try MIFEvalFixture.japaneseTools()
    let rows = try Self.instructions()
    let fixture = try MIFEvalFixture.jsonLines(Self.fixture)
    #expect(fixture.count >= 2 * rows.count)
    var perType: [String: (agree: Int, total: Int, followed: Int, notFollowed: Int)] = [:]
    var strictOutcomes: [String: Set<Bool>] = [:]
    var disagreements: [String] = []
    var promptAgree = 0
    for entry in fixture {
      let sample = (entry["sample"] as! NSNumber).intValue
      let response = entry["response"] as! String
      let expected = (strict: entry["instructions_strict"] as! [Bool], loose: entry["instructions_loose"] as! [Bool])
      let (ids, instructions) = rows[sample]
      let actual = IFEvalChecker.verdict(response: response, count: instructions.count) { instructions[$0].follows($1, tools: tools) }
      if actual.strict == expected.strict && actual.loose == expected.loose { promptAgree += 1 }
      for (position, id) in ids.enumerated() {
        strictOutcomes[id, default: []].insert(expected.strict[position])
        let pairs = [
          ("strict", actual.strict[position], expected.strict[position]), ("loose", actual.loose[position], expected.loose[position]),
        ]
        for (mode, mine, theirs) in pairs {
          var tally = perType[id] ?? (0, 0, 0, 0)
          tally.total += 1
          if mine == theirs { tally.agree += 1 } else {
            disagreements.append("sample \(sample) \(id) \(mode): assay \(mine) reference \(theirs)\nresponse: \(response.prefix(600))")
          }
          if theirs { tally.followed += 1 } else { tally.notFollowed += 1 }
          perType[id] = tally
        }
      }
    }
    print("m-ifeval ja: \(fixture.count) responses to \(rows.count) prompts; prompt-level verdicts agree on \(promptAgree)/\(fixture.count)")
    print("m-ifeval ja: instruction type                                  agree/checked  (reference: followed, not followed; strict+loose)")
    for (id, tally) in perType.sorted(by: { $0.key < $1.key }) {
      print("m-ifeval ja:   \(id.padding(toLength: 50, withPad: " ", startingAt: 0)) \(tally.agree)/\(tally.total)  (\(tally.followed), \(tally.notFollowed))")
    }
    #expect(disagreements.isEmpty, "\(disagreements.count) verdicts differ:\n\(disagreements.prefix(10).joined(separator: "\n"))")
    for id in JapaneseInstruction.ids { #expect(strictOutcomes[id] == [true, false], "\(id): strict outcomes \(strictOutcomes[id] ?? [])") }
  }

  @Test func badRowsAreErrorsThatNameTheInstructionAndTheFix() {
    func fails(_ id: String, _ kwargs: [String: Any]) -> Bool {
      do {
        _ = try JapaneseInstruction(id: id, kwargs: kwargs)
        return false
      } catch { return error.message.contains(id) && error.fix != nil }
    }
    #expect(fails("ja:keywords:frequency", ["keyword": "猫", "relation": "以上"]))
    #expect(fails("ja:keywords:frequency", ["keyword": "猫", "frequency": 2, "relation": "at least"]))
    #expect(fails("ja:keywords:letter_frequency", ["letter": "カ", "let_frequency": 2, "let_relation": "以上"]))
    #expect(fails("ja:language:response_language", ["language": "zh"]))
    #expect(fails("ja:startend:sentence_unified_end", [:]))
    #expect(fails("ja:letters:furigana", ["count": 2]))
    #expect(fails("ja:length_constraints:nth_paragraph_first_word", ["num_paragraphs": 2, "nth_paragraph": 3, "first_word": "猫"]))
    #expect(fails("ja:keywords:frobnicate", [:]))
  }

  @Test func japaneseChecksOnTheirOwn() throws {
    let tools = try MIFEvalFixture.japaneseTools()
    #expect(JapaneseInstruction.keywordsExistence(["猫"]).follows("私は猫が好きです。", tools: tools))
    // 猫背 is one token: the keyword is not a token there.
    #expect(!JapaneseInstruction.keywordsExistence(["猫"]).follows("彼は猫背です。", tools: tools))
    #expect(JapaneseInstruction.nominalEnding(2).follows("美しい夕焼け。静かな海！", tools: tools))
    #expect(!JapaneseInstruction.nominalEnding(1).follows("「美しい夕焼け。」", tools: tools))
    #expect(JapaneseInstruction.furigana.follows("今日（きょう）は晴（は）れ", tools: tools))
    #expect(!JapaneseInstruction.furigana.follows("今日（きょう）は晴れ", tools: tools))
    #expect(JapaneseInstruction.letterFrequency(letter: "か", frequency: 2, relation: .atLeast).follows("かカ", tools: tools))
    #expect(JapaneseSentenceSegmenter.count("彼は「行くよ。すぐ行く！」と言った。次。") == 2)
    #expect(JapaneseSentenceSegmenter.count("私の\n本です。\n\nはい") == 2)
    #expect(JapaneseInstruction.sentenceUnifiedEnd("です").follows("晴れです。「雨だ。」学生です！", tools: tools))
  }
}
