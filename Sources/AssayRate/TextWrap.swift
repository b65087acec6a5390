import Foundation

/// Wraps text to a display width, breaking at spaces where it can and anywhere in scripts written without spaces.
public enum TextWrap {
  /// The lines of `text` wrapped to `width` cells (tabs become 4 spaces; newlines are kept).
  public static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.replacingOccurrences(of: "\t", with: "    ").replacingOccurrences(of: "\r\n", with: "\n")
      .split(separator: "\n", omittingEmptySubsequences: false)
    {
      lines += wrapParagraph(String(paragraph), width: width)
    }
    return lines
  }

  static func wrapParagraph(_ paragraph: String, width: Int) -> [String] {
    if paragraph.isEmpty { return [""] }
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    var lastSpace: String.Index?  // index in `line` just after the last space
    for character in paragraph {
      let w = DisplayWidth.of(character)
      if lineWidth + w > width {
        if character == " " {
          lines.append(line)
          line = ""
          lineWidth = 0
          lastSpace = nil
          continue
        }
        if let cut = lastSpace, cut > line.startIndex {
          let head = String(line[..<cut])
          let tail = String(line[cut...])
          lines.append(String(head.dropLast(head.hasSuffix(" ") ? 1 : 0)))
          line = tail
          lineWidth = DisplayWidth.of(tail)
        } else {
          lines.append(line)
          line = ""
          lineWidth = 0
        }
        lastSpace = nil
      }
      line.append(character)
      lineWidth += w
      if character == " " { lastSpace = line.endIndex }
    }
    lines.append(line)
    return lines
  }

  /// `text` cut or padded with spaces to exactly `width` cells.
  public static func fit(_ text: String, width: Int) -> String {
    var out = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(character)
      if used + w > width { break }
      out.append(character)
      used += w
    }
    return out + String(repeating: " ", count: max(0, width - used))
  }

  /// Whether a line's first strong character is right-to-left (Hebrew, Arabic, Syriac, Thaana, N'Ko).
  public static func isRightToLeft(_ text: String) -> Bool {
    for scalar in text.unicodeScalars {
      let v = scalar.value
      if (0x0590...0x08FF).contains(v) || (0xFB1D...0xFDFF).contains(v) || (0xFE70...0xFEFF).contains(v) { return true }
      if scalar.properties.isAlphabetic { return false }
    }
    return false
  }
}
