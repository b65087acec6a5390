import AssayCore
@testable import AssaySuites
import Foundation
import Testing

@Suite struct DatasetFormatTests {
  @Test func csvQuotingHoldsCommasQuotesAndNewlines() throws {
    let text = "q,a\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",3\n"
    let rows = try DatasetReader.rows(from: Data(text.utf8), format: .csv, columns: nil, path: "t.csv")
    #expect(rows == [["q": "x, y", "a": "say \"hi\""], ["q": "two\nlines", "a": "3"]])
  }

  @Test func csvWithoutHeaderTakesColumnsAndNamesBadRows() throws {
    let rows = try DatasetReader.rows(
      from: Data("1+1?,2,B\n".utf8), format: .csv, columns: ["q", "x", "answer"], path: "m.csv", header: false)
    #expect(rows == [["q": "1+1?", "x": "2", "answer": "B"]])
    #expect {
      try DatasetReader.rows(from: Data("a,b\n1,2\n3\n".utf8), format: .csv, columns: nil, path: "bad.csv")
    } throws: { ($0 as? AssayError)?.message.contains("bad.csv, line 3: expected 2 fields") == true }
  }

  @Test func quotedTSVAndByteOrderMark() throws {
    let text = "\u{FEFF}category\ttext\nsports\t\"a\tb\nc\"\n"
    let rows = try DatasetReader.rows(from: Data(text.utf8), format: .qtsv, columns: nil, path: "n.tsv")
    #expect(rows == [["category": "sports", "text": "a\tb\nc"]])
  }

  @Test func conllGroupsEntities() throws {
    let text = "Ada B-PER\nLovelace I-PER\nvisited O\nNew B-LOC\nYork I-LOC\n\nHi O\n"
    let rows = try DatasetReader.rows(from: Data(text.utf8), format: .conll, columns: nil, path: "c.txt")
    #expect(rows.count == 2)
    #expect(rows[0]["entities"] == "PER: Ada Lovelace $ LOC: New York")
    #expect(rows[0]["tokens"] == "Ada Lovelace visited New York")
    #expect(rows[1]["entities"] == "")
  }

  @Test func squadFlattensQuestions() throws {
    let json = #"{"data":[{"title":"T","paragraphs":[{"context":"C","qas":[{"id":"1","question":"Q?","answers":[{"text":"A","answer_start":0}]},{"id":"2","question":"R?","answers":[{"text":"B"}]}]}]}]}"#
    let rows = try DatasetReader.rows(from: Data(json.utf8), format: .squad, columns: nil, path: "s.json")
    #expect(rows.map { $0["answer"] } == ["A", "B"])
    #expect(rows[0]["answers"] == #"["A"]"#)
    #expect(rows[1]["context"] == "C")
  }

  @Test func jsonRecordsKeyAndNestedFields() throws {
    let json = #"{"canary":"x","examples":[{"input":"1","choices":{"text":["a","b"]}}]}"#
    let rows = try DatasetReader.rows(from: Data(json.utf8), format: .json, columns: nil, path: "b.json", records: "examples")
    #expect(rows[0]["input"] == "1")
    #expect(rows[0]["choices.text"] == #"["a","b"]"#)
  }

  @Test func gzipIsReadTransparently() throws {
    let path = TestPaths.datasets + "/humaneval/HumanEval.jsonl.gz"
    let data = try #require(FileManager.default.contents(atPath: path), "needs ../shared/datasets")
    let rows = try DatasetReader.rows(from: data, format: .jsonl, columns: nil, path: path)
    #expect(rows.count == 164)
    #expect(rows[0]["task_id"] == "HumanEval/0")
  }

  @Test func deriveAppliesRegexMapAndCase() throws {
    let row = ["premise": "The glass broke. ", "question": "cause", "choice": "It fell."]
    let params = ["cause": "because"]
    #expect(try RowTransform.derive(.init(from: "{{premise}}", regex: "^\\s*(.*?).\\s*$"), row: row, params: params) == "The glass broke")
    #expect(try RowTransform.derive(.init(from: "{{question}}", map: ["cause": "${cause}"]), row: row, params: params) == "because")
    #expect(try RowTransform.derive(.init(from: "{{choice}}", case: "lower_first"), row: row, params: params) == "it fell.")
    #expect(throws: AssayError.self) {
      try RowTransform.derive(.init(from: "{{question}}", map: ["effect": "so"]), row: row, params: params)
    }
  }

  @Test func xwinogradRowBecomesABlankedSentence() throws {
    let row = [
      "sentence": "The city councilmen refused the demonstrators a permit because they feared violence.",
      "tokens": #"["The", "city", "councilmen", "refused", "the", "demonstrators", "a", "permit", "because", "they", "feared", "violence", "."]"#,
      "pronoun": #"["they", [9, 10], ["they"]]"#,
      "candidates": #"[["The city councilmen", [0, 3], ["The", "city", "councilmen"], true], ["the demonstrators", [4, 6], ["the", "demonstrators"], false]]"#,
    ]
    let result = try RowTransform.apply("xwinograd", to: row)
    #expect(result["prefix"] == "The city councilmen refused the demonstrators a permit because ")
    #expect(result["suffix"] == " feared violence.")
    #expect(result["option1"] == "The city councilmen")
    #expect(result["answer"] == "1")
  }
}

