import AssayCore
import AssayTesting
import Foundation
import GRDB
import Testing

/// The real `assay rate` driven through tmux, and 8 rater processes on one database.
@Suite(.serialized, .tags(.slow)) struct RateTests {
  let socket = "assay-test-\(UUID().uuidString.prefix(8))"
  /// Where the raters' standard error goes, quoted when the screen never shows what a test waits for.
  let stderrFile = NSTemporaryDirectory() + "assay-rate-stderr-\(UUID().uuidString).txt"

  /// Runs tmux with posix_spawn and waitpid: Foundation's Process did not notice the tmux client exit (its
  /// server daemonizes from it), so a plain Process wait hung.
  @discardableResult
  func tmux(_ arguments: [String]) throws -> String {
    let output = NSTemporaryDirectory() + "tmux-\(UUID().uuidString).txt"
    defer { try? FileManager.default.removeItem(atPath: output) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let words: [String] = ["tmux", "-u", "-L", socket] + arguments
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let variables: [String] = ["LANG=C.UTF-8", "LC_ALL=C.UTF-8", "PATH=\(path)", "HOME=\(NSTemporaryDirectory())", "TERM=xterm-256color"]
    let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
    defer { for pointer in environment { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, "tmux", &actions, nil, argv, environment)
    guard spawned == 0 else { throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "tmux not found: apt-get install tmux"]) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
  }

  func screen() throws -> [String] {
    try tmux(["capture-pane", "-p", "-t", "rate"]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// Waits until the screen shows `text` (the UI has processed everything sent so far). The wait is long because
  /// other suites (the fork bomb, the compilers) may hold every CPU for a while; it ends as soon as the text shows.
  func waitFor(_ text: String, timeout: Double = 90) throws -> [String] {
    let deadline = Date().addingTimeInterval(timeout)
    var last: [String] = []
    while Date() < deadline {
      last = try screen()
      if last.joined(separator: "\n").contains(text) { return last }
      Thread.sleep(forTimeInterval: 0.05)
    }
    let alive = (try? sessionAlive()) ?? false
    Issue.record("screen never showed '\(text)' (tmux session \(alive ? "alive" : "gone")):\n\(last.joined(separator: "\n"))\nstderr: \((try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "none")")
    return last
  }

  func startRater(db: String, set: String, rater: String, width: Int = 140, height: Int = 40) throws {
    try tmux([
      "new-session", "-d", "-s", "rate", "-x", "\(width)", "-y", "\(height)",
      "env LANG=C.UTF-8 '\(CLI.assay)' rate --db '\(db)' --set \(set) --rater \(rater) 2>>'\(stderrFile)'",
    ])
  }

  func sessionAlive() throws -> Bool {
    try tmux(["list-sessions"]).contains("rate:")
  }

  func makeSet(db: String, name: String, extra: [String] = []) throws {
    let results = CLI.datasets + "/alpaca_eval/results"
    let result = try CLI.run(
      ["pairs", "import", "--db", db, "--format", "alpaca_eval", "--name", name, results + "/gpt4/model_outputs.json",
       results + "/Meta-Llama-3.1-8B-Instruct-Turbo/model_outputs.json"] + extra, in: CLI.temporaryDirectory())
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test func aWholeSessionWithUndoQuitAndResume() throws {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    try makeSet(db: db, name: "ae", extra: ["--sample", "20", "--repeat-share", "0"])
    defer { _ = try? tmux(["kill-server"]) }

    try startRater(db: db, set: "ae", rater: "alice")
    let first = try waitFor("judged 0")
    #expect(first[0].contains("20 left") && first[0].contains("0:0"), "the top line counts down and shows the clock: \(first[0])")
    var expected: [(verdict: String, note: String?)] = []
    func press(_ key: String, _ verdict: String?, judgedAfter: Int) throws {
      try tmux(["send-keys", "-t", "rate", "-l", key])
      if let verdict { expected.append((verdict, nil)) }
      _ = try waitFor("judged \(judgedAfter) ")
    }
    try press("1", "left", judgedAfter: 1)
    try press("2", "right", judgedAfter: 2)
    try press("t", "tie", judgedAfter: 3)
    try press("x", "bothbad", judgedAfter: 4)
    try press("s", "skip", judgedAfter: 5)
    try press("a", "left", judgedAfter: 6)
    try press("b", "right", judgedAfter: 7)
    try tmux(["send-keys", "-t", "rate", "-l", "u"])
    expected.removeLast()
    _ = try waitFor("undone")
    // A note on the item that came back, then a verdict.
    try tmux(["send-keys", "-t", "rate", "-l", "n"])
    _ = try waitFor("Note:")
    try tmux(["send-keys", "-t", "rate", "-l", "second look"])
    try tmux(["send-keys", "-t", "rate", "Enter"])
    _ = try waitFor("note kept")
    try tmux(["send-keys", "-t", "rate", "-l", "2"])
    expected.append(("right", "second look"))
    _ = try waitFor("judged 7 ")
    // Help, scrolling and focus keys do not rate.
    for key in ["?", "x", "j", "j", "k", "l", "Tab"] {
      if key == "Tab" { try tmux(["send-keys", "-t", "rate", "Tab"]) } else { try tmux(["send-keys", "-t", "rate", "-l", key]) }
    }
    _ = try waitFor("judged 7 ")
    // Pausing hides the item; the key that resumes does not rate.
    try tmux(["send-keys", "-t", "rate", "-l", "P"])
    let paused = try waitFor("Paused:")
    #expect(!paused.joined().contains("Left (1/a)"), "the answers are hidden while paused")
    try tmux(["send-keys", "-t", "rate", "-l", "1"])
    _ = try waitFor("resumed")
    #expect(try screen()[0].contains("judged 7 "))
    try tmux(["send-keys", "-t", "rate", "-l", "q"])
    let deadline = Date().addingTimeInterval(10)
    while try sessionAlive(), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    #expect(try !sessionAlive(), "assay rate did not quit on q")

    // Resume: the count survives and the remaining 13 items follow.
    try startRater(db: db, set: "ae", rater: "alice")
    _ = try waitFor("judged 7 ")
    let cycle = ["1", "2", "t", "x"]
    let names = ["1": "left", "2": "right", "t": "tie", "x": "bothbad"]
    for n in 0..<13 {
      let key = cycle[n % 4]
      try tmux(["send-keys", "-t", "rate", "-l", key])
      expected.append((names[key]!, nil))
      _ = try waitFor(n == 12 ? "skipped earlier" : "judged \(8 + n) ")
    }
    // The skipped item comes back once, after the rest (its skip taken back), and is judged now.
    let back = try screen()
    #expect(back[0].contains("judged 19 · 1 left"), "\(back[0])")
    try tmux(["send-keys", "-t", "rate", "-l", "t"])
    expected.remove(at: expected.firstIndex { $0.verdict == "skip" }!)
    expected.append(("tie", nil))
    _ = try waitFor("All items are done")
    try tmux(["send-keys", "-t", "rate", "-l", "q"])
    let end = Date().addingTimeInterval(10)
    while try sessionAlive(), Date() < end { Thread.sleep(forTimeInterval: 0.05) }

    let rows = try DatabaseQueue(path: db).read { db in
      try Row.fetchAll(db, sql: "SELECT item_index, verdict, note, latency_ms FROM judgment WHERE rater = 'alice' ORDER BY id")
    }
    #expect(rows.count == 20)
    #expect(Set(rows.map { $0["item_index"] as Int }).count == 20, "every item judged exactly once")
    #expect(rows.map { $0["verdict"] as String } == expected.map(\.verdict))
    #expect(rows.map { $0["note"] as String? } == expected.map(\.note))
    #expect(rows.allSatisfy { ($0["latency_ms"] as Double) > 0 })
  }

  /// Display width as terminals count it, written independently of the UI's own table: CJK and full-width take 2
  /// cells, Thai vowel and tone marks above or below a consonant take none.
  func cells(_ text: Substring) -> Int {
    text.unicodeScalars.reduce(0) { total, scalar in
      let v = scalar.value
      if (0x3000...0x303F).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
        || (0xFF00...0xFF60).contains(v)
      {
        return total + 2
      }
      if v == 0x0E31 || (0x0E34...0x0E3A).contains(v) || (0x0E47...0x0E4E).contains(v) { return total }
      return total + 1
    }
  }

  @Test func thaiAndChineseStayAlignedSideBySide() throws {
    let dir = CLI.temporaryDirectory()
    let thai = "ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำ ผู้เขียนจึงต้องอ่านอย่างระมัดระวัง น้ำใจ ที่นี่ สวัสดีครับ "
    let chinese = "中文句子之间没有空格，所以换行可以发生在任何两个汉字之间。这是一个用于测试对齐的较长回答。"
    for (name, text) in [("thai", String(repeating: thai, count: 6)), ("chinese", String(repeating: chinese, count: 6))] {
      let object: [[String: Any]] = [["instruction": "请比较：ภาษาไทยกับภาษาจีน", "output": text, "generator": name, "dataset": "t"]]
      try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: "\(dir)/\(name).json"))
    }
    let db = dir + "/assay.sqlite"
    let created = try CLI.run(
      ["pairs", "import", "--db", db, "--format", "alpaca_eval", "--name", "scripts", dir + "/thai.json", dir + "/chinese.json"], in: dir)
    #expect(created.status == 0, "\(created.stderr)")
    defer { _ = try? tmux(["kill-server"]) }

    try startRater(db: db, set: "scripts", rater: "bob", width: 120, height: 30)
    let lines = try waitFor("Right (2/b)")
    let title = try #require(lines.firstIndex { $0.contains("┬") })
    let divider = cells(lines[title][..<lines[title].firstIndex(of: "┬")!])
    var body = 0
    for line in lines[(title + 1)...] where line.contains("│") {
      let column = cells(line[..<line.firstIndex(of: "│")!])
      #expect(column == divider, "misaligned: \(line)")
      #expect(cells(line[...]) <= 120, "too wide: \(line)")
      body += 1
    }
    #expect(body > 10)
    #expect(lines.joined().contains("ภาษา") && lines.joined().contains("中文"))

    // Narrow terminal: stacked panes, nothing wider than the screen.
    try tmux(["kill-session", "-t", "rate"])
    try startRater(db: db, set: "scripts", rater: "bob", width: 70, height: 30)
    let narrow = try waitFor("Right (2/b)")
    #expect(!narrow.joined().contains("┬"))
    for line in narrow { #expect(cells(line[...]) <= 70, "too wide: \(line)") }
    // Quit by hand: a session left to kill-server alone was seen to outlive the test.
    try tmux(["send-keys", "-t", "rate", "-l", "q"])
    let deadline = Date().addingTimeInterval(10)
    while try sessionAlive(), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
  }

  /// Answers that try to drive the terminal (retitle the pane, clear the screen, set the clipboard, move the
  /// cursor with a one-character C1 CSI, reverse the text) are drawn as visible symbols and do nothing.
  @Test func hostileAnswersCannotDriveTheTerminal() throws {
    let dir = CLI.temporaryDirectory()
    let hostile = [
      "a": "Fine answer.\u{1B}]2;pwned\u{7}\u{1B}]0;pwned0\u{1B}\\\u{1B}[2J\u{1B}[H\u{1B}]52;c;cHduZWQ=\u{7}END-A",
      "b": "Other answer.\u{9B}2J\u{9D}2;pwned9\u{9C}\u{202E}desrever\u{202C}\u{7F}END-B",
    ]
    for (name, text) in hostile {
      let object: [[String: Any]] = [["instruction": "Say hi\u{1B}[31m", "output": text, "generator": name, "dataset": "t"]]
      try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: "\(dir)/\(name).json"))
    }
    let db = dir + "/assay.sqlite"
    let created = try CLI.run(
      ["pairs", "import", "--db", db, "--format", "alpaca_eval", "--name", "hostile", dir + "/a.json", dir + "/b.json"], in: dir)
    #expect(created.status == 0, "\(created.stderr)")
    defer { _ = try? tmux(["kill-server"]) }

    try startRater(db: db, set: "hostile", rater: "eve", width: 160, height: 30)
    let lines = try waitFor("1/a left")
    let shown = lines.joined(separator: "\n")
    let title = try tmux(["display-message", "-p", "-t", "rate", "#{pane_title}"])
    #expect(!title.contains("pwned"), "the pane title was changed to \(title)")
    #expect(try tmux(["list-buffers"]).isEmpty, "an OSC 52 sequence set a tmux buffer")
    // Nothing was cleared or overdrawn: the header, both pane titles and both whole answers are on screen.
    #expect(lines.first?.contains("Assay rate · hostile · eve") == true, "\(shown)")
    #expect(shown.contains("Left (1/a)") && shown.contains("Right (2/b)"), "\(shown)")
    #expect(shown.contains("␛]2;pwned␇") && shown.contains("␛[2J␛[H") && shown.contains("END-A"), "\(shown)")
    #expect(shown.contains("\\u{9B}2J") && shown.contains("\\u{202E}desrever") && shown.contains("END-B"), "\(shown)")
    #expect(shown.contains("Say hi␛[31m"), "\(shown)")
    try tmux(["send-keys", "-t", "rate", "-l", "q"])
  }

  @Test func eightRatersOnOneDatabaseLoseNothing() throws {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    try makeSet(db: db, name: "crowd", extra: ["--sample", "24", "--overlap", "3", "--repeat-share", "0"])
    var processes: [Process] = []
    for rater in 0..<8 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CLI.assay)
      process.arguments = ["rate", "--db", db, "--set", "crowd", "--rater", "r\(rater)"]
      let input = Pipe()
      process.standardInput = input
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      input.fileHandleForWriting.write(Data(String(repeating: "12tx", count: 30).utf8))
      try input.fileHandleForWriting.close()
      processes.append(process)
    }
    for process in processes { process.waitUntilExit() }
    #expect(processes.allSatisfy { $0.terminationStatus == 0 })
    let (total, perItem, integrity) = try DatabaseQueue(path: db).read { db in
      (
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judgment")!,
        try Int.fetchAll(db, sql: "SELECT COUNT(DISTINCT rater) FROM judgment GROUP BY item_index"),
        try String.fetchOne(db, sql: "PRAGMA integrity_check")!
      )
    }
    #expect(total == 72, "24 items x 3 raters")
    #expect(perItem.count == 24 && perItem.allSatisfy { $0 == 3 })
    #expect(integrity == "ok")

    // The same judgments as FastChat battles, and the leaderboard with agreement.
    let export = try CLI.run(["pairs", "export", "--db", db, "--name", "crowd", "--format", "fastchat", "--out", dir + "/battles.jsonl"], in: dir)
    #expect(export.status == 0)
    let battles = try String(contentsOfFile: dir + "/battles.jsonl", encoding: .utf8).split(separator: "\n")
    let skips = 0
    #expect(battles.count == 72 - skips)
    let first = try JSONSerialization.jsonObject(with: Data(battles[0].utf8)) as! [String: Any]
    #expect(Set(first.keys) == ["model_a", "model_b", "winner", "judge", "question_id"])
    let ratings = try CLI.run(["ratings", "--db", db, "--set", "crowd", "--json", "--rounds", "50"], in: dir)
    #expect(ratings.status == 0, "\(ratings.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(ratings.stdout.utf8)) as! [String: Any]
    #expect((json["bradley_terry"] as! [String: Double]).count == 2)
    #expect((json["ci"] as! [String: [Double]]).count == 2)
    let agreement = json["agreement"] as! [String: Any]
    // Which rater pairs share items depends on how the 8 processes interleave; kappa is reported for pairs that
    // share at least 2 items (and have some chance disagreement), so its keys are a non-empty subset of those.
    let shared = try DatabaseQueue(path: db).read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT a.rater AS ra, b.rater AS rb FROM judgment a JOIN judgment b
            ON a.item_index = b.item_index AND a.rater < b.rater GROUP BY a.rater, b.rater HAVING COUNT(*) >= 2
          """
      ).map { "\($0["ra"] as String)|\($0["rb"] as String)" }
    }
    let kappaPairs = Set((agreement["cohen_kappa"] as! [String: Double]).keys)
    #expect(!kappaPairs.isEmpty)
    #expect(kappaPairs.isSubset(of: Set(shared)), "\(kappaPairs) vs \(shared)")
    #expect(agreement["fleiss_kappa"] is Double)
    #expect(agreement["krippendorff_alpha"] is Double)
    #expect(json["position_bias"] != nil)
  }
}
