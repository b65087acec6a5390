import AssayCore
import AssayRunner
import AssayRuntime
import Foundation

extension RunCommand {
  /// The grid flags, parsed (nil when not given).
  func needleOverrides() throws(AssayError) -> (lengths: NeedleLengths?, depths: [Double]?) {
    let lengths = try needleLengths.map { (text: String) throws(AssayError) -> NeedleLengths in try NeedleLengths.parse(text) }
    var depths: [Double]?
    if let needleDepths {
      var values: [Double] = []
      for word in needleDepths.split(separator: ",") {
        guard let value = Double(word.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0, value <= 100 else {
          throw AssayError(.invalidArgument, "--needle-depths: '\(word)' is not a percentage from 0 to 100 (nothing was run or stored)",
            fix: "write depths as 0,25,50,75,100")
        }
        values.append(value)
      }
      guard !values.isEmpty else {
        throw AssayError(.invalidArgument, "--needle-depths is empty", fix: "write depths as 0,25,50,75,100")
      }
      depths = values
    }
    if let contextWindow, contextWindow < 64 || contextWindow > 1 << 24 {
      throw AssayError(.invalidArgument, "--context-window \(contextWindow) is outside 64...\(1 << 24) (nothing was run or stored)",
        fix: "pass the server's context size in tokens, e.g. --context-window 8192")
    }
    return (lengths, depths)
  }

  /// Needle tasks with their contexts cut in the model's tokens (other tasks unchanged); the window is
  /// --context-window, else what the server states.
  func needleContexts(
    _ tasks: [EvalTask], client: OpenAIClient, info: ServerInfo, options: GenerationOptions
  ) async throws(AssayError) -> [EvalTask] {
    guard tasks.contains(where: { $0.suite.taskType == .needle }) else { return tasks }
    var window = contextWindow ?? info.contextWindow
    if window == nil { window = await client.propsContextWindow() }
    let overrides = try needleOverrides()
    let total = tasks.filter { $0.suite.taskType == .needle }.count
    FileHandle.standardError.write(Data(
      "building the contexts of \(total) needle task(s) in the model's tokens (window \(window.map(String.init) ?? "unknown"))\n".utf8))
    let builder = NeedleContextBuilder(
      runtime: client, tokenizer: client, window: window, options: options, lengths: overrides.lengths, depths: overrides.depths
    ) { task, done, count in
      if done == count || done % 10 == 0 {
        FileHandle.standardError.write(Data("  \(task): \(done)/\(count) contexts\n".utf8))
      }
    }
    return try await builder.prepare(tasks)
  }
}
