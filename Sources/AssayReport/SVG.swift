import Foundation

/// Small helpers for hand-written, deterministic inline SVG and HTML.
enum SVG {
  /// Escapes text for HTML and SVG.
  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  /// A number with one decimal, stable across locales.
  static func n(_ value: Double) -> String { String(format: "%.1f", value) }

  /// A color from red (0) through amber to green (100).
  static func heat(_ percent: Double) -> String {
    let t = max(0, min(1, percent / 100))
    let hue = Int((t * 120).rounded())
    return "hsl(\(hue), 70%, \(Int(88 - t * 30))%)"
  }

  /// A fixed palette for series.
  static let palette = ["#3b6fb6", "#d9822b", "#2f9e6e", "#b63b6f", "#7a5cc4", "#8c8c2e", "#3ba7b6", "#b6463b"]
}
