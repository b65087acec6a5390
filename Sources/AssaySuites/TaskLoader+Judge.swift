import AssayCore
import Foundation

extension TaskLoader {
  /// FastChat's judge prompts (`judge_prompts.jsonl`) and reference answers (`{question_id, choices: [{turns}]}`).
  func judgeMaterial(
    _ spec: JudgeSpec, suite: SuiteDefinition, params: [String: String], used: inout [String: String]
  ) throws(AssayError) -> JudgeMaterial {
    var prompts: [String: JudgePrompt] = [:]
    if let promptsTemplate = spec.prompts {
      let promptsPath = try Template.renderParams(promptsTemplate, params: params)
      for (number, line) in try DatasetReader.lines(of: try read(suite: suite, relative: promptsPath, url: nil, used: &used), path: promptsPath).enumerated()
      where !line.isEmpty {
        guard let prompt = try? JSONDecoder().decode(JudgePrompt.self, from: Data(line.utf8)) else {
          throw AssayError(.invalidData, "\(promptsPath), line \(number + 1): not a judge prompt {name, system_prompt, prompt_template}",
            fix: "use FastChat's judge_prompts.jsonl")
        }
        prompts[prompt.name] = prompt
      }
      for name in [spec.prompt, spec.referencePrompt].compactMap({ $0 }) where prompts[name] == nil {
        throw AssayError(.invalidSuite, "suite '\(suite.id)': scorer.judge names the prompt '\(name)', which \(promptsPath) does not have",
          fix: "use one of: \(prompts.keys.sorted().joined(separator: ", "))")
      }
    }
    var references: [String: [String]] = [:]
    if let template = spec.references {
      let path = try Template.renderParams(template, params: params)
      for (number, line) in try DatasetReader.lines(of: try read(suite: suite, relative: path, url: nil, used: &used), path: path).enumerated()
      where !line.isEmpty {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let id = object["question_id"].map({ "\($0)" }),
          let turns = ((object["choices"] as? [[String: Any]])?.first?["turns"]) as? [String]
        else {
          throw AssayError(.invalidData, "\(path), line \(number + 1): not a reference answer {question_id, choices: [{turns}]}",
            fix: "use FastChat's reference_answer layout")
        }
        references[id] = turns
      }
    }
    var baselines: [String: String] = [:]
    if let template = spec.baseline, let key = spec.baselineKey {
      let path = try Template.renderParams(template, params: params)
      let data = try read(suite: suite, relative: path, url: nil, used: &used)
      let rows = try DatasetReader.rows(
        from: data, format: path.hasSuffix(".json") ? .json : .jsonl, columns: nil, path: dataRoot.file(path), header: nil,
        records: nil)
      for (number, row) in rows.enumerated() {
        guard let id = row[key], let answer = Self.baselineAnswer(row) else {
          throw AssayError(.invalidData, "\(path), row \(number + 1): no `\(key)` or no answer (messages, output or choices)",
            fix: "use Arena-Hard's model_answer or AlpacaEval's model_outputs layout")
        }
        baselines[id] = answer
      }
    }
    return JudgeMaterial(prompts: prompts, references: references, baselines: baselines)
  }

  /// A baseline row's answer: Arena-Hard's last message (its content, or the content's `answer`), AlpacaEval's
  /// `output`, or FastChat's `choices[0].turns[0]` (fields hold JSON text for non-string values).
  static func baselineAnswer(_ row: [String: String]) -> String? {
    if let output = row["output"] { return output }
    func json(_ text: String?) -> Any? { text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } }
    if let messages = json(row["messages"]) as? [[String: Any]], let last = messages.last(where: { $0["role"] as? String == "assistant" }) {
      if let content = last["content"] as? String { return content }
      if let content = last["content"] as? [String: Any], let answer = content["answer"] as? String { return answer }
    }
    if let choices = json(row["choices"]) as? [[String: Any]], let turns = choices.first?["turns"] as? [Any] {
      if let first = turns.first as? String { return first }
      if let first = turns.first as? [String: Any], let content = first["content"] as? String { return content }
    }
    return nil
  }
}
