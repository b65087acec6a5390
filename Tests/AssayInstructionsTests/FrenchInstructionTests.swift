import Foundation
import Testing

@testable import AssayCore
@testable import AssayInstructions

/// M-IFEval's French checkers against the reference's own verdicts: Tests/Fixtures/m-ifeval/fr.jsonl holds responses
/// to every row of fr_input_data.jsonl (Tatoeba French edited towards following or breaking each instruction, with
/// chatter lines and markdown for the loose verdict) and the strict and loose verdicts M-IFEval's
/// `fr_instructions.py` gave them (scripts/m-ifeval-fixture-fr.py). Every verdict must be the same.
@Suite struct FrenchInstructionTests {
  static let dataset = MIFEvalFixture.dataset("fr")
  static let fixture = MIFEvalFixture.fixture("fr")

  static func text(_ path: String) throws -> String { try MIFEvalFixture.text(path) }

  static func tools() throws -> MIFEvalTools { try MIFEvalFixture.tools(punkt: "french") }

  static func jsonLines(_ path: String) throws -> [[String: Any]] { try MIFEvalFixture.jsonLines(path) }

  /// The rows' instructions, parsed.
  static func instructions() throws -> [(ids: [String], instructions: [FrenchInstruction])] {
    try jsonLines(dataset).map { row in
      let ids = row["instruction_id_list"] as! [String]
      let kwargs = row["kwargs"] as! [[String: Any]]
      return (ids, try zip(ids, kwargs).map { try FrenchInstruction(id: $0, kwargs: $1) })
    }
  }

  /// Strict and loose verdicts as the reference's `evaluation_main` computes them.
  static func verdict(_ response: String, _ instructions: [FrenchInstruction], _ tools: MIFEvalTools) -> (strict: [Bool], loose: [Bool]) {
    MIFEvalFixture.verdict(response, count: instructions.count) { instructions[$0].follows($1, tools: tools) }
  }

  @Test func everyDatasetIdIsRegistered() throws {
    let rows = try Self.instructions()
    #expect(rows.count == 235)
    #expect(Set(rows.flatMap(\.ids)) == Set(FrenchInstruction.ids))
  }

  @Test func verdictsMatchTheReference() throws {
    let tools = try Self.tools()
    let rows = try Self.instructions()
    let fixture = try Self.jsonLines(Self.fixture)
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
      let actual = Self.verdict(response, instructions, tools)
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
    print("m-ifeval fr: \(fixture.count) responses to \(rows.count) prompts; prompt-level verdicts agree on \(promptAgree)/\(fixture.count)")
    print("m-ifeval fr: instruction type                          agree/checked  (reference: followed, not followed; strict+loose)")
    for (id, tally) in perType.sorted(by: { $0.key < $1.key }) {
      print("m-ifeval fr:   \(id.padding(toLength: 50, withPad: " ", startingAt: 0)) \(tally.agree)/\(tally.total)  (\(tally.followed), \(tally.notFollowed))")
    }
    #expect(disagreements.isEmpty, "\(disagreements.count) verdicts differ:\n\(disagreements.prefix(10).joined(separator: "\n"))")
    // The fixture exercises both outcomes of every type, strictly.
    for id in FrenchInstruction.ids { #expect(strictOutcomes[id] == [true, false], "\(id): strict outcomes \(strictOutcomes[id] ?? [])") }
  }

  @Test func badRowsAreErrorsThatNameTheInstructionAndTheFix() {
    func fails(_ id: String, _ kwargs: [String: Any]) -> Bool {
      do {
        _ = try FrenchInstruction(id: id, kwargs: kwargs)
        return false
      } catch { return error.message.contains(id) && error.fix != nil }
    }
    #expect(fails("fr:keywords:frequency", ["keyword": "chat", "relation": "au moins"]))
    #expect(fails("fr:keywords:frequency", ["keyword": "chat", "frequency": 2, "relation": "at least"]))
    #expect(fails("fr:keywords:letter_frequency", ["letter": "é", "let_frequency": 2, "let_relation": "au moins"]))
    #expect(fails("fr:language:response_language", ["language": "xx"]))
    #expect(fails("fr:special_character:ethel_or_cedilla", ["forbidden_char": ""]))
    #expect(fails("fr:special_character:accents", [:]))
    #expect(fails("fr:detectable_format:title", ["num_highlights": 2]))
    #expect(fails("fr:length_constraints:nth_paragraph_first_word", ["num_paragraphs": 2, "nth_paragraph": 3, "first_word": "le"]))
    #expect(fails("fr:keywords:frobnicate", [:]))
    // Zero is kept (the reference's evaluation_main drops nothing) and a null is absent.
    let zero = try? FrenchInstruction(id: "fr:detectable_format:number_highlighted_sections", kwargs: ["num_highlights": 0])
    #expect(zero == .ifeval(.highlightedSections(0)))
    #expect(fails("fr:detectable_format:number_highlighted_sections", ["num_highlights": NSNull()]))
  }

  @Test func frenchChecksOnTheirOwn() throws {
    let tools = try Self.tools()
    let accents = FrenchInstruction.accents([.init(plain: "ecole", accented: "école"), .init(plain: "a", accented: "à")])
    #expect(accents.follows("Il va à l'école.", tools: tools))
    #expect(!accents.follows("Il va a l'école.", tools: tools))
    #expect(!accents.follows("Il va à l'ecole.", tools: tools))
    #expect(FrenchInstruction.informalAddress.follows("Je T'aime.", tools: tools))
    #expect(!FrenchInstruction.informalAddress.follows("Tutoyer, c'est t' ici.", tools: tools))
    #expect(FrenchInstruction.forbiddenCharacter("ç").follows("Garcon", tools: tools))
    #expect(!FrenchInstruction.forbiddenCharacter("ç").follows("GARÇON", tools: tools))
    #expect(FrenchInstruction.quotation.follows(" «Oui» ", tools: tools))
    #expect(!FrenchInstruction.noDigits.follows("deux ٣", tools: tools))
    // "cf." and "env." are abbreviations only with the reference's additions (plain French Punkt: 2 and 3 sentences).
    #expect(FrenchInstruction.sentences(tools).tokenize("Voir cf. le chapitre deux.").count == 1)
    #expect(FrenchInstruction.sentences(tools).tokenize("Le Dr. Martin, env. quarante ans, vit ici.").count == 1)
    #expect(tools.sentences.tokenize("Le Dr. Martin, env. quarante ans, vit ici.").count == 3)
  }
}
