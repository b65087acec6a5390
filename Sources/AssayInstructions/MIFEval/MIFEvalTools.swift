import AssayCore
import AssayText

/// The text tools M-IFEval's checkers for one language use: that language's Punkt sentence tokenizer, nltk's
/// `word_tokenize` over it, and langdetect (seeded as for IFEval).
public struct MIFEvalTools: Sendable {
  /// The language's Punkt sentence tokenizer (nltk's `punkt_tab/<language>` parameters).
  public let sentences: PunktSentenceTokenizer
  /// nltk's `word_tokenize(text, language=...)`: sentences first, then the Treebank-style word tokenizer.
  public let words: NLTKWordTokenizer
  /// langdetect, seed 0.
  public let languages: LanguageDetector

  /// Tools from their parts.
  public init(sentences: PunktSentenceTokenizer, languages: LanguageDetector) {
    self.sentences = sentences
    words = NLTKWordTokenizer(sentences: sentences)
    self.languages = languages
  }
}
