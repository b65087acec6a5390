import AssayRate
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The terminal's settings before raw mode, restored on exit and on SIGTERM/SIGHUP.
nonisolated(unsafe) private var savedTermios: termios?

/// A full-screen terminal session: raw mode, alternate screen, hidden cursor; keys decoded from stdin.
final class Terminal {
  private var pending: [UInt8] = []

  /// Enters raw mode and the alternate screen.
  init() {
    var original = termios()
    tcgetattr(STDIN_FILENO, &original)
    savedTermios = original
    var raw = original
    cfmakeraw(&raw)
    raw.c_oflag |= tcflag_t(OPOST | ONLCR)
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
    Self.write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    for number in [SIGTERM, SIGHUP] {
      signal(number) { caught in
        Terminal.restoreNow()
        _exit(128 + caught)
      }
    }
  }

  /// Leaves the alternate screen and restores the terminal.
  func restore() {
    Self.restoreNow()
  }

  static func restoreNow() {
    if var original = savedTermios {
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
      savedTermios = nil
    }
    write("\u{1B}[?25h\u{1B}[?1049l")
  }

  /// The window size (columns, rows).
  static func size() -> (width: Int, height: Int) {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
      return (Int(size.ws_col), Int(size.ws_row))
    }
    return (100, 30)
  }

  /// Draws full lines from the top left.
  func draw(_ lines: [String]) {
    var out = "\u{1B}[H"
    for (index, line) in lines.enumerated() {
      out += line + "\u{1B}[K"
      if index < lines.count - 1 { out += "\r\n" }
    }
    Self.write(out)
  }

  static func write(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
      if written <= 0 { break }
      offset += written
    }
  }

  /// The next key, or nil after `timeout` milliseconds without input (to notice resizes), or `.eof`.
  func readKey(timeoutMs: Int32) -> KeyInput {
    if pending.isEmpty {
      guard Self.waitReadable(timeoutMs) else { return .timeout }
      var buffer = [UInt8](repeating: 0, count: 64)
      let count = read(STDIN_FILENO, &buffer, buffer.count)
      if count <= 0 { return .eof }
      pending += buffer.prefix(count)
    }
    return decode()
  }

  static func waitReadable(_ timeoutMs: Int32) -> Bool {
    var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    return poll(&descriptor, 1, timeoutMs) > 0
  }

  private func decode() -> KeyInput {
    let first = pending.removeFirst()
    switch first {
    case 0x1B:
      if pending.isEmpty, Self.waitReadable(30) {
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        if count > 0 { pending += buffer.prefix(count) }
      }
      guard pending.first == UInt8(ascii: "[") || pending.first == UInt8(ascii: "O") else { return .key(.escape) }
      pending.removeFirst()
      var sequence: [UInt8] = []
      while let byte = pending.first {
        pending.removeFirst()
        sequence.append(byte)
        if (0x40...0x7E).contains(byte) { break }
      }
      switch String(decoding: sequence, as: UTF8.self) {
      case "A": return .key(.up)
      case "B": return .key(.down)
      case "C": return .key(.character("l"))
      case "D": return .key(.character("h"))
      case "5~": return .key(.pageUp)
      case "6~": return .key(.pageDown)
      default: return .timeout
      }
    case 0x09: return .key(.tab)
    case 0x0D, 0x0A: return .key(.enter)
    case 0x7F, 0x08: return .key(.backspace)
    default:
      // A UTF-8 character: gather its continuation bytes.
      var bytes = [first]
      let expected = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
      while bytes.count < expected {
        if pending.isEmpty, Self.waitReadable(50) {
          var buffer = [UInt8](repeating: 0, count: 8)
          let count = read(STDIN_FILENO, &buffer, buffer.count)
          if count > 0 { pending += buffer.prefix(count) }
        }
        guard !pending.isEmpty else { break }
        bytes.append(pending.removeFirst())
      }
      let text = String(decoding: bytes, as: UTF8.self)
      return text.first.map { .key(.character($0)) } ?? .timeout
    }
  }
}

/// What reading the terminal produced.
enum KeyInput: Equatable {
  case key(RatingScreen.Key)
  case timeout
  case eof
}
