/// BFCL's native function-calling mode as bfcl-eval's OpenAI handler runs it (`OpenAICompletionsHandler` with a
/// function-calling model): the functions go to the server as the OpenAI `tools` array (`convert_to_tool` with
/// `GORILLA_TO_OPENAPI`: dots in names become underscores, types become JSON Schema's, floats get a note), the
/// reply's `tool_calls` are decoded as `[{name: json.loads(arguments)}]`, and the AST checker compares names with
/// the dots of the documented names turned into underscores too (`underscore_to_dot`).
///
/// ```swift
/// let tools = try BFCLTools.tools(functions: record["function"]!, category: "simple_python")
/// let verdict = BFCLTools.judge(calls: [("math_factorial", #"{"number": 5}"#)], content: nil,
///                               functions: record["function"]!, groundTruth: answer, category: "simple_python")
/// ```
public enum BFCLTools {
  /// The messages the function-calling mode sends: the first question turn's, as they are (no system prompt).
  public static func messages(record: PyValue) throws -> [BFCLPrompt.Message] {
    guard case .list(let turns) = record["question"], case .list(let first) = turns.first else {
      throw BFCLDecoder.DecodeError("the record has no question turn")
    }
    return try first.map { message in
      guard case .str(let role) = message["role"], case .str(let content) = message["content"] else {
        throw BFCLDecoder.DecodeError("a question message lacks a role or content")
      }
      return BFCLPrompt.Message(role: role, content: content)
    }
  }

  /// `GORILLA_TO_OPENAPI`: BFCL's parameter types to JSON Schema types.
  public static let openAPITypes: [String: String] = [
    "integer": "integer", "number": "number", "float": "number", "string": "string", "boolean": "boolean",
    "bool": "boolean", "array": "array", "list": "array", "dict": "object", "object": "object", "tuple": "array",
    "any": "string", "byte": "integer", "short": "integer", "long": "integer", "double": "number", "char": "string",
    "ArrayList": "array", "Array": "array", "HashMap": "object", "Hashtable": "object", "Queue": "array",
    "Stack": "array", "Any": "string", "String": "string", "Bigint": "integer",
  ]

  /// The `tools` array bfcl-eval's OpenAI handler sends for an item's functions (after the language hints that
  /// every handler adds).
  public static func tools(functions: PyValue, category: String) throws -> PyValue {
    let documented = try BFCLPrompt.withLanguageHints(functions, category: category)
    guard case .list(let items) = documented else { throw BFCLDecoder.DecodeError("`function` is not a list") }
    return .list(try items.map { item -> PyValue in
      var function = item
      if case .str(let name) = function["name"], name.contains(".") {
        BFCLPrompt.set("name", .str(name.replacingOccurrences(of: ".", with: "_")), in: &function)
      }
      guard var parameters = function["parameters"] else { throw BFCLDecoder.DecodeError("a function lacks parameters") }
      BFCLPrompt.set("type", .str("object"), in: &parameters)
      guard let properties = parameters["properties"] else { throw BFCLDecoder.DecodeError("a function lacks parameters.properties") }
      BFCLPrompt.set("properties", try castToOpenAITypes(properties), in: &parameters)
      BFCLPrompt.set("parameters", parameters, in: &function)
      return .dict([(.str("type"), .str("function")), (.str("function"), function)])
    })
  }

  /// `_cast_to_openai_type(properties, GORILLA_TO_OPENAPI)`; a type the mapping lacks where bfcl indexes it
  /// (list items) is an error, as bfcl's KeyError.
  static func castToOpenAITypes(_ properties: PyValue) throws -> PyValue {
    guard case .dict(let pairs) = properties else { return properties }
    func mapped(_ type: PyValue?) throws -> PyValue {
      guard case .str(let name) = type, let target = openAPITypes[name] else {
        throw BFCLDecoder.DecodeError("bfcl-eval has no JSON Schema type for \(type.map(PyRepr.repr) ?? "a missing type")")
      }
      return .str(target)
    }
    var out: [(PyValue, PyValue)] = []
    for (key, original) in pairs {
      var value = original
      if case .str(let type) = value["type"] {
        if type == "float" {
          BFCLPrompt.set("format", .str("float"), in: &value)
          try BFCLPrompt.append(" This is a float type value.", to: "description", of: &value)
        }
        BFCLPrompt.set("type", .str(openAPITypes[type] ?? "string"), in: &value)
      } else {
        BFCLPrompt.set("type", .str("string"), in: &value)
      }
      let type = value["type"]?.string
      if type == "array" || type == "object" {
        if let nested = value["properties"] {
          BFCLPrompt.set("properties", try castToOpenAITypes(nested), in: &value)
        } else if var items = value["items"] {
          BFCLPrompt.set("type", try mapped(items["type"]), in: &items)
          if items["type"]?.string == "array", var inner = items["items"] {
            BFCLPrompt.set("type", try mapped(inner["type"]), in: &inner)
            BFCLPrompt.set("items", inner, in: &items)
          } else if items["type"]?.string == "object", let nested = items["properties"] {
            BFCLPrompt.set("properties", try castToOpenAITypes(nested), in: &items)
          }
          BFCLPrompt.set("items", items, in: &value)
        }
      }
      out.append((key, value))
    }
    return .dict(out)
  }

