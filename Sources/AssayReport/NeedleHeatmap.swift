import AssayCore

/// A needle task's scores per cell: the mean recall at each (depth, length), with the means per length and per
/// depth, the picture the needle-in-a-haystack test is known for.
public struct NeedleHeatmap: Codable, Sendable, Equatable {
  /// `suite/variant`.
  public var taskID: String
  /// The language of the haystack.
  public var language: String
  /// The model's window, when known.
  public var window: Int?
  /// Target prompt lengths in tokens (columns).
  public var lengths: [Int]
  /// Depths in percent (rows).
  public var depths: [Double]
  /// Needles hidden and asked per item.
  public var needles: Int
  /// Needles asked per item.
  public var asked: Int
  /// Mean recall (0 to 1) per depth row and length column; nil where no item of the cell was scored.
  public var cells: [[Double?]]
  /// Scored items per cell.
  public var counts: [[Int]]
  /// Mean recall per length.
  public var byLength: [Double?]
  /// Mean recall per depth.
  public var byDepth: [Double?]

  enum CodingKeys: String, CodingKey {
    case taskID = "task", language, window, lengths, depths, needles, asked, cells, counts
    case byLength = "by_length", byDepth = "by_depth"
  }

  /// The heatmap of a task from its grid and its scored items (index, recall).
  public init(taskID: String, language: String, settings: NeedleSettings, items: [(index: Int, recall: Double)]) {
    self.taskID = taskID
    self.language = language
    window = settings.window
    lengths = settings.lengths
    depths = settings.depths
    needles = settings.needles
    asked = settings.asked
    let width = settings.lengths.count
    let height = settings.depths.count
    var sums = Array(repeating: Array(repeating: 0.0, count: width), count: height)
    var counts = Array(repeating: Array(repeating: 0, count: width), count: height)
    for item in items where item.index >= 0 && item.index < width * height {
      let row = item.index % height
      let column = item.index / height
      sums[row][column] += item.recall
      counts[row][column] += 1
    }
    self.counts = counts
    cells = zip(sums, counts).map { sumRow, countRow in zip(sumRow, countRow).map { $1 > 0 ? $0 / Double($1) : nil } }
    func mean(_ pairs: [(Double, Int)]) -> Double? {
      let n = pairs.map(\.1).reduce(0, +)
      return n > 0 ? pairs.map(\.0).reduce(0, +) / Double(n) : nil
    }
    let lengthCount = settings.lengths.count
    let depthCount = settings.depths.count
    byLength = (0..<lengthCount).map { column in mean((0..<depthCount).map { (sums[$0][column], counts[$0][column]) }) }
    byDepth = (0..<depthCount).map { row in mean((0..<lengthCount).map { (sums[row][$0], counts[row][$0]) }) }
  }

  /// A length as people write it (`2K` for 2,048, `7,936` otherwise).
  public static func lengthLabel(_ length: Int) -> String {
    if length % 1024 == 0 { return "\(length / 1024)K" }
    if length % 1000 == 0 { return "\(length / 1000)k" }
    return String(length)
  }
}
