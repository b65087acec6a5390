@testable import AssayStore
import AssayCore
import Foundation
import Testing

/// What the store writes by hand reads back, through JSONDecoder, as the values it was given.
@Suite struct StoreJSONTests {
  @Test func mapsAndResponsesRoundTrip() throws {
    var generator = SeededGenerator(seed: 5)
    let pool: [Unicode.Scalar] = (0..<0x80).compactMap(Unicode.Scalar.init) + ["é", "中", "😀", "\u{2028}"]
    func text() -> String {
      var s = String.UnicodeScalarView()
      for _ in 0..<generator.index(below: 30) { s.append(pool[generator.index(below: pool.count)]) }
      return String(s)
    }
    let decoder = JSONDecoder()
    for _ in 0..<500 {
      var strings: [String: String] = [:]
      var bools: [String: Bool] = [:]
      var doubles: [String: Double] = [:]
      for _ in 0..<generator.index(below: 5) {
        strings[text()] = text()
        bools[text()] = generator.index(below: 2) == 0
        doubles[text()] = [0, 1, 0.5, 1.0 / 3, 1e-7, 123456.789, -2.5][generator.index(below: 7)]
      }
      #expect(try decoder.decode([String: String].self, from: Data(StoreJSON.object(strings).utf8)) == strings)
      #expect(try decoder.decode([String: Bool].self, from: Data(StoreJSON.object(bools).utf8)) == bools)
      #expect(try decoder.decode([String: Double].self, from: Data(StoreJSON.object(doubles).utf8)) == doubles)
      let response = ModelResponse(
        text: text(), finishReason: generator.index(below: 2) == 0 ? nil : text(),
        promptTokens: generator.index(below: 2) == 0 ? nil : generator.index(below: 9000),
        completionTokens: generator.index(below: 2) == 0 ? nil : generator.index(below: 9000),
        latencyMs: Double(generator.index(below: 1_000_000)) / 997, attempts: 1 + generator.index(below: 4))
      #expect(try decoder.decode(ModelResponse.self, from: Data(StoreJSON.response(response).utf8)) == response)
    }
  }
}
