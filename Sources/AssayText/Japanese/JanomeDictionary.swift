import Foundation

/// janome 0.5.1's system dictionary, built at load time from mecab-ipadic 2.7.0-20070801's source files (the data
/// janome compiles into its `sysdic`): the 392,126 CSV entries numbered in janome's order, the connection-cost
/// matrix, char.def's categories and unk.def's unknown-word entries. janome adds one word (令和) and, reading lines
/// with a right strip, turns the full-width space entry's phonetic form into ""; both are reproduced here.
public final class JanomeDictionary: Sendable {
  /// The CSV files in the order janome 0.5.1 numbered their entries (its build read the folder unsorted).
  public static let csvOrder = [
    "Adnominal", "Noun.place", "Noun.name", "Noun.proper", "Suffix", "Conjunction", "Noun.others", "Noun.nai",
    "Noun.org", "Noun.verbal", "Postp-col", "Adj", "Others", "Noun.adjv", "Verb", "Adverb", "Filler", "Symbol",
    "Noun.demonst", "Auxil", "Prefix", "Noun.adverbal", "Postp", "Interjection", "Noun", "Noun.number",
  ].map { $0 + ".csv" }
  /// The entry janome adds after Noun.proper.csv (the era name of 2019).
  static let extraEntry = "令和,1288,1288,5904,名詞,固有名詞,一般,*,*,*,令和,レイワ,レイワ"

  /// A character category of char.def: whether unknown words are always proposed, grouped, and their length.
  struct Category: Sendable {
    var name: String
    var invoke: Bool
    var group: Bool
    var length: Int
  }

  /// An unk.def entry: connection ids, cost and part of speech (its first four fields).
  struct Unknown: Sendable {
    var leftId: Int
    var rightId: Int
    var cost: Int
    var partOfSpeech: String
  }

  /// Surfaces of all entries, concatenated (Unicode scalar values).
  let surfaceScalars: [UInt32]
  /// Entry i's surface is `surfaceScalars[surfaceStart[i] ..< surfaceStart[i + 1]]`.
  let surfaceStart: [Int32]
  let leftIds: [UInt16]
  let rightIds: [UInt16]
  let costs: [Int16]
  /// Entry i's fields after the cost (UTF-8), `features[featureStart[i] ..< featureStart[i + 1]]`.
  let features: [UInt8]
  let featureStart: [Int32]
  /// Entry ids sorted by surface (scalar by scalar, a prefix first), then id: prefix lookups narrow a range of it.
  let sorted: [Int32]
  /// `connections[right * size + left]`: the cost of a right id followed by a left id.
  let connections: [Int16]
  let size: Int
  let categories: [Category]
  /// char.def's ranges in file order: (first, last, category index, compatible category indices).
  let ranges: [(first: UInt32, last: UInt32, category: Int, compatible: [Int])]
  /// unk.def's entries by category index.
  let unknowns: [[Unknown]]
  /// Categories per BMP scalar, computed once (`get_char_categories`); other scalars are looked up in `ranges`.
  let categoryTable: [[(category: Int, compatible: [Int])]]

  /// The number of entries.
  public var count: Int { leftIds.count }

