import AssayText

/// BFCL's `java_type_converter` and `js_type_converter`: a Java or JavaScript argument, which arrives as source text,
/// read as the value the checker compares (`"123L"` as a `long` is 123, `new int[]{1, 2}` is `[1, 2]`). Text that does
/// not fit the expected type stays a string, as in BFCL; the types BFCL never implemented (`Set`, `Hashtable`,
/// `Queue`, `Stack`) throw `BFCLChecker.Crash`, as BFCL raises.
enum BFCLTypeConverters {
  static func regex(_ pattern: String, dotAll: Bool = false) -> PythonRegex { PythonRegex.cached(pattern, dotAll: dotAll) }

  static func matches(_ pattern: String, _ text: String) -> Bool { regex(pattern).search(text, anchored: true) != nil }

  /// `re.sub(r"[fF]$", "", text)` and the like: drop one suffix letter at the end or before a final newline.
  static func dropSuffix(_ letters: String, _ text: String) -> String {
    regex("[\(letters)]$").replace(text, with: "")
  }

  // MARK: Java

  static let javaTypes: [String: PyType] = [
    "byte": .int, "short": .int, "integer": .int, "float": .float, "double": .float, "long": .int, "boolean": .bool,
    "char": .str, "Array": .list, "ArrayList": .list, "Set": .set, "HashMap": .dict, "Hashtable": .dict, "Queue": .list,
    "Stack": .list, "String": .str, "any": .str,
  ]

