import AssayCore
import AssayText
import Foundation

/// Scores `instruction_following` items (IFEval): each response is checked against the instructions named in the
/// item's `instruction_id_list` with its `kwargs`, strictly and loosely. Per item it stores prompt-level verdicts
/// (`prompt_strict`, `prompt_loose`) and the share of instructions followed (`inst_strict`, `inst_loose`, weighted
/// by the number of instructions so reports compute instruction-level accuracy over all instructions).
public struct InstructionFollowingGrader: ResponseGrader {
  /// The checker of IFEval's (English) instructions.
  public let checker: IFEvalChecker
  /// M-IFEval's tools by language (`es`, `fr`), for items with `es:` and `fr:` instruction ids.
  public let multilingual: [String: MIFEvalTools]
  /// M-IFEval's Japanese tools (janome, langdetect), for items with `ja:` instruction ids.
  public let japanese: JapaneseTools?

  /// A grader over a checker and, for M-IFEval, its languages' tools.
  public init(checker: IFEvalChecker, multilingual: [String: MIFEvalTools] = [:], japanese: JapaneseTools? = nil) {
    self.checker = checker
    self.multilingual = multilingual
    self.japanese = japanese
  }

  /// One instruction of an item, from whichever checker set its id names.
  public enum Checkable: Sendable, Equatable {
    case english(IFEvalInstruction)
    case spanish(SpanishInstruction)
    case french(FrenchInstruction)
    case japanese(JapaneseInstruction)

    /// The M-IFEval language whose tools it needs, if any.
    public var language: String? {
      switch self {
      case .english: return nil
      case .spanish: return "es"
      case .french: return "fr"
      case .japanese: return "ja"
      }
    }
  }

  /// The instruction for an id: `es:`, `fr:` and `ja:` ids are M-IFEval's, the rest IFEval's.
  public static func checkable(id: String, kwargs: [String: Any]) throws(AssayError) -> Checkable {
    if id.hasPrefix("es:") { return .spanish(try SpanishInstruction(id: id, kwargs: kwargs)) }
    if id.hasPrefix("fr:") { return .french(try FrenchInstruction(id: id, kwargs: kwargs)) }
    if id.hasPrefix("ja:") { return .japanese(try JapaneseInstruction(id: id, kwargs: kwargs)) }
    return .english(try IFEvalInstruction(id: id, kwargs: kwargs))
  }

  /// The instructions of an item, from its `instruction_id_list` and `kwargs` fields (JSON text).
  public static func instructions(of sample: Sample) throws(AssayError) -> [Checkable] {
    let row = "dataset row \(sample.index)"
    guard let idText = sample.fields["instruction_id_list"],
      let ids = try? JSONSerialization.jsonObject(with: Data(idText.utf8)) as? [String]
    else {
      throw AssayError(.invalidData, "\(row): `instruction_id_list` is not a list of instruction ids", fix: "use IFEval's input_data.jsonl format")
    }
    let kwargsText = sample.fields["kwargs"] ?? "[]"
    guard let kwargs = try? JSONSerialization.jsonObject(with: Data(kwargsText.utf8)) as? [[String: Any]],
      kwargs.count == ids.count
    else {
      throw AssayError(
        .invalidData, "\(row): `kwargs` is not a list of \(ids.count) objects, one per instruction",
        fix: "use IFEval's input_data.jsonl format")
    }
    var instructions: [Checkable] = []
    for (id, arguments) in zip(ids, kwargs) {
      do {
        instructions.append(try checkable(id: id, kwargs: arguments))
      } catch {
        throw AssayError(error.code, "\(row): \(error.message)", fix: error.fix)
      }
    }
    return instructions
  }

  /// The verdicts for one response, or the reason the item cannot be checked.
  public func verdict(sample: Sample, response: String) throws(AssayError) -> IFEvalVerdict {
    let instructions = try Self.instructions(of: sample)
    for language in Set(instructions.compactMap(\.language)) where language == "ja" ? japanese == nil : multilingual[language] == nil {
      throw AssayError(.invalidArgument, "dataset row \(sample.index) has M-IFEval \(language) instructions and no tools were loaded for them",
        fix: "score it through the m-ifeval suite")
    }
    return IFEvalChecker.verdict(response: response, count: instructions.count) { index, text in
      switch instructions[index] {
      case .english(let instruction): return checker.follows(instruction, text)
      case .spanish(let instruction): return instruction.follows(text, tools: multilingual["es"]!)
      case .french(let instruction): return instruction.follows(text, tools: multilingual["fr"]!)
      case .japanese(let instruction): return instruction.follows(text, tools: japanese!)
      }
    }
  }

  public func grade(task: EvalTask, sample: Sample, response: ResponsePayload) async -> Grade {
    .scored(score(sample: sample, response: response.storedText, primary: task.scorer.primary))
  }

  /// The stored score of one response (synchronous: the checks are pure computation).
  public func score(sample: Sample, response: String, primary: String) -> SampleScore {
    let verdict: IFEvalVerdict
    do {
      verdict = try self.verdict(sample: sample, response: response)
    } catch {
      return SampleScore(
        answers: [:], correct: Dictionary(uniqueKeysWithValues: Scorer.instructionFollowingMetrics.map { ($0, false) }),
        primary: primary, explanation: "cannot check: \(error.message)")
    }
    return Self.score(verdict, primary: primary)
  }

  /// The stored form of a verdict: the verdict lists as the `answers` (so `assay report --samples` shows them),
  /// 0/1 prompt verdicts, instruction shares with their weights, and the item's own average for paired tests.
  public static func score(_ verdict: IFEvalVerdict, primary: String) -> SampleScore {
    let count = Double(verdict.strict.count)
    let share = { (list: [Bool]) in count == 0 ? 0 : Double(list.filter { $0 }.count) / count }
    var values: [String: Double] = [
      "prompt_strict": verdict.promptStrict ? 1 : 0, "prompt_loose": verdict.promptLoose ? 1 : 0,
      "inst_strict": share(verdict.strict), "inst_loose": share(verdict.loose),
    ]
    values["average"] = (values["prompt_strict"]! + values["prompt_loose"]! + values["inst_strict"]! + values["inst_loose"]!) / 4
    let list = { (verdicts: [Bool]) in "[" + verdicts.map { $0 ? "true" : "false" }.joined(separator: ",") + "]" }
    let followed = verdict.strict.filter { $0 }.count
    return SampleScore(
      answers: [
        "prompt_strict": list(verdict.strict), "inst_strict": list(verdict.strict), "prompt_loose": list(verdict.loose),
        "inst_loose": list(verdict.loose), "average": list(verdict.strict) + " " + list(verdict.loose),
      ],
      correct: [
        "prompt_strict": verdict.promptStrict, "prompt_loose": verdict.promptLoose,
        "inst_strict": verdict.strict.allSatisfy { $0 }, "inst_loose": verdict.loose.allSatisfy { $0 },
        "average": verdict.promptStrict && verdict.promptLoose,
      ],
      primary: primary,
      explanation: "\(followed) of \(verdict.strict.count) instructions followed strictly, "
        + "\(verdict.loose.filter { $0 }.count) loosely",
      values: values, weights: ["inst_strict": count, "inst_loose": count])
  }
}
