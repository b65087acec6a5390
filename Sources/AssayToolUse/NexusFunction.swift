import Foundation

/// One function of the NexusRaven ("Nexus") V1 evaluation as its evaluator builds it: a name, parameters in signature
/// order (required ones first, as `raven/utils.py::build_functions` sorts them) and a description.
///
/// ```swift
/// let table = try NexusFunction.table(json: text)          // benchmarks/nexus/functions.json
/// let cve = table["cve_cpe"]!                               // [searchCVE, searchCPE]
/// print(cve[0].pythonSignature)                             // searchCVE(cpeName=None, cveId=None, ...)
/// ```
public struct NexusFunction: Sendable, Equatable {
  /// One parameter: its name, its type text (nil when untyped), whether it is required, its default and a description.
  public struct Parameter: Sendable, Equatable {
    public var name: String
    public var type: String?
    public var required: Bool
    /// The default an omitted optional argument takes (`None` unless stated).
    public var defaultValue: PyValue
    public var description: String

    public init(name: String, type: String?, required: Bool, defaultValue: PyValue = .none, description: String = "") {
      self.name = name
      self.type = type
      self.required = required
      self.defaultValue = defaultValue
      self.description = description
    }
  }

  public var name: String
  public var parameters: [Parameter]
  public var description: String
  /// Whether the function itself turns every float argument into an int (`int(v)`), as the toolllm functions do.
  public var truncatesFloats: Bool

  public init(name: String, parameters: [Parameter], description: String, truncatesFloats: Bool = false) {
    self.name = name
    self.parameters = parameters
    self.description = description
    self.truncatesFloats = truncatesFloats
  }

