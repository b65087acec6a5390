import AssayCore
import Foundation
import GRDB
import Synchronization

/// The SQLite store (WAL, foreign keys, named migrations): runs, samples and the response cache.
///
/// ```swift
/// let store = try SQLiteStore(path: "results/assay.sqlite")   // created and migrated if new; a foreign or
///                                                             // damaged file is refused, never modified
/// for run in try store.runs() {
///   let samples = try store.samples(runID: run.id, texts: false)
///   print(run.id, run.status, samples.filter { $0.status == .scored }.count)
/// }
/// ```
/// Writes are group-committed; `EvalRunner` stores each scored sample through `ResultStore`.
public final class SQLiteStore: ResultStore {
  let pool: DatabasePool
  /// Records waiting for the next group commit.
  private let commits = Mutex(GroupCommit())
  /// The server answers are cached for and taken from (`scopeCache(to:)`); nil: any, none recorded.
  let cacheScope = Mutex<CacheScopeState?>(nil)
  /// The database file.
  public let path: String

  /// Opens (creating if needed) the database at `path` and migrates it. An existing file is checked first, read
  /// only (`checkExisting`): a damaged or foreign file is refused before anything is written to it.
  public init(path: String) throws(AssayError) {
    self.path = path
    try Self.checkExisting(path: path)
    do {
      let directory = (path as NSString).deletingLastPathComponent
      if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
      var configuration = Configuration()
      configuration.busyMode = .timeout(30)
      configuration.foreignKeysEnabled = true
      pool = try DatabasePool(path: path, configuration: configuration)
      try StoreMigrations.migrator.migrate(pool)
    } catch let error as DatabaseError where [.SQLITE_FULL, .SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
      throw Self.storeError(error, path: path, doing: "opening it")
    } catch {
      throw AssayError(
        .store, "cannot open the results database \(path): \(error)",
        fix: "check that the path is writable and is an Assay database, or choose another with --db")
    }
  }

  /// Opens an existing database without creating or migrating it (for reports).
  public static func openExisting(path: String) throws(AssayError) -> SQLiteStore {
    guard FileManager.default.fileExists(atPath: path) else {
      throw AssayError(.store, "no results database at \(path)", fix: "run `assay run ...` first, or pass --db PATH")
    }
    return try SQLiteStore(path: path)
  }

  // MARK: Runs

