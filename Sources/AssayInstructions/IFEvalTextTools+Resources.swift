import AssayCore
import AssayText

extension IFEvalTextTools {
  /// IFEval's tools from nltk's English Punkt and langdetect: Punkt's sentence count, `word_tokenize` over Punkt's
  /// sentences, and langdetect's `detect` (a detector already loaded can be shared: its 55 profiles are the slow part).
  public init(sentences: PunktSentenceTokenizer, languages: LanguageDetector) {
    let words = NLTKWordTokenizer(sentences: sentences)
    self.init(
      countSentences: { sentences.tokenize($0).count }, wordTokens: { words.tokenize($0) },
      detectLanguage: { languages.detect($0) })
  }
}
