import AssayCore
import AssaySandbox
import AssayTesting
import Foundation
import Testing

/// Every reference solution of HumanEval, CRUXEval and HumanEval-X (six languages, real toolchains, in the sandbox)
/// passes its own tests, and a wrong completion of each fails, so a pass is never vacuous.
@Suite(.serialized, .tags(.slow)) struct CanonicalSolutionTests {
  /// HumanEval-X problems whose reference solution is wrong upstream (checked to fail, so the list stays honest).
  static let brokenUpstream: Set<String> = [
    "JavaScript/112",  // returns (z, false): the comma operator yields a bool, not a pair
    "JavaScript/155",  // evenOddCount(0) gives [0, 0]; the test expects [1, 0]
  ]
  /// Go/95's reference iterates a map, whose order Go randomizes: it passes or fails from run to run.
  static let flakyUpstream: Set<String> = ["Go/95"]

  func problems(_ path: String, language: CodeLanguage, harness: CodeProblem.Harness) throws -> [CodeProblem] {
    try TestData.rows(path).map { row in
      CodeProblem(id: row["task_id"] ?? row["id"] ?? "?", language: language, harness: harness, fields: row)
    }
  }

  @Test func allHumanEvalAndCRUXEvalReferenceSolutionsPass() async throws {
    let checker = try CodeChecker(workers: ProcessInfo.processInfo.activeProcessorCount)
    defer { checker.shutdown() }
    for (name, list) in [
      ("HumanEval", try problems("humaneval/HumanEval.jsonl.gz", language: .python, harness: .humanEval)),
      ("CRUXEval-O", try problems("cruxeval/cruxeval.jsonl", language: .python, harness: .cruxevalOutput)),
      ("CRUXEval-I", try problems("cruxeval/cruxeval.jsonl", language: .python, harness: .cruxevalInput)),
    ] {
      let verdicts = await checker.calibrate(list)
      let failed = verdicts.filter { !$0.value.passed }.map { "\($0.key): \($0.value.humanEvalResult)" }.sorted()
      print("\(name): \(verdicts.count - failed.count)/\(list.count) reference solutions pass")
      #expect(verdicts.count == list.count)
      #expect(failed.isEmpty, "\(failed.prefix(5))")
    }
    // And wrong ones fail: HumanEval with an empty body, CRUXEval-O with a wrong literal, CRUXEval-I as below.
    let humanEval = try problems("humaneval/HumanEval.jsonl.gz", language: .python, harness: .humanEval)
    let crux = try problems("cruxeval/cruxeval.jsonl", language: .python, harness: .cruxevalOutput)
    for problem in humanEval.prefix(20) {
      #expect(!(await checker.check(problem, completion: "    return None\n", timeLimit: 3).passed), "\(problem.id)")
    }
    for problem in crux.prefix(20) {
      #expect(!(await checker.check(problem, completion: "'not the output'", timeLimit: 3).passed), "\(problem.id)")
    }
    let cruxInput = try problems("cruxeval/cruxeval.jsonl", language: .python, harness: .cruxevalInput)
    #expect(cruxInput.allSatisfy { $0.canonicalCompletion == "f(\($0.fields["input"]!))" })
    for problem in cruxInput.prefix(20) {
      // Any input that gives the output is right ('' and 'not the input' both give '' in sample_10), so the wrong
      // answers here cannot be right: a call of f on the true input wrapped so it can never equal the output, and
      // the input without the call.
      let wrapped = "(f(\(problem.fields["input"]!)), 'not the output')"
      #expect(!(await checker.check(problem, completion: wrapped, timeLimit: 3).passed), "\(problem.id)")
      #expect(!(await checker.check(problem, completion: problem.fields["input"]!, timeLimit: 3).passed), "\(problem.id)")
    }
  }

  @Test func humanEvalXReferenceSolutionsPassInEveryLanguage() async throws {
    let checker = try CodeChecker(workers: ProcessInfo.processInfo.activeProcessorCount)
    defer { checker.shutdown() }
    var report: [String] = []
    var unavailable: [String] = []
    for language in CodeLanguage.allCases {
      let started = ContinuousClock.now
      if case .failure(let error) = checker.toolchain(language) {
        unavailable.append("\(language.displayName): \(error.message)")
        continue
      }
      let list = try problems(
        "humaneval-x/\(language.rawValue)/humaneval_\(language.rawValue).jsonl.gz", language: language, harness: .humanEvalX)
      let verdicts = await checker.calibrate(list)
      let failed = verdicts.filter { !$0.value.passed && !Self.flakyUpstream.contains($0.key) }
      let unexpected = failed.filter { !Self.brokenUpstream.contains($0.key) }
      let known = Self.brokenUpstream.filter { $0.hasPrefix(list[0].id.split(separator: "/")[0] + "/") }
      let line = "\(language.displayName): \(verdicts.values.filter(\.passed).count)/\(list.count) pass"
        + (known.isEmpty ? "" : " (\(known.sorted().joined(separator: ", ")) broken upstream)")
        + " in \(ContinuousClock.now - started)"
      print(line)
      report.append(line)
      #expect(verdicts.count == list.count)
      #expect(unexpected.isEmpty, "\(language): \(unexpected.map { "\($0.key): \($0.value.humanEvalResult)" }.sorted().prefix(5))")
      for id in known {
        #expect(failed[id] != nil, "\(id) is listed as broken upstream, so its reference must fail here")
      }
      // A wrong completion fails in every language: the first three problems with their body cut to nothing.
      for problem in list.prefix(3) {
        let empty: String =
          switch language {
          case .python: "    pass\n"
          case .java: "    }\n}\n"
          case .rust: "  unimplemented!()\n}\n"
          case .go: "    panic(\"no\")\n}\n"
          default: "    throw 1;\n}\n"
          }
        let wrong = language == .cpp ? "    abort();\n}\n" : empty
        #expect(!(await checker.check(problem, completion: wrong, timeLimit: 10).passed), "\(problem.id) with an empty body")
      }
    }
    #expect(unavailable.isEmpty, "toolchains that could not be prepared: \(unavailable)")
  }
}
