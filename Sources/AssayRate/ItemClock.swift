/// The time a rater spends on the item on screen, without pauses: stopped by `pause`, and by itself when no key
/// came for `idleLimit` seconds (a rater who walked away: the time since their last key is then not counted).
/// Times are seconds on any monotonic clock, passed in, so the value does no I/O.
public struct ItemClock: Sendable, Equatable {
  /// Seconds without a key after which the clock stops by itself.
  public var idleLimit: Double
  /// Seconds counted before the current stretch.
  private var banked = 0.0
  /// When the current stretch started (nil while paused).
  private var runningSince: Double?
  /// The last key while running.
  private var lastKey: Double

  /// A clock started at `now`.
  public init(now: Double, idleLimit: Double = 300) {
    self.idleLimit = idleLimit
    runningSince = now
    lastKey = now
  }

  /// Whether the clock is stopped, by `pause` or by idling past `idleLimit` (as of `now`).
  public func isPaused(at now: Double) -> Bool {
    runningSince == nil || now - lastKey > idleLimit
  }

  /// Whether it stopped by itself: running, but idle past the limit.
  public func isIdle(at now: Double) -> Bool {
    runningSince != nil && now - lastKey > idleLimit
  }

  /// Seconds counted so far.
  public func elapsed(at now: Double) -> Double {
    guard let start = runningSince else { return banked }
    return banked + max(0, (now - lastKey > idleLimit ? lastKey : now) - start)
  }

  /// A key came at `now`: keeps the stretch going, or after idling banks the time up to the last key and starts a
  /// new stretch.
  public mutating func key(at now: Double) {
    guard let start = runningSince else { return }
    if now - lastKey > idleLimit {
      banked += max(0, lastKey - start)
      runningSince = now
    }
    lastKey = now
  }

  /// Stops the clock.
  public mutating func pause(at now: Double) {
    guard runningSince != nil else { return }
    banked = elapsed(at: now)
    runningSince = nil
  }

  /// Starts it again.
  public mutating func resume(at now: Double) {
    guard runningSince == nil else { return }
    runningSince = now
    lastKey = now
  }
}
