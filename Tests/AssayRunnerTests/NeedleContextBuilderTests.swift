import AssayCore
import AssayRunner
import AssayTesting
import Foundation
import Synchronization
import Testing

/// A tokenizer where every Unicode scalar is a token (its code point), and a runtime that counts a prompt the same
/// way plus a fixed template overhead: the builder must land every prompt on its target length.
final class ScalarTokenizer: TokenizingRuntime {
  let calls = Mutex(0)
  func tokenize(_ text: String) async throws(AssayError) -> [Int] {
    calls.withLock { $0 += 1 }
    return text.unicodeScalars.map { Int($0.value) }
  }
  func detokenize(_ tokens: [Int]) async throws(AssayError) -> String {
    var view = String.UnicodeScalarView()
    for token in tokens { if let scalar = Unicode.Scalar(UInt32(token)) { view.append(scalar) } }
    return String(view)
  }
}

@Suite struct NeedleContextBuilderTests {
  static let overhead = 17

  func task(lengths: NeedleLengths, depths: [Double] = [0, 50, 100], needles: Int = 1, asked: Int = 1) throws -> EvalTask {
    let spec = NeedleSpec(
      haystack: "{{text}}", lengths: lengths, depths: depths, needles: needles, asked: asked,
      needleText: "The magic number for box {{key}} is {{value}}.", question: "What is the magic number for box {{key}}?")
    var suite = SuiteFixtures.mathSuite(id: "needle-test")
    suite.taskType = .needle
    suite.scorer = ScorerSpec(primary: "recall")
    suite.needle = spec
    suite.solver.prompt.template = "{{context}}\n\n{{question}}"
    suite.solver.generate.maxTokens = 32
    let haystack = (0..<400).map { "Sentence number \($0) of the haystack says nothing." }.joined(separator: " ")
    let grid = NeedleGrid(spec: spec, lengths: [0], seed: "x")
    let samples = try grid.items.enumerated().map { index, item in
      try NeedlePlacement.sample(index: index, item: item, spec: spec, params: [:], context: "")
    }
    return try EvalTask(
      suite: suite, variant: suite.variants[0], samples: samples, datasetSHA256: [:],
      needle: NeedleMaterial(haystack: haystack))
  }

  func runtime() -> ScriptedRuntime {
    ScriptedRuntime { request, _ in
      .success(ModelResponse(text: "", finishReason: "length", promptTokens: request.promptText.unicodeScalars.count + Self.overhead))
    }
  }

  @Test func everyPromptLandsOnItsTargetLength() async throws {
    let builder = NeedleContextBuilder(
      runtime: runtime(), tokenizer: ScalarTokenizer(), window: 4096, options: GenerationOptions(model: "m"))
    let ready = try await builder.prepare([try task(lengths: .list([300, 1000, nil]))])
    let task = ready[0]
    #expect(task.samples.count == 9)
    #expect(task.needle?.settings?.lengths == [300, 1000, 4064])
    #expect(task.suite.needle?.lengths == .list([300, 1000, 4064]))
    for sample in task.samples {
      let prompt = try task.request(for: sample, options: GenerationOptions(model: "m")).promptText
      let target = Int(sample.fields["length"]!)!
      #expect(prompt.unicodeScalars.count + Self.overhead == target, "item \(sample.index)")
      #expect(sample.fields["context"]!.contains("is \(sample.golds[0])."))
    }
    // Depth 0 starts the context with the needle; depth 100 ends it with the needle.
    #expect(task.samples[0].fields["context"]!.hasPrefix("The magic number"))
    #expect(task.samples[2].fields["context"]!.hasSuffix("is \(task.samples[2].golds[0])."))
    // The resolved lengths are part of the content hash, so a run on another window is another run.
    let other = try await NeedleContextBuilder(
      runtime: runtime(), tokenizer: ScalarTokenizer(), window: 2048, options: GenerationOptions(model: "m")
    ).prepare([try self.task(lengths: .list([300, 1000, nil]))])
    #expect(other[0].contentHash != task.contentHash)
  }

  @Test func aLengthBeyondTheWindowIsRefusedBeforeAnythingIsSent() async throws {
    let scripted = runtime()
    let tokenizer = ScalarTokenizer()
    let builder = NeedleContextBuilder(runtime: scripted, tokenizer: tokenizer, window: 2048, options: GenerationOptions(model: "m"))
    do {
      _ = try await builder.prepare([try task(lengths: .list([1000, 4000]))])
      Issue.record("4,000 tokens were accepted for a 2,048-token window")
    } catch {
      #expect((error as? AssayError)?.message.contains("window of 2048 tokens") == true)
    }
    #expect(scripted.calls == 0)
    #expect(tokenizer.calls.withLock { $0 } == 0)
  }

  @Test func flagsReplaceTheSuitesGrid() async throws {
    let builder = NeedleContextBuilder(
      runtime: runtime(), tokenizer: ScalarTokenizer(), window: 4096, options: GenerationOptions(model: "m"),
      lengths: .list([500]), depths: [25, 75])
    let ready = try await builder.prepare([try task(lengths: .list([300, 1000]), needles: 4, asked: 2)])
    #expect(ready[0].samples.count == 2)
    #expect(ready[0].samples.map { $0.fields["depth"] } == ["25", "75"])
    for sample in ready[0].samples {
      #expect(sample.golds.count == 2)
      let context = sample.fields["context"]!
      #expect(context.components(separatedBy: "The magic number for box").count == 5)
    }
  }
}
