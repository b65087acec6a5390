// The text tools moved from Core to AssayText (issue #16). Core re-exports them so that code written against Core
// keeps compiling unchanged: the instruction-following checkers (still in Core's `InstructionFollowing/` on this
// branch; they move to a target of their own that imports AssayText) and the suites, tools and tests that name
// `PunktSentenceTokenizer`, `LanguageDetector` or `JanomeTokenizer` through `import AssayCore`.
// Remove once every user imports AssayText itself.
@_exported import AssayText
