import Foundation

/// What the model answered for one item, typed by the kind of item that asked, and the one codec between it and the
/// response text kept in the response cache and the `sample` table: a reply is stored as itself, the other kinds as
/// their sorted-key JSON (`{"completions":[...]}`, `{"choices":[...]}`, `{"turns":[...]}`,
/// `{"content":...,"tool_calls":[...]}`).
///
/// ```swift
/// let stored = ResponsePayload.completions(CodeCompletions(completions: ["a", "b"])).storedText
/// ResponsePayload(stored: stored, kind: .completions).replies  // ["a", "b"]
/// ```
public enum ResponsePayload: Sendable, Equatable {
  /// One generated reply.
  case text(String)
  /// The completions of an item sampled more than once (pass@k), in order.
  case completions(CodeCompletions)
  /// The continuation likelihood of each choice of a log-likelihood item, in choice order.
  case ranked(RankedChoices)
  /// The answers of a multi-turn item, one per user turn.
  case conversation(ConversationAnswers)
  /// A chat reply to a request with tools: text and tool calls.
  case toolCalls(ToolCallReply)

  /// The kind of response an item asks for, which says how its stored text is read.
  public enum Kind: Sendable, Equatable {
    case text, completions, ranked, conversation, toolCalls
  }

  /// The response text as stored: the reply itself, or the value's sorted-key JSON.
  public var storedText: String {
    switch self {
    case .text(let text): return text
    case .completions(let completions): return CanonicalJSON.string(completions)
    case .ranked(let ranked): return CanonicalJSON.string(ranked)
    case .conversation(let answers): return CanonicalJSON.string(answers)
    case .toolCalls(let reply): return CanonicalJSON.string(reply)
    }
  }

  /// The payload in the stored response text of an item of `kind`. A text that is not that kind's JSON is read as
  /// one plain reply (`.text`): the graders and the scorer then say what they miss (a ranked item's likelihoods).
  public init(stored text: String, kind: Kind) {
    let decoder = JSONDecoder()
    let bytes = Data(text.utf8)
    switch kind {
    case .text:
      self = .text(text)
    case .completions:
      self = (try? decoder.decode(CodeCompletions.self, from: bytes)).map(Self.completions) ?? .text(text)
    case .ranked:
      self = (try? decoder.decode(RankedChoices.self, from: bytes)).map(Self.ranked) ?? .text(text)
    case .conversation:
      self = (try? decoder.decode(ConversationAnswers.self, from: bytes)).map(Self.conversation) ?? .text(text)
    case .toolCalls:
      self = (try? decoder.decode(ToolCallReply.self, from: bytes)).map(Self.toolCalls) ?? .text(text)
    }
  }

  /// The model's replies: each completion, each turn's answer, or the one reply (for a ranked item, its stored
  /// likelihoods as one text).
  public var replies: [String] {
    switch self {
    case .text(let text): return [text]
    case .completions(let completions): return completions.completions
    case .conversation(let answers): return answers.turns
    case .ranked: return [storedText]
    case .toolCalls(let reply): return [reply.content]
    }
  }
}
