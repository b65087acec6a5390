import AssayToolUse
import Foundation
import Testing

/// The Swift Nexus checker against NexusRaven's own evaluator: `Tests/Fixtures/nexus/crosscheck.jsonl` holds generated
/// answers (right and wrong, for every item of the five V1 sets) with the verdict NexusRaven's `Evaluator.run` gave
/// each (`scripts/nexus-reference.py`). Functions come from `benchmarks/nexus/functions.json` and, for toolalpaca and
/// toolllm, from the records themselves in `../shared/datasets/nexusraven-eval`.
@Suite struct NexusCallTests {
  static let repository = BFCLCrossCheckTests.repository
  static let datasets = BFCLCrossCheckTests.datasets + "/nexusraven-eval"

  static func queries(_ set: NexusSet) throws -> PyValue {
    try PyJSON.parse(String(contentsOfFile: datasets + "/\(set.rawValue)_queries.json", encoding: .utf8))
  }

  /// Each set's evaluation functions by name, as NexusRaven's evaluator holds them.
  static func functionTables() throws -> [NexusSet: [String: NexusFunction]] {
    let table = try NexusFunction.table(
      json: String(contentsOfFile: repository + "/benchmarks/nexus/functions.json", encoding: .utf8))
    var out: [NexusSet: [String: NexusFunction]] = [:]
    for set in [NexusSet.cveCpe, .emailrep, .virustotal] {
      out[set] = NexusFunction.byName(try #require(table[set.rawValue]))
    }
    var toolalpaca: [NexusFunction] = []
    for record in try queries(.toolalpaca).elements ?? [] {
      toolalpaca += try NexusFunction.toolalpaca(docstring: record["turns_1"]?["docstring"]?.string ?? "")
    }
    out[.toolalpaca] = NexusFunction.byName(toolalpaca)
    out[.toolllm] = try NexusFunction.toolllmTable(records: try queries(.toolllm))
    return out
  }

  @Test func verdictsEqualNexusRavensItemByItem() throws {
    let tables = try Self.functionTables()
    var items: [NexusSet: [PyValue]] = [:]
    for set in NexusSet.allCases { items[set] = try Self.queries(set).elements ?? [] }
    let fixture = try String(contentsOfFile: Self.repository + "/Tests/Fixtures/nexus/crosscheck.jsonl", encoding: .utf8)
    var total = 0
    var differ: [String] = []
    var perSet: [String: Int] = [:]
    for line in fixture.split(separator: "\n") where !line.isEmpty {
      let record = try PyJSON.parse(String(line))
      let set = try #require(NexusSet(rawValue: record["set"]?.string ?? ""))
      guard case .int(let index) = record["index"] else { Issue.record("no index"); continue }
      let item = try #require(items[set]?[index])
      let reference = try #require(set.referenceCall(item))
      let format = try #require(NexusChecker.AnswerFormat(rawValue: record["format"]?.string ?? ""))
      let answer = record["answer"]?.string ?? ""
      let verdict = NexusChecker.judge(answer: answer, format: format, reference: reference, set: set, functions: tables[set]!)
      total += 1
      perSet[set.rawValue, default: 0] += 1
      if verdict.correct != (record["correct"] == .bool(true)) {
        differ.append(
          "\(set.rawValue)#\(index) [\(record["kind"]?.string ?? "")] nexusraven \(record["correct"]!) / assay \(verdict)\n    \(answer.prefix(200).debugDescription)")
      }
    }
    for line in differ.prefix(60) { print("  " + line) }
    print("Nexus cross-check: \(total - differ.count) of \(total) verdicts equal NexusRaven's \(perSet.sorted { $0.key < $1.key })")
    #expect(total >= 10_000)
    #expect(differ.isEmpty)
  }

  @Test func functionDefinitionsMatchTheV1Shapes() throws {
    let tables = try Self.functionTables()
    #expect(tables[.cveCpe]?["searchCVE"]?.parameters.count == 28)
    #expect(tables[.cveCpe]?["searchCVE"]?.parameters.contains { $0.name == "hasKev" } == false)
    #expect(tables[.cveCpe]?["searchCPE"]?.parameters.count == 10)
    #expect(tables[.virustotal]?.count == 12)
    #expect(
      tables[.virustotal]?["vt_get_objects_related_to_ip_address"]?.pythonSignature
        == "vt_get_objects_related_to_ip_address(ip: str, relationship: str, x_apikey: str, limit: int = None, cursor: str = None)")
    #expect(tables[.emailrep]?["emailrep_report"]?.parameters.map(\.required) == [true, true])
    #expect(tables[.toolalpaca]?.count == 49)
    let hashtag = try #require(tables[.toolllm]?["hashtag"])
    #expect(hashtag.pythonSignature == "hashtag(hashtag: str = 'football', raw: bool = None)")
    #expect(tables[.toolllm]?["severe_weather_alerts"]?.parameters.last?.defaultValue == .float(-78.5))
  }

