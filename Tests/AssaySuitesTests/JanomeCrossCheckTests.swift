import AssayCore
import AssayText
import Foundation
import Testing

/// Assay's janome port against janome 0.5.1 itself: Tests/Fixtures/m-ifeval/ja-janome.jsonl.gz holds janome's tokens
/// (surface, part of speech, inflection, base form, reading, phonetic) for M-IFEval's Japanese prompts, Tatoeba
/// Japanese sentences and hand-made corners (scripts/janome-crosscheck.py). Every token must be the same.
@Suite struct JanomeCrossCheckTests {
  @Test func tokensMatchJanome() throws {
    let loaded = try JapaneseFixture.janome.get()
    print("janome: IPADIC built from the mecab-ipadic archive in \(String(format: "%.2f", loaded.seconds)) s (\(loaded.tokenizer.dictionary.count) entries)")
    let fixture = try JapaneseFixture.jsonLines(JapaneseFixture.fixtures + "/ja-janome.jsonl.gz")
    #expect(fixture.count >= 300)
    var texts = 0, textsEqual = 0, tokens = 0, tokensEqual = 0, surfacesEqual = 0
    var differences: [String] = []
    for entry in fixture {
      let text = entry["text"] as! String
      let expected = (entry["tokens"] as! [[String]])
      let actual = loaded.tokenizer.tokenize(text).map {
        [$0.surface, $0.partOfSpeech, $0.inflectionType, $0.inflectionForm, $0.baseForm, $0.reading, $0.phonetic]
      }
      texts += 1
      tokens += expected.count
      for (mine, theirs) in zip(actual, expected) {
        if mine == theirs { tokensEqual += 1 }
        if mine[0] == theirs[0] { surfacesEqual += 1 }
      }
      if actual == expected {
        textsEqual += 1
      } else if differences.count < 10 {
        let first = Array(zip(actual, expected)).firstIndex { $0.0 != $0.1 } ?? min(actual.count, expected.count)
        differences.append(
          "text \(texts - 1) '\(text.prefix(80))': token \(first): assay \(first < actual.count ? actual[first] : []) janome \(first < expected.count ? expected[first] : []) (\(actual.count) vs \(expected.count) tokens)")
      }
    }
    print("janome: \(textsEqual)/\(texts) texts tokenized identically; \(tokensEqual)/\(tokens) tokens equal in every field, \(surfacesEqual)/\(tokens) surfaces equal (position by position)")
    #expect(textsEqual == texts, "\(texts - textsEqual) texts differ:\n\(differences.joined(separator: "\n"))")
  }

  @Test func janomesOwnExample() throws {
    let tokenizer = try JapaneseFixture.tokenizer()
    #expect(tokenizer.surfaces("すもももももももものうち") == ["すもも", "も", "もも", "も", "もも", "の", "うち"])
    #expect(tokenizer.tokenize("令和").first?.partOfSpeech == "名詞,固有名詞,一般,*")
  }
}
