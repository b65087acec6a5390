import AssayText

/// A fixed shuffle of each multiple-choice item's options (`dataset.shuffle`), seeded by the item itself: the same
/// order on every machine and run, whatever other rows the file holds or `--limit` keeps.
///
/// The rule, reproducible with Python's standard library (CPython 3.11's `random.py`):
///
///     seed = first template of `seed` that renders non-empty for the row
///     order = random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")).sample(range(n), n)
///
/// Position p of the shown options holds original option `order[p]` (options counted as `dataset.choices` lists
/// them); the correct answer moves with its option.
public struct ChoiceShuffle: Codable, Sendable, Equatable {
  /// Templates over the row's fields, tried in order: the first whose fields all exist in the row and that renders
  /// to a non-blank text seeds the item (`["{{Record ID}}", "{{Question}}"]`). Written as one string or a list.
  public var seed: [String]

  /// A shuffle seeded by the first usable template of `seed`.
  public init(seed: [String]) {
    self.seed = seed
  }

  enum CodingKeys: String, CodingKey { case seed }

  /// Every key a `shuffle` mapping may use.
  public static let knownKeys: Set<String> = ["seed"]

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let one = try? container.decode(String.self, forKey: .seed) {
      seed = [one]
    } else {
      seed = try container.decode([String].self, forKey: .seed)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(seed, forKey: .seed)
  }

  /// The seed text of one row: the first template whose `{{fields}}` all exist and that renders non-blank; nil
  /// when none does.
  public func seedText(params: [String: String], fields: [String: String]) throws(AssayError) -> String? {
    for template in seed {
      let withParams = try Template.renderParams(template, params: params)
      guard Template.fieldNames(in: withParams).allSatisfy({ fields[$0] != nil }) else { continue }
      let text = try Template.render(withParams, params: params, fields: fields)
      if !text.allSatisfy(\.isWhitespace) { return text }
    }
    return nil
  }

  /// The shown order of `count` options for a seed text: `order[p]` is the original index shown at position p.
  public static func order(count: Int, seed: String) -> [Int] {
    let hex = Array(SHA256.hex(seed).utf8)
    var digest: [UInt8] = []
    digest.reserveCapacity(32)
    func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
    for i in stride(from: 0, to: hex.count, by: 2) { digest.append(nibble(hex[i]) << 4 | nibble(hex[i + 1])) }
    var random = PythonRandom(seedBigEndian: digest)
    return random.permutation(count)
  }
}
