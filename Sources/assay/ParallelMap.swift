import Foundation

/// Maps over an array on all cores, keeping the order (loading hundreds of suite variants for `validate` and
/// `suites` is CPU-bound and independent).
func parallelMap<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
  let results = ResultSlots<Output>(count: inputs.count)
  DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
    results.set(index, transform(inputs[index]))
  }
  return results.values()
}

/// Write-once slots filled from several threads.
private final class ResultSlots<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Value?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Value) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  func values() -> [Value] { slots.map { $0! } }
}
