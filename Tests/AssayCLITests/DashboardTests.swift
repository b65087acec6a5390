import AssayTesting
import Foundation
import GRDB
import Testing

/// The dashboard of two real runs (tiny model through llama.cpp), loaded in headless Chromium.
@Suite(.serialized, .tags(.slow)) struct DashboardTests {
  static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// Runs headless Chromium on a page; returns stderr (console messages appear there as `:CONSOLE` lines).
  func chromium(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let binary = try #require(Self.chromium, "Chromium is not installed: apt-get install chromium (.ci/run does)")
    let dir = CLI.temporaryDirectory()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
      "--v=0", "--user-data-dir=\(dir)/profile"] + arguments
    FileManager.default.createFile(atPath: dir + "/out", contents: nil)
    FileManager.default.createFile(atPath: dir + "/err", contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: dir + "/out")
    process.standardError = FileHandle(forWritingAtPath: dir + "/err")
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, try String(contentsOfFile: dir + "/out", encoding: .utf8),
      try String(contentsOfFile: dir + "/err", encoding: .utf8))
  }

  func consoleMessages(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
  }

  func pngStats(_ path: String) throws -> [String: Int] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", CLI.repository + "/Tests/Fixtures/png_stats.py", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try JSONSerialization.jsonObject(with: data) as! [String: Int]
  }

  @Test func theConsoleCheckCatchesAnError() throws {
    // Negative control: the detector must see a console error when there is one.
    let dir = CLI.temporaryDirectory()
    try "<html><body><script>console.error('planted')</script></body></html>".write(toFile: dir + "/bad.html", atomically: true, encoding: .utf8)
    let result = try chromium(["--dump-dom", "file://\(dir)/bad.html"])
    #expect(consoleMessages(result.stderr).contains { $0.contains("planted") })
  }

  @Test func dashboardOfTwoLlamaCppRunsRendersEveryChart() throws {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    for tokens in ["16", "24"] {
      let run = try CLI.run(
        ["run", "--runtime", "llama.cpp", "--model", CLI.models + "/tiny-llama3-random.gguf", "--suite", "mgsm",
         "--variant", "de,th", "--limit", "4", "--max-tokens", tokens, "--db", db], in: dir)
      #expect(run.status == 0, "\(run.stderr)")
    }
    // Rate the two runs' answers against each other, so the leaderboard has data.
    let runIDs = try DatabaseQueue(path: db).read { try String.fetchAll($0, sql: "SELECT id FROM run ORDER BY started_at, rowid") }
    #expect(runIDs.count == 2)
    let pairs = try CLI.run(
      ["pairs", "create", "--db", db, "--name", "tiny", "--a", runIDs[0], "--b", runIDs[1], "--repeat-share", "0"], in: dir)
    #expect(pairs.status == 0, "\(pairs.stderr)")
    let rater = Process()
    rater.executableURL = URL(fileURLWithPath: CLI.assay)
    rater.arguments = ["rate", "--db", db, "--set", "tiny", "--rater", "carol"]
    let keys = Pipe()
    rater.standardInput = keys
    rater.standardOutput = FileHandle.nullDevice
    try rater.run()
    keys.fileHandleForWriting.write(Data("1211t21x".utf8))
    try keys.fileHandleForWriting.close()
    rater.waitUntilExit()
    #expect(rater.terminationStatus == 0)

    let out = dir + "/dashboards"
    let dashboard = try CLI.run(
      ["dashboard", "--db", db, "--out", out, "--reference", "Llama 3.1 8B Instruct", "--generated-at", "2026-01-01T00:00:00Z"],
      in: CLI.repository)
    #expect(dashboard.status == 0, "\(dashboard.stderr)")
    let page = out + "/index.html"
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(!html.contains("<script"), "the dashboard must work without JavaScript")
    #expect(!html.contains("http://") && !html.contains("https://"), "no external resources")

    // Every chart is in the DOM Chromium built, with its drawing.
    let dom = try chromium(["--dump-dom", "file://\(page)"])
    #expect(dom.status == 0)
    for id in ["chart-runs", "chart-suite-bars", "chart-language-heatmap", "chart-reference-deltas", "chart-forest", "chart-human-ratings"] {
      let start = try #require(dom.stdout.range(of: "id=\"\(id)\""), "chart \(id) missing")
      let rest = dom.stdout[start.upperBound...]
      let section = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
      if id == "chart-runs" {
        #expect(section.contains("<table"))
      } else {
        #expect(section.contains("<svg"), "chart \(id) has no SVG")
      }
    }
    #expect(consoleMessages(dom.stderr).isEmpty, "console: \(consoleMessages(dom.stderr))")

    // A screenshot that is not blank, kept as a test artifact.
    let artifacts = ProcessInfo.processInfo.environment["ASSAY_ARTIFACTS"] ?? (CLI.repository + "/.build/test-artifacts")
    try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
    let shot = artifacts + "/dashboard.png"
    try? FileManager.default.removeItem(atPath: shot)
    let screenshot = try chromium(["--window-size=1200,2000", "--screenshot=\(shot)", "file://\(page)"])
    #expect(screenshot.status == 0)
    #expect(consoleMessages(screenshot.stderr).isEmpty)
    let stats = try pngStats(shot)
    print("dashboard screenshot: \(shot) \(stats)")
    #expect(stats["colors"]! > 20, "screenshot looks blank: \(stats)")
    #expect(stats["non_white"]! > 1000, "screenshot looks blank: \(stats)")

    // Deterministic: the same database and timestamp give the same bytes.
    let again = try CLI.run(
      ["dashboard", "--db", db, "--out", dir + "/again", "--reference", "Llama 3.1 8B Instruct", "--generated-at", "2026-01-01T00:00:00Z"],
      in: CLI.repository)
    #expect(again.status == 0)
    #expect(try String(contentsOfFile: dir + "/again/index.html", encoding: .utf8) == html)
  }
}