  /// A dictionary from the mecab-ipadic files: the CSVs by file name, char.def and unk.def as text (the caller
  /// decodes them from EUC-JP), matrix.def as its bytes (ASCII).
  public init(csv: [String: String], matrix: Data, charDef: String, unkDef: String) throws(TextDataError) {
    var scalars: [UInt32] = []
    scalars.reserveCapacity(1_700_000)
    var surfaceStart: [Int32] = [0]
    surfaceStart.reserveCapacity(392_200)
    var leftIds: [UInt16] = [], rightIds: [UInt16] = [], costs: [Int16] = []
    var features: [UInt8] = []
    features.reserveCapacity(40_000_000)
    var featureStart: [Int32] = [0]
    // One CSV line (UTF-8, without its newline): surface, left id, right id, cost, then the features kept as bytes.
    func add(_ line: UnsafeBufferPointer<UInt8>, file: String) throws(TextDataError) {
      // Python's rstrip: trailing whitespace (U+3000 included) goes.
      var end = line.count
      while end > 0 {
        var start = end - 1
        while start > 0 && line[start] & 0xC0 == 0x80 { start -= 1 }
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(rebasing: line[start..<end]).makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator), PythonCharacters.isPySpace(scalar) else { break }
        end = start
      }
      var commas: [Int] = []
      var index = 0
      while index < end && commas.count < 4 {
        if line[index] == UInt8(ascii: ",") { commas.append(index) }
        index += 1
      }
      func number(_ from: Int, _ to: Int) -> Int? {
        guard from < to else { return nil }
        var value = 0
        var negative = false
        for position in from..<to {
          let byte = line[position]
          if byte == UInt8(ascii: "-") && position == from { negative = true; continue }
          guard byte >= 48 && byte <= 57 else { return nil }
          value = value * 10 + Int(byte - 48)
        }
        return negative ? -value : value
      }
      guard commas.count == 4, let left = number(commas[0] + 1, commas[1]).flatMap(UInt16.init(exactly:)),
        let right = number(commas[1] + 1, commas[2]).flatMap(UInt16.init(exactly:)),
        let cost = number(commas[2] + 1, commas[3]).flatMap(Int16.init(exactly:))
      else {
        throw TextDataError(
          .invalidData, "mecab-ipadic \(file): cannot read the entry '\(String(decoding: UnsafeBufferPointer(rebasing: line[0..<end]), as: UTF8.self))'",
          fix: "fetch the dictionary again")
      }
      for scalar in String(decoding: UnsafeBufferPointer(rebasing: line[0..<commas[0]]), as: UTF8.self).unicodeScalars {
        scalars.append(scalar.value)
      }
      surfaceStart.append(Int32(scalars.count))
      leftIds.append(left)
      rightIds.append(right)
      costs.append(cost)
      features.append(contentsOf: UnsafeBufferPointer(rebasing: line[(commas[3] + 1)..<end]))
      featureStart.append(Int32(features.count))
    }
    for file in Self.csvOrder {
      guard var text = csv[file] else {
        throw TextDataError(.missingData, "mecab-ipadic's \(file) is missing from the dictionary archive", fix: "fetch the dictionary again")
      }
      var failure: TextDataError?
      text.withUTF8 { bytes in
        var start = 0
        for position in 0...bytes.count where position == bytes.count || bytes[position] == UInt8(ascii: "\n") {
          if position > start && failure == nil {
            do throws(TextDataError) { try add(UnsafeBufferPointer(rebasing: bytes[start..<position]), file: file) } catch { failure = error }
          }
          start = position + 1
        }
        if file == "Noun.proper.csv" && failure == nil {
          var extra = Self.extraEntry
          extra.withUTF8 { extraBytes in
            do throws(TextDataError) { try add(extraBytes, file: "janome's extra entry") } catch { failure = error }
          }
        }
      }
      if let failure { throw failure }
    }
    self.surfaceScalars = scalars
    self.surfaceStart = surfaceStart
    self.leftIds = leftIds
    self.rightIds = rightIds
    self.costs = costs
    self.features = features
    self.featureStart = featureStart
    sorted = scalars.withUnsafeBufferPointer { buffer in
      surfaceStart.withUnsafeBufferPointer { starts in
        (0..<Int32(leftIds.count)).sorted { a, b in
          let (sa, ea) = (Int(starts[Int(a)]), Int(starts[Int(a) + 1]))
          let (sb, eb) = (Int(starts[Int(b)]), Int(starts[Int(b) + 1]))
          var i = sa, j = sb
          while i < ea && j < eb {
            if buffer[i] != buffer[j] { return buffer[i] < buffer[j] }
            i += 1
            j += 1
          }
          if (ea - sa) != (eb - sb) { return (ea - sa) < (eb - sb) }
          return a < b
        }
      }
    }

    // matrix.def: "rows columns", then "right left cost" per line.
    let (size, connections) = try Self.readMatrix(matrix)
    self.size = size
    self.connections = connections

