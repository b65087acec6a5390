import AssayCore
import AssaySuites
import Foundation
import Testing

/// Suite YAML is read within bounds: aliases cannot expand a small file into a billion nodes.
@Suite struct BoundedYAMLTests {
  @Test func anAliasBombIsRefusedAfterCountingAtMostTheLimit() throws {
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...9 { yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
    #expect(throws: AssayError.self) { try BoundedYAML.compose(yaml, path: "bomb.yaml", kind: "suite file") }
    do {
      _ = try SuiteFile.parse(yaml, path: "bomb.yaml")
      Issue.record("the bomb was parsed")
    } catch {
      #expect(error.code == .invalidSuite)
      #expect(error.message.contains("bomb.yaml") && error.message.contains("aliases"), "\(error.message)")
    }
  }

  @Test func aFewAliasesAreCountedAsOftenAsTheyAreUsed() throws {
    let node = try #require(try BoundedYAML.compose("a: &a [1, 2]\nb: *a\nc: *a\n", path: "x", kind: "suite file"))
    // The root, three keys, three sequences of two scalars.
    #expect(BoundedYAML.nodeCount(node, limit: 1000) == 1 + 3 + 3 * 3)
  }

  @Test func shippedSuitesAreFarBelowTheLimits() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("benchmarks/tatoeba/tatoeba.yaml").path
    let text = try String(contentsOfFile: root, encoding: .utf8)
    let node = try #require(try BoundedYAML.compose(text, path: root, kind: "suite file"))
    #expect(BoundedYAML.nodeCount(node, limit: BoundedYAML.maxNodes) < BoundedYAML.maxNodes / 10)
  }

  @Test func aTemperatureOf1e400IsRefusedNamingTheFile() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("benchmarks/gsm8k/gsm8k.yaml").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let line = try #require(text.split(separator: "\n").first { $0.contains("temperature:") })
    let hot = text.replacingOccurrences(of: String(line), with: line.replacingOccurrences(
      of: #"temperature: *[0-9.]+"#, with: "temperature: 1e400", options: .regularExpression))
    #expect(hot != text)
    do {
      _ = try SuiteFile.parse(hot, path: "hot.yaml")
      Issue.record("a suite with temperature 1e400 was accepted")
    } catch {
      #expect(error.message.contains("hot.yaml") && error.message.contains("temperature"), "\(error.message)")
    }
  }
}
