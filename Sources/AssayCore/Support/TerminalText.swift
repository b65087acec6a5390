/// Text from models, servers and files made safe to show on a terminal: control characters that a terminal would
/// obey (escape sequences that retitle the window, clear or repaint the screen, set the clipboard; C1 controls such
/// as U+009B, a one-character CSI; DEL; NUL; bidirectional overrides that reorder what is shown) become visible
/// symbols, so a response can neither repaint the screen nor hide what it says. No I/O.
public enum TerminalText {
  /// How line breaks and tabs are treated.
  public enum Layout: Sendable {
    /// Newlines and tabs stay layout (CRLF becomes a newline); every other control character is shown.
    case multiline
    /// Everything is shown on one line: newlines and tabs become their symbols too (for quoting a server's body
    /// inside a one-line message).
    case singleLine
  }

  /// `text` with every control character a terminal would act on replaced by a visible stand-in: C0 controls and
  /// DEL by their Control Pictures symbol (ESC as ␛, NUL as ␀, DEL as ␡), C1 controls and bidirectional
  /// embedding, override and isolate controls by a `\u{9B}`-style escape. Everything else is kept as it is.
  public static func visible(_ text: String, layout: Layout = .multiline) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = String.UnicodeScalarView()
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      switch scalar.value {
      case 0x0A where layout == .multiline, 0x09 where layout == .multiline:
        out.append(scalar)
      case 0x0D where layout == .multiline && index < scalars.count && scalars[index].value == 0x0A:
        continue  // CRLF is a line break
      case 0x00..<0x20:
        out.append(Unicode.Scalar(0x2400 + scalar.value)!)
      case 0x7F:
        out.append("\u{2421}")
      default:
        if needsEscape(scalar) {
          out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
        } else {
          out.append(scalar)
        }
      }
    }
    return String(out)
  }

  /// A JSON text with the same escaping done losslessly: C0 controls other than the white space JSON allows between
  /// tokens, DEL, C1 controls and bidirectional controls become `\uXXXX` escapes. In valid JSON these characters
  /// can only occur inside strings, where the escape means the same character, so the document is unchanged.
  public static func jsonSafe(_ json: String) -> String {
    guard json.unicodeScalars.contains(where: { needsEscape($0) && !isJSONSpace($0) }) else { return json }
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      if needsEscape(scalar) && !isJSONSpace(scalar) {
        let hex = String(scalar.value, radix: 16)
        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// Whether a terminal would treat `scalar` as a control rather than draw it.
  public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00..<0x20, 0x7F...0x9F: return true
    // Bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI).
    case 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  private static func isJSONSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "\n" || scalar == "\t" || scalar == "\r"
  }
}
