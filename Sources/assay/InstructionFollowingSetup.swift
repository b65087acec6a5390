import AssayCore
import AssayInstructions
import AssaySuites
import AssayText

/// Loads IFEval's checkers for `assay run` and `assay score`: the resources they read, and every item's
/// instructions parsed up front, so a bad row stops the command before any request is sent.
enum InstructionFollowingSetup {
  static func grader(tasks: [EvalTask], dataRoot: DataRoot) throws(AssayError) -> InstructionFollowingGrader {
    var languages: Set<String> = []
    for task in tasks where task.suite.taskType == .instructionFollowing {
      for sample in task.samples {
        do {
          languages.formUnion(try InstructionFollowingGrader.instructions(of: sample).compactMap(\.language))
        } catch {
          throw AssayError(error.code, "\(task.id), \(error.message)", fix: error.fix)
        }
      }
    }
    var resources = TextResources.resolve(dataRoot: dataRoot)
    for task in tasks where task.suite.taskType == .instructionFollowing {
      resources.checksums.merge(task.suite.sha256) { first, _ in first }
    }
    // One detector for every language: reading and compacting langdetect's profiles is most of the start-up.
    let detector = try resources.languageDetector()
    let tools = IFEvalTextTools(sentences: try resources.punkt(), languages: detector)
    var multilingual: [String: MIFEvalTools] = [:]
    var japanese: JapaneseTools?
    if languages.contains("ja") {
      japanese = JapaneseTools(tokenizer: JanomeTokenizer(dictionary: try resources.janomeDictionary()), languages: detector)
    }
    for language in languages where language != "ja" {
      let punkt = try resources.punkt(language: language == "es" ? "spanish" : "french")
      multilingual[language] = MIFEvalTools(sentences: punkt, languages: detector)
    }
    return InstructionFollowingGrader(checker: IFEvalChecker(tools: tools), multilingual: multilingual, japanese: japanese)
  }
}
