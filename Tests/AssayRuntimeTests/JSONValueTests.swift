import AssayRuntime
import Foundation
import Testing

@Suite struct JSONValueTests {
  @Test func parsesWhatFoundationParsesTheSameWay() throws {
    let text = #"""
      {"a": [1, -2, 3.5, -1.25e-3, 1E+2, 0, null, true, false], "s": "x\"y\\z\/\n\t\u00e9\ud83d\ude00 ü",
       "nested": {"k": [], "o": {}}, "big": 12345678901234567, "neg0": -0.0}
      """#
    let ours = try JSONValue.parse(Array(text.utf8))
    let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    #expect(ours["s"]?.string == theirs["s"] as? String)
    let numbers = ours["a"]!.array!.prefix(6).map { $0.number! }
    #expect(numbers == (theirs["a"] as! [Any]).prefix(6).map { ($0 as! NSNumber).doubleValue })
    #expect(ours["a"]!.array![6] == .null && ours["a"]!.array![7] == .bool(true))
    #expect(ours["nested"]?["k"] == .array([]) && ours["nested"]?["o"] == .object([:]))
    #expect(ours["big"]?.number == 12345678901234567)
    #expect(ours["a"]?.array?[1].int == -2 && ours["a"]?.array?[2].int == nil)
  }

  @Test func rejectsMalformedTextWithItsOffset() {
    for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "[1] x", "{\"a\":\"\\q\"}", "-", "01x"] {
      #expect(throws: JSONParseError.self, "\(bad)") { try JSONValue.parse(Array(bad.utf8)) }
    }
  }

  @Test func loneSurrogatesBecomeReplacementCharacters() throws {
    #expect(try JSONValue.parse(Array(#""a\ud800b""#.utf8)).string == "a\u{FFFD}b")
  }
}
