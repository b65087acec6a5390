import AssayText

/// BFCL's AST checker (`ast_checker` in bfcl-eval), rule for rule: the function name, required parameters, types
/// (Java and JavaScript values read from their source text), any of the possible answers per parameter with BFCL's
/// string standardization, parallel calls matched in any order, and the relevance categories (pass when no call, or
/// when one). Where BFCL's own code raises, the verdict is invalid with `crash:<exception>` as its error type.
///
/// ```swift
/// let verdict = BFCLChecker.check(
///   functions: functions, decoded: try BFCLDecoder.decode(text, format: .python),
///   groundTruth: groundTruth, format: .python, category: "simple_python")
/// verdict.valid
/// ```
public enum BFCLChecker {
  /// One verdict: valid, or the reason with BFCL's `error_type`.
  public struct Verdict: Sendable, Equatable {
    public let valid: Bool
    /// BFCL's `error_type` (`simple_function_checker:missing_required`, `type_error:simple`, ...), nil when valid.
    public let errorType: String?
    /// BFCL's first error message, nil when valid.
    public let message: String?

    public static let pass = Verdict(valid: true, errorType: nil, message: nil)
    static func fail(_ type: String, _ message: String) -> Verdict { Verdict(valid: false, errorType: type, message: message) }
  }

  /// BFCL's code raised where this input reaches it (a missing key, a type it never implemented).
  struct Crash: Error {
    let exception: String
    init(_ exception: String) { self.exception = exception }
  }

  /// A category's kind of check, from its name as BFCL reads it.
  public enum Kind: String, Sendable {
    case simple, multiple, parallel, irrelevance, relevance
  }

  /// The kind BFCL applies to a category name (`live_parallel_multiple` is parallel, `live_irrelevance` irrelevance).
  public static func kind(ofCategory category: String) -> Kind {
    if category.contains("irrelevance") { return .irrelevance }
    if category.contains("relevance") { return .relevance }
    if category.contains("parallel") { return .parallel }
    if category.contains("multiple") { return .multiple }
    return .simple
  }

  /// The return format of a category: Java and JavaScript for their simple categories, Python otherwise.
  public static func format(ofCategory category: String) -> BFCLDecoder.Format {
    if category.contains("java") && !category.contains("javascript") { return .java }
    if category.contains("javascript") { return .javascript }
    return .python
  }

  /// The verdict on a raw model text, decoding it as the evaluation runner does for the category.
  public static func judge(text: String, functions: PyValue, groundTruth: PyValue?, category: String) -> Verdict {
    let kind = kind(ofCategory: category)
    if kind == .irrelevance || kind == .relevance {
      let decoded = try? BFCLDecoder.decode(text, format: .python)
      let containsCall = decoded.map { !BFCLDecoder.isEmptyOutput($0) } ?? false
      if kind == .irrelevance {
        return containsCall ? .fail("irrelevance_error:decoder_success", "a function call where none should be") : .pass
      }
      return containsCall ? .pass : .fail("relevance_error:decoder_failed", "no function call decoded")
    }
    let decoded: PyValue
    do {
      decoded = try BFCLDecoder.decode(text, format: format(ofCategory: category))
    } catch {
      return .fail("ast_decoder:decoder_failed", "Invalid syntax. Failed to decode AST. \(error)")
    }
    guard BFCLDecoder.isFunctionCallingFormat(decoded) else {
      return .fail("ast_decoder:decoder_wrong_output_format", "Did not output in the specified format.")
    }
    return check(functions: functions, decoded: decoded, groundTruth: groundTruth ?? .list([]), format: format(ofCategory: category), category: category)
  }

  /// `ast_checker(functions, decoded, ground_truth, language, category)` on an already decoded output.
  public static func check(
    functions: PyValue, decoded: PyValue, groundTruth: PyValue, format: BFCLDecoder.Format, category: String
  ) -> Verdict {
    do {
      let output = decoded.elements ?? []
      let answers = groundTruth.elements ?? []
      if category.contains("parallel") {
        return try parallelNoOrder(functions, output, answers, format)
      }
      if category.contains("multiple") {
        guard output.count == answers.count else { return .fail("multiple_function_checker:wrong_count", "Wrong number of functions.") }
        guard let first = answers.first, let expected = firstKey(first)?.string else { throw Crash("IndexError") }
        return try simple(try description(functions, expected), output[0], first, format)
      }
      guard output.count == 1 else { return .fail("simple_function_checker:wrong_count", "Wrong number of functions.") }
      guard let firstFunction = functions.elements?.first, let firstAnswer = answers.first else { throw Crash("IndexError") }
      return try simple(firstFunction, output[0], firstAnswer, format)
    } catch let crash as Crash {
      return .fail("crash:\(crash.exception)", "bfcl-eval raises \(crash.exception) on this input")
    } catch {
      return .fail("crash:Exception", "\(error)")
    }
  }