  static func java(_ value: String, _ expected: String, nested: String? = nil) throws -> PyValue {
    switch expected {
    case "byte", "short", "integer":
      guard matches(#"^-?\d+$"#, value) else { return .str(value) }
      return PyBuiltins.int(value) ?? .str(value)
    case "float":
      guard matches(#"^-?\d+(\.\d+)?([eE][+-]?\d+)?[fF]$"#, value) else { return .str(value) }
      return try float(dropSuffix("fF", value))
    case "double":
      guard matches(#"^-?\d+(\.\d+)?([eE][+-]?\d+)?$"#, value) else { return .str(value) }
      return try float(value)
    case "long":
      guard matches(#"^-?\d+[lL]$"#, value) else { return .str(value) }
      guard let number = PyBuiltins.int(dropSuffix("lL", value)) else { throw BFCLChecker.Crash("ValueError") }
      return number
    case "boolean":
      guard value == "true" || value == "false" else { return .str(value) }
      return .bool(value == "true")
    case "char", "String", "any":
      // BFCL's char pattern (`^\'.$\'`) can never match, so a char always stays the text.
      return .str(value)
    case "ArrayList": return try javaArrayList(value, nested: nested)
    case "Array": return try javaArray(value, nested: nested)
    case "HashMap": return javaHashMap(value)
    case "Set", "Hashtable", "Queue", "Stack": throw BFCLChecker.Crash("NotImplementedError")
    default: throw BFCLChecker.Crash("ValueError")
    }
  }

  static func float(_ text: String) throws -> PyValue {
    guard let value = PyBuiltins.float(text) else { throw BFCLChecker.Crash("ValueError") }
    return value
  }

  /// Python's `text[1:-1]`.
  static func inner(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    guard scalars.count > 2 else { return "" }
    return String(String.UnicodeScalarView(scalars[1..<scalars.count - 1]))
  }

  static func javaElement(_ text: String, nested: String?) throws -> PyValue {
    if nested == "char" || nested == "String" { return .str(inner(text)) }
    if let nested { return try java(text, nested) }
    return javaValue(text)
  }

  static func javaArrayList(_ value: String, nested: String?) throws -> PyValue {
    if let groups = regex(#"new\s+ArrayList<\w*>\(Arrays\.asList\((.+?)\)\)"#).search(value), let list = groups[1] {
      return .list(try PythonText.split(list, separator: ",").map { try javaElement(pythonStripped($0), nested: nested) })
    }
    if let groups = regex(#"new\s+ArrayList<\w*>\(\)\s*\{\{\s*(.+?)\s*\}\}"#, dotAll: true).search(value), let adds = groups[1] {
      return .list(try regex(#"add\((.+?)\)"#).findAll(adds).map { try javaElement(pythonStripped($0[1] ?? ""), nested: nested) })
    }
    if regex(#"new\s+ArrayList<\w*>\(\)"#).search(value) != nil { return .list([]) }
    return .str(value)
  }

  static func javaArray(_ value: String, nested: String?) throws -> PyValue {
    guard let groups = regex(#"new\s+\w+\[\]\s*\{(.*?)\}"#).search(value), let elements = groups[1] else { return .str(value) }
    let parts = PythonText.split(elements, separator: ",").map(pythonStripped).filter { !$0.isEmpty }
    if let nested { return .list(try parts.map { try java($0, nested) }) }
    return .list(parts.map(javaValue))
  }

  static func javaHashMap(_ value: String) -> PyValue {
    if let groups = regex(#"new\s+HashMap<.*?>\s*\(\)\s*\{\s*\{?\s*(.*?)\s*\}?\s*\}"#, dotAll: true).search(value) {
      let puts = groups[1] ?? ""
      var pairs: [(PyValue, PyValue)] = []
      if !pythonStripped(puts).isEmpty {
        for match in regex(#"put\(\"(.*?)\",\s*(.*?)\)"#).findAll(puts) {
          pairs.append((.str(match[1] ?? ""), javaValue(pythonStripped(match[2] ?? ""))))
        }
      }
      return .makeDict(pairs)
    }
    if regex(#"new\s+HashMap<.*?>\s*\(\)"#).search(value) != nil { return .dict([]) }
    return .str(value)
  }

  /// `parse_java_value`.
  static func javaValue(_ text: String) -> PyValue {
    if text == "true" { return .bool(true) }
    if text == "false" { return .bool(false) }
    if text.hasPrefix("\"") && text.hasSuffix("\"") { return .str(inner(text)) }
    if matches(#"^-?\d+[lL]$"#, text) { return PyBuiltins.int(String(text.unicodeScalars.dropLast())) ?? .str(text) }
    if matches(#"^-?\d+(\.\d+)?([eE][+-]?\d+)?[fF]$"#, text) {
      return PyBuiltins.float(dropSuffix("fF", text)) ?? .str(text)
    }
    return PyBuiltins.int(text) ?? PyBuiltins.float(text) ?? .str(text)
  }

  // MARK: JavaScript

  static let javaScriptTypes: [String: PyType] = [
    "String": .str, "integer": .int, "float": .float, "Bigint": .int, "Boolean": .bool, "dict": .dict, "array": .list,
    "any": .str,
  ]

  static func javaScript(_ value: String, _ expected: String, nested: String? = nil) throws -> PyValue {
    switch expected {
    case "String":
      let quoted = (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'"))
      return .str(quoted ? inner(value) : value)
    case "integer":
      guard matches(#"^-?\d+$"#, value) else { return .str(value) }
      return PyBuiltins.int(value) ?? .str(value)
    case "float":
      guard matches(#"^-?\d+(\.\d+)?$"#, value) else { return .str(value) }
      return try float(value)
    case "Bigint":
      guard matches(#"^-?\d+n$"#, value) else { return .str(value) }
      guard let number = PyBuiltins.int(String(value.unicodeScalars.dropLast())) else { throw BFCLChecker.Crash("ValueError") }
      return number
    case "Boolean":
      guard value == "true" || value == "false" else { return .str(value) }
      return .bool(value == "true")
    case "dict": return javaScriptCollection(value, "dict", nested: nested)
    case "array": return javaScriptCollection(value, "array", nested: nested)
    case "any": return .str(value)
    default: throw BFCLChecker.Crash("ValueError")
    }
  }

  /// `parse_js_collection`; any error inside returns the text, as BFCL's `except` does.
  static func javaScriptCollection(_ raw: String, _ kind: String, nested: String?) -> PyValue {
    let code = pythonStripped(raw)
    if kind == "array" {
      let twoD = #"\[\s*\[.*?\]\s*(,\s*\[.*?\]\s*)*\]|\bnew\s+Array\(\s*\[.*?\]\s*(,\s*\[.*?\]\s*)*\)"#
      if let groups = regex(twoD).search(code, anchored: true), let whole = groups[0] {
        var elements: [PyValue] = []
        for (index, match) in regex(#"\[(.*?)\]"#).findAll(whole).enumerated() {
          var innerText = pythonStripped(match[1] ?? "")
          if index == 0 && innerText.hasPrefix("[") { innerText = String(innerText.unicodeScalars.dropFirst()) }
          elements.append(.list(PythonText.split(innerText, separator: ",").map { javaScriptValue(pythonStripped($0)) }))
        }
        return .list(elements)
      }
      guard let groups = regex(#"\[(.*?)\]|\bnew\s+Array\((.*?)\)"#).search(code, anchored: true) else { return .str(code) }
      let body = groups[1] ?? groups[2]
      var parts: [String] = []
      if let body {
        let stripped = pythonStripped(body)
        parts = stripped.isEmpty ? [] : PythonText.split(stripped, separator: ",")
      }
      if let nested {
        do {
          return .list(try parts.map { part in try javaScript(pythonStripped(part), nested) })
        } catch {
          return .str(code)
        }
      }
      return .list(parts.map { javaScriptValue(pythonStripped($0)) })
    }
    if code == "{}" { return .dict([]) }
    guard let groups = regex(#"\{(.*?)\}"#).search(code, anchored: true) else { return .str(code) }
    let content = groups[1] ?? ""
    var pairs: [(PyValue, PyValue)] = []
    for match in regex(#"([^:]+):\s*(.*?)(?:,\s*(?=[^,]+:)|$)"#).findAll(content) {
      let key = PythonText.strip(pythonStripped(match[1] ?? ""), "'\"")
      let value = pythonStripped(match[2] ?? "")
      if value.hasPrefix("[") && value.hasSuffix("]") {
        pairs.append((.str(key), javaScriptCollection(value, "array", nested: nil)))
      } else if value.hasPrefix("{") && value.hasSuffix("}") {
        pairs.append((.str(key), javaScriptCollection(value, "dict", nested: nil)))
      } else {
        pairs.append((.str(key), javaScriptValue(PythonText.strip(value, "'\""))))
      }
    }
    return .makeDict(pairs)
  }

  /// `parse_js_value`.
  static func javaScriptValue(_ raw: String) -> PyValue {
    let text = pythonStripped(raw)
    if text == "true" { return .bool(true) }
    if text == "false" { return .bool(false) }
    if (text.hasPrefix("\"") && text.hasSuffix("\"")) || (text.hasPrefix("'") && text.hasSuffix("'")) {
      return .str(inner(text))
    }
    return PyBuiltins.int(text) ?? PyBuiltins.float(text) ?? .str(text)
  }
}
