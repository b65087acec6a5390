import Testing

extension Tag {
  /// Slow tests: the real model, runs against launched llama.cpp or vLLM servers, the sandbox with its toolchains,
  /// tmux, the browser, cross-checks that run a Python reference over a whole corpus, and commands over every
  /// dataset. `scripts/test.sh --quick` leaves out every suite and test with this tag.
  @Tag public static var slow: Self
  /// Tests that evaluate the real model (SmolLM2-135M-Instruct): minutes, not seconds.
  @Tag public static var realModel: Self
}
