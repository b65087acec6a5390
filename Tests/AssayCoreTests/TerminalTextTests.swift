import AssayCore
import Foundation
import Testing

/// Hostile strings lose every control a terminal would obey, and stay readable.
struct TerminalTextTests {
  /// Whether `text` holds any C0 or C1 control (other than newline and tab), DEL, or a bidi override.
  func hasControls(_ text: String, allowLayout: Bool) -> Bool {
    text.unicodeScalars.contains { s in
      if allowLayout && (s == "\n" || s == "\t") { return false }
      return s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
        || (0x2066...0x2069).contains(s.value)
    }
  }

  static let hostile: [(name: String, text: String, shown: String)] = [
    ("OSC 0 title", "a\u{1B}]0;pwned\u{07}b", "a␛]0;pwned␇b"),
    ("OSC 2 title, ST-terminated", "\u{1B}]2;pwned\u{1B}\\x", "␛]2;pwned␛\\x"),
    ("OSC 52 clipboard", "\u{1B}]52;c;cm0gLXJmIH4=\u{07}", "␛]52;c;cm0gLXJmIH4=␇"),
    ("CSI 2J clear", "\u{1B}[2J\u{1B}[H", "␛[2J␛[H"),
    ("C1 CSI U+009B", "x\u{9B}2Jy", "x\\u{9B}2Jy"),
    ("C1 OSC U+009D and ST U+009C", "\u{9D}0;pwned\u{9C}", "\\u{9D}0;pwned\\u{9C}"),
    ("C1 NEL U+0085, first C1 U+0080", "\u{85}\u{80}", "\\u{85}\\u{80}"),
    ("bidi override U+202E", "abc\u{202E}fed\u{202C}", "abc\\u{202E}fed\\u{202C}"),
    ("bidi isolates", "\u{2066}\u{2067}\u{2068}\u{2069}", "\\u{2066}\\u{2067}\\u{2068}\\u{2069}"),
    ("DEL and NUL", "a\u{7F}b\u{0}c", "a␡b␀c"),
    ("backspace and lone CR overwrite", "good\u{8}\u{8}\u{8}\u{8}evil\rfake", "good␈␈␈␈evil␍fake"),
  ]

  @Test(arguments: hostile.indices)
  func hostileStringsAreShownNotObeyed(_ index: Int) {
    let (name, text, shown) = Self.hostile[index]
    let multi = TerminalText.visible(text)
    let single = TerminalText.visible(text, layout: .singleLine)
    #expect(multi == shown, "\(name)")
    #expect(single == shown, "\(name)")
    #expect(!hasControls(multi, allowLayout: true), "\(name)")
    #expect(!hasControls(single, allowLayout: false), "\(name)")
  }

  @Test func layoutIsKeptOrShownOnOneLine() {
    let text = "line one\r\n\tline two\nthree"
    #expect(TerminalText.visible(text) == "line one\n\tline two\nthree")
    #expect(TerminalText.visible(text, layout: .singleLine) == "line one␍␊␉line two␊three")
  }

  @Test func ordinaryTextIsUnchanged() {
    for text in ["plain ASCII", "中文 ภาษาไทย العربية עברית हिन्दी", "emoji 👍🏽 ‍zwj", "", "U+2028\u{2028}ok", "bidi marks \u{200F}\u{200E} stay"] {
      #expect(TerminalText.visible(text) == text)
      #expect(TerminalText.jsonSafe(text) == text)
    }
  }

  @Test func jsonStaysTheSameDocument() throws {
    let values = Self.hostile.map(\.text) + ["multi\nline\ttab"]
    let data = try JSONSerialization.data(withJSONObject: ["values": values], options: [.prettyPrinted, .sortedKeys])
    let safe = TerminalText.jsonSafe(String(decoding: data, as: UTF8.self))
    #expect(!hasControls(safe, allowLayout: true))
    let decoded = try JSONSerialization.jsonObject(with: Data(safe.utf8)) as! [String: [String]]
    #expect(decoded["values"] == values)
  }
}