    // char.def: category definitions, then code point ranges with optional compatible categories.
    var categories: [Category] = []
    var ranges: [(first: UInt32, last: UInt32, category: Int, compatible: [Int])] = []
    for rawLine in charDef.split(separator: "\n", omittingEmptySubsequences: true) {
      let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      guard let head = parts.first else { continue }
      if head.hasPrefix("0x") {
        let bounds = head.split(separator: ".", omittingEmptySubsequences: true)
        guard parts.count >= 2, let first = UInt32(bounds[0].dropFirst(2), radix: 16),
          let last = UInt32((bounds.count > 1 ? bounds[1] : bounds[0]).dropFirst(2), radix: 16),
          let category = categories.firstIndex(where: { $0.name == parts[1] })
        else {
          throw TextDataError(.invalidData, "mecab-ipadic char.def: cannot read '\(line)'", fix: "fetch the dictionary again")
        }
        var compatible: [Int] = []
        for name in parts.dropFirst(2) {
          guard let index = categories.firstIndex(where: { $0.name == name }) else {
            throw TextDataError(.invalidData, "mecab-ipadic char.def: unknown category \(name)", fix: "fetch the dictionary again")
          }
          compatible.append(index)
        }
        ranges.append((first, last, category, compatible))
      } else {
        guard parts.count >= 4, let invoke = Int(parts[1]), let group = Int(parts[2]), let length = Int(parts[3]) else {
          throw TextDataError(.invalidData, "mecab-ipadic char.def: cannot read '\(line)'", fix: "fetch the dictionary again")
        }
        categories.append(Category(name: String(head), invoke: invoke != 0, group: group != 0, length: length))
      }
    }
    guard let defaultCategory = categories.firstIndex(where: { $0.name == "DEFAULT" }) else {
      throw TextDataError(.invalidData, "mecab-ipadic char.def has no DEFAULT category", fix: "fetch the dictionary again")
    }
    self.categories = categories
    self.ranges = ranges

    var unknowns = [[Unknown]](repeating: [], count: categories.count)
    for line in unkDef.split(separator: "\n") where !line.isEmpty {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count >= 8, let category = categories.firstIndex(where: { $0.name == fields[0] }),
        let left = Int(fields[1]), let right = Int(fields[2]), let cost = Int(fields[3])
      else {
        throw TextDataError(.invalidData, "mecab-ipadic unk.def: cannot read '\(line)'", fix: "fetch the dictionary again")
      }
      unknowns[category].append(Unknown(leftId: left, rightId: right, cost: cost, partOfSpeech: fields[4...7].joined(separator: ",")))
    }
    self.unknowns = unknowns

