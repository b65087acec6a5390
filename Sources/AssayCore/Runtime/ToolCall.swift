/// One function call a server returned in a chat reply's `tool_calls`, as sent: the function's name and its
/// arguments as the raw JSON text (which the model wrote and may be invalid; graders decide).
///
/// ```swift
/// let call = ToolCall(name: "get_weather", arguments: #"{"city": "Paris"}"#)
/// ```
public struct ToolCall: Codable, Sendable, Equatable, Hashable {
  /// The function's name.
  public var name: String
  /// The arguments as the server returned them: normally a JSON object's text.
  public var arguments: String

  /// A call.
  public init(name: String, arguments: String) {
    self.name = name
    self.arguments = arguments
  }
}

/// A chat reply to a request with tools: its text content and its tool calls, in order. Stored as its sorted-key
/// JSON (`{"content": ..., "tool_calls": [...]}`).
public struct ToolCallReply: Codable, Sendable, Equatable {
  /// The message text (empty when the server sent none).
  public var content: String
  /// The tool calls (empty when the model made none).
  public var toolCalls: [ToolCall]

  enum CodingKeys: String, CodingKey {
    case content, toolCalls = "tool_calls"
  }

  /// A reply.
  public init(content: String, toolCalls: [ToolCall]) {
    self.content = content
    self.toolCalls = toolCalls
  }
}
