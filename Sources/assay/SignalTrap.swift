import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a callback (cancelling the run), so launched servers are torn down and the run
/// is marked interrupted. A second signal exits at once.
final class SignalTrap: @unchecked Sendable {
  private let sources: [any DispatchSourceSignal]

  init(_ onSignal: @escaping @Sendable (Int32) -> Void) {
    var sources: [any DispatchSourceSignal] = []
    let fired = Atomic(false)
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        if fired.exchange(true, ordering: .relaxed) { Foundation.exit(130) }
        FileHandle.standardError.write(Data("\ninterrupted: stopping (signal \(number)); press Ctrl-C again to exit at once\n".utf8))
        onSignal(number)
      }
      source.resume()
      sources.append(source)
    }
    self.sources = sources
  }

  func cancel() {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}
