/// One pairwise judgment in model terms (FastChat's battle format).
public struct Battle: Sendable, Equatable, Codable {
  /// The outcome, from model A's side.
  public enum Winner: String, Sendable, Codable, CaseIterable {
    case modelA = "model_a", modelB = "model_b", tie, bothBad = "tie (bothbad)"
  }

  /// First model.
  public var modelA: String
  /// Second model.
  public var modelB: String
  /// Who won.
  public var winner: Winner
  /// Who judged (a rater name, or an LLM judge).
  public var judge: String
  /// The item (question) id.
  public var questionID: String
  /// Whether model A was shown on the left (nil when unknown).
  public var aOnLeft: Bool?

  enum CodingKeys: String, CodingKey {
    case modelA = "model_a", modelB = "model_b", winner, judge, questionID = "question_id", aOnLeft = "a_on_left"
  }

  /// A battle.
  public init(modelA: String, modelB: String, winner: Winner, judge: String, questionID: String, aOnLeft: Bool? = nil) {
    self.modelA = modelA
    self.modelB = modelB
    self.winner = winner
    self.judge = judge
    self.questionID = questionID
    self.aOnLeft = aOnLeft
  }

  /// The verdict as a category independent of which model was called A: the winner's name, `tie` or `bothbad`.
  public var category: String {
    switch winner {
    case .modelA: return modelA
    case .modelB: return modelB
    case .tie: return "tie"
    case .bothBad: return "bothbad"
    }
  }

  /// The unit of agreement: the question and the unordered model pair.
  public var itemKey: String {
    let pair = [modelA, modelB].sorted()
    return "\(questionID)|\(pair[0])|\(pair[1])"
  }
}
