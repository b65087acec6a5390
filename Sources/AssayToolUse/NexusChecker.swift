import Foundation

/// One of the five NexusRaven V1 query sets; the set decides how its reference call is prepared and evaluated.
public enum NexusSet: String, Sendable, CaseIterable {
  case cveCpe = "cve_cpe", emailrep, virustotal, toolalpaca, toolllm

  /// The reference call text of one record of `<set>_queries.json`, before preparation.
  public func referenceCall(_ record: PyValue) -> String? {
    switch self {
    case .cveCpe, .emailrep, .virustotal: return record["reference"]?.string
    case .toolllm: return record["Output"]?.string
    case .toolalpaca:
      guard let golden = record["turns_1"]?["golden_answer"]?.string, let list = try? PyJSON.parse(golden) else { return nil }
      return list.elements?.first?.string
    }
  }
}

/// NexusRaven V1's verdict on a model answer: the call's name and its full bound-argument dict (defaults filled in)
/// must equal the reference's, as `raven/eval/evaluator.py` decides. Nothing in the answer is ever run.
///
/// ```swift
/// let functions = NexusFunction.byName(table["cve_cpe"]!)
/// let verdict = NexusChecker.judge(
///   answer: "```python\nsearchCPE(limit=2, keywordSearch=\"Microsoft Exchange 2010\")\n```",
///   reference: "r = nvdlib.searchCPE(keywordSearch = 'Microsoft Exchange 2010', limit = 2)",
///   set: .cveCpe, functions: functions)
/// verdict.correct   // true
/// ```
public enum NexusChecker {
  /// The outcome for one answer: right or wrong, and why.
  public struct Verdict: Sendable, Equatable, CustomStringConvertible {
    public let correct: Bool
    public let reason: String

    static func wrong(_ reason: String) -> Verdict { Verdict(correct: false, reason: reason) }
    public var description: String { (correct ? "correct" : "wrong") + ": " + reason }
  }

  /// How the answer text reaches V1's call parser.
  public enum AnswerFormat: String, Sendable {
    /// The text is the call, as NexusRaven's evaluator receives a recorded model output (`ast.parse(text).body[0]`).
    case call
    /// NexusRaven's own model output: the second line of the stripped text, with `Initial Answer: ` removed.
    case raven
    /// A chat model's answer: the first call in the text (an `Initial Answer:` line, else inside the first ``` fence,
    /// else after `Call:`, else anywhere), with `r = ` and `nvdlib.` removed as the cve_cpe references are.
    case chat
  }

  /// Longest answer looked at; anything longer is wrong without parsing.
  static let maxAnswerScalars = 200_000

  /// The verdict for `answer` against the reference call of `set` (the raw text from the query file), with
  /// `functions` the set's evaluation functions by name.
  public static func judge(
    answer: String, format: AnswerFormat = .chat, reference: String, set: NexusSet, functions: [String: NexusFunction]
  ) -> Verdict {
    let expected: (String, [(String, PyValue)])
    switch referenceBinding(reference, set: set, functions: functions) {
    case .success(let binding): expected = binding
    case .failure(let error): return .wrong("the reference does not evaluate: \(error.description)")
    }
    guard answer.unicodeScalars.count <= maxAnswerScalars else { return .wrong("the answer is too long") }
    let callText: String
    switch format {
    case .call: callText = answer
    case .raven:
      guard let line = ravenAnswerLine(answer) else { return .wrong("no \"Initial Answer:\" on the second line") }
      callText = line
    case .chat:
      guard let extracted = extractCall(from: answer) else { return .wrong("no function call in the answer") }
      callText = prepare(extracted)
    }
    let predicted: (String, [(String, PyValue)])
    switch predictionBinding(callText, functions: functions) {
    case .success(let binding): predicted = binding
    case .failure(let error): return .wrong(error.description)
    }
    guard predicted.0 == expected.0 else { return .wrong("called \(predicted.0), expected \(expected.0)") }
    guard predicted.1.count == expected.1.count else { return .wrong("the arguments differ") }
    for (name, value) in expected.1 {
      let got = predicted.1.first { $0.0 == name }?.1 ?? .none
      if !(got == value) { return .wrong("\(name)=\(PyRepr.repr(got)), expected \(PyRepr.repr(value))") }
    }
    return Verdict(correct: true, reason: "\(expected.0) with the expected arguments")
  }

