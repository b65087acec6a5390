import AssayToolUse
import Foundation
import Testing

/// Assay's BFCL prompts against the messages bfcl-eval's own code builds for the same items
/// (`Tests/Fixtures/bfcl/prompts.jsonl`, from `scripts/bfcl-prompts-reference.py`): three items per category,
/// Python, Java and JavaScript hints included.
@Suite struct BFCLPromptTests {
  @Test func messagesEqualBFCLsByteForByte() throws {
    let fixture = try String(
      contentsOfFile: BFCLCrossCheckTests.repository + "/Tests/Fixtures/bfcl/prompts.jsonl", encoding: .utf8)
    var records: [String: [String: PyValue]] = [:]
    var checked = 0
    for line in fixture.split(separator: "\n") {
      let expected = try PyJSON.parse(String(line))
      let category = try #require(expected["category"]?.string)
      let id = try #require(expected["id"]?.string)
      if records[category] == nil {
        records[category] = try BFCLCrossCheckTests.records(BFCLCrossCheckTests.datasets + "/bfcl/BFCL_v4_\(category).json")
      }
      let record = try #require(records[category]?[id])
      let messages = try BFCLPrompt.messages(record: record, category: category)
      let want = try #require(expected["messages"]?.elements)
      #expect(messages.count == want.count, "\(id)")
      for (mine, theirs) in zip(messages, want) {
        #expect(mine.role == theirs["role"]?.string, "\(id)")
        #expect(mine.content == theirs["content"]?.string, "\(id): \(mine.content.prefix(300))")
      }
      checked += 1
    }
    #expect(checked == 39)
  }
}
