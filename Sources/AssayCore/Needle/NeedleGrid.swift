import Foundation

/// The items of a needle-in-a-haystack task: one per (length, depth) cell, in length-major order, each with its
/// needles (keys and values drawn from a seed of the suite, variant and cell, so every machine hides the same
/// numbers) and the needles its question asks for.
///
/// ```swift
/// let lengths = try NeedleGrid.lengths(spec.lengths, window: 8192, maxTokens: 256, task: "needle/en")
/// let grid = NeedleGrid(spec: spec, lengths: lengths, seed: "needle/en")
/// grid.items[0].values   // the 7-digit numbers hidden in the first cell
/// ```
public struct NeedleGrid: Sendable, Equatable {
  /// One needle: its key, its value and the depth (percent) it is placed at.
  public struct Needle: Codable, Sendable, Equatable {
    /// The key the question names (`box 417`).
    public var key: String
    /// The value to retrieve (a 7-digit number).
    public var value: String
    /// Percent of the context before it.
    public var depth: Double

    /// A needle with its key, value and depth.
    public init(key: String, value: String, depth: Double) {
      self.key = key
      self.value = value
      self.depth = depth
    }
  }

  /// One cell of the grid.
  public struct Item: Sendable, Equatable {
    /// Target prompt length in tokens (the whole request, template included).
    public var length: Int
    /// Depth of the first needle, in percent.
    public var depth: Double
    /// Every needle hidden, in the order placed.
    public var needles: [Needle]
    /// Indices into `needles` of those asked for.
    public var asked: [Int]

    /// The values the answer must contain.
    public var values: [String] { asked.map { needles[$0].value } }
  }

  /// The resolved lengths, in order.
  public let lengths: [Int]
  /// The depths, in order.
  public let depths: [Double]
  /// Every cell: `lengths.count * depths.count` items, index = length position * depths.count + depth position.
  public let items: [Item]

  /// The grid of a spec over resolved lengths; `seed` names the task (`suite/variant`).
  public init(spec: NeedleSpec, lengths: [Int], seed: String) {
    self.lengths = lengths
    self.depths = spec.depths
    var items: [Item] = []
    let valueDigits = spec.valueDigits ?? 7
    let keyDigits = spec.keyDigits ?? 3
    for (li, length) in lengths.enumerated() {
      for (di, depth) in spec.depths.enumerated() {
        var random = SeededGenerator(seed: Self.seed("\(seed)#\(li * spec.depths.count + di)"))
        var keys: [String] = []
        var values: [String] = []
        while keys.count < spec.needles {
          let key = String(Self.number(digits: keyDigits, &random))
          if !keys.contains(key) { keys.append(key) }
        }
        while values.count < spec.needles {
          let value = String(Self.number(digits: valueDigits, &random))
          if !values.contains(value) { values.append(value) }
        }
        // Needles after the first are spread evenly over what is left of the context (Kamradt's multi-needle rule).
        let step = (100 - depth) / Double(spec.needles)
        let needles = (0..<spec.needles).map { Needle(key: keys[$0], value: values[$0], depth: depth + Double($0) * step) }
        var order = Array(0..<spec.needles)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.index(below: i + 1)) }
        items.append(Item(length: length, depth: depth, needles: needles, asked: Array(order.prefix(spec.asked)).sorted()))
      }
    }
    self.items = items
  }

  private static func number(digits: Int, _ random: inout SeededGenerator) -> Int {
    var low = 1
    for _ in 1..<digits { low *= 10 }
    return low + random.index(below: low * 9)
  }

  private static func seed(_ text: String) -> UInt64 {
    UInt64(SHA256.hex(text).prefix(16), radix: 16) ?? 0
  }

  /// The lengths of a spec for a model's window (nil: unknown) and answer budget: `window` means the window less
  /// the answer's tokens, and an explicit length that does not fit with the answer is refused before anything is
  /// sent, naming the window.
  public static func lengths(_ spec: NeedleLengths, window: Int?, maxTokens: Int, task: String) throws(AssayError) -> [Int] {
    let fits = window.map { $0 - maxTokens }
    func resolve(_ length: Int?) throws(AssayError) -> Int {
      guard let length else {
        guard let fits else {
          throw AssayError(.invalidArgument,
            "\(task) runs up to the model's context window, and the server did not say how large it is",
            fix: "pass --context-window N (the server's context size in tokens), or give explicit --needle-lengths")
        }
        return fits
      }
      if let window, let fits, length > fits {
        throw AssayError(.invalidArgument,
          "\(task): a context of \(length) tokens does not fit the model's window of \(window) tokens with \(maxTokens) tokens "
            + "for the answer (at most \(fits))",
          fix: "lower --needle-lengths to at most \(fits) (or `window`), or serve the model with a larger context (--ctx-size)")
      }
      return length
    }
    switch spec {
    case .list(let values):
      var lengths: [Int] = []
      for value in values { lengths.append(try resolve(value)) }
      return lengths
    case .spaced(let from, let to, let count):
      let first = try resolve(from)
      let last = try resolve(to)
      guard last >= first else {
        throw AssayError(.invalidArgument,
          "\(task): lengths from \(from) up to \(last) tokens: the window (\(window ?? 0)) leaves less than the first length",
          fix: "lower the first length, or serve the model with a larger context")
      }
      guard count > 1 else { return [last] }
      return (0..<count).map { first + Int((Double(last - first) * Double($0) / Double(count - 1)).rounded()) }
    }
  }
}

/// What a needle task's run used, recorded with its settings: the window, the resolved lengths and the depths,
/// so reports can place each item (index = length position * depths + depth position).
public struct NeedleSettings: Codable, Sendable, Equatable {
  /// The model's context window, when known.
  public var window: Int?
  /// Target prompt lengths, in tokens.
  public var lengths: [Int]
  /// Depths, in percent.
  public var depths: [Double]
  /// Needles hidden per item.
  public var needles: Int
  /// Needles asked for per item.
  public var asked: Int

  /// Settings with every field given.
  public init(window: Int?, lengths: [Int], depths: [Double], needles: Int, asked: Int) {
    self.window = window
    self.lengths = lengths
    self.depths = depths
    self.needles = needles
    self.asked = asked
  }

  /// The cell (length, depth) of an item index, or nil outside the grid.
  public func cell(of index: Int) -> (length: Int, depth: Double)? {
    guard !depths.isEmpty, index >= 0, index < lengths.count * depths.count else { return nil }
    return (lengths[index / depths.count], depths[index % depths.count])
  }
}