  // MARK: Steps

  /// Why a call did not evaluate (NexusRaven's evaluator catches the exception and scores the answer wrong).
  public struct CallError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
  }

  /// The cve_cpe reference preparation (`upload_standardized_queries.py::cve_cpe`): drop a leading `r = `, remove every
  /// `nvdlib.`.
  public static func prepare(_ call: String) -> String {
    var text = call
    if text.hasPrefix("r = ") { text.removeFirst(4) }
    return text.replacingOccurrences(of: "nvdlib.", with: "")
  }

  /// `RavenOutputParser.parse`: nil without `Initial Answer:` or a second line.
  public static func ravenAnswerLine(_ text: String) -> String? {
    guard text.contains("Initial Answer:") else { return nil }
    let lines = pythonStripped(text).unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count > 1 else { return nil }
    return pythonStripped(String(String.UnicodeScalarView(lines[1])).replacingOccurrences(of: "Initial Answer: ", with: ""))
  }

  /// The reference's `(name, bound arguments)`. toolllm references are evaluated against the functions (positional
  /// arguments count, floats truncated by the function); the others go through NexusRaven's standardization:
  /// keyword arguments only, floats truncated, a JSON round trip, then `functions[name](**kwargs)`.
  static func referenceBinding(_ reference: String, set: NexusSet, functions: [String: NexusFunction])
    -> Result<(String, [(String, PyValue)]), CallError>
  {
    let text = set == .cveCpe ? prepare(reference) : reference
    let call: ParsedCall
    switch parseCall(text, truncateKeywordFloats: set != .toolllm) {
    case .success(let parsed): call = parsed
    case .failure(let error): return .failure(error)
    }
    guard let function = functions[call.name] else { return .failure(CallError("unknown function \(call.name)")) }
    if set == .toolllm { return bind(function, call.positional, call.keywords).map { (call.name, $0) } }
    var keywords: [(String, PyValue)] = []
    for (name, value) in call.keywords {
      guard let converted = jsonRoundTrip(value) else { return .failure(CallError("\(name) is not JSON-serializable")) }
      keywords.append((name, converted))
    }
    return bind(function, [], keywords).map { (call.name, $0) }
  }

  /// The prediction's `(name, bound arguments)`: `parse_function_call_to_name_and_args` then `functions[name](*args,
  /// **kwargs)`.
  static func predictionBinding(_ text: String, functions: [String: NexusFunction])
    -> Result<(String, [(String, PyValue)]), CallError>
  {
    let call: ParsedCall
    switch parseCall(text, truncateKeywordFloats: true) {
    case .success(let parsed): call = parsed
    case .failure(let error): return .failure(error)
    }
    guard let function = functions[call.name] else { return .failure(CallError("unknown function \(call.name)")) }
    return bind(function, call.positional, call.keywords).map { (call.name, $0) }
  }

  struct ParsedCall {
    var name: String
    var positional: [PyValue]
    var keywords: [(String, PyValue)]
  }

  /// `parse_function_call_to_name_and_args`: the first statement of the module `text` must be an expression or
  /// assignment whose value is a call of a plain name; arguments are `ast.literal_eval`ed; float keyword values become
  /// ints.
  static func parseCall(_ text: String, truncateKeywordFloats: Bool) -> Result<ParsedCall, CallError> {
    guard let statements = NexusScanner.statements(text) else { return .failure(CallError("invalid syntax")) }
    guard let first = statements.first else { return .failure(CallError("no statement")) }
    guard let value = statementValue(first) else { return .failure(CallError("invalid syntax")) }
    for statement in statements.dropFirst() where statementValue(statement) == nil {
      return .failure(CallError("invalid syntax after the call"))
    }
    guard case .call(let callee, let arguments, let keywordArguments) = value else {
      return .failure(CallError("the first statement is not a call"))
    }
    guard case .name(let name) = callee else { return .failure(CallError("the callee is not a plain name")) }
    var positional: [PyValue] = []
    for argument in arguments {
      guard let value = literalEval(argument) else { return .failure(CallError("a positional argument is not a literal")) }
      positional.append(value)
    }
    var keywords: [(String, PyValue)] = []
    for (keyword, argument) in keywordArguments {
      guard let keyword else { return .failure(CallError("**mapping arguments are not literals")) }
      guard var value = literalEval(argument) else { return .failure(CallError("\(keyword) is not a literal")) }
      if truncateKeywordFloats, case .float(let d) = value {
        guard let truncated = truncate(d) else { return .failure(CallError("int() of \(PyRepr.float(d))")) }
        value = truncated
      }
      keywords.append((keyword, value))
    }
    return .success(ParsedCall(name: name, positional: positional, keywords: keywords))
  }

  /// The value expression of one statement, when it is an expression or an (augmented) assignment; nil when the
  /// statement does not parse.
  static func statementValue(_ statement: String) -> PyExpr? {
    if let expression = try? PythonExpressionParser.parse(statement) { return expression }
    let scalars = Array(statement.unicodeScalars)
    let splits = NexusScanner.assignmentSplits(scalars)
    guard let last = splits.last else { return nil }
    var start = 0
    for split in splits {
      let target = String(String.UnicodeScalarView(scalars[start..<split.operatorStart]))
      guard let expression = try? PythonExpressionParser.parse(target), isAssignable(expression) else { return nil }
      if split.augmented && splits.count > 1 { return nil }
      start = split.operatorEnd
    }
    return try? PythonExpressionParser.parse(String(String.UnicodeScalarView(scalars[last.operatorEnd...])))
  }

  private static func isAssignable(_ expression: PyExpr) -> Bool {
    switch expression {
    case .name, .attribute, .subscript: true
    case .starred(let inner): isAssignable(inner)
    case .tuple(let items), .list(let items): items.allSatisfy(isAssignable)
    default: false
    }
  }

  /// Python's call binding for `def name(<parameters>)`, then the function's own float truncation (toolllm).
  static func bind(_ function: NexusFunction, _ positional: [PyValue], _ keywords: [(String, PyValue)])
    -> Result<[(String, PyValue)], CallError>
  {
    let parameters = function.parameters
    guard positional.count <= parameters.count else {
      return .failure(CallError("\(function.name) takes \(parameters.count) positional arguments, got \(positional.count)"))
    }
    var values = [PyValue?](repeating: nil, count: parameters.count)
    for (index, value) in positional.enumerated() { values[index] = value }
    for (name, value) in keywords {
      guard let index = parameters.firstIndex(where: { $0.name == name }) else {
        return .failure(CallError("\(function.name) got an unexpected keyword argument \(name)"))
      }
      guard values[index] == nil else { return .failure(CallError("\(function.name) got multiple values for \(name)")) }
      values[index] = value
    }
    var bound: [(String, PyValue)] = []
    for (parameter, value) in zip(parameters, values) {
      guard var value = value ?? (parameter.required ? nil : parameter.defaultValue) else {
        return .failure(CallError("\(function.name) is missing the required argument \(parameter.name)"))
      }
      if function.truncatesFloats, case .float(let d) = value {
        guard let truncated = truncate(d) else { return .failure(CallError("int() of \(PyRepr.float(d))")) }
        value = truncated
      }
      bound.append((parameter.name, value))
    }
    return .success(bound)
  }

  /// `ast.literal_eval` of a node: constants, tuples, lists, dicts of hashable keys, signed numbers and `num ± complex`.
  /// Sets and `...` are literals to Python but never equal any reference value, so they are refused here (nil), which
  /// gives the same verdict.
  static func literalEval(_ expression: PyExpr) -> PyValue? {
    switch expression {
    case .constant(let value): return value
    case .tuple(let items):
      var out: [PyValue] = []
      for item in items {
        guard let value = literalEval(item) else { return nil }
        out.append(value)
      }
      return .tuple(out)
    case .list(let items):
      var out: [PyValue] = []
      for item in items {
        guard let value = literalEval(item) else { return nil }
        out.append(value)
      }
      return .list(out)
    case .dict(let pairs):
      var out: [(PyValue, PyValue)] = []
      for (key, value) in pairs {
        guard let key, let k = literalEval(key), PyArithmetic.isHashable(k), let v = literalEval(value) else { return nil }
        out.append((k, v))
      }
      return .makeDict(out)
    case .unary:
      return signedNumber(expression)
    case .binary(let op, let left, let right):
      guard op == "+" || op == "-", let l = signedNumber(left), case .constant(let r) = right, case .complex(let ri, let ii) = r
      else { return signedNumber(expression) }
      switch l {
      case .int(let i): return .complex(Double(i) + (op == "+" ? ri : -ri), op == "+" ? ii : -ii)
      case .float(let d): return .complex(d + (op == "+" ? ri : -ri), op == "+" ? ii : -ii)
      default: return nil
      }
    default: return nil
    }
  }

  /// `_convert_signed_num`: a number constant (not a bool), optionally under one unary `+` or `-`.
  private static func signedNumber(_ expression: PyExpr) -> PyValue? {
    func number(_ e: PyExpr) -> PyValue? {
      guard case .constant(let value) = e else { return nil }
      switch value {
      case .int, .bigInt, .float, .complex: return value
      default: return nil
      }
    }
    if case .unary(let op, let operand) = expression {
      guard let value = number(operand) else { return nil }
      switch op {
      case "-": return PyArithmetic.negate(value)
      case "+": return value
      default: return nil
      }
    }
    return number(expression)
  }

  /// Python's `int(float)`: toward zero; nil for NaN and infinities (ValueError, OverflowError).
  static func truncate(_ d: Double) -> PyValue? {
    guard d.isFinite else { return nil }
    let t = d.rounded(.towardZero)
    if t >= -9.2e18, t <= 9.2e18 { return .int(Int(t)) }
    // Exact decimal digits of a large integral double: significand × 2^exponent.
    var digits: [UInt8] = []  // little-endian decimal
    var significand = t.magnitude.significandBitPattern | (1 << 52)
    while significand > 0 {
      digits.append(UInt8(significand % 10))
      significand /= 10
    }
    for _ in 0..<(Int(t.magnitude.exponent) - 52) {
      var carry: UInt8 = 0
      for i in digits.indices {
        let v = digits[i] * 2 + carry
        digits[i] = v % 10
        carry = v / 10
      }
      if carry > 0 { digits.append(carry) }
    }
    let text = String(digits.reversed().map { Character(String($0)) })
    return .bigInt((t < 0 ? "-" : "") + text)
  }

  /// `json.loads(json.dumps(value))`: tuples become lists, dict keys become strings; nil where `json.dumps` raises.
  static func jsonRoundTrip(_ value: PyValue) -> PyValue? {
    switch value {
    case .none, .bool, .int, .bigInt, .float, .str: return value
    case .list(let items), .tuple(let items):
      var out: [PyValue] = []
      for item in items {
        guard let converted = jsonRoundTrip(item) else { return nil }
        out.append(converted)
      }
      return .list(out)
    case .dict(let pairs):
      var out: [(PyValue, PyValue)] = []
      for (key, item) in pairs {
        let k: PyValue
        switch key {
        case .str: k = key
        case .none: k = .str("null")
        case .bool(let b): k = .str(b ? "true" : "false")
        case .int(let i): k = .str(String(i))
        case .bigInt(let digits): k = .str(digits)
        case .float(let d): k = .str(d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : PyRepr.float(d))
        default: return nil
        }
        guard let converted = jsonRoundTrip(item) else { return nil }
        out.append((k, converted))
      }
      return .makeDict(out)
    case .complex, .bytes: return nil
    }
  }

  // MARK: Chat extraction

  /// The first function call in a chat answer, as text: from an `Initial Answer:` line, else the first ``` fenced
  /// block, else after a `Call:` line, else the whole answer. A call is a (dotted) name directly followed by `(` whose
  /// balanced text parses as a call expression.
  public static func extractCall(from text: String) -> String? {
    var scalars = Array(text.unicodeScalars.prefix(maxAnswerScalars))
    if let marker = text.range(of: "Initial Answer:") {
      scalars = Array(text[marker.upperBound...].prefix { $0 != "\n" }.unicodeScalars)
    } else if let fence = NexusScanner.firstFence(scalars) {
      scalars = fence
    } else if let call = NexusScanner.afterCallLabel(scalars) {
      scalars = call
    }
    return NexusScanner.firstCall(scalars)
  }
}

