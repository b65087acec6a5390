import AssayCore
import Foundation

/// Readers for existing model outputs, naming the file and line of anything unreadable.
public enum PairImport {
  /// The bytes of a file, or an error naming it.
  public static func data(_ path: String) throws(AssayError) -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AssayError(.io, "cannot read \(path)", fix: "check the path")
    }
    return data
  }

  /// The JSON objects of a JSON Lines file, in order.
  public static func jsonLines(_ path: String) throws(AssayError) -> [[String: Any]] {
    try JSONLines.read(path).map(\.object)
  }

  /// Two AlpacaEval `model_outputs.json` files, paired by instruction.
  public static func alpacaEval(_ first: String, _ second: String) throws(AssayError) -> [PairItem] {
    func load(_ path: String) throws(AssayError) -> [(instruction: String, output: String, generator: String)] {
      guard let array = (try? JSONSerialization.jsonObject(with: try data(path))) as? [[String: Any]] else {
        throw AssayError(.invalidData, "\(path): expected a JSON array of {instruction, output, generator}")
      }
      return array.compactMap { row in
        guard let instruction = row["instruction"] as? String, let output = row["output"] as? String else { return nil }
        return (instruction, output, row["generator"] as? String ?? (path as NSString).deletingLastPathComponent)
      }
    }
    let a = try load(first)
    let b = Dictionary(try load(second).map { ($0.instruction, $0) }, uniquingKeysWith: { x, _ in x })
    var items: [PairItem] = []
    for (index, row) in a.enumerated() {
      guard let other = b[row.instruction] else { continue }
      items.append(
        PairItem(
          index: items.count, key: "alpaca_eval/\(index)", prompt: row.instruction, modelA: row.generator,
          responseA: row.output, modelB: other.generator, responseB: other.output))
    }
    return items
  }

  /// Arena-Hard `question.jsonl` and two `model_answer/*.jsonl` files.
  public static func arenaHard(questions: String, _ first: String, _ second: String) throws(AssayError) -> [PairItem] {
    let prompts = Dictionary(
      try jsonLines(questions).compactMap { row -> (String, String)? in
        guard let uid = row["uid"] as? String, let prompt = row["prompt"] as? String else { return nil }
        return (uid, prompt)
      }, uniquingKeysWith: { x, _ in x })
    func answers(_ path: String) throws(AssayError) -> (model: String, byUID: [String: String]) {
      var model = ""
      var byUID: [String: String] = [:]
      for row in try jsonLines(path) {
        guard let uid = row["uid"] as? String, let messages = row["messages"] as? [[String: Any]],
          let last = messages.last(where: { $0["role"] as? String == "assistant" })
        else { continue }
        model = row["model"] as? String ?? model
        if let content = last["content"] as? [String: Any], let answer = content["answer"] as? String {
          byUID[uid] = answer
        } else if let text = last["content"] as? String {
          byUID[uid] = text
        }
      }
      return (model, byUID)
    }
    let a = try answers(first)
    let b = try answers(second)
    return prompts.keys.sorted().compactMap { uid -> (String, String, String)? in
      guard let x = a.byUID[uid], let y = b.byUID[uid] else { return nil }
      return (uid, x, y)
    }.enumerated().map { index, entry in
      PairItem(index: index, key: entry.0, prompt: prompts[entry.0]!, modelA: a.model, responseA: entry.1, modelB: b.model, responseB: entry.2)
    }
  }

  /// MT-Bench `question.jsonl` and two FastChat answer files (`{question_id, model_id, choices: [{turns}]}`); the
  /// turns are shown one after another.
  public static func mtBench(questions: String, _ first: String, _ second: String) throws(AssayError) -> [PairItem] {
    func key(_ value: Any?) -> String? { (value as? NSNumber)?.stringValue ?? value as? String }
    let prompts = Dictionary(
      try jsonLines(questions).compactMap { row -> (String, [String])? in
        guard let id = key(row["question_id"]), let turns = row["turns"] as? [String] else { return nil }
        return (id, turns)
      }, uniquingKeysWith: { x, _ in x })
    func answers(_ path: String) throws(AssayError) -> (model: String, byID: [String: [String]]) {
      var model = ""
      var byID: [String: [String]] = [:]
      for row in try jsonLines(path) {
        guard let id = key(row["question_id"]), let choices = row["choices"] as? [[String: Any]],
          let turns = choices.first?["turns"] as? [String]
        else { continue }
        model = row["model_id"] as? String ?? model
        byID[id] = turns
      }
      return (model, byID)
    }
    let a = try answers(first)
    let b = try answers(second)
    let join = { (turns: [String]) in
      turns.count == 1 ? turns[0] : turns.enumerated().map { "[Turn \($0 + 1)]\n\($1)" }.joined(separator: "\n\n")
    }
    return prompts.keys.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }.compactMap { id -> (String, [String], [String])? in
      guard let x = a.byID[id], let y = b.byID[id] else { return nil }
      return (id, x, y)
    }.enumerated().map { index, entry in
      PairItem(
        index: index, key: "mt-bench/\(entry.0)", prompt: join(prompts[entry.0]!), modelA: a.model,
        responseA: join(entry.1), modelB: b.model, responseB: join(entry.2))
    }
  }
}
