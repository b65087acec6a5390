import Foundation
import Synchronization

/// Runs blocking sandbox work on `workers` long-lived threads, one per worker slot; a job gets the number of the
/// slot (thread) running it, which picks the slot's sample user and its warm Python worker.
///
/// The threads live as long as the pool on purpose: bubblewrap's `--die-with-parent` (PR_SET_PDEATHSIG) fires when
/// the *thread* that started it ends, so a worker process started from a short-lived thread would be killed with it.
public final class ExecutionPool: Sendable {
  /// How many jobs run at once.
  public let workers: Int
  private let queue = Mutex<Queue>(Queue())
  private let condition = NSCondition()

  private struct Queue {
    var jobs: [@Sendable (Int) -> Void] = []
    var head = 0
    var stopped = false
  }

  /// A pool of `workers` threads (at least 1).
  public init(workers: Int) {
    self.workers = max(1, workers)
    for slot in 0..<self.workers {
      let thread = Thread { [self] in self.loop(slot: slot) }
      thread.name = "assay-exec-\(slot)"
      thread.stackSize = 4 << 20
      thread.start()
    }
  }

  /// Runs `body` on the next free slot's thread and returns its result.
  public func run<T: Sendable>(_ body: @escaping @Sendable (Int) -> T) async -> T {
    await withCheckedContinuation { continuation in
      enqueue { slot in continuation.resume(returning: body(slot)) }
    }
  }

  /// Stops the threads once the queued jobs are done.
  public func stop() {
    condition.lock()
    queue.withLock { $0.stopped = true }
    condition.broadcast()
    condition.unlock()
  }

  private func enqueue(_ job: @escaping @Sendable (Int) -> Void) {
    condition.lock()
    queue.withLock { $0.jobs.append(job) }
    condition.signal()
    condition.unlock()
  }

  private func loop(slot: Int) {
    while true {
      condition.lock()
      var job: (@Sendable (Int) -> Void)?
      while true {
        let (next, stopped) = queue.withLock { queue -> ((@Sendable (Int) -> Void)?, Bool) in
          guard queue.head < queue.jobs.count else { return (nil, queue.stopped) }
          let job = queue.jobs[queue.head]
          queue.head += 1
          if queue.head > 1024 && queue.head * 2 > queue.jobs.count {
            queue.jobs.removeFirst(queue.head)
            queue.head = 0
          }
          return (job, false)
        }
        if let next {
          job = next
          break
        }
        if stopped {
          condition.unlock()
          return
        }
        condition.wait()
      }
      condition.unlock()
      job?(slot)
    }
  }
}