  /// The newest run with this configuration hash: the same command continues it (retrying failed requests and
  /// running what is missing) instead of starting over.
  public func resumableRun(configHash: String) throws(AssayError) -> RunRecord? {
    try read("finding a run to resume") { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM run WHERE config_hash = ? ORDER BY started_at DESC, rowid DESC LIMIT 1",
        arguments: [configHash]
      ).map(Self.runRecord)
    }
  }

  /// Inserts a run and its tasks.
  public func createRun(_ run: RunRecord, tasks: [RunTaskRecord]) throws(AssayError) {
    try write("creating run \(run.id)") { db in
      try db.execute(
        sql: """
          INSERT INTO run (id, model, runtime, base_url, harness_version, config, config_hash, started_at, finished_at, status)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          run.id, run.model, run.runtime, run.baseURL, run.harnessVersion, run.config, run.configHash, run.startedAt,
          run.finishedAt, run.status.rawValue,
        ])
      for task in tasks { try Self.insertTask(task, runID: run.id, db: db) }
    }
  }

  /// Marks a run resumed: new base URL, status running; adds tasks it lacks.
  public func resumeRun(id: String, baseURL: String, tasks: [RunTaskRecord]) throws(AssayError) {
    try write("resuming run \(id)") { db in
      try db.execute(
        sql: "UPDATE run SET base_url = ?, status = 'running', finished_at = NULL WHERE id = ?",
        arguments: [baseURL, id])
      for task in tasks { try Self.insertTask(task, runID: id, db: db) }
    }
  }

  /// Sets a run's final status and end time.
  public func finishRun(id: String, status: RunStatus, at time: String) throws(AssayError) {
    try write("finishing run \(id)") { db in
      try db.execute(sql: "UPDATE run SET status = ?, finished_at = ? WHERE id = ?", arguments: [status.rawValue, time, id])
    }
  }

  /// A run by id, `latest` for the newest.
  public func run(_ reference: String) throws(AssayError) -> RunRecord {
    let found = try read("looking up run \(reference)") { db -> RunRecord? in
      let row: Row?
      if reference == "latest" {
        row = try Row.fetchOne(db, sql: "SELECT * FROM run ORDER BY started_at DESC, rowid DESC LIMIT 1")
      } else {
        row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [reference])
          ?? Row.fetchOne(db, sql: "SELECT * FROM run WHERE id LIKE ? ORDER BY started_at DESC LIMIT 1", arguments: [reference + "%"])
      }
      return row.map(Self.runRecord)
    }
    guard let found else {
      throw AssayError(
        .invalidArgument, reference == "latest" ? "the database \(path) has no runs" : "no run '\(reference)' in \(path)",
        fix: "list runs with `assay report --list`")
    }
    return found
  }

  /// All runs, newest first.
  public func runs() throws(AssayError) -> [RunRecord] {
    try read("listing runs") { db in
      try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY started_at DESC, rowid DESC").map(Self.runRecord)
    }
  }

  /// The tasks of a run.
  public func tasks(runID: String) throws(AssayError) -> [RunTaskRecord] {
    try read("reading tasks of run \(runID)") { db in
      try Row.fetchAll(db, sql: "SELECT * FROM run_task WHERE run_id = ? ORDER BY task_id", arguments: [runID]).map { row in
        RunTaskRecord(
          taskID: row["task_id"], suiteID: row["suite_id"], variantID: row["variant_id"], language: row["language"],
          license: row["license"], contentHash: row["content_hash"], datasetSHA256: row["dataset_sha256"],
          planned: row["planned"], primary: row["primary_metric"],
          pipelines: Self.decode(row["pipelines"] as String?) ?? [],
          settings: Self.decode(row["settings"] as String?))
      }
    }
  }

  /// The samples of a run, ordered by task and index. Without `texts`, prompts, targets and responses are left
  /// empty (reports need the verdicts only, and a log-likelihood run's prompts are hundreds of megabytes).
  public func samples(runID: String, texts: Bool = true) throws(AssayError) -> [StoredSample] {
    // Texts are read as bytes: SQLite's text accessor ends a string at its first NUL, and a model's reply may hold one.
    let texts = texts
      ? "CAST(prompt AS BLOB) AS prompt, CAST(target AS BLOB) AS target, CAST(response AS BLOB) AS response"
      : "NULL AS prompt, NULL AS target, NULL AS response"
    let columns = """
      task_id, sample_index, status, \(texts), finish_reason, answers, correct,
      score, graded, weights, error, attempts, latency_ms, prompt_tokens, completion_tokens
      """
    return try read("reading samples of run \(runID)") { db in
      try Row.fetchAll(
        db, sql: "SELECT \(columns) FROM sample WHERE run_id = ? ORDER BY task_id, sample_index", arguments: [runID]
      ).map { row in
        StoredSample(
          taskID: row["task_id"], index: row["sample_index"], status: Self.sampleStatus(row["status"]),
          prompt: Self.text(row["prompt"]) ?? "", target: Self.text(row["target"]) ?? "", response: Self.text(row["response"]),
          finishReason: row["finish_reason"],
          answers: Self.decode(row["answers"]) ?? [:], correct: Self.decode(row["correct"]) ?? [:], score: row["score"],
          values: Self.decode(row["graded"] as String?) ?? [:], weights: Self.decode(row["weights"] as String?) ?? [:],
          error: row["error"], attempts: row["attempts"], latencyMs: row["latency_ms"],
          promptTokens: row["prompt_tokens"], completionTokens: row["completion_tokens"])
      }
    }
  }

  /// The headline score of every scored sample of a run, by sample. A sample whose headline weighs nothing (a
  /// judge or guard reply that could not be parsed) has no headline score and is left out.
  public func scores(runID: String) throws(AssayError) -> [SampleKey: Double] {
    let primaries = Dictionary(try tasks(runID: runID).map { ($0.taskID, $0.primary) }, uniquingKeysWith: { first, _ in first })
    return try read("reading scores of run \(runID)") { db in
      var result: [SampleKey: Double] = [:]
      let rows = try Row.fetchCursor(
        db, sql: "SELECT task_id, sample_index, score, weights FROM sample WHERE run_id = ? AND status = 'scored'",
        arguments: [runID])
      while let row = try rows.next() {
        let taskID: String = row[0]
        if let primary = primaries[taskID], let weights: [String: Double] = Self.decode(row[3] as String?),
          weights[primary] == 0
        {
          continue
        }
        result[SampleKey(taskID: taskID, index: row[1])] = row[2] ?? 0
      }
      return result
    }
  }

  /// The tasks of a run whose headline is better lower (safety violation and false-refusal rates).
  public func lowerIsBetterTasks(runID: String) throws(AssayError) -> Set<String> {
    Set(try tasks(runID: runID).filter { SafetyMetric.lowerIsBetter.contains($0.primary) }.map(\.taskID))
  }

  // MARK: ResultStore

  public func scoredSampleKeys(runID: String) async throws -> Set<SampleKey> {
    try await storing("reading the scored samples of run \(runID)") { try await pool.read { db in
      var keys = Set<SampleKey>()
      let rows = try Row.fetchCursor(
        db, sql: "SELECT task_id, sample_index FROM sample WHERE run_id = ? AND status = 'scored'", arguments: [runID])
      while let row = try rows.next() { keys.insert(SampleKey(taskID: row[0], index: row[1])) }
      return keys
    } }
  }

  public func cachedResponses(forKeys keys: [String]) async throws -> [String: ModelResponse] {
    if let scope = cacheScope.withLock({ $0?.scope }) {
      return try await storing("reading the response cache") { try await scopedCachedResponses(forKeys: keys, scope: scope) }
    }
    return try await storing("reading the response cache") { try await pool.read { db in
      var found: [String: ModelResponse] = [:]
      let decoder = JSONDecoder()
      for chunk in stride(from: 0, to: keys.count, by: 500) {
        let slice = Array(keys[chunk..<min(chunk + 500, keys.count)])
        let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
        let rows = try Row.fetchAll(
          db, sql: "SELECT key, response FROM response_cache WHERE key IN (\(marks))", arguments: StatementArguments(slice))
        for row in rows {
          if let response = try? decoder.decode(ModelResponse.self, from: Data((row["response"] as String).utf8)) {
            found[row["key"]] = response
          }
        }
      }
      return found
    } }
  }

  public func cache(_ response: ModelResponse, key: String, endpoint: String, request: String) async throws {
    let now = Self.timestamp()
    let server = cachingServer
    try await storing("caching a response") { try await pool.write { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO response_cache (key, endpoint, request, response, created_at, server) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [key, endpoint, request, CanonicalJSON.string(response), now, server])
    } }
  }

  /// Stores one sample (and caches its response) once it is committed. Concurrent calls share transactions
  /// (group commit): the first caller writes what is waiting, and callers that arrive meanwhile are committed
  /// together in the next transaction, so at thousands of samples per second the store costs one commit per batch,
  /// not per sample, and each call still returns only after its sample is durable in the database.
  public func record(_ record: SampleRecord, runID: String) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      let lead = commits.withLock { state -> Bool in
        state.waiting.append(.init(record: record, runID: runID, continuation: continuation))
        if state.flushing { return false }
        state.flushing = true
        return true
      }
      if lead { flushWaiting() }
    }
  }

  /// Writes every waiting record in one transaction on GRDB's writer queue, then again while more arrived.
  private func flushWaiting() {
    let batch = commits.withLock { state -> [PendingRecord] in
      let batch = state.waiting
      state.waiting.removeAll(keepingCapacity: true)
      if batch.isEmpty { state.flushing = false }
      return batch
    }
    guard !batch.isEmpty else { return }
    let server = cachingServer
    pool.asyncWrite({ db in
      let now = Self.timestamp()
      for pending in batch { try Self.insert(pending.record, runID: pending.runID, now: now, server: server, db: db) }
    }, completion: { [self] _, result in
      switch result {
      case .success: for pending in batch { pending.continuation.resume() }
      case .failure(let error):
        let failure = storeError(error, doing: "storing \(batch.count) scored sample(s)")
        for pending in batch { pending.continuation.resume(throwing: failure) }
      }
      flushWaiting()
    })
  }

  private static func insert(_ record: SampleRecord, runID: String, now: String, server: String?, db: Database) throws {
    var response: ModelResponse?
    var score: SampleScore?
    var failure: RequestFailure?
    var fromCache = false
    switch record.outcome {
    case .scored(let r, let s, let cached):
      response = r
      score = s
      fromCache = cached
      if !cached {
        // Cached statements: compiled once per connection, not once per sample.
        try db.cachedStatement(
          sql: "INSERT OR REPLACE INTO response_cache (key, endpoint, request, response, created_at, server) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [record.requestKey, record.endpoint, record.requestBody, StoreJSON.response(r), now, server])
      }
    case .failed(let f):
      failure = f
    }
    try db.cachedStatement(
      sql: """
        INSERT INTO sample (run_id, task_id, sample_index, status, request_key, prompt, target, response, finish_reason,
          prompt_tokens, completion_tokens, latency_ms, attempts, from_cache, answers, correct, score, explanation, error,
          updated_at, graded, weights)
        VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (run_id, task_id, sample_index) DO UPDATE SET
          status = excluded.status, request_key = excluded.request_key, prompt = excluded.prompt,
          target = excluded.target, response = excluded.response, finish_reason = excluded.finish_reason,
          prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
          latency_ms = excluded.latency_ms, attempts = sample.attempts + excluded.attempts,
          from_cache = excluded.from_cache, answers = excluded.answers, correct = excluded.correct,
          score = excluded.score, explanation = excluded.explanation, error = excluded.error,
          updated_at = excluded.updated_at, graded = excluded.graded, weights = excluded.weights
        """
    ).execute(
      arguments: [
        runID, record.key.taskID, record.key.index, (score == nil ? SampleStatus.failed : .scored).rawValue, record.requestKey,
        // Texts go in as bytes cast to TEXT: a bound Swift string ends at its first NUL, and a reply may hold one.
        Data(record.prompt.utf8), Data(record.target.utf8), response.map { Data($0.text.utf8) }, response?.finishReason, response?.promptTokens,
        response?.completionTokens, response?.latencyMs, response?.attempts ?? failure?.attempts ?? 1, fromCache,
        score.map { StoreJSON.object($0.answers) }, score.map { StoreJSON.object($0.correct) }, score?.value,
        score?.explanation, failure?.message, now,
        score.flatMap { $0.values.isEmpty ? nil : StoreJSON.object($0.values) },
        score.flatMap { $0.weights.isEmpty ? nil : StoreJSON.object($0.weights) },
      ])
  }

  // MARK: Helpers

  /// ISO 8601 UTC timestamp with milliseconds.
  public static func timestamp(_ date: Date = Date()) -> String {
    // By hand (UTC, milliseconds, as ISO8601DateFormatter's internet date time with fractional seconds): a
    // formatter costs ICU set-up on every call, and every stored sample asks for a timestamp.
    let interval = date.timeIntervalSince1970
    var seconds = time_t(interval.rounded(.down))
    var millis = Int(((interval - Double(seconds)) * 1000).rounded())
    if millis >= 1000 { seconds += 1; millis -= 1000 }
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let text = String(value)
      return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
      + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
  }

  private static func insertTask(_ task: RunTaskRecord, runID: String, db: Database) throws {
    try db.execute(
      sql: """
        INSERT OR IGNORE INTO run_task (run_id, task_id, suite_id, variant_id, language, license, content_hash,
          dataset_sha256, planned, primary_metric, pipelines, settings)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        runID, task.taskID, task.suiteID, task.variantID, task.language, task.license, task.contentHash,
        task.datasetSHA256, task.planned, task.primary, CanonicalJSON.string(task.pipelines),
        task.settings.map { CanonicalJSON.string($0) } ?? "{}",
      ])
  }

  static func runRecordFromRow(_ row: Row) -> RunRecord { runRecord(row) }

  private static func runRecord(_ row: Row) -> RunRecord {
    RunRecord(
      id: row["id"], model: row["model"], runtime: row["runtime"], baseURL: row["base_url"],
      harnessVersion: row["harness_version"], config: row["config"], configHash: row["config_hash"],
      startedAt: row["started_at"], finishedAt: row["finished_at"], status: runStatus(row["status"]))
  }

  /// A stored run status; the schema's CHECK admits only `RunStatus`'s values, so the fallback is never taken.
  private static func runStatus(_ text: String) -> RunStatus { RunStatus(rawValue: text) ?? .failed }

  /// A stored sample status; the schema's CHECK admits only `SampleStatus`'s values, so the fallback is never taken.
  private static func sampleStatus(_ text: String) -> SampleStatus { SampleStatus(rawValue: text) ?? .failed }

  /// A text column read as bytes (`CAST(... AS BLOB)`), NULs and all.
  private static func text(_ bytes: Data?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

  private static func decode<T: Decodable>(_ text: String?) -> T? {
    guard let text else { return nil }
    return try? JSONDecoder().decode(T.self, from: Data(text.utf8))
  }

  func read<T>(_ doing: String, _ body: (Database) throws -> T) throws(AssayError) -> T {
    do { return try pool.read(body) } catch {
      throw storeError(error, doing: doing)
    }
  }

  func write<T>(_ doing: String, _ body: (Database) throws -> T) throws(AssayError) -> T {
    do { return try pool.write(body) } catch {
      throw storeError(error, doing: doing)
    }
  }

  /// Runs an async database access, turning what it throws into an `AssayError` (exit code 4).
  private func storing<T>(_ doing: String, _ body: () async throws -> T) async throws(AssayError) -> T {
    do { return try await body() } catch {
      throw storeError(error, doing: doing)
    }
  }

  /// A database failure as an `AssayError` of the store: a full disk and a damaged file say so and how to fix them.
  func storeError(_ error: any Error, doing: String) -> AssayError {
    Self.storeError(error, path: path, doing: doing)
  }

  /// `storeError` for a database at `path`.
  static func storeError(_ error: any Error, path: String, doing: String) -> AssayError {
    if let error = error as? AssayError { return error }
    if let error = error as? DatabaseError {
      switch error.resultCode {
      case .SQLITE_FULL:
        return AssayError(
          .store, "the disk holding \(path) is full - while \(doing) (\(error.message ?? "SQLITE_FULL"))",
          fix: "free space on that disk (or pass --db on another one); every sample stored so far is kept, and running the same command again continues")
      case .SQLITE_CORRUPT, .SQLITE_NOTADB:
        return AssayError(
          .store, "the database \(path) is damaged - while \(doing): \(error)",
          fix: damagedFix(path))
      case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
        return AssayError(
          .store, "cannot write the database \(path) - while \(doing): \(error)",
          fix: "check that the file and its folder are writable, or choose another with --db")
      default: break
      }
    }
    return AssayError(.store, "database error in \(path) - while \(doing): \(error)")
  }

  static func damagedFix(_ path: String) -> String {
    "restore it from a backup, or salvage it with `sqlite3 \(path) .recover | sqlite3 recovered.sqlite`; pass --db to use another file"
  }
}


/// Records waiting to be committed together, and whether a commit is under way.
struct GroupCommit: ~Copyable {
  var waiting: [PendingRecord] = []
  var flushing = false
}

/// One `record` call waiting for its transaction.
struct PendingRecord {
  let record: SampleRecord
  let runID: String
  let continuation: CheckedContinuation<Void, any Error>
}