  /// Why a function definition could not be read.
  public struct DefinitionError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
  }

  // MARK: JSON

  /// A function from its JSON object: `{"name", "description", "parameters": [{"name", "type", "required", "default",
  /// "description"}], "truncates_floats"?}`.
  public init(json: PyValue) throws {
    guard let name = json["name"]?.string else { throw DefinitionError("a function without a name") }
    var parameters: [Parameter] = []
    for item in json["parameters"]?.elements ?? [] {
      guard let parameterName = item["name"]?.string else { throw DefinitionError("\(name): a parameter without a name") }
      parameters.append(
        Parameter(
          name: parameterName, type: item["type"]?.string, required: item["required"] == .bool(true),
          defaultValue: item["default"] ?? .none, description: item["description"]?.string ?? ""))
    }
    self.init(
      name: name, parameters: parameters, description: json["description"]?.string ?? "",
      truncatesFloats: json["truncates_floats"] == .bool(true))
  }

  /// `functions.json`: the function lists keyed by set name (keys starting with `_` are notes).
  public static func table(json text: String) throws -> [String: [NexusFunction]] {
    guard case .dict(let pairs) = try PyJSON.parse(text) else { throw DefinitionError("functions.json is not an object") }
    var out: [String: [NexusFunction]] = [:]
    for (key, value) in pairs {
      guard let set = key.string, !set.hasPrefix("_") else { continue }
      out[set] = try (value.elements ?? []).map(NexusFunction.init(json:))
    }
    return out
  }

  /// Functions by name; a later definition of a name replaces an earlier one, as NexusRaven's `exec` does.
  public static func byName(_ functions: [NexusFunction]) -> [String: NexusFunction] {
    var out: [String: NexusFunction] = [:]
    for function in functions { out[function.name] = function }
    return out
  }

  // MARK: Prompt

  /// `inspect.signature` text: `name(a: str, b: int = None, c=None)`.
  public var pythonSignature: String {
    let parts = parameters.map { parameter -> String in
      var text = parameter.name
      if let type = parameter.type { text += ": " + type }
      if !parameter.required { text += (parameter.type == nil ? "=" : " = ") + PyRepr.repr(parameter.defaultValue) }
      return text
    }
    return name + "(" + parts.joined(separator: ", ") + ")"
  }

  /// The docstring Assay shows: the description, then one line per parameter.
  public var docstring: String {
    var lines = [description]
    let documented = parameters.filter { !$0.description.isEmpty }
    if !documented.isEmpty {
      lines.append("")
      lines.append("Args:")
      for parameter in documented {
        lines.append("    \(parameter.name)\(parameter.required ? " (required)" : ""): \(parameter.description)")
      }
    }
    return lines.joined(separator: "\n")
  }

  /// NexusRaven V1's tool listing (`RavenPromptTemplate`): `OPTION:` blocks with `<func_start>def …<func_end>` and the
  /// docstring between `<docstring_start>` / `<docstring_end>`, after `<human>:`.
  public static func ravenListing(_ functions: [NexusFunction]) -> String {
    var prompt = "<human>:\n"
    for function in functions {
      prompt += "\nOPTION:\n<func_start>def \(function.pythonSignature)<func_end>\n<docstring_start>\n\"\"\"\n"
      prompt += function.docstring.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\"\"\"\n<docstring_end>\n"
    }
    return prompt
  }

  /// NexusRaven V1's whole prompt (`RAVEN_PROMPT`) for a query.
  public static func ravenPrompt(_ functions: [NexusFunction], query: String) -> String {
    "\n" + ravenListing(functions) + "\nUser Query: Question: " + query
      + "\n\nPlease pick a function from the above options that best answers the user query and fill in the appropriate arguments.<human_end>"
  }

  /// A chat-model prompt in the style of NexusRaven-V2's GPT-4 evaluation (one user message): the instruction, the
  /// functions as `Function:\ndef sig:\n"""doc"""`, then the question.
  public static func chatPrompt(_ functions: [NexusFunction], query: String) -> String {
    var tools = ""
    for function in functions {
      tools += "Function:\ndef \(function.pythonSignature):\n\"\"\"\n"
      tools += function.docstring.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\"\"\"\n"
    }
    return "\nYou are given multiple functions and a user query.\n\n"
      + "Please proceed with generating a function call for the function with the proper arguments that best answers the given prompt.\n\n"
      + "Respond with nothing but the function call ONLY, such that I can directly execute your function call without any post processing necessary from my end. Do not use variables.\n\n"
      + tools + "\nQuestion: " + query + "\n"
  }

  // MARK: toolalpaca and toolllm definitions

  /// The functions of one toolalpaca record's `turns_1.docstring` (`upload_standardized_api_list.py::toolalpaca`): each
  /// `<func_start>def SIG<func_end>` with its `<docstring_start>…<docstring_end>`; every parameter required, no
  /// defaults, the type the annotation's base name (`list[dict]` is `list`), braces removed from the description.
  public static func toolalpaca(docstring text: String) throws -> [NexusFunction] {
    let signatures = between(text, "<func_start>", "<func_end>")
    let docstrings = between(text, "<docstring_start>", "<docstring_end>")
    var out: [NexusFunction] = []
    for (signature, docstring) in zip(signatures, docstrings) {
      let header = try parseHeader(signature.hasPrefix("def ") ? String(signature.dropFirst(4)) : signature)
      let parameters = header.parameters.map { parameter in
        var type = parameter.annotation
        if let bracket = type?.firstIndex(of: "[") { type = String(type![..<bracket]) }
        return Parameter(name: parameter.name, type: type, required: true)
      }
      var description = docstring.trimmingCharacters(in: .whitespacesAndNewlines)
      if description.hasPrefix("\"\"\""), description.hasSuffix("\"\"\""), description.count >= 6 {
        description = String(description.dropFirst(3).dropLast(3))
      }
      description = description.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
      out.append(
        NexusFunction(
          name: header.name, parameters: parameters,
          description: pythonStripped(description)))
    }
    return out
  }

  /// The context names of a toolalpaca record (`upload_standardized_queries.py::toolalpaca`).
  public static func toolalpacaContextNames(docstring text: String) -> [String] {
    between(text, "<func_start>def ", "<func_end>").map { match in
      match.firstIndex(of: "(").map { String(match[..<$0]) } ?? String(match.dropLast())
    }
  }

  /// One toolllm context function (`toolllm_evaluation_data_utils.py::build_functions`): braces deleted, the text cut
  /// before `args_dict`, the signature's defaults evaluated (literals and arithmetic on them only), and every float
  /// argument turned into an int when called.
  public static func toolllm(context text: String) throws -> NexusFunction {
    var source = text.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
    if let cut = source.range(of: "args_dict") { source = String(source[..<cut.lowerBound]) }
    guard source.hasPrefix("def ") else { throw DefinitionError("not a function definition") }
    let header = try parseHeader(String(source.dropFirst(4)))
    var parameters: [Parameter] = []
    for parameter in header.parameters {
      var value = PyValue.none
      if let text = parameter.defaultText {
        guard let evaluated = PyArithmetic.evaluate(try PythonExpressionParser.parse(text)) else {
          throw DefinitionError("\(header.name): cannot evaluate the default of \(parameter.name)")
        }
        value = evaluated
      }
      parameters.append(
        Parameter(name: parameter.name, type: parameter.annotation, required: parameter.defaultText == nil, defaultValue: value))
    }
    var description = ""
    if let body = header.rest.firstIndex(where: { $0 == "'" || $0 == "\"" }) {
      let literal = String(header.rest[body...]).trimmingCharacters(in: .whitespacesAndNewlines)
      if case .constant(.str(let doc))? = try? PythonExpressionParser.parse(literal) { description = doc }
    }
    return NexusFunction(name: header.name, parameters: parameters, description: description, truncatesFloats: true)
  }

  /// Every toolllm record's functions in one table, a later definition of a name replacing an earlier one, as
  /// NexusRaven's `functions.update` over all records does.
  public static func toolllmTable(records: PyValue) throws -> [String: NexusFunction] {
    var out: [String: NexusFunction] = [:]
    for record in records.elements ?? [] {
      for context in record["context"]?.elements ?? [] {
        guard let text = context.string else { continue }
        let function = try toolllm(context: text)
        out[function.name] = function
      }
    }
    return out
  }

  // MARK: Parsing helpers

  struct Header {
    var name: String
    var parameters: [(name: String, annotation: String?, defaultText: String?)]
    /// The text after the closing parenthesis.
    var rest: Substring
  }

  /// `name(params)…` into the name and the parameters (`name: annotation = default`).
  static func parseHeader(_ text: String) throws -> Header {
    let scalars = Array(text.unicodeScalars)
    guard let open = scalars.firstIndex(of: "(") else { throw DefinitionError("no parameter list in \(text.prefix(80))") }
    let name = String(String.UnicodeScalarView(scalars[..<open])).trimmingCharacters(in: .whitespaces)
    var pieces: [String] = []
    var current = String.UnicodeScalarView()
    var depth = 0
    var index = open + 1
    var closed = false
    while index < scalars.count {
      let c = scalars[index]
      if c == "'" || c == "\"" {
        let end = NexusScanner.endOfString(scalars, at: index) ?? scalars.count
        current.append(contentsOf: scalars[index..<end])
        index = end
        continue
      }
      if c == "(" || c == "[" || c == "{" { depth += 1 }
      if c == ")" || c == "]" || c == "}" {
        if depth == 0 {
          closed = true
          break
        }
        depth -= 1
      }
      if c == ",", depth == 0 {
        pieces.append(String(current))
        current = String.UnicodeScalarView()
      } else {
        current.append(c)
      }
      index += 1
    }
    guard closed else { throw DefinitionError("\(name): unclosed parameter list") }
    pieces.append(String(current))
    var parameters: [(name: String, annotation: String?, defaultText: String?)] = []
    for piece in pieces {
      let trimmed = piece.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty { continue }
      var head = trimmed
      var defaultText: String?
      if let equals = topLevelEquals(trimmed) {
        head = String(trimmed[..<equals]).trimmingCharacters(in: .whitespaces)
        defaultText = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
      }
      var annotation: String?
      if let colon = head.firstIndex(of: ":") {
        annotation = String(head[head.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        head = String(head[..<colon]).trimmingCharacters(in: .whitespaces)
      }
      parameters.append((head, annotation, defaultText))
    }
    let restStart = text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: index + 1)
    return Header(name: name, parameters: parameters, rest: Substring(text.unicodeScalars[restStart...]))
  }

  /// The first `=` of a parameter outside brackets and strings.
  private static func topLevelEquals(_ text: String) -> String.Index? {
    var depth = 0
    var quote: Character?
    var previous: Character?
    for index in text.indices {
      let c = text[index]
      if let q = quote {
        if c == q && previous != "\\" { quote = nil }
      } else if c == "'" || c == "\"" {
        quote = c
      } else if "([{".contains(c) {
        depth += 1
      } else if ")]}".contains(c) {
        depth -= 1
      } else if c == "=", depth == 0 {
        return index
      }
      previous = previous == "\\" && c == "\\" ? nil : c
    }
    return nil
  }

  /// Non-greedy matches of `start(.*?)end`, dot matching newlines.
  static func between(_ text: String, _ start: String, _ end: String) -> [String] {
    var out: [String] = []
    var searchFrom = text.startIndex
    while let open = text.range(of: start, range: searchFrom..<text.endIndex),
      let close = text.range(of: end, range: open.upperBound..<text.endIndex)
    {
      out.append(String(text[open.upperBound..<close.lowerBound]))
      searchFrom = close.upperBound
    }
    return out
  }
}