  static let cpeReference = "r = nvdlib.searchCPE(keywordSearch = 'Microsoft Exchange 2010', limit = 2)"

  static let cveFunctions = try? functionTables()[.cveCpe]

  func judge(_ answer: String, format: NexusChecker.AnswerFormat = .chat) throws -> NexusChecker.Verdict {
    NexusChecker.judge(
      answer: answer, format: format, reference: Self.cpeReference, set: .cveCpe, functions: try #require(Self.cveFunctions))
  }

  @Test func chatAnswersAreExtracted() throws {
    #expect(try judge("Sure, here it is:\n```python\nr = nvdlib.searchCPE(limit=2, keywordSearch=\"Microsoft Exchange 2010\")\n```").correct)
    #expect(try judge("Call: searchCPE(keywordSearch='Microsoft Exchange 2010', limit=2.9)").correct)
    #expect(try judge("I'd use searchCPE(None, None, None, 'Microsoft Exchange 2010', None, None, 2) here.").correct)
    #expect(try !judge("searchCPE(keywordSearch='Microsoft Exchange 2010')").correct)
    #expect(try !judge("searchCPE(keywordSearch='Microsoft Exchange 2010', limit=2, matchCriteriaId='x')").correct)
    #expect(try !judge("I cannot answer that.").correct)
    // V1's own path reads the text as a module: prose around the call is a syntax error there.
    #expect(try !judge("Here: searchCPE(keywordSearch='Microsoft Exchange 2010', limit=2)", format: .call).correct)
    #expect(try judge("r = searchCPE(keywordSearch='Microsoft Exchange 2010', limit=2)", format: .call).correct)
  }

  @Test func hostileAnswersAreJustWrong() throws {
    let hostile = [
      "searchCPE(keywordSearch=" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + ")",
      "searchCPE(keywordSearch='" + String(repeating: "x", count: 100_000) + "', limit=2)",
      String(repeating: "searchCPE(", count: 50_000),
      String(repeating: "(", count: 100_000),
      "searchCPE(keywordSearch=__import__('os').system('touch /tmp/nexus-pwned'), limit=2)",
      "searchCPE(keywordSearch=eval('1'), limit=2)",
      "searchCPE(**{'keywordSearch': 'Microsoft Exchange 2010', 'limit': 2})",
      "searchCPE(*['x'])",
      "searchCPE(keywordSearch=f'{open(\"/etc/passwd\").read()}', limit=2)",
      "searchCPE(keywordSearch='\\ud800\\x00\\N{BOGUS}', limit=2)",
      "searchCPE(keywordSearch='Microsoft Exchange 2010', limit=1e400)",
      "searchCPE(keywordSearch='Microsoft Exchange 2010', limit=float('nan'))",
      "searchCPE(keywordSearch=(lambda: 1)(), limit=2)",
      "searchCPE(keywordSearch=" + String(repeating: "-", count: 5_000) + "1, limit=2)",
      "\u{0}\u{FFFF}" + String(repeating: "\\", count: 1_000),
    ]
    for answer in hostile {
      for format in [NexusChecker.AnswerFormat.call, .raven, .chat] {
        #expect(try !judge(answer, format: format).correct, "\(answer.prefix(60))")
      }
    }
    // Escape sequences that spell the right value are right, as Python reads them.
    #expect(try judge("searchCPE(keywordSearch='\\u004dicrosoft\\x20Exchange 2010', limit=2)", format: .call).correct)
  }

  @Test func promptRendering() throws {
    let functions = try NexusFunction.table(
      json: String(contentsOfFile: Self.repository + "/benchmarks/nexus/functions.json", encoding: .utf8))["cve_cpe"]!
    let query = try #require(Self.queries(.cveCpe).elements?.first?["query"]?.string)
    let prompt = NexusFunction.chatPrompt(functions, query: query)
    #expect(prompt.contains("def searchCPE(cpeNameId=None, cpeMatchString=None, keywordExactMatch=None,"))
    #expect(prompt.hasSuffix("Question: \(query)\n"))
    #expect(NexusFunction.ravenPrompt(functions, query: query).contains("<func_start>def searchCVE(cpeName=None"))
  }
}
