import ArgumentParser
import AssayCore
import AssayRate
import AssayStore
import Foundation

/// `assay rate`: blind side-by-side rating in the terminal.
struct RateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rate",
    abstract: "Rate pairs of responses side by side in the terminal (blind, randomized sides).",
    discussion: """
      Example:
        assay rate --set fp8-vs-bf16 --rater alice

      Keys: 1/a left better · 2/b right better · t tie · x both bad · s skip · u undo · n note · Tab, j/k, arrows, PgUp/PgDn scroll · P pause · ? help · q quit. Every judgment is saved at once; quitting and starting again resumes where you stopped. A skipped item comes back once, after the others; skipping it again is final.

      The top line tells how many showings are left and the time on the item against your median. The time stored with each judgment leaves out pauses (P hides the item and stops the clock) and idle stretches: after 5 minutes without a key the clock stops at the last key. Several raters can rate the same set at the same time; each item goes to --overlap distinct raters (set when the set was created), and a share of items comes back once for self-consistency.

      When standard input is not a terminal, keys are read from it without drawing (for scripts and tests); end of input quits.
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The comparison set.")
  var set: String

  @Option(help: "Your name (judgments are stored under it).")
  var rater: String

  func validate() throws {
    if rater.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--rater must not be empty") }
  }

  func run() throws {
    let store = try SQLiteStore.openExisting(path: storeOptions.db)
    let info = try store.comparisonSet(set)
    if try store.judgments(set: set).contains(where: { $0.rater == rater && $0.raterKind == "llm" }) {
      throw AssayError(.invalidArgument, "'\(rater)' is an LLM judge's name in \(set)", fix: "rate under your own --rater name")
    }
    var screen = RatingScreen(setName: set, rater: rater, total: info.items)
    var assignment: Assignment?
    let started = ContinuousClock.now
    /// Seconds since the command started: the clock's time base.
    func now() -> Double { (ContinuousClock.now - started).seconds }
    var clock = ItemClock(now: now())

    func next() throws {
      assignment = try store.nextAssignment(set: set, rater: rater)
      let progress = try store.raterProgress(set: set, rater: rater)
      screen.judged = progress.judged
      screen.left = progress.left
      screen.skippedWaiting = progress.skippedWaiting
      screen.medianSeconds = progress.medianSeconds
      screen.show(
        assignment?.item, pass: assignment?.pass ?? 0, aOnLeft: assignment?.aOnLeft ?? true, revisit: assignment?.revisit ?? false)
      clock = ItemClock(now: now())
    }
    try next()

    let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    let terminal = interactive ? Terminal() : nil
    defer { terminal?.restore() }
    var lastSize = (width: 0, height: 0)
    var dirty = true
    var shownSecond = -1

    while true {
      let size = interactive ? Terminal.size() : (width: 120, height: 40)
      let current = now()
      screen.secondsOnItem = clock.elapsed(at: current)
      if clock.isIdle(at: current), screen.mode == .rating {
        screen.mode = .paused
        screen.idle = true
      }
      // The clock on screen ticks once a second.
      if Int(screen.secondsOnItem) != shownSecond || screen.idle {
        shownSecond = Int(screen.secondsOnItem)
        dirty = dirty || interactive
      }
      if let terminal, dirty || size != lastSize {
        terminal.draw(screen.render(width: size.width, height: size.height))
        lastSize = size
        dirty = false
      }
      let input: KeyInput = terminal?.readKey(timeoutMs: 250) ?? Self.readScriptedKey()
      let key: RatingScreen.Key
      switch input {
      case .timeout: continue
      case .eof:
        if !interactive { Output.text("\(rater): \(screen.judged) judgments in \(set)") }
        return
      case .key(let k): key = k
      }
      dirty = true
      clock.key(at: now())
      switch screen.handle(key, height: size.height) {
      case .none: break
      case .pause:
        clock.pause(at: now())
        screen.status = "paused"
      case .resume:
        clock.resume(at: now())
        screen.idle = false
      case .quit:
        if !interactive { Output.text("\(rater): \(screen.judged) judgments in \(set)") }
        return
      case .verdict(let verdict, let note):
        guard let current = assignment else { break }
        let latency = clock.elapsed(at: now()) * 1000
        try store.recordJudgment(
          set: set, rater: rater, assignment: current, verdict: verdict, note: note, latencyMs: latency)
        try next()
        screen.status = "saved: \(Self.describe(verdict))" + (verdict == .skip && !current.revisit ? " (it comes back after the rest)" : "")
      case .undo:
        if let undone = try store.undoLastJudgment(set: set, rater: rater) {
          try next()
          screen.status = "undone: item \(undone + 1) is back"
        } else {
          screen.status = "nothing to undo"
        }
      }
    }
  }

  static func describe(_ verdict: Verdict) -> String {
    switch verdict {
    case .left: return "left better"
    case .right: return "right better"
    case .tie: return "tie"
    case .bothBad: return "both bad"
    case .skip: return "skipped"
    }
  }

  /// Keys from a non-terminal standard input, one character at a time; white space is ignored.
  static func readScriptedKey() -> KeyInput {
    var byte: UInt8 = 0
    while true {
      let count = read(STDIN_FILENO, &byte, 1)
      if count <= 0 { return .eof }
      let character = Character(Unicode.Scalar(byte))
      if character == " " || character == "\n" || character == "\r" || character == "\t" { continue }
      return .key(.character(character))
    }
  }
}
