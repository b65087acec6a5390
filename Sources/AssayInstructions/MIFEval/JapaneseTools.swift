import AssayCore
import AssayText

/// The text tools M-IFEval's Japanese checkers use: janome's tokenizer (IPADIC), ja_sentence_segmenter's pipeline
/// for sentence counts, and langdetect (seeded as for IFEval).
public struct JapaneseTools: Sendable {
  /// janome's `Tokenizer()` over its system dictionary.
  public let tokenizer: JanomeTokenizer
  /// langdetect, seed 0.
  public let languages: LanguageDetector

  /// Tools from their parts.
  public init(tokenizer: JanomeTokenizer, languages: LanguageDetector) {
    self.tokenizer = tokenizer
    self.languages = languages
  }
}
