import Foundation

/// CPython 3.11's `random.Random` (the MT19937 generator of `_randommodule.c` plus the `random.py` methods built
/// on it), bit for bit: integer seeding (any size), `random()`, `gauss()`, `getrandbits()`, `choice()` and
/// `sample(range(n), n)`.
public struct PythonRandom: Sendable {
  private static let stateSize = 624
  private static let shift = 397

  private var state: [UInt32]
  private var index: Int
  /// `gauss()` makes values in pairs and keeps the second for the next call; `seed()` drops it.
  private var gaussNext: Double?

  /// A generator seeded like `random.Random(seed)`.
  init(seed: UInt32) {
    state = [UInt32](repeating: 0, count: Self.stateSize)
    index = Self.stateSize
    self.seed(seed)
  }

  /// A generator seeded like `random.Random(int.from_bytes(bytes, "big"))`: any non-negative integer, given by its
  /// big-endian bytes (a sha256 digest, say).
  public init(seedBigEndian bytes: [UInt8]) {
    state = [UInt32](repeating: 0, count: Self.stateSize)
    index = Self.stateSize
    seed(key: Self.key(bigEndian: bytes))
  }

  /// `random.seed(n)` for 0 <= n < 2**32: CPython keys `init_by_array` with the 32-bit words of abs(n), [0] for 0.
  mutating func seed(_ value: UInt32) {
    seed(key: [value])
  }

  /// The key CPython's `random_seed` gives `init_by_array` for an integer: its 32-bit words, least significant
  /// first, as many as its bit length needs (`(bits - 1) / 32 + 1`), `[0]` for zero.
  static func key(bigEndian bytes: [UInt8]) -> [UInt32] {
    let significant = Array(bytes.drop(while: { $0 == 0 }))
    guard !significant.isEmpty else { return [0] }
    let padded = [UInt8](repeating: 0, count: (4 - significant.count % 4) % 4) + significant
    var words: [UInt32] = []
    for end in stride(from: padded.count, to: 0, by: -4) {
      words.append(padded[(end - 4)..<end].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }
    return words
  }

  /// `init_by_array(key)`, then `gauss_next = None` (what `Random.seed` does after seeding the core generator).
  mutating func seed(key: [UInt32]) {
    let n = Self.stateSize
    initGenrand(19_650_218)
    var i = 1
    var j = 0
    let keyLength = max(key.count, 1)
    for _ in 0..<max(n, keyLength) {
      let previous = state[i - 1] ^ (state[i - 1] >> 30)
      state[i] = (state[i] ^ (previous &* 1_664_525)) &+ (key.isEmpty ? 0 : key[j]) &+ UInt32(truncatingIfNeeded: j)
      i += 1
      j += 1
      if i >= n {
        state[0] = state[n - 1]
        i = 1
      }
      if j >= keyLength { j = 0 }
    }
    for _ in 0..<(n - 1) {
      let previous = state[i - 1] ^ (state[i - 1] >> 30)
      state[i] = (state[i] ^ (previous &* 1_566_083_941)) &- UInt32(truncatingIfNeeded: i)
      i += 1
      if i >= n {
        state[0] = state[n - 1]
        i = 1
      }
    }
    state[0] = 0x8000_0000
    gaussNext = nil
  }

  /// A generator keyed like `random.seed(None)`: 624 words from the system's random source (CPython reads them
  /// from urandom).
  static func systemSeeded() -> PythonRandom {
    var generator = PythonRandom(seed: 0)
    var system = SystemRandomNumberGenerator()
    generator.seed(key: (0..<stateSize).map { _ in UInt32.random(in: .min ... .max, using: &system) })
    return generator
  }

  private mutating func initGenrand(_ seed: UInt32) {
    state[0] = seed
    for i in 1..<Self.stateSize {
      state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
    }
    index = Self.stateSize
  }

  /// `genrand_uint32()`: the next tempered 32-bit output.
  mutating func nextUInt32() -> UInt32 {
    if index >= Self.stateSize { twist() }
    var y = state[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  private mutating func twist() {
    let n = Self.stateSize
    let m = Self.shift
    state.withUnsafeMutableBufferPointer { mt in
      @inline(__always) func mixed(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let y = (a & 0x8000_0000) | (b & 0x7FFF_FFFF)
        return (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_B0DF)
      }
      for k in 0..<(n - m) { mt[k] = mt[k + m] ^ mixed(mt[k], mt[k + 1]) }
      for k in (n - m)..<(n - 1) { mt[k] = mt[k + m - n] ^ mixed(mt[k], mt[k + 1]) }
      mt[n - 1] = mt[m - 1] ^ mixed(mt[n - 1], mt[0])
    }
    index = 0
  }

  /// `random()`: a double in [0, 1) from 27 + 26 bits of two outputs.
  mutating func random() -> Double {
    let a = Double(nextUInt32() >> 5)
    let b = Double(nextUInt32() >> 6)
    return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// `gauss(mu, sigma)`: the Box-Muller pair from `random.py`, the second value cached for the next call.
  mutating func gauss(mu: Double = 0.0, sigma: Double = 1.0) -> Double {
    var z: Double
    if let cached = gaussNext {
      z = cached
      gaussNext = nil
    } else {
      let x2pi = random() * (2.0 * Double.pi)
      let g2rad = (-2.0 * log(1.0 - random())).squareRoot()
      z = cos(x2pi) * g2rad
      gaussNext = sin(x2pi) * g2rad
    }
    return mu + z * sigma
  }

  /// `getrandbits(k)` for 0 <= k <= 64: whole 32-bit words least significant first, the last one cut to its top bits.
  mutating func getrandbits(_ k: Int) -> UInt64 {
    precondition((0...64).contains(k), "getrandbits supports 0...64 bits here")
    if k == 0 { return 0 }
    if k <= 32 { return UInt64(nextUInt32() >> UInt32(32 - k)) }
    let low = UInt64(nextUInt32())
    let high = UInt64(nextUInt32() >> UInt32(64 - k))
    return low | (high << 32)
  }

  /// `_randbelow_with_getrandbits(n)`: k = n.bit_length() bits drawn until the value is below n.
  mutating func randomBelow(_ n: Int) -> Int {
    precondition(n > 0, "randomBelow needs a positive bound")
    let bits = Int.bitWidth - n.leadingZeroBitCount
    var r = getrandbits(bits)
    while r >= UInt64(n) { r = getrandbits(bits) }
    return Int(r)
  }

  /// `sample(range(n), n)`: a permutation of 0..<n. For k = n, `random.py` always takes its pool branch (n is
  /// never above its set size, 21 + 4 ** ceil(log(3n, 4))): j = `_randbelow(n - i)` picks from the pool, whose
  /// last unpicked element fills the hole.
  public mutating func permutation(_ n: Int) -> [Int] {
    var pool = Array(0..<n)
    var result: [Int] = []
    result.reserveCapacity(n)
    for i in 0..<n {
      let j = randomBelow(n - i)
      result.append(pool[j])
      pool[j] = pool[n - i - 1]
    }
    return result
  }

  /// `choice(seq)`: the element at `_randbelow(len(seq))`.
  mutating func choice<C: RandomAccessCollection>(_ elements: C) -> C.Element where C.Index == Int {
    elements[elements.startIndex + randomBelow(elements.count)]
  }
}