  /// The functions with their names as a function-calling model sees and answers them (dots as underscores), for
  /// the checker: bfcl-eval's `convert_func_name` with `underscore_to_dot`.
  public static func underscored(_ functions: PyValue) -> PyValue {
    guard case .list(let items) = functions else { return functions }
    return .list(items.map { item in
      var function = item
      if case .str(let name) = function["name"] {
        BFCLPrompt.set("name", .str(name.replacingOccurrences(of: ".", with: "_")), in: &function)
      }
      return function
    })
  }

  /// The ground truth with its function names underscored the same way.
  static func underscoredAnswers(_ groundTruth: PyValue) -> PyValue {
    guard case .list(let answers) = groundTruth else { return groundTruth }
    return .list(answers.map { answer in
      guard case .dict(let pairs) = answer else { return answer }
      return .dict(pairs.map { key, value in
        guard case .str(let name) = key else { return (key, value) }
        return (.str(name.replacingOccurrences(of: ".", with: "_")), value)
      })
    })
  }

  /// How a native reply decodes: the calls as bfcl decodes them, or why it cannot.
  public enum Decoded: Sendable, Equatable {
    /// `[{name: arguments}]`, one per tool call, in order (possibly empty).
    case calls(PyValue)
    /// The reply has no usable calls: bfcl's decoder raises (`reason` says why).
    case failed(String)
  }

  /// `decode_ast` of the function-calling handler: each tool call's arguments parsed as JSON. A reply without
  /// `tool_calls` is its text, which bfcl cannot decode, unless the text itself is a JSON call as Llama 3.1's
  /// template leaves it (`{"name": ..., "parameters": {...}}`, optionally after `<|python_tag|>`, one or a list,
  /// or several separated by `;`): Assay reads those as calls; bfcl-eval, which asks OpenAI's API, never sees them.
  public static func decode(calls: [(name: String, arguments: String)]?, content: String?) -> Decoded {
    if let calls {
      var out: [PyValue] = []
      for call in calls {
        let arguments: PyValue
        do {
          arguments = try PyJSON.parse(call.arguments)
        } catch {
          return .failed("the arguments of \(call.name) are not JSON (\(error))")
        }
        out.append(.dict([(.str(call.name), arguments)]))
      }
      return .calls(.list(out))
    }
    // bfcl iterates the text as if it were the list of calls: an empty text is an empty list, any other fails.
    if content == "" { return .calls(.list([])) }
    if let content, let calls = jsonCalls(in: content) { return .calls(.list(calls)) }
    return .failed(content == nil ? "no tool calls and no text" : "no tool calls: the reply is text")
  }

  /// Calls written as JSON in a message's text (Llama 3.1's JSON tool format), or nil when the text is not only that.
  static func jsonCalls(in content: String) -> [PyValue]? {
    var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("<|python_tag|>") { text = String(text.dropFirst("<|python_tag|>".count)) }
    text = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasSuffix("<|eom_id|>") { text = String(text.dropLast("<|eom_id|>".count)) }
    guard text.hasPrefix("{") || text.hasPrefix("[") else { return nil }
    func call(_ value: PyValue) -> PyValue? {
      guard case .str(let name) = value["name"], let arguments = value["parameters"] ?? value["arguments"],
        case .dict = arguments
      else { return nil }
      return .dict([(.str(name), arguments)])
    }
    if let whole = try? PyJSON.parse(text) {
      if case .list(let items) = whole {
        let calls = items.compactMap(call)
        return calls.count == items.count && !calls.isEmpty ? calls : nil
      }
      return call(whole).map { [$0] }
    }
    let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    guard parts.count > 1 else { return nil }
    var calls: [PyValue] = []
    for part in parts {
      guard let value = try? PyJSON.parse(part), let one = call(value) else { return nil }
      calls.append(one)
    }
    return calls
  }

  /// The verdict on a native reply, as bfcl-eval's runner gives it for the category (relevance categories: whether
  /// the reply decodes to a call at all).
  public static func judge(
    calls: [(name: String, arguments: String)]?, content: String?, functions: PyValue, groundTruth: PyValue?,
    category: String
  ) -> BFCLChecker.Verdict {
    let decoded = decode(calls: calls, content: content)
    let kind = BFCLChecker.kind(ofCategory: category)
    if kind == .irrelevance || kind == .relevance {
      let containsCall: Bool
      if case .calls(let value) = decoded { containsCall = !BFCLDecoder.isEmptyOutput(value) } else { containsCall = false }
      if kind == .irrelevance {
        return containsCall ? .fail("irrelevance_error:decoder_success", "a function call where none should be") : .pass
      }
      return containsCall ? .pass : .fail("relevance_error:decoder_failed", "no function call decoded")
    }
    guard case .calls(let value) = decoded else {
      if case .failed(let reason) = decoded { return .fail("ast_decoder:decoder_failed", "Invalid syntax. Failed to decode AST. \(reason)") }
      return .fail("ast_decoder:decoder_failed", "Invalid syntax. Failed to decode AST.")
    }
    guard BFCLDecoder.isFunctionCallingFormat(value) else {
      return .fail("ast_decoder:decoder_wrong_output_format", "Did not output in the specified format.")
    }
    return BFCLChecker.check(
      functions: underscored(functions), decoded: value, groundTruth: underscoredAnswers(groundTruth ?? .list([])),
      format: BFCLChecker.format(ofCategory: category), category: category)
  }
}