    var table = [[(category: Int, compatible: [Int])]](repeating: [], count: 0x10000)
    for value in 0..<0x10000 {
      table[value] = Self.categories(of: UInt32(value), ranges: ranges, fallback: defaultCategory)
    }
    categoryTable = table
    defaultIndex = defaultCategory
  }

  let defaultIndex: Int

  /// janome's `get_char_categories`: every range holding the scalar, in file order (a repeated category keeps its
  /// first place and takes the last compatible list), else DEFAULT.
  static func categories(of value: UInt32, ranges: [(first: UInt32, last: UInt32, category: Int, compatible: [Int])], fallback: Int)
    -> [(category: Int, compatible: [Int])]
  {
    var result: [(category: Int, compatible: [Int])] = []
    for range in ranges where range.first <= value && value <= range.last {
      if let index = result.firstIndex(where: { $0.category == range.category }) {
        result[index].compatible = range.compatible
      } else {
        result.append((range.category, range.compatible))
      }
    }
    return result.isEmpty ? [(fallback, [])] : result
  }

  /// The categories of a scalar.
  func categories(of scalar: Unicode.Scalar) -> [(category: Int, compatible: [Int])] {
    scalar.value < 0x10000 ? categoryTable[Int(scalar.value)] : Self.categories(of: scalar.value, ranges: ranges, fallback: defaultIndex)
  }

  /// The connection cost of a node with `right` followed by one with `left`.
  @inline(__always) func connection(_ right: Int, _ left: Int) -> Int { Int(connections[right * size + left]) }

  /// The entries whose surface is a prefix of `window`, shorter surfaces first, then by entry number.
  func prefixMatches(_ window: ArraySlice<Unicode.Scalar>) -> [Int32] {
    var matches: [Int32] = []
    var low = 0
    var high = sorted.count
    var depth = 0
    surfaceScalars.withUnsafeBufferPointer { buffer in
      surfaceStart.withUnsafeBufferPointer { starts in
        func key(_ position: Int) -> Int64 {
          let entry = Int(sorted[position])
          let start = Int(starts[entry])
          return start + depth < Int(starts[entry + 1]) ? Int64(buffer[start + depth]) : -1
        }
        for scalar in window {
          let target = Int64(scalar.value)
          // First position whose key is >= target, then first whose key is > target.
          var a = low, b = high
          while a < b {
            let mid = (a + b) / 2
            if key(mid) < target { a = mid + 1 } else { b = mid }
          }
          let lower = a
          b = high
          while a < b {
            let mid = (a + b) / 2
            if key(mid) <= target { a = mid + 1 } else { b = mid }
          }
          low = lower
          high = a
          depth += 1
          if low >= high { break }
          // Entries of exactly this length come first in the range.
          var position = low
          while position < high {
            let entry = Int(sorted[position])
            guard Int(starts[entry + 1]) - Int(starts[entry]) == depth else { break }
            matches.append(Int32(entry))
            position += 1
          }
        }
      }
    }
    return matches
  }

  /// Entry `id`'s surface length in scalars.
  @inline(__always) func surfaceLength(_ id: Int) -> Int { Int(surfaceStart[id + 1] - surfaceStart[id]) }

  /// Entry `id`'s surface.
  func surface(_ id: Int) -> String {
    var text = String.UnicodeScalarView()
    for value in surfaceScalars[Int(surfaceStart[id])..<Int(surfaceStart[id + 1])] {
      text.append(Unicode.Scalar(value)!)
    }
    return String(text)
  }

  /// Entry `id`'s fields after the cost: part of speech (four fields), inflection type and form, base form,
  /// reading, phonetic form.
  func features(_ id: Int) -> [String] {
    let text = String(decoding: features[Int(featureStart[id])..<Int(featureStart[id + 1])], as: UTF8.self)
    return text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
  }

  /// matrix.def read into a square array of costs.
  static func readMatrix(_ data: Data) throws(TextDataError) -> (Int, [Int16]) {
    var numbers: [Int] = []
    numbers.reserveCapacity(5_300_000)
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      var value = 0
      var negative = false
      var inNumber = false
      for byte in raw {
        if byte >= 48 && byte <= 57 {
          value = value * 10 + Int(byte - 48)
          inNumber = true
        } else if byte == 45 {
          negative = true
        } else {
          if inNumber { numbers.append(negative ? -value : value) }
          value = 0
          negative = false
          inNumber = false
        }
      }
      if inNumber { numbers.append(negative ? -value : value) }
    }
    guard numbers.count >= 2, numbers[0] == numbers[1], numbers.count == 2 + 3 * numbers[0] * numbers[1] else {
      throw TextDataError(.invalidData, "mecab-ipadic matrix.def is not a square table of costs", fix: "fetch the dictionary again")
    }
    let size = numbers[0]
    var connections = [Int16](repeating: 0, count: size * size)
    var index = 2
    while index < numbers.count {
      let (right, left, cost) = (numbers[index], numbers[index + 1], numbers[index + 2])
      guard right < size, left < size, let value = Int16(exactly: cost) else {
        throw TextDataError(.invalidData, "mecab-ipadic matrix.def: bad line \(right) \(left) \(cost)", fix: "fetch the dictionary again")
      }
      connections[right * size + left] = value
      index += 3
    }
    return (size, connections)
  }
}