  static func firstKey(_ value: PyValue) -> PyValue? {
    guard case .dict(let pairs) = value else { return nil }
    return pairs.first?.0
  }

  static func firstValue(_ value: PyValue) -> PyValue? {
    guard case .dict(let pairs) = value else { return nil }
    return pairs.first?.1
  }

  /// `find_description`: the function named so, or the single description when it is a dict.
  static func description(_ functions: PyValue, _ name: String) throws -> PyValue {
    guard let list = functions.elements else { return functions }
    guard let found = list.first(where: { $0["name"] == .str(name) }) else { throw Crash("TypeError") }
    return found
  }

  static func keys(_ value: PyValue) throws -> [PyValue] {
    switch value {
    case .dict(let pairs): return pairs.map(\.0)
    case .list(let items), .tuple(let items): return items
    default: throw Crash("TypeError")
    }
  }

  /// Python's `key in container` for a dict (keys), a list (elements) or a str (substring).
  static func contains(_ container: PyValue, _ key: PyValue) throws -> Bool {
    switch container {
    case .dict(let pairs): return pairs.contains { $0.0 == key }
    case .list(let items), .tuple(let items): return items.contains(key)
    case .str(let s):
      guard case .str(let k) = key else { throw Crash("TypeError") }
      return k.isEmpty || s.contains(k)
    default: throw Crash("TypeError")
    }
  }

  static func item(_ container: PyValue, _ key: String) throws -> PyValue {
    guard case .dict = container, let value = container[key] else { throw Crash("KeyError") }
    return value
  }

  // MARK: simple_function_checker

  static func simple(_ function: PyValue, _ modelOutput: PyValue, _ possibleAnswer: PyValue, _ format: BFCLDecoder.Format) throws -> Verdict {
    guard let answer = firstValue(possibleAnswer) else { throw Crash("IndexError") }
    guard case .str(let name) = try item(function, "name") else { throw Crash("TypeError") }
    let parameters = try item(function, "parameters")
    let details = try item(parameters, "properties")
    let required = try item(parameters, "required")

    guard try contains(modelOutput, .str(name)) else {
      return .fail("simple_function_checker:wrong_func_name", "Function name '\(name)' not found in model output.")
    }
    guard let modelParameters = modelOutput[name], case .dict(let given) = modelParameters else { throw Crash("TypeError") }
    for parameter in try keys(required) where !(try contains(modelParameters, parameter)) {
      return .fail("simple_function_checker:missing_required", "Missing required parameter: \(parameter).")
    }
    for (parameter, original) in given {
      guard try contains(details, parameter), try contains(answer, parameter), case .str(let parameterName) = parameter else {
        return .fail("simple_function_checker:unexpected_param", "Unexpected parameter: \(parameter).")
      }
      var value = original
      let detail = try item(details, parameterName)
      guard case .str(let typeDescription) = try item(detail, "type") else { throw Crash("TypeError") }
      let allowed = try item(answer, parameterName)
      var expected: PyType
      var nested: PyType?
      switch format {
      case .java, .javascript:
        let table = format == .java ? BFCLTypeConverters.javaTypes : BFCLTypeConverters.javaScriptTypes
        guard let converted = table[typeDescription] else { throw Crash("KeyError") }
        expected = converted
        guard case .str(let text) = value else {
          return .fail(format == .java ? "type_error:java" : "type_error:js", "Incorrect type for parameter \(parameter). Expected type String, got \(value.typeName).")
        }
        if ["Array", "ArrayList", "array"].contains(typeDescription) {
          guard case .str(let nestedName) = try item(try item(detail, "items"), "type"), let nestedType = table[nestedName] else {
            throw Crash("KeyError")
          }
          nested = nestedType
          value = format == .java
            ? try BFCLTypeConverters.java(text, typeDescription, nested: nestedName)
            : try BFCLTypeConverters.javaScript(text, typeDescription, nested: nestedName)
        } else {
          value = format == .java
            ? try BFCLTypeConverters.java(text, typeDescription) : try BFCLTypeConverters.javaScript(text, typeDescription)
        }
      case .python:
        guard let converted = pythonTypes[typeDescription] else { throw Crash("KeyError") }
        expected = converted
        if typeDescription == "array" || typeDescription == "tuple" {
          guard case .str(let nestedName) = try item(try item(detail, "items"), "type"), let nestedType = pythonTypes[nestedName] else {
            throw Crash("KeyError")
          }
          nested = nestedType
        }
      }
      if typeDescription == "tuple", case .tuple(let items) = value { value = .list(items) }
      if format == .python && typeDescription == "float" {
        if case .int(let i) = value { value = .float(Double(i)) }
        if case .bigInt(let digits) = value { value = .float(Double(digits) ?? .infinity) }
      }
      let typeCheck = try typeChecker(value, allowed, expected, nested)
      if !typeCheck.valid { return .fail(typeCheck.errorType, "Incorrect type for parameter \(parameter).") }
      if !typeCheck.isVariable {
        var special: Verdict?
        if expected == .dict {
          special = try dictChecker(parameter, value, allowed)
        } else if expected == .list && nested == .dict {
          special = try listDictChecker(parameter, value, allowed)
        } else if expected == .str {
          special = try stringChecker(parameter, value, allowed)
        } else if expected == .list {
          special = try listChecker(parameter, value, allowed)
        }
        if let special {
          if !special.valid { return special }
          continue
        }
      }
      if !(try contains(allowed, value)) {
        return .fail("value_error:others", "Invalid value for parameter \(parameter): \(value). Expected one of \(allowed).")
      }
    }
    for parameter in try keys(answer) where !(try contains(modelParameters, parameter)) {
      guard case .str(let parameterName) = parameter else { throw Crash("TypeError") }
      if !(try contains(try item(answer, parameterName), .str(""))) {
        return .fail("simple_function_checker:missing_optional", "Optional parameter \(parameter) not provided and not marked as optional.")
      }
    }
    return .pass
  }

