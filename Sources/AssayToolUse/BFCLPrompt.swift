/// BFCL's prompted-mode request for one item, as bfcl-eval builds it for a chat model with its default prompt
/// format (`ret_fmt=python&tool_call_tag=False&func_doc_fmt=json&prompt_fmt=plaintext&style=classic`): the language
/// hint added to each function's description (Java and JavaScript parameters retyped as strings), the system prompt
/// with the functions as indented JSON, then the item's own first-turn messages.
///
/// ```swift
/// let messages = try BFCLPrompt.messages(record: try PyJSON.parse(line), category: "simple_python")
/// ```
public enum BFCLPrompt {
  /// One chat message.
  public struct Message: Sendable, Equatable {
    public let role: String
    public let content: String
  }

  /// The BFCL prompt's fixed text, in its default (plaintext, classic) style.
  static let persona = "You are an expert in composing functions."
  static let task = "You are given a question and a set of possible functions. Based on the question, you will need to make one or more function/tool calls to achieve the purpose. If none of the functions can be used, point it out. If the given question lacks the parameters required by the function, also point it out."
  static let callFormat = "You should only return the function calls in your response.\n\nIf you decide to invoke any of the function(s), you MUST put it in the format of [func_name1(params_name1=params_value1, params_name2=params_value2...), func_name2(params)].  You SHOULD NOT include any other text in the response."
  static let multiTurn = "At each turn, you should try your best to complete the tasks requested by the user within the current turn. Continue to output functions to call until you have fulfilled the user's request to the best of your ability. Once you have no more functions to call, the system will consider the current turn complete and proceed to the next turn or task."

  /// The system prompt for a list of functions (already processed by `withLanguageHints`).
  public static func systemPrompt(functions: PyValue) -> String {
    persona + task + "\n\n" + callFormat + "\n\n" + multiTurn + "\n\n"
      + "Here is a list of functions in json format that you can invoke.\n" + PyJSONDump.dumps(functions) + "\n"
  }

  /// The messages of an item: the system prompt first (joined to the item's own system message, if it has one).
  public static func messages(record: PyValue, category: String) throws -> [Message] {
    guard let turns = record["question"]?.elements, let first = turns.first?.elements else {
      throw BFCLDecoder.DecodeError("the record has no `question` turns")
    }
    var messages: [Message] = []
    for message in first {
      guard let role = message["role"]?.string, let content = message["content"]?.string else {
        throw BFCLDecoder.DecodeError("a question message lacks a role or content")
      }
      messages.append(Message(role: role, content: content))
    }
    let system = systemPrompt(functions: try withLanguageHints(record["function"] ?? .list([]), category: category))
    if let head = messages.first, head.role == "system" {
      messages[0] = Message(role: "system", content: system + "\n\n" + head.content)
    } else {
      messages.insert(Message(role: "system", content: system), at: 0)
    }
    return messages
  }

  /// `_func_doc_language_specific_pre_processing`: the syntax hint on each description; Java and JavaScript
  /// parameters described as their source type and sent as strings.
  public static func withLanguageHints(_ functions: PyValue, category: String) throws -> PyValue {
    guard case .list(let items) = functions, !items.isEmpty else { return functions }
    let format = BFCLChecker.format(ofCategory: category)
    let hint = switch format {
    case .java: " Note that the provided function is in Java 8 SDK syntax."
    case .javascript: " Note that the provided function is in JavaScript syntax."
    case .python: " Note that the provided function is in Python 3 syntax."
    }
    return .list(try items.map { item in
      var function = item
      try append(hint, to: "description", of: &function)
      guard format != .python else { return function }
      guard var parameters = function["parameters"], var properties = parameters["properties"], case .dict(let pairs) = properties
      else { throw BFCLDecoder.DecodeError("a function lacks parameters.properties") }
      var rewritten: [(PyValue, PyValue)] = []
      for (key, original) in pairs {
        var value = original
        let type = value["type"]?.string ?? ""
        let language = format == .java ? "Java" : "JavaScript"
        if type == "any" {
          try append(" This parameter can be of any type of \(language) object in string representation.", to: "description", of: &value)
        } else {
          try append(" This is \(language) \(type) type parameter in string representation.", to: "description", of: &value)
        }
        let listTypes = format == .java ? ["ArrayList", "Array"] : ["array"]
        if listTypes.contains(type) {
          let element = value["items"]?["type"].map { PyRepr.strText($0) } ?? ""
          try append(" The list elements are of type \(element); they are not in string representation.", to: "description", of: &value)
          remove("items", from: &value)
        }
        if format == .javascript && type == "dict", let schema = value["properties"] {
          try append(" The dictionary entries have the following schema; they are not in string representation. \(PyJSONDump.compact(schema))", to: "description", of: &value)
          remove("properties", from: &value)
        }
        set("type", .str("string"), in: &value)
        rewritten.append((key, value))
      }
      properties = .dict(rewritten)
      set("properties", properties, in: &parameters)
      set("parameters", parameters, in: &function)
      return function
    })
  }

  static func append(_ text: String, to key: String, of value: inout PyValue) throws {
    guard case .str(let current) = value[key] else { throw BFCLDecoder.DecodeError("no string `\(key)` to extend") }
    set(key, .str(current + text), in: &value)
  }

  static func set(_ key: String, _ newValue: PyValue, in value: inout PyValue) {
    guard case .dict(var pairs) = value else { return }
    if let index = pairs.firstIndex(where: { $0.0 == .str(key) }) { pairs[index].1 = newValue } else { pairs.append((.str(key), newValue)) }
    value = .dict(pairs)
  }

  static func remove(_ key: String, from value: inout PyValue) {
    guard case .dict(let pairs) = value else { return }
    value = .dict(pairs.filter { $0.0 != .str(key) })
  }
}
