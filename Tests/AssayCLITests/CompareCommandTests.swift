import Foundation
import Testing

/// `assay compare` on constructed per-item files: paired tests find what unpaired ones miss, and the regression
/// gate's exit codes.
@Suite struct CompareCommandTests {
  /// 1,000 items, baseline 70% right; the candidate loses `regressed` right answers and gains `improved`.
  /// `baselineID` and `candidateID` write item i's sample id in each file (default: the integer i).
  func files(
    regressed: Int, improved: Int, baselineID: (Int) -> String = { "\($0)" }, candidateID: (Int) -> String = { "\($0)" }
  ) throws -> (dir: String, baseline: String, candidate: String) {
    let dir = CLI.temporaryDirectory()
    var base: [String] = []
    var cand: [String] = []
    for i in 0..<1000 {
      let b = i < 700 ? 1 : 0
      var c = b
      if i < regressed { c = 0 }
      if i >= 700 && i < 700 + improved { c = 1 }
      base.append(#"{"suite":"gsm8k/main","sample":\#(baselineID(i)),"score":\#(b)}"#)
      cand.append(#"{"suite":"gsm8k/main","sample":\#(candidateID(i)),"score":\#(c)}"#)
    }
    try base.joined(separator: "\n").write(toFile: dir + "/baseline.jsonl", atomically: true, encoding: .utf8)
    try cand.joined(separator: "\n").write(toFile: dir + "/candidate.jsonl", atomically: true, encoding: .utf8)
    return (dir, dir + "/baseline.jsonl", dir + "/candidate.jsonl")
  }

  func compare(_ f: (dir: String, baseline: String, candidate: String), _ extra: [String]) throws -> (CLI.Result, [String: Any]) {
    let result = try CLI.run(["compare", f.baseline, f.candidate, "--json", "--flips-out", f.dir + "/flips.jsonl"] + extra, in: f.dir)
    let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    return (result, json)
  }

  @Test func pairedTestDetectsATwoPointRegressionThatAnUnpairedTestMisses() throws {
    let f = try files(regressed: 30, improved: 10)
    let (result, json) = try compare(f, [])
    #expect(result.status == 0, "\(result.stderr)")
    let row = (json["suites"] as! [[String: Any]])[0]
    #expect(row["n"] as? Int == 1000)
    #expect(abs((row["delta"] as! Double) + 2) < 1e-9)
    #expect(row["test"] as? String == "mcnemar_exact")
    #expect(row["significant"] as? Bool == true)
    #expect((row["ci_high"] as! Double) < 0)

    // Unpaired two-proportion z-test on the same data (70.0% vs 68.0%, n = 1000 each).
    let p1 = 0.70, p2 = 0.68, n = 1000.0
    let z = (p1 - p2) / ((p1 * (1 - p1) + p2 * (1 - p2)) / n).squareRoot()
    let unpaired = erfc(abs(z) / 2.0.squareRoot())
    print("2-point regression on 1000 items: McNemar p = \(row["p_value"]!), unpaired z-test p = \(unpaired)")
    #expect(unpaired > 0.05)
    #expect((row["p_value"] as! Double) < 0.05)

    // The p-value equals the exact two-sided binomial probability of 10 or fewer (or 30 or more) of 40 discordant
    // pairs, summed here term by term from C(40, k) / 2^40.
    var reference = 0.0
    var choose = 1.0
    for k in 0...40 {
      if k <= 10 || k >= 30 { reference += choose }
      choose = choose * Double(40 - k) / Double(k + 1)
    }
    reference /= pow(2, 40)
    #expect(abs((row["p_value"] as! Double) - reference) < 1e-9, "p \(row["p_value"]!) vs reference \(reference)")
    let overall = (json["suites"] as! [[String: Any]]).last!
    #expect(overall["suite"] as? String == "overall")

    let flips = try String(contentsOfFile: f.dir + "/flips.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(flips.count == 40)
    #expect(flips.filter { $0.contains("regressed") }.count == 30)
  }

  @Test func gateExitCodes() throws {
    let same = try files(regressed: 0, improved: 0)
    let (unchanged, unchangedJSON) = try compare(same, ["--fail-if-regression", "1"])
    #expect(unchanged.status == 0)
    #expect(unchangedJSON["regression"] as? Bool == false)

    let worse = try files(regressed: 30, improved: 10)
    let (regressed, regressedJSON) = try compare(worse, ["--fail-if-regression", "1"])
    #expect(regressed.status == 1, "\(regressed.stderr)")
    #expect(regressedJSON["regression"] as? Bool == true)
    #expect(regressed.stderr.contains("regression"))

    // Significant, but smaller than the threshold: not a regression.
    let (belowThreshold, _) = try compare(worse, ["--fail-if-regression", "3"])
    #expect(belowThreshold.status == 0)

    let noise = try files(regressed: 4, improved: 2)
    let (insignificant, insignificantJSON) = try compare(noise, ["--fail-if-regression", "0.1"])
    #expect(insignificant.status == 0)
    let row = (insignificantJSON["suites"] as! [[String: Any]])[0]
    #expect(row["significant"] as? Bool == false)
    #expect(insignificantJSON["regression"] as? Bool == false)
  }

  @Test func malformedPerItemLineIsNamed() throws {
    let f = try files(regressed: 0, improved: 0)
    try "{\"suite\": \"x\", \"sample\": 1}\n".write(toFile: f.candidate, atomically: true, encoding: .utf8)
    let (result, _) = try compare(f, [])
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(f.candidate), line 1"))
  }

  /// A missing file is named as such (it used to be reported as a missing results database).
  @Test func aMissingFileIsNamed() throws {
    let f = try files(regressed: 0, improved: 0)
    let missing = f.dir + "/no-such-candidate.jsonl"
    let result = try CLI.run(["compare", f.baseline, missing, "--db", f.dir + "/none.sqlite"], in: f.dir)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("no file \(missing) (the CANDIDATE argument)"), "\(result.stderr)")
    // A bare name that is neither a file nor a run, with no database: both are said.
    let bare = try CLI.run(["compare", f.baseline, "fp8run", "--db", f.dir + "/none.sqlite"], in: f.dir)
    #expect(bare.status == 2, "\(bare.stderr)")
    #expect(bare.stderr.contains("'fp8run' (the CANDIDATE argument) is neither a file nor a run"), "\(bare.stderr)")
  }

  /// Scores beyond 0...1 (1e308 sums to +inf, which passed the gate) are refused with the file and line.
  @Test(arguments: ["1e308", "-0.5", "1.5", "1e400"])
  func outOfRangeScoresAreRefused(score: String) throws {
    let f = try files(regressed: 30, improved: 0)
    var lines = try String(contentsOfFile: f.candidate, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[3] = #"{"suite":"gsm8k/main","sample":3,"score":\#(score)}"#
    try lines.joined(separator: "\n").write(toFile: f.candidate, atomically: true, encoding: .utf8)
    let (result, _) = try compare(f, ["--fail-if-regression", "1"])
    #expect(result.status == 2, "\(result.stdout)")
    #expect(result.stderr.contains("\(f.candidate), line 4: score"), "\(result.stderr)")
    #expect(result.stderr.contains("is outside 0...1"), "\(result.stderr)")
  }

  /// Users' files name items by string ids ("sample_12", "HumanEval/3"): they pair by their text, and the result is
  /// the integer-id comparison's (whose p-value the test above checks against the binomial sum); 12 and "12" pair.
  @Test func stringSampleIdsPairLikeIntegerIds() throws {
    let (integers, integerJSON) = try compare(try files(regressed: 30, improved: 10), [])
    #expect(integers.status == 0, "\(integers.stderr)")
    let named = try files(regressed: 30, improved: 10, baselineID: { #""sample_\#($0)""# }, candidateID: { #""sample_\#($0)""# })
    let (strings, stringJSON) = try compare(named, [])
    #expect(strings.status == 0, "\(strings.stderr)")
    // Equal up to the last bits of sums taken in another item order ("sample_10" sorts before "sample_2").
    #expect(Self.close(stringJSON, integerJSON), "\(stringJSON) vs \(integerJSON)")
    let flips = try String(contentsOfFile: named.dir + "/flips.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(flips.count == 40)
    #expect(flips.first?.contains(#""sample":"sample_0""#) == true, "\(flips.first ?? "")")

    // An integer-id baseline against a string-id candidate ("0", "1", ...): every item pairs; flips keep the number.
    let mixed = try files(regressed: 30, improved: 10, candidateID: { #""\#($0)""# })
    let (both, bothJSON) = try compare(mixed, [])
    #expect(both.status == 0, "\(both.stderr)")
    #expect(NSDictionary(dictionary: bothJSON) == NSDictionary(dictionary: integerJSON))
    let mixedFlips = try String(contentsOfFile: mixed.dir + "/flips.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(mixedFlips.first?.contains(#""sample":0,"#) == true, "\(mixedFlips.first ?? "")")

    // Ids that are text, not indices, do not pair with numbers: "sample_3" is not 3, "03" is not 3.
    let apart = try files(regressed: 0, improved: 0, candidateID: { #""0\#($0)""# })
    let (unpaired, _) = try compare(apart, [])
    #expect(unpaired.status == 2)
    #expect(unpaired.stderr.contains("no scored items in common"), "\(unpaired.stderr)")
  }

  /// JSON values equal, numbers within 1e-9.
  static func close(_ a: Any, _ b: Any) -> Bool {
    switch (a, b) {
    case (let x as [String: Any], let y as [String: Any]):
      return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { close(x[$0]!, y[$0]!) }
    case (let x as [Any], let y as [Any]):
      return x.count == y.count && zip(x, y).allSatisfy { close($0, $1) }
    case (let x as NSNumber, let y as NSNumber):
      return abs(x.doubleValue - y.doubleValue) <= 1e-9
    case (let x as String, let y as String):
      return x == y
    default:
      return false
    }
  }

  /// One file that names an item twice, once as a number and once as a string, is refused with its file and lines.
  @Test func aDuplicatedIdInMixedFormsIsRefused() throws {
    let f = try files(regressed: 0, improved: 0, candidateID: { $0 == 5 ? #""3""# : "\($0)" })
    let (result, _) = try compare(f, [])
    #expect(result.status == 2, "\(result.stdout)")
    #expect(
      result.stderr.contains(
        #"\#(f.candidate), line 6: suite gsm8k/main sample 3 appears again, first on line 4 (as the number 3 there, the string "3" here"#),
      "\(result.stderr)")
    let same = try files(regressed: 0, improved: 0, baselineID: { $0 == 9 ? #""sample_2""# : #""sample_\#($0)""# })
    let (again, _) = try compare(same, [])
    #expect(again.status == 2)
    #expect(again.stderr.contains("\(same.baseline), line 10: suite gsm8k/main sample sample_2 appears again, first on line 3"), "\(again.stderr)")
    // Neither a whole number nor a string: named.
    let odd = try files(regressed: 0, improved: 0, candidateID: { $0 == 1 ? "1.5" : ($0 == 2 ? "null" : "\($0)") })
    let (bad, _) = try compare(odd, [])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("\(odd.candidate), line 2: `sample` must be a whole number or a non-empty string, not 1.5"), "\(bad.stderr)")
  }
}
