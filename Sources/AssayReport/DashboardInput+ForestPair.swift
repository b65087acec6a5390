extension DashboardInput {
  /// The forest plot's pair when none is named: the newest run (the last of `runs`, which are in start order)
  /// against the newest earlier run that shares a suite with it; nil when no earlier run does.
  public static func defaultForestPair(_ runs: [Run]) -> (baseline: String, candidate: String)? {
    guard let newest = runs.last else { return nil }
    let suites = Set(newest.report.suites.map(\.total.label))
    let earlier = runs.dropLast().last { !suites.isDisjoint(with: $0.report.suites.map(\.total.label)) }
    return earlier.map { ($0.id, newest.id) }
  }
}
