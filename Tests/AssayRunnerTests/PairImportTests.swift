import AssayCore
import AssaySuites
import Foundation
import Testing

/// Reading JSON Lines and other evaluators' outputs into comparison items (PairsImportTests runs them through the
/// binary).
@Suite struct PairImportTests {
  let folder: String = {
    let path = NSTemporaryDirectory() + "assay-import-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  func file(_ name: String, _ text: String) throws -> String {
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func jsonLinesSkipBlankLinesAndNameTheBadOne() throws {
    let path = try file("a.jsonl", "{\"a\": 1}\r\n\n  \n{\"b\": 2}\n")
    let rows = try JSONLines.read(path)
    #expect(rows.map(\.line) == [1, 4])
    #expect(rows[1].object["b"] as? Int == 2)
    let bad = try file("b.jsonl", "{\"a\": 1}\n[1, 2]\n")
    let error = #expect(throws: AssayError.self) { try JSONLines.read(bad, fix: "write objects") }
    #expect(error?.message == "\(bad), line 2: not a JSON object")
    #expect(error?.fix == "write objects")
    let missing = #expect(throws: AssayError.self) { try JSONLines.lines(folder + "/none.jsonl") }
    #expect(missing?.message == "cannot read \(folder)/none.jsonl (missing or not UTF-8)")
  }

  @Test func alpacaEvalOutputsArePairedByInstruction() throws {
    let a = try file("a.json", #"[{"instruction": "hi", "output": "hello", "generator": "A"}, {"instruction": "bye", "output": "ciao", "generator": "A"}]"#)
    let b = try file("b.json", #"[{"instruction": "bye", "output": "adieu", "generator": "B"}]"#)
    let items = try PairImport.alpacaEval(a, b)
    #expect(items == [
      PairItem(index: 0, key: "alpaca_eval/1", prompt: "bye", modelA: "A", responseA: "ciao", modelB: "B", responseB: "adieu")
    ])
  }

  @Test func mtBenchTurnsAreShownOneAfterAnother() throws {
    let questions = try file("q.jsonl", #"{"question_id": 81, "turns": ["Write.", "Shorter."]}"# + "\n" + #"{"question_id": 9, "turns": ["One."]}"#)
    let a = try file("x.jsonl", #"{"question_id": 81, "model_id": "X", "choices": [{"turns": ["long", "short"]}]}"# + "\n" + #"{"question_id": 9, "model_id": "X", "choices": [{"turns": ["a"]}]}"#)
    let b = try file("y.jsonl", #"{"question_id": 9, "model_id": "Y", "choices": [{"turns": ["b"]}]}"# + "\n" + #"{"question_id": 81, "model_id": "Y", "choices": [{"turns": ["l", "s"]}]}"#)
    let items = try PairImport.mtBench(questions: questions, a, b)
    #expect(items.map(\.key) == ["mt-bench/9", "mt-bench/81"])
    #expect(items[1].prompt == "[Turn 1]\nWrite.\n\n[Turn 2]\nShorter.")
    #expect(items[1].responseA == "[Turn 1]\nlong\n\n[Turn 2]\nshort")
    #expect(items[0].modelA == "X" && items[0].modelB == "Y" && items[0].responseB == "b")
  }

  @Test func arenaHardAnswersComeFromTheLastAssistantMessage() throws {
    let questions = try file("q.jsonl", #"{"uid": "u2", "prompt": "P2"}"# + "\n" + #"{"uid": "u1", "prompt": "P1"}"#)
    let a = try file("a.jsonl", #"{"uid": "u1", "model": "A", "messages": [{"role": "user", "content": "P1"}, {"role": "assistant", "content": {"answer": "ans"}}]}"#)
    let b = try file("b.jsonl", #"{"uid": "u1", "model": "B", "messages": [{"role": "assistant", "content": "plain"}]}"#)
    let items = try PairImport.arenaHard(questions: questions, a, b)
    #expect(items == [PairItem(index: 0, key: "u1", prompt: "P1", modelA: "A", responseA: "ans", modelB: "B", responseB: "plain")])
  }
}
