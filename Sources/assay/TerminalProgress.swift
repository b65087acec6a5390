import AssayCore
import AssayRunner
import Foundation
import Synchronization

/// Progress on stderr: a redrawn bar on a TTY (done/total, rate, ETA, errors or failures), plain lines otherwise.
final class TerminalProgress: ProgressReporter {
  /// What is being counted: model requests (`errors`: failed requests, `cached`) or programs run against their
  /// tests (`failures`: programs that did not pass; `sandbox errors`, shown when any: runs the sandbox could not do).
  enum Counting {
    case requests
    case programs
  }

  private struct State {
    var total = 0
    var done = 0
    var startDone = 0
    var failed = 0
    var cached = 0
    var sandboxErrors = 0
    var started = ContinuousClock.now
    var lastDraw = ContinuousClock.now - .seconds(10)
    var lastLoggedTenth = -1
  }

  private let state = Mutex(State())
  private let isTTY: Bool
  private let label: String
  private let counting: Counting

  init(label: String, counting: Counting = .requests) {
    self.label = TerminalText.visible(label, layout: .singleLine)  // task ids come from suite files
    self.counting = counting
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

  /// One program done: `failed` when it did not pass (a sandbox error counts apart, not as the program's failure).
  func advance(program verdict: ExecutionVerdict) {
    state.withLock {
      $0.done += 1
      if verdict.kind == .sandboxError { $0.sandboxErrors += 1 } else if !verdict.passed { $0.failed += 1 }
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
        let head = "\(s.done)/\(s.total)  \(String(format: "%.1f", rate))/s  ETA \(eta)"
        switch counting {
        case .requests: return head + "  errors \(s.failed)  cached \(s.cached)"
        case .programs: return head + "  failures \(s.failed)" + (s.sandboxErrors > 0 ? "  sandbox errors \(s.sandboxErrors)" : "")
        }
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
