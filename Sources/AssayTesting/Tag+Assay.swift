import Testing

extension Tag {
  /// Slow integration tests: the real model, runs against launched llama.cpp or vLLM servers, the sandbox with its
  /// toolchains, tmux and the browser. `scripts/test.sh --quick` leaves out every suite with this tag.
  @Tag public static var slow: Self
  /// Tests that evaluate the real model (SmolLM2-135M-Instruct): minutes, not seconds.
  @Tag public static var realModel: Self
}