  static let pythonTypes: [String: PyType] = [
    "string": .str, "integer": .int, "float": .float, "boolean": .bool, "array": .list, "tuple": .list, "dict": .dict,
    "any": .str,
  ]

  struct TypeCheck {
    var valid = true
    var isVariable = false
    var errorType = "type_error:simple"
  }

  /// `get_possible_answer_type`: the type of the first answer that is not "" (an optional's marker).
  static func possibleAnswerType(_ answers: PyValue) throws -> PyType? {
    for answer in try iterate(answers) where answer != .str("") { return answer.pyType }
    return nil
  }

  /// Python's iteration: elements of a list or tuple, keys of a dict, characters of a str.
  static func iterate(_ value: PyValue) throws -> [PyValue] {
    switch value {
    case .list(let items), .tuple(let items): return items
    case .dict(let pairs): return pairs.map(\.0)
    case .str(let s): return s.unicodeScalars.map { .str(String($0)) }
    default: throw Crash("TypeError")
    }
  }

  /// `type_checker`, including its one level of nested checking and the "variable" allowance.
  static func typeChecker(_ value: PyValue, _ answers: PyValue, _ expected: PyType, _ nested: PyType?) throws -> TypeCheck {
    var result = TypeCheck()
    var isVariable = false
    let answerType = try possibleAnswerType(answers)
    if let answerType, answerType != expected { isVariable = true }
    if value.pyType == expected {
      guard let nested else {
        result.isVariable = isVariable
        return result
      }
      for answer in try iterate(answers) {
        var flag = true
        if case .list(let inner) = answer {
          for element in try iterate(value) {
            if !(try typeChecker(element, .list(inner), nested, nil)).valid {
              flag = false
              break
            }
          }
        }
        if flag { return TypeCheck(valid: true, isVariable: isVariable) }
      }
      result.valid = false
      result.errorType = "type_error:nested"
    }
    if let answerType, value.pyType == answerType {
      result.isVariable = true
      return result
    }
    result.valid = false
    result.errorType = "type_error:simple"
    return result
  }

