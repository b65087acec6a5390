import Foundation

/// The stored response of a multi-turn item: the model's answer to each user turn, in order (turn 2 was asked
/// after turn 1's answer).
public struct ConversationAnswers: Codable, Sendable, Equatable {
  /// One answer per turn.
  public var turns: [String]

  /// Answers in turn order.
  public init(turns: [String]) { self.turns = turns }

  /// The answers stored in a response: a conversation's JSON, or a single-turn reply's text.
  public static func answers(in response: String) -> [String] {
    if response.hasPrefix("{\"turns\""), let decoded = try? JSONDecoder().decode(Self.self, from: Data(response.utf8)) {
      return decoded.turns
    }
    return [response]
  }
}
