import AssayCore
import AssayText
import Foundation
import Testing

/// The port of M-IFEval's `count_sentences` pipeline against ja_sentence_segmenter 0.3.0 itself:
/// Tests/Fixtures/m-ifeval/ja-sentences.jsonl holds the sentences the real pipeline yields for the cross-check texts
/// and segmenter corners (scripts/janome-crosscheck.py). Every sentence must be the same, code point for code point.
@Suite struct JapaneseSentenceSegmenterTests {
  @Test func sentencesMatchJaSentenceSegmenter() throws {
    let fixture = try JapaneseFixture.jsonLines(JapaneseFixture.fixtures + "/ja-sentences.jsonl")
    #expect(fixture.count >= 300)
    var equal = 0
    var differences: [String] = []
    for entry in fixture {
      let text = entry["text"] as! String
      let expected = (entry["sentences"] as! [String]).map { Array($0.unicodeScalars) }
      let actual = JapaneseSentenceSegmenter.sentences(text).map { Array($0.unicodeScalars) }
      if actual == expected {
        equal += 1
      } else if differences.count < 10 {
        differences.append("'\(text.prefix(80))': assay \(actual.count) sentences \(actual.prefix(3).map { String(String.UnicodeScalarView($0)) }), reference \(expected.count) \(expected.prefix(3).map { String(String.UnicodeScalarView($0)) })")
      }
    }
    print("ja_sentence_segmenter: \(equal)/\(fixture.count) texts split into the same sentences")
    #expect(equal == fixture.count, "\(fixture.count - equal) texts differ:\n\(differences.joined(separator: "\n"))")
  }
}
