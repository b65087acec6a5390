import AssayRate
import Testing

@Suite struct ItemClockTests {
  @Test func countsRunningTimeOnly() {
    var clock = ItemClock(now: 100, idleLimit: 300)
    #expect(clock.elapsed(at: 130) == 30)
    clock.pause(at: 130)
    #expect(clock.isPaused(at: 500))
    #expect(clock.elapsed(at: 500) == 30, "a pause does not count")
    clock.resume(at: 500)
    #expect(clock.elapsed(at: 510) == 40)
  }

  @Test func stopsAtTheLastKeyWhenIdle() {
    var clock = ItemClock(now: 0, idleLimit: 300)
    clock.key(at: 50)
    #expect(clock.elapsed(at: 340) == 340, "still within the idle limit")
    #expect(!clock.isIdle(at: 340))
    #expect(clock.isIdle(at: 351) && clock.isPaused(at: 351))
    #expect(clock.elapsed(at: 1000) == 50, "idle: counted up to the last key")
    clock.key(at: 1000)
    #expect(!clock.isIdle(at: 1000))
    #expect(clock.elapsed(at: 1010) == 60, "a key after idling starts a new stretch")
  }

  @Test func pausingTwiceOrResumingARunningClockChangesNothing() {
    var clock = ItemClock(now: 0)
    clock.resume(at: 10)
    #expect(clock.elapsed(at: 20) == 20)
    clock.pause(at: 20)
    clock.pause(at: 40)
    #expect(clock.elapsed(at: 60) == 20)
  }
}
