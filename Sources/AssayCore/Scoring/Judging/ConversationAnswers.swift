/// The answer of a multi-turn item (stored as `ResponsePayload`): the model's answer to each user turn, in order
/// (turn 2 was asked after turn 1's answer).
public struct ConversationAnswers: Codable, Sendable, Equatable {
  /// One answer per turn.
  public var turns: [String]

  /// Answers in turn order.
  public init(turns: [String]) { self.turns = turns }

  /// The answers in a multi-turn item's stored response (`ResponsePayload`'s codec); a text that is not a
  /// conversation's JSON is one answer.
  public static func answers(in response: String) -> [String] {
    ResponsePayload(stored: response, kind: .conversation).replies
  }
}
