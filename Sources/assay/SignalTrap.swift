import Foundation
import Synchronization

/// The signal caught by the handler, 0 when none.
private let pendingSignal = Atomic<Int32>(0)

/// Turns SIGINT and SIGTERM into a callback (cancelling the run), so launched servers are torn down and the run
/// is marked interrupted; a second signal exits at once.
///
/// It installs a real handler rather than ignoring the signals: ignored signals stay ignored in child processes
/// across exec, which would make a launched server deaf to SIGTERM; caught ones revert to the default.
final class SignalTrap: Sendable {
  private let poller: Task<Void, Never>

  init(_ onSignal: @escaping @Sendable (Int32) -> Void) {
    pendingSignal.store(0, ordering: .relaxed)
    for number in [SIGINT, SIGTERM] {
      signal(number) { caught in
        let (exchanged, _) = pendingSignal.compareExchange(expected: 0, desired: caught, ordering: .relaxed)
        if !exchanged { _exit(130) }
      }
    }
    poller = Task.detached {
      while !Task.isCancelled {
        let caught = pendingSignal.load(ordering: .relaxed)
        if caught != 0 {
          FileHandle.standardError.write(
            Data("\ninterrupted (signal \(caught)): stopping and saving; press Ctrl-C again to exit at once\n".utf8))
          onSignal(caught)
          return
        }
        try? await Task.sleep(for: .milliseconds(50))
      }
    }
  }

  func cancel() {
    poller.cancel()
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}
