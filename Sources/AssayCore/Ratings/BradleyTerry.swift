import Foundation

/// Bradley-Terry ratings by maximum likelihood, on FastChat's `compute_mle_elo` scale: P(a beats b) =
/// 1 / (1 + BASE^((R_b - R_a) / SCALE)), a tie counts as half a win for each side, ratings average `initial`.
public struct BradleyTerry: Sendable {
  /// Points per factor of `base` in odds (400).
  public var scale: Double
  /// Odds base (10).
  public var base: Double
  /// The mean rating (1000).
  public var initial: Double

  /// A fitter with FastChat's defaults.
  public init(scale: Double = 400, base: Double = 10, initial: Double = 1000) {
    self.scale = scale
    self.base = base
    self.initial = initial
  }

  /// The fitted ratings. When the plain maximum-likelihood estimate does not exist (the "beat or tied" graph is
  /// not strongly connected: some group never lost to the rest, some never won), a weak prior of 0.1 virtual ties
  /// per compared pair keeps every rating finite, and the groups are named.
  public struct Fit: Sendable, Equatable {
    /// Rating by model.
    public var ratings: [String: Double]
    /// Models in a group that never lost to any model outside it (their plain MLE is +infinity).
    public var undefeated: [String]
    /// Models in a group that never beat or tied any model outside it (their plain MLE is -infinity).
    public var winless: [String]
    /// Whether the prior was needed.
    public var usedPrior: Bool { !undefeated.isEmpty || !winless.isEmpty }
  }

  /// Fits ratings to battles.
  public func fit(_ battles: [Battle]) -> Fit {
    let models = Array(Set(battles.flatMap { [$0.modelA, $0.modelB] })).sorted()
    let index = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
    var wins = [Double](repeating: 0, count: models.count * models.count)
    for battle in battles {
      let a = index[battle.modelA]!, b = index[battle.modelB]!
      Self.add(battle.winner, a, b, into: &wins, count: models.count)
    }
    return fit(models: models, wins: wins)
  }

  /// Adds one battle to a win matrix: `wins[i * n + j]` is how often i beat j (ties count half each way).
  @inline(__always)
  static func add(_ winner: Battle.Winner, _ a: Int, _ b: Int, into wins: inout [Double], count n: Int) {
    guard a != b else { return }
    switch winner {
    case .modelA: wins[a * n + b] += 1
    case .modelB: wins[b * n + a] += 1
    case .tie, .bothBad:
      wins[a * n + b] += 0.5
      wins[b * n + a] += 0.5
    }
  }

  /// Fits ratings to a win matrix (row beats column).
  public func fit(models: [String], wins: [Double]) -> Fit {
    let n = models.count
    guard n > 0 else { return Fit(ratings: [:], undefeated: [], winless: []) }
    var w = wins
    let (undefeated, winless) = Self.groupsWithoutMLE(n: n, wins: w)
    if !undefeated.isEmpty || !winless.isEmpty {
      for i in 0..<n {
        for j in 0..<n where i != j && (wins[i * n + j] + wins[j * n + i]) > 0 { w[i * n + j] += 0.05 }
      }
    }
    let theta = Self.newton(n: n, wins: w)
    let factor = scale / log(base)
    var ratings: [String: Double] = [:]
    for (i, model) in models.enumerated() { ratings[model] = initial + factor * theta[i] }
    return Fit(
      ratings: ratings, undefeated: undefeated.map { models[$0] }.sorted(), winless: winless.map { models[$0] }.sorted())
  }

  /// Ford's condition for a finite MLE is that everyone reaches everyone through "beat or tied" edges. When it
  /// fails: models nobody outside their reach-set ever beat (undefeated groups) and models that never beat anyone
  /// outside theirs (winless groups).
  static func groupsWithoutMLE(n: Int, wins: [Double]) -> (undefeated: [Int], winless: [Int]) {
    func reach(from start: Int, forward: Bool) -> Set<Int> {
      var seen: Set<Int> = [start]
      var stack = [start]
      while let i = stack.popLast() {
        for j in 0..<n where !seen.contains(j) && (forward ? wins[i * n + j] : wins[j * n + i]) > 0 {
          seen.insert(j)
          stack.append(j)
        }
      }
      return seen
    }
    var undefeated: [Int] = []
    var winless: [Int] = []
    for i in 0..<n {
      // Who beat i, directly or through others: if everyone i ever lost to is also beaten by i (same group), and
      // the group is not everyone, i's group is undefeated.
      let beatenBy = reach(from: i, forward: false)
      let beats = reach(from: i, forward: true)
      let group = beatenBy.intersection(beats)
      if group.count == n { continue }
      if beatenBy == group { undefeated.append(i) }
      if beats == group { winless.append(i) }
    }
    return (undefeated, winless)
  }

