import AssayCore
import Foundation

/// What the CLI prints, made safe for a terminal: text that can hold model output, server bodies or file contents
/// has its control characters shown as symbols (`TerminalText.visible`), and JSON has them escaped losslessly
/// (`TerminalText.jsonSafe`), whether it goes to a terminal or a pipe.
enum Output {
  /// Prints human-readable text (Markdown reports, tables, messages) to standard output.
  static func text(_ text: String, terminator: String = "\n") {
    Swift.print(TerminalText.visible(text), terminator: terminator)
  }

  /// Prints JSON (or JSON Lines) to standard output.
  static func json(_ json: String, terminator: String = "\n") {
    Swift.print(TerminalText.jsonSafe(json), terminator: terminator)
  }

  /// Prints a report in its format.
  static func report(_ rendered: String, format: ReportFormat, terminator: String = "") {
    format == .json ? json(rendered, terminator: terminator) : text(rendered, terminator: terminator)
  }

  /// Writes a message to standard error.
  static func error(_ message: String) {
    FileHandle.standardError.write(Data(TerminalText.visible(message).utf8))
  }
}
