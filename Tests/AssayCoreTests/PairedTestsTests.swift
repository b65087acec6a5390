import AssayCore
import Foundation
import Testing

@Suite struct PairedTestsTests {
  /// Two-sided exact binomial p-value by a different route: the pmf built by its multiplicative recurrence,
  /// summing every outcome no more likely than the observed one.
  func binomialReference(b: Int, c: Int) -> Double {
    let n = b + c
    if n == 0 { return 1 }
    var pmf = [Double](repeating: 0, count: n + 1)
    pmf[0] = pow(0.5, Double(n))
    if pmf[0] == 0 {
      // Underflow for large n: work relative to the mode.
      var logs = [Double](repeating: 0, count: n + 1)
      for k in 1...n { logs[k] = logs[k - 1] + log(Double(n - k + 1) / Double(k)) }
      let scale = logs.max()!
      let weights = logs.map { exp($0 - scale) }
      let total = weights.reduce(0, +)
      let observed = weights[min(b, c)]
      return min(1, weights.filter { $0 <= observed * (1 + 1e-12) }.reduce(0, +) / total)
    }
    for k in 1...n { pmf[k] = pmf[k - 1] * Double(n - k + 1) / Double(k) }
    let observed = pmf[min(b, c)]
    return min(1, pmf.filter { $0 <= observed * (1 + 1e-12) }.reduce(0, +))
  }

  @Test(arguments: [(0, 0), (1, 0), (5, 5), (30, 10), (10, 30), (3, 17), (0, 12), (200, 150), (600, 540), (2000, 1900)])
  func mcnemarEqualsTheExactBinomialReference(b: Int, c: Int) {
    let p = PairedTests.mcnemarExact(b: b, c: c)
    let reference = binomialReference(b: b, c: c)
    #expect(abs(p - reference) < 1e-9, "b=\(b) c=\(c): \(p) vs \(reference)")
  }

  @Test func holmAdjustsStepDown() {
    let adjusted = PairedTests.holm([0.01, 0.04, 0.03, 0.005])
    // Sorted: .005*4=.02, .01*3=.03, .03*2=.06, .04*1=.04 -> monotone .06
    #expect(adjusted.map { ($0 * 1e9).rounded() / 1e9 } == [0.03, 0.06, 0.06, 0.02])
  }

  @Test func normalQuantileMatchesKnownValues() {
    #expect(abs(Normal.quantile(0.975) - 1.959963984540054) < 1e-9)
    #expect(abs(Normal.quantile(0.8) - 0.8416212335729143) < 1e-9)
    #expect(abs(Normal.quantile(0.001) + 3.090232306167813) < 1e-9)
  }

  @Test func permutationTestIsOneForNoDifferenceAndSmallForAClearShift() {
    #expect(PairedTests.permutation(differences: [0, 0, 0], iterations: 1000, seed: 1) == 1)
    let shift = (0..<200).map { 0.1 + 0.05 * sin(Double($0)) }
    #expect(PairedTests.permutation(differences: shift, iterations: 2000, seed: 1) < 0.001)
    let noise = (0..<200).map { sin(Double($0) * 12.9898) }
    #expect(PairedTests.permutation(differences: noise, iterations: 2000, seed: 1) > 0.05)
  }

  @Test func bootstrapIsReproducibleAndCoversTheMean() {
    let values = (0..<500).map { Double($0 % 7) - 3 }
    let a = PairedTests.bootstrapInterval(differences: values, iterations: 2000, seed: 42)
    let b = PairedTests.bootstrapInterval(differences: values, iterations: 2000, seed: 42)
    #expect(a == b)
    let mean = values.reduce(0, +) / Double(values.count)
    #expect(a.low < mean && mean < a.high)
  }

  @Test func clusteredStandardErrorByHand() {
    // Two clusters of two: mean 0.5; residual sums +1 and -1; sqrt(2/1 * 2) / 4 = 0.5.
    let se = ClusteredStandardError.of(values: [1, 1, 0, 0], clusters: ["q1", "q1", "q2", "q2"])
    #expect(abs(se - 0.5) < 1e-12)
  }

  @Test func minimumDetectableDifferenceShrinksWithN() {
    let small = PairedTests.minimumDetectableDifference(differences: (0..<100).map { $0 % 2 == 0 ? 1 : -1 }, alpha: 0.05)
    let large = PairedTests.minimumDetectableDifference(differences: (0..<10_000).map { $0 % 2 == 0 ? 1 : -1 }, alpha: 0.05)
    #expect(abs(small / large - 10) < 0.1)
  }
}