  /// Newton's method on the log-likelihood sum_{i != j} w_ij log sigma(theta_i - theta_j), with mean(theta) = 0.
  static func newton(n: Int, wins: [Double]) -> [Double] {
    var theta = [Double](repeating: 0, count: n)
    for _ in 0..<100 {
      var gradient = [Double](repeating: 0, count: n)
      var hessian = [Double](repeating: 0, count: n * n)
      for i in 0..<n {
        for j in (i + 1)..<max(i + 1, n) {
          let games = wins[i * n + j] + wins[j * n + i]
          guard games > 0 else { continue }
          let p = 1 / (1 + exp(theta[j] - theta[i]))
          let g = wins[i * n + j] - games * p
          gradient[i] += g
          gradient[j] -= g
          let h = games * p * (1 - p)
          hessian[i * n + i] += h
          hessian[j * n + j] += h
          hessian[i * n + j] -= h
          hessian[j * n + i] -= h
        }
      }
      // The likelihood is invariant to a common shift: pin it with the constraint sum(theta) = 0 by adding the
      // all-ones direction to the (negative semi-definite) Hessian.
      for i in 0..<n { for j in 0..<n { hessian[i * n + j] += 1.0 / Double(n) } }
      guard let step = solve(hessian, gradient, n: n) else { break }
      var largest = 0.0
      for i in 0..<n {
        theta[i] += step[i]
        largest = max(largest, abs(step[i]))
      }
      let mean = theta.reduce(0, +) / Double(n)
      for i in 0..<n { theta[i] -= mean }
      if largest < 1e-10 { break }
    }
    return theta
  }

  /// Solves A x = b by Gaussian elimination with partial pivoting.
  static func solve(_ matrix: [Double], _ vector: [Double], n: Int) -> [Double]? {
    var a = matrix
    var b = vector
    for column in 0..<n {
      var pivot = column
      for row in column..<n where abs(a[row * n + column]) > abs(a[pivot * n + column]) { pivot = row }
      guard abs(a[pivot * n + column]) > 1e-300 else { return nil }
      if pivot != column {
        for k in 0..<n { a.swapAt(pivot * n + k, column * n + k) }
        b.swapAt(pivot, column)
      }
      let diagonal = a[column * n + column]
      for row in (column + 1)..<max(column + 1, n) {
        let factor = a[row * n + column] / diagonal
        if factor == 0 { continue }
        for k in column..<n { a[row * n + k] -= factor * a[column * n + k] }
        b[row] -= factor * b[column]
      }
    }
    var x = [Double](repeating: 0, count: n)
    for row in stride(from: n - 1, through: 0, by: -1) {
      var sum = b[row]
      for k in (row + 1)..<max(row + 1, n) { sum -= a[row * n + k] * x[k] }
      x[row] = sum / a[row * n + row]
    }
    return x
  }

  /// Percentile bootstrap intervals of every model's rating, resampling battles with replacement (seeded).
  public func bootstrap(
    _ battles: [Battle], rounds: Int, seed: UInt64, level: Double = 0.95
  ) -> [String: (low: Double, high: Double)] {
    let models = Array(Set(battles.flatMap { [$0.modelA, $0.modelB] })).sorted()
    let index = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
    let n = models.count
    let coded = battles.map { (index[$0.modelA]!, index[$0.modelB]!, $0.winner) }
    var generator = SeededGenerator(seed: seed)
    var samples: [[Double]] = Array(repeating: [], count: n)
    for _ in 0..<rounds {
      var wins = [Double](repeating: 0, count: n * n)
      for _ in 0..<coded.count {
        let (a, b, winner) = coded[generator.index(below: coded.count)]
        Self.add(winner, a, b, into: &wins, count: n)
      }
      let fit = fit(models: models, wins: wins)
      for (i, model) in models.enumerated() { samples[i].append(fit.ratings[model] ?? initial) }
    }
    let tail = (1 - level) / 2
    var result: [String: (low: Double, high: Double)] = [:]
    for (i, model) in models.enumerated() {
      let sorted = samples[i].sorted()
      result[model] = (Bootstrap.quantile(sorted, tail), Bootstrap.quantile(sorted, 1 - tail))
    }
    return result
  }

  /// Online Elo in battle order (FastChat's `compute_online_elo`, K = 4 by default), for contrast.
  public func onlineElo(_ battles: [Battle], k: Double = 4) -> [String: Double] {
    var ratings: [String: Double] = [:]
    for battle in battles {
      let ra = ratings[battle.modelA, default: initial]
      let rb = ratings[battle.modelB, default: initial]
      let expectedA = 1 / (1 + pow(base, (rb - ra) / scale))
      let scoreA: Double
      switch battle.winner {
      case .modelA: scoreA = 1
      case .modelB: scoreA = 0
      case .tie, .bothBad: scoreA = 0.5
      }
      ratings[battle.modelA] = ra + k * (scoreA - expectedA)
      ratings[battle.modelB] = rb + k * ((1 - scoreA) - (1 - expectedA))
    }
    return ratings
  }
}
