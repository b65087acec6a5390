/// One of FastChat's judge prompts (`judge_prompts.jsonl`): a system message and a user template whose
/// `{question}`, `{answer}`, `{ref_answer_1}` ... fields are filled as Python's `str.format` fills them.
public struct JudgePrompt: Sendable, Equatable, Codable {
  /// The prompt's name (`single-v1`).
  public var name: String
  /// The system message.
  public var systemPrompt: String
  /// The user message template.
  public var promptTemplate: String

  enum CodingKeys: String, CodingKey {
    case name, systemPrompt = "system_prompt", promptTemplate = "prompt_template"
  }

  /// A prompt from its parts.
  public init(name: String, systemPrompt: String, promptTemplate: String) {
    self.name = name
    self.systemPrompt = systemPrompt
    self.promptTemplate = promptTemplate
  }

  /// The user message with every `{field}` replaced (`{{` and `}}` are literal braces, as in `str.format`); a field
  /// the template names but `values` lacks is an error, as `str.format` raises KeyError.
  public func render(_ values: [String: String]) throws(AssayError) -> String {
    var result = ""
    var field: String?
    var index = promptTemplate.startIndex
    while index < promptTemplate.endIndex {
      let character = promptTemplate[index]
      let next = promptTemplate.index(after: index)
      if var name = field {
        if character == "}" {
          guard let value = values[name] else {
            throw AssayError(.invalidData, "judge prompt \(self.name) names {\(name)}, which this item does not have",
              fix: "give the item the field, or pick a judge prompt for this kind of item")
          }
          result += value
          field = nil
        } else {
          name.append(character)
          field = name
        }
      } else if character == "{", next < promptTemplate.endIndex, promptTemplate[next] == "{" {
        result.append("{")
        index = promptTemplate.index(after: next)
        continue
      } else if character == "}", next < promptTemplate.endIndex, promptTemplate[next] == "}" {
        result.append("}")
        index = promptTemplate.index(after: next)
        continue
      } else if character == "{" {
        field = ""
      } else {
        result.append(character)
      }
      index = next
    }
    return result
  }
}
