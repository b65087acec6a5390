import Foundation
import Synchronization

/// JSON text pieces written by hand exactly as JSONEncoder writes them (strings escaped as swift-foundation's
/// JSONWriter does with `.withoutEscapingSlashes`; numbers as JSONEncoder formats them).
public enum JSONText {
  /// Appends `text` as a JSON string literal: `"` and `\` escaped, control characters as \b \f \n \r \t or
  /// \u00XX, everything else (slashes and non-ASCII included) as is.
  public static func appendString(_ text: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
      case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
      case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
      case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
      case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Appends an array of strings.
  public static func appendStrings(_ texts: [String], to out: inout [UInt8]) {
    out.append(UInt8(ascii: "["))
    for (index, text) in texts.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      appendString(text, to: &out)
    }
    out.append(UInt8(ascii: "]"))
  }

  /// Appends a number as JSONEncoder writes it (asked of JSONEncoder once per distinct value, then remembered:
  /// requests carry a handful of temperatures and nucleus masses).
  public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
    if let known = doubles.withLock({ $0[value] }) {
      out.append(contentsOf: known)
      return
    }
    let encoded = Array((try? JSONEncoder().encode([value])) ?? Data("[0]".utf8))
    let text = Array(encoded.dropFirst().dropLast())
    doubles.withLock { if $0.count < 4096 { $0[value] = text } }
    out.append(contentsOf: text)
  }

  private static let doubles = Mutex<[Double: [UInt8]]>([:])
}
