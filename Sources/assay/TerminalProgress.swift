import AssayCore
import AssayRunner
import Foundation
import Synchronization

/// Progress on stderr: a redrawn bar on a TTY (done/total, rate, ETA, errors), plain lines otherwise.
final class TerminalProgress: ProgressReporter {
  private struct State {
    var total = 0
    var done = 0
    var startDone = 0
    var failed = 0
    var cached = 0
    var started = ContinuousClock.now
    var lastDraw = ContinuousClock.now - .seconds(10)
    var lastLoggedTenth = -1
  }

  private let state = Mutex(State())
  private let isTTY: Bool
  private let label: String

  init(label: String) {
    self.label = TerminalText.visible(label, layout: .singleLine)  // task ids come from suite files
    isTTY = isatty(STDERR_FILENO) == 1
  }

  func start(total: Int, alreadyDone: Int) {
    state.withLock {
      $0.total = total
      $0.done = alreadyDone
      $0.startDone = alreadyDone
      $0.started = .now
    }
    if alreadyDone > 0 { emit("resuming: \(alreadyDone) of \(total) samples already scored\n") }
    draw(force: true)
  }

  func advance(failed: Bool, cached: Bool) {
    state.withLock {
      $0.done += 1
      if failed { $0.failed += 1 }
      if cached { $0.cached += 1 }
    }
    draw(force: false)
  }

  func finish() {
    draw(force: true)
    if isTTY { emit("\n") }
  }

  private func draw(force: Bool) {
    let line: String? = state.withLock { s in
      let now = ContinuousClock.now
      // The line is formatted only when it is drawn: advance() runs once per sample, thousands of times a second.
      func stats() -> String {
        let elapsed = (now - s.started).seconds
        let fresh = s.done - s.startDone
        let rate = elapsed > 0 ? Double(fresh) / elapsed : 0
        let remaining = s.total - s.done
        let eta = rate > 0 ? Self.duration(Double(remaining) / rate) : "--:--"
        return "\(s.done)/\(s.total)  \(String(format: "%.1f", rate))/s  ETA \(eta)  errors \(s.failed)  cached \(s.cached)"
      }
      if isTTY {
        guard force || now - s.lastDraw > .milliseconds(100) else { return nil }
        s.lastDraw = now
        let width = 28
        let filled = s.total > 0 ? width * s.done / s.total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "\r\u{1B}[2K\(label) \(bar) \(stats())"
      }
      let tenth = s.total > 0 ? 10 * s.done / s.total : 10
      guard force || tenth > s.lastLoggedTenth || now - s.lastDraw > .seconds(15) else { return nil }
      s.lastLoggedTenth = tenth
      s.lastDraw = now
      return "\(label) progress: \(stats())\n"
    }
    if let line { emit(line) }
  }

  private func emit(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  static func duration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return total >= 3600
      ? String(format: "%d:%02d:%02d", total / 3600, total % 3600 / 60, total % 60)
      : String(format: "%d:%02d", total / 60, total % 60)
  }
}