/// Text scanning for Nexus answers: Python logical statements, fences, and call candidates, in linear time per pass
/// and without recursion.
enum NexusScanner {
  /// Where the string literal opening at `start` (a quote) ends (one past its closing quote), or nil if unterminated.
  static func endOfString(_ s: [Unicode.Scalar], at start: Int) -> Int? {
    let quote = s[start]
    let triple = start + 2 < s.count && s[start + 1] == quote && s[start + 2] == quote
    var i = start + (triple ? 3 : 1)
    while i < s.count {
      let c = s[i]
      if c == "\\" {
        i += 2
        continue
      }
      if c == quote {
        if !triple { return i + 1 }
        if i + 2 < s.count, s[i + 1] == quote, s[i + 2] == quote { return i + 3 }
      }
      if !triple, c == "\n" || c == "\r" { return nil }
      i += 1
    }
    return nil
  }

  /// The module's simple statements (split at newlines outside brackets and at `;`), comments and blank lines dropped;
  /// nil where Python's tokenizer fails: an indented statement start, an unterminated string, unbalanced brackets.
  static func statements(_ text: String) -> [String]? {
    let s = Array(text.unicodeScalars)
    var out: [String] = []
    var current = String.UnicodeScalarView()
    var depth = 0
    var lineStart = true
    var i = 0
    var emptyStatement = false
    /// A blank piece is fine at the end of a line (after a trailing `;`), not before a `;`.
    func flush(semicolon: Bool) {
      if current.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\u{0C}" }) {
        if semicolon { emptyStatement = true }
      } else {
        out.append(String(current))
      }
      current = String.UnicodeScalarView()
    }
    while i < s.count {
      if lineStart && depth == 0 {
        var j = i
        while j < s.count, s[j] == " " || s[j] == "\t" || s[j] == "\u{0C}" { j += 1 }
        if j == s.count { break }
        if s[j] == "\n" || s[j] == "\r" || s[j] == "#" {
          while j < s.count, s[j] != "\n", s[j] != "\r" { j += 1 }
          i = j + 1
          continue
        }
        if j > i { return nil }  // unexpected indent
        lineStart = false
        continue
      }
      let c = s[i]
      switch c {
      case "'", "\"":
        guard let end = endOfString(s, at: i) else { return nil }
        current.append(contentsOf: s[i..<end])
        i = end
        continue
      case "#":
        while i < s.count, s[i] != "\n", s[i] != "\r" { i += 1 }
        continue
      case "\\":
        if i + 1 < s.count, s[i + 1] == "\n" || s[i + 1] == "\r" {
          i += (s[i + 1] == "\r" && i + 2 < s.count && s[i + 2] == "\n") ? 3 : 2
          current.append(" ")
          continue
        }
      case "(", "[", "{":
        depth += 1
      case ")", "]", "}":
        depth -= 1
        if depth < 0 { return nil }
      case "\n", "\r":
        if depth == 0 {
          flush(semicolon: false)
          lineStart = true
          i += 1
          continue
        }
      case ";":
        if depth == 0 {
          flush(semicolon: true)
          i += 1
          continue
        }
      default: break
      }
      current.append(c)
      i += 1
    }
    guard depth == 0, !emptyStatement else { return nil }
    flush(semicolon: false)
    return out
  }

  /// Positions of top-level assignment operators (`=`, `+=`, `//=`, …) in a statement.
  static func assignmentSplits(_ s: [Unicode.Scalar]) -> [(operatorStart: Int, operatorEnd: Int, augmented: Bool)] {
    var out: [(Int, Int, Bool)] = []
    var depth = 0
    var i = 0
    let augmentable: Set<Unicode.Scalar> = ["+", "-", "*", "/", "%", "&", "|", "^", "@"]
    while i < s.count {
      let c = s[i]
      if c == "'" || c == "\"" {
        guard let end = endOfString(s, at: i) else { return [] }
        i = end
        continue
      }
      if c == "(" || c == "[" || c == "{" { depth += 1 }
      if c == ")" || c == "]" || c == "}" { depth -= 1 }
      if c == "=", depth == 0, i + 1 >= s.count || s[i + 1] != "=" {
        let previous: Unicode.Scalar? = i > 0 ? s[i - 1] : nil
        if let p = previous, augmentable.contains(p) {
          var start = i - 1
          if start > 0, (p == "/" || p == "*"), s[start - 1] == p { start -= 1 }
          out.append((start, i + 1, true))
        } else if let p = previous, p == ">" || p == "<" {
          if i >= 2, s[i - 2] == p { out.append((i - 2, i + 1, true)) }
        } else if previous != "=" && previous != "!" && previous != ":" {
          out.append((i, i + 1, false))
        }
      }
      i += 1
    }
    return out
  }

  /// The body of the first ``` fence (after the opening fence's info line), to the closing fence or the end.
  static func firstFence(_ s: [Unicode.Scalar]) -> [Unicode.Scalar]? {
    guard let open = find(s, "```", from: 0) else { return nil }
    var start = open + 3
    while start < s.count, s[start] != "\n" { start += 1 }
    let end = find(s, "```", from: start) ?? s.count
    return start < end ? Array(s[start..<end]) : []
  }

  /// The text after a `Call:` at the start of a line.
  static func afterCallLabel(_ s: [Unicode.Scalar]) -> [Unicode.Scalar]? {
    var from = 0
    while let at = find(s, "Call:", from: from) {
      var k = at - 1
      while k >= 0, s[k] == " " || s[k] == "\t" { k -= 1 }
      if k < 0 || s[k] == "\n" { return Array(s[(at + 5)...]) }
      from = at + 5
    }
    return nil
  }

  private static func find(_ s: [Unicode.Scalar], _ needle: String, from: Int) -> Int? {
    let n = Array(needle.unicodeScalars)
    guard n.count <= s.count else { return nil }
    var i = from
    while i + n.count <= s.count {
      if s[i] == n[0], Array(s[i..<i + n.count]) == n { return i }
      i += 1
    }
    return nil
  }

  /// The first `name(` or `a.b(` whose balanced text parses as a call; at most 64 candidates are tried.
  static func firstCall(_ s: [Unicode.Scalar]) -> String? {
    var i = 0
    var tried = 0
    while i < s.count, tried < 64 {
      let c = s[i]
      guard PythonTokenizer.isIdentifierStart(c), i == 0 || !(PythonTokenizer.isIdentifierContinue(s[i - 1]) || s[i - 1] == ".")
      else {
        i += 1
        continue
      }
      var j = i
      while j < s.count, PythonTokenizer.isIdentifierContinue(s[j]) || (s[j] == "." && j + 1 < s.count && PythonTokenizer.isIdentifierStart(s[j + 1])) {
        j += 1
      }
      guard j < s.count, s[j] == "(" else {
        i = j
        continue
      }
      tried += 1
      if let close = matchingParen(s, open: j) {
        let text = String(String.UnicodeScalarView(s[i...close]))
        if case .call? = try? PythonExpressionParser.parse(text) { return text }
      }
      i = j + 1
    }
    return nil
  }

  /// The index of the `)` closing the `(` at `open`, skipping strings; nil when unbalanced.
  static func matchingParen(_ s: [Unicode.Scalar], open: Int) -> Int? {
    var depth = 0
    var i = open
    while i < s.count {
      let c = s[i]
      if c == "'" || c == "\"" {
        guard let end = endOfString(s, at: i) else { return nil }
        i = end
        continue
      }
      if c == "(" || c == "[" || c == "{" { depth += 1 }
      if c == ")" || c == "]" || c == "}" {
        depth -= 1
        if depth == 0 { return c == ")" ? i : nil }
        if depth < 0 { return nil }
      }
      i += 1
    }
    return nil
  }
}
