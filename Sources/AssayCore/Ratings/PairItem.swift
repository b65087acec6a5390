import Foundation

/// One item of a comparison set: a prompt and two models' responses to it.
public struct PairItem: Sendable, Equatable, Codable {
  /// 0-based position in the set.
  public var index: Int
  /// The source's id for the prompt (question id, `suite/variant#sample`).
  public var key: String
  /// The prompt shown to raters.
  public var prompt: String
  /// Model A's name (hidden from raters).
  public var modelA: String
  /// Model A's response.
  public var responseA: String
  /// Model B's name.
  public var modelB: String
  /// Model B's response.
  public var responseB: String
  /// What came before the question in the prompt (few-shot exemplars), shown folded; nil when nothing did.
  public var context: String?

  /// An item.
  public init(
    index: Int, key: String, prompt: String, modelA: String, responseA: String, modelB: String, responseB: String,
    context: String? = nil
  ) {
    self.context = context
    self.index = index
    self.key = key
    self.prompt = prompt
    self.modelA = modelA
    self.responseA = responseA
    self.modelB = modelB
    self.responseB = responseB
  }
}

extension PairItem {
  /// Splits a prompt into the exemplars before the question and the question, when the prompt ends with the
  /// question as rendered on its own (`question`); otherwise the whole prompt is the question.
  ///
  ///     PairItem.fold("Q: 1+1?\nA: 2\n\nQ: 2+2?\nA:", question: "Q: 2+2?\nA:")   // ("Q: 1+1?\nA: 2", "Q: 2+2?\nA:")
  public static func fold(_ prompt: String, question: String) -> (context: String?, question: String) {
    let bare = question.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !bare.isEmpty, prompt.count > question.count, prompt.hasSuffix(question) else { return (nil, prompt) }
    let context = String(prompt.dropLast(question.count)).trimmingCharacters(in: .whitespacesAndNewlines)
    return context.isEmpty ? (nil, prompt) : (context, question)
  }
}

/// A rater's verdict in screen terms.
public enum Verdict: String, Sendable, Codable, CaseIterable {
  case left, right, tie, bothBad = "bothbad", skip

  /// The battle outcome given which model was on the left; nil for a skip.
  public func winner(aOnLeft: Bool) -> Battle.Winner? {
    switch self {
    case .left: return aOnLeft ? .modelA : .modelB
    case .right: return aOnLeft ? .modelB : .modelA
    case .tie: return .tie
    case .bothBad: return .bothBad
    case .skip: return nil
    }
  }
}

/// Deterministic per-item choices (side, repeats), from the set's seed, so every process agrees.
public enum PairDraw {
  /// A stable 64-bit hash of the parts.
  public static func hash(_ parts: String...) -> UInt64 {
    var hasher = SHA256()
    hasher.update(parts.joined(separator: "\u{0}"))
    let hex = hasher.finalizeHex()
    return UInt64(hex.prefix(16), radix: 16)!
  }

  /// Whether model A is shown on the left for this rater and pass.
  public static func aOnLeft(seed: Int, item: Int, rater: String, pass: Int) -> Bool {
    hash("side", String(seed), String(item), rater, String(pass)) & 1 == 0
  }

  /// Whether an item is shown a second time to each rater (self-consistency).
  public static func isRepeated(seed: Int, item: Int, share: Double) -> Bool {
    Double(hash("repeat", String(seed), String(item)) % 10_000) < share * 10_000
  }

  /// The item order raters draw from (a seeded shuffle).
  public static func order(seed: Int, item: Int) -> UInt64 {
    hash("order", String(seed), String(item))
  }
}
