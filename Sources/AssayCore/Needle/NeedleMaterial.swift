import Foundation

/// A needle task's haystack and, once the model's window is known, its resolved grid.
public struct NeedleMaterial: Sendable, Equatable {
  /// Every data row's haystack text once, in file order, joined by the spec's separator.
  public var haystack: String
  /// The grid a run used (nil until the lengths are resolved).
  public var settings: NeedleSettings?

  /// Material with a haystack and, optionally, the resolved grid.
  public init(haystack: String, settings: NeedleSettings? = nil) {
    self.haystack = haystack
    self.settings = settings
  }
}

/// The texts of a needle item: each needle's sentence, the question, the item's sample, and where needles go in a
/// context (after the sentence end nearest their depth, never inside a word).
///
/// ```swift
/// let text = NeedlePlacement.insert(["The magic number for box 417 is 4829173."], depths: [50], into: context, joiner: " ")
/// ```
public enum NeedlePlacement {
  /// The sentence of one needle, from the spec's template.
  public static func sentence(_ needle: NeedleGrid.Needle, spec: NeedleSpec, params: [String: String]) throws(AssayError) -> String {
    try Template.render(spec.needleText, params: params, fields: ["key": needle.key, "value": needle.value])
  }

  /// The question of an item: `{{key}}` is the first asked key, `{{key1}}` ... `{{keyN}}` each asked key.
  public static func question(_ item: NeedleGrid.Item, spec: NeedleSpec, params: [String: String]) throws(AssayError) -> String {
    var fields: [String: String] = ["key": item.needles[item.asked[0]].key]
    for (position, index) in item.asked.enumerated() { fields["key\(position + 1)"] = item.needles[index].key }
    return try Template.render(spec.question, params: params, fields: fields)
  }

  /// The sample of an item with its context: fields `context`, `question`, `length`, `depth` and `needles` (JSON);
  /// the target lists the asked values, each of which is a gold.
  public static func sample(
    index: Int, item: NeedleGrid.Item, spec: NeedleSpec, params: [String: String], context: String
  ) throws(AssayError) -> Sample {
    let needles = item.needles.enumerated().map { position, needle in
      "{\"key\":\"\(needle.key)\",\"value\":\"\(needle.value)\",\"depth\":\(Self.percent(needle.depth)),\"asked\":\(item.asked.contains(position))}"
    }
    let fields: [String: String] = [
      "context": context, "question": try question(item, spec: spec, params: params), "length": String(item.length),
      "depth": Self.percent(item.depth), "needles": "[" + needles.joined(separator: ",") + "]",
    ]
    let values = item.values
    return Sample(index: index, fields: fields, target: values.joined(separator: ", "), golds: values)
  }

  /// A depth as short text (`50`, `33.3`).
  public static func percent(_ depth: Double) -> String {
    depth == depth.rounded() ? String(Int(depth)) : String(format: "%.1f", depth)
  }

  /// Scalars after which a needle may start a new sentence.
  static let sentenceEnds: Set<Unicode.Scalar> = [".", "!", "?", "。", "！", "？", "।", "॥", "؟", "۔", ";", "\n"]

  /// Where a needle at `depth` percent goes in `context`: at 0 the start, at 100 the end, else just after the
  /// nearest sentence end before that point (after the whitespace that follows it), or the nearest whitespace, or
  /// the point itself when the text has neither (a scalar offset).
  public static func position(depth: Double, in scalars: [Unicode.Scalar]) -> Int {
    if depth <= 0 || scalars.isEmpty { return 0 }
    if depth >= 100 { return scalars.count }
    let target = Int((Double(scalars.count) * depth / 100).rounded())
    let window = max(200, scalars.count / 20)
    var index = target
    while index > 0 && target - index < window {
      if sentenceEnds.contains(scalars[index - 1]) || (scalars[index - 1].properties.isWhitespace && index >= 2 && sentenceEnds.contains(scalars[index - 2])) {
        var start = index
        while start < scalars.count && scalars[start].properties.isWhitespace && scalars[start] != "\n" { start += 1 }
        return start
      }
      index -= 1
    }
    index = target
    while index > 0 && target - index < window {
      if scalars[index - 1].properties.isWhitespace { return index }
      index -= 1
    }
    return target
  }

  /// The context with each needle inserted at its depth (deepest first, so earlier offsets stay valid), each
  /// joined to the text around it by `joiner`.
  public static func insert(_ needles: [String], depths: [Double], into context: String, joiner: String) -> String {
    var scalars = Array(context.unicodeScalars)
    let placed = zip(needles, depths).map { (text: $0, at: position(depth: $1, in: scalars)) }
    for (text, at) in placed.enumerated().sorted(by: { ($0.element.at, $0.offset) > ($1.element.at, $1.offset) }).map(\.element) {
      let before = at > 0 && !scalars[at - 1].properties.isWhitespace ? joiner : ""
      let after = at < scalars.count && !scalars[at].properties.isWhitespace ? joiner : ""
      scalars.insert(contentsOf: Array((before + text + after).unicodeScalars), at: at)
    }
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars)
    return String(result)
  }
}
