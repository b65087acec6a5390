import AssayCore

extension EvalRunner {
  /// The order requests go out in. Log-likelihood items go longest first, so the slowest are not left for the
  /// end, while each task's items stay together (they share the few-shot prefix, which stays in the server's prefix
  /// cache): tasks by their longest item, items within a task by length; equal lengths keep the dataset order.
  /// Generated items keep the dataset order.
  static func sendingOrder(_ items: [PlannedItem]) -> [PlannedItem] {
    let ranked = items.indices.filter { items[$0].ranked }
    guard !ranked.isEmpty else { return items }
    var longest: [Int32: Int] = [:]
    var firstSeen: [Int32: Int] = [:]
    for index in ranked {
      let task = items[index].taskIndex
      longest[task] = max(longest[task] ?? 0, items[index].expectedTokens)
      if firstSeen[task] == nil { firstSeen[task] = index }
    }
    let ordered = ranked.sorted { a, b in
      let (ta, tb) = (items[a].taskIndex, items[b].taskIndex)
      if ta != tb {
        return longest[ta]! != longest[tb]! ? longest[ta]! > longest[tb]! : firstSeen[ta]! < firstSeen[tb]!
      }
      return items[a].expectedTokens != items[b].expectedTokens ? items[a].expectedTokens > items[b].expectedTokens : a < b
    }
    return ordered.map { items[$0] } + items.indices.filter { !items[$0].ranked }.map { items[$0] }
  }

  /// An item's requests, rendered (the same every time for the same task, sample and options).
  static func workItem(
    task: EvalTask, sample: Sample, options: GenerationOptions, cacheKey: String? = nil
  ) throws(AssayError) -> WorkItem {
    do {
      let kind: WorkItem.Kind
      if task.suite.taskType == .rankChoices {
        kind = .ranked(try task.choiceRequests(for: sample, options: options))
      } else if case let turns = task.turnCount(for: sample), turns > 1 {
        kind = .conversation(first: try task.request(for: sample, options: options), turns: turns, options: options)
      } else if task.suite.taskType == .code, (task.scorer.execution?.samples ?? 1) > 1 {
        kind = .sampled(try task.requests(for: sample, options: options))
      } else {
        kind = .single(try task.request(for: sample, options: options))
      }
      return WorkItem(task: task, sample: sample, kind: kind, cacheKey: cacheKey)
    } catch {
      throw AssayError(error.code, "\(error.message) - while rendering sample \(sample.index) of \(task.id)", fix: error.fix)
    }
  }


  /// What planning keeps of an item: which sample (by position, in a table shared by all items), its cache key and
  /// its expected cost; no prompts.
  struct PlannedItem: Sendable {
    let table: TaskTable
    let taskIndex: Int32
    let position: Int32
    let cacheKey: String
    let expectedTokens: Int
    let ranked: Bool

    init(table: TaskTable, taskIndex: Int, position: Int, cacheKey: String, expectedTokens: Int, ranked: Bool) {
      self.table = table
      self.taskIndex = Int32(taskIndex)
      self.position = Int32(position)
      self.cacheKey = cacheKey
      self.expectedTokens = expectedTokens
      self.ranked = ranked
    }

    var task: EvalTask { table.tasks[Int(taskIndex)] }
    var sample: Sample { table.tasks[Int(taskIndex)].samples[Int(position)] }
    var key: SampleKey { SampleKey(taskID: task.id, index: sample.index) }
  }

  /// The run's tasks, shared by its planned items.
  final class TaskTable: Sendable {
    let tasks: [EvalTask]
    init(_ tasks: [EvalTask]) { self.tasks = tasks }
  }
}