  /// `standardize_string`: no spaces or `,./-_*^`, lower case, single quotes as double.
  static func standardize(_ text: String) -> String {
    let removed = PythonRegex.cached(#"[ \,\.\/\-\_\*\^]"#).replace(text, with: "")
    return PythonText.lower(removed).replacingOccurrences(of: "'", with: "\"")
  }

  static func standardized(_ value: PyValue) -> PyValue {
    if case .str(let s) = value { return .str(standardize(s)) }
    return value
  }

  static func stringChecker(_ parameter: PyValue, _ value: PyValue, _ answers: PyValue) throws -> Verdict {
    guard case .str(let text) = value else { throw Crash("TypeError") }
    let options = try iterate(answers).compactMap { $0.string.map { PyValue.str(standardize($0)) } }
    guard PyValue.str(standardize(text)).isIn(options) else {
      return .fail("value_error:string", "Invalid value for parameter \(parameter): \(value). Expected one of \(answers). Case insensitive.")
    }
    return .pass
  }

  static func listChecker(_ parameter: PyValue, _ value: PyValue, _ answers: PyValue) throws -> Verdict {
    let output = PyValue.list(try iterate(value).map(standardized))
    var options: [PyValue] = []
    for answer in try indexable(answers) {
      options.append(.list(try indexable(answer).map(standardized)))
    }
    guard output.isIn(options) else {
      return .fail("value_error:list/tuple", "Invalid value for parameter \(parameter): \(value). Expected one of \(answers).")
    }
    return .pass
  }

  static func dictChecker(_ parameter: PyValue, _ value: PyValue, _ answers: PyValue) throws -> Verdict {
    guard case .dict(let given) = value else { throw Crash("AttributeError") }
    var result = Verdict.fail("dict_checker:unclear", "")
    for answer in try iterate(answers) {
      if answer == .str("") { continue }
      result = .fail("dict_checker:unclear", "")
      var flag = true
      for (key, element) in given {
        if !(try contains(answer, key)) {
          result = .fail("value_error:dict_key", "Unexpected dict key parameter: \(key).")
          flag = false
          break
        }
        guard case .dict = answer, case .str(let keyName) = key else { throw Crash("TypeError") }
        let options = try indexable(try item(answer, keyName)).map(standardized)
        if !standardized(element).isIn(options) {
          result = .fail("value_error:dict_value", "Invalid value for parameter \(key): \(element).")
          flag = false
          break
        }
      }
      guard case .dict(let expectedPairs) = answer else { throw Crash("AttributeError") }
      for (key, allowed) in expectedPairs where !given.contains(where: { $0.0 == key }) {
        if !(try contains(allowed, .str(""))) {
          result = .fail("value_error:dict_key", "Missing dict key parameter: \(key).")
          flag = false
          break
        }
      }
      if flag { return .pass }
    }
    return result
  }

  /// `[x[i] for i in range(len(x))]`: elements of a list or tuple, characters of a str.
  static func indexable(_ value: PyValue) throws -> [PyValue] {
    switch value {
    case .list(let items), .tuple(let items): return items
    case .str(let s): return s.unicodeScalars.map { .str(String($0)) }
    case .dict(let pairs): if pairs.isEmpty { return [] }; throw Crash("KeyError")
    default: throw Crash("TypeError")
    }
  }

  static func listDictChecker(_ parameter: PyValue, _ value: PyValue, _ answers: PyValue) throws -> Verdict {
    let output = try iterate(value)
    var result = Verdict.fail("list_dict_checker:unclear", "")
    for answer in try indexable(answers) {
      let expected = try lengthItems(answer)
      guard output.count == expected.count else {
        result = .fail("value_error:list_dict_count", "Wrong number of dictionaries in the list.")
        continue
      }
      var flag = true
      for (index, element) in output.enumerated() {
        result = try dictChecker(parameter, element, .list([expected[index]]))
        if !result.valid {
          flag = false
          break
        }
      }
      if flag { return .pass }
    }
    return result
  }

  /// An answer's items for `len(x)` and `x[i]`.
  static func lengthItems(_ value: PyValue) throws -> [PyValue] {
    switch value {
    case .list(let items), .tuple(let items): return items
    case .str(let s): return s.unicodeScalars.map { .str(String($0)) }
    case .dict(let pairs): if pairs.isEmpty { return [] }; throw Crash("KeyError")
    default: throw Crash("TypeError")
    }
  }

  // MARK: parallel

  static func parallelNoOrder(_ functions: PyValue, _ output: [PyValue], _ answers: [PyValue], _ format: BFCLDecoder.Format) throws -> Verdict {
    guard output.count == answers.count else {
      return .fail("parallel_function_checker_no_order:wrong_count", "Wrong number of functions.")
    }
    var matched: [Int] = []
    var last = Verdict.pass
    for (answerIndex, answer) in answers.enumerated() {
      guard let expected = firstKey(answer)?.string else { throw Crash("IndexError") }
      let function = try description(functions, expected)
      for index in output.indices where !matched.contains(index) {
        last = try simple(function, output[index], answer, format)
        if last.valid {
          matched.append(index)
          break
        }
      }
      if !last.valid {
        return .fail(
          "parallel_function_checker_no_order:cannot_find_match",
          "Could not find a matching function for index \(answerIndex) of possible answers.")
      }
    }
    return .pass
  }
}
