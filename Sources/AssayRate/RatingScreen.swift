import AssayCore

/// The rating UI as a value: what is shown, which pane has focus, scroll positions, the note being typed. Keys go
/// in, commands for the store come out, and `render` draws it into lines of exactly the terminal's width. No I/O.
public struct RatingScreen: Sendable {
  /// What the screen is doing.
  public enum Mode: Sendable, Equatable { case rating, help, note, paused, done }
  /// The pane that scrolls.
  public enum Focus: Int, Sendable { case prompt = 0, left = 1, right = 2 }

  /// A key press, decoded.
  public enum Key: Sendable, Equatable {
    case character(Character), up, down, pageUp, pageDown, tab, enter, escape, backspace
  }

  /// What the caller must do after a key.
  public enum Command: Sendable, Equatable { case none, verdict(Verdict, note: String?), undo, pause, resume, quit }

  /// Set name.
  public var setName: String
  /// Rater name.
  public var rater: String
  /// The item on screen (nil when done).
  public var item: PairItem?
  /// 1 for a self-consistency repeat.
  public var pass = 0
  /// Whether model A is on the left.
  public var aOnLeft = true
  /// Judgments this rater has made in the set.
  public var judged = 0
  /// Items in the set.
  public var total = 0
  /// Showings still ahead for this rater, the one on screen included (nil: not known).
  public var left: Int?
  /// Of `left`, skipped items that will come back.
  public var skippedWaiting = 0
  /// Whether the item on screen was skipped before and came back (skipping it again is final).
  public var revisit = false
  /// Seconds spent on the item on screen, pauses left out.
  public var secondsOnItem = 0.0
  /// The rater's median seconds per judgment in this set (nil before the first).
  public var medianSeconds: Double?
  /// Whether the clock stopped by itself because no key came for a while.
  public var idle = false
  /// Whether the item's few-shot exemplars are open (they start folded).
  public var contextOpen = false
  /// Current mode.
  public var mode: Mode = .rating
  /// Focused pane.
  public var focus: Focus = .left
  /// Scroll offset per pane.
  public var scroll = [0, 0, 0]
  /// The note being typed.
  public var noteDraft = ""
  /// A note to attach to this item's verdict.
  public var note: String?
  /// One line of feedback (`saved`, `undone`).
  public var status = ""

  /// A screen for a rater on a set.
  public init(setName: String, rater: String, total: Int) {
    self.setName = setName
    self.rater = rater
    self.total = total
  }

  /// Shows a new item (or the end), resetting scroll, note and the time on the item.
  public mutating func show(_ item: PairItem?, pass: Int, aOnLeft: Bool, revisit: Bool = false) {
    self.item = item
    self.pass = pass
    self.aOnLeft = aOnLeft
    self.revisit = revisit
    secondsOnItem = 0
    contextOpen = false
    scroll = [0, 0, 0]
    note = nil
    noteDraft = ""
    mode = item == nil ? .done : .rating
  }

  /// The left and right responses as shown (control characters made visible: a response must not be able to
  /// retitle the terminal, clear or repaint the screen, or reorder what the rater reads).
  public var leftText: String { TerminalText.visible(item.map { aOnLeft ? $0.responseA : $0.responseB } ?? "") }
  /// The right response, as shown.
  public var rightText: String { TerminalText.visible(item.map { aOnLeft ? $0.responseB : $0.responseA } ?? "") }

  /// Applies a key; `height` is the terminal height (for page scrolling).
  public mutating func handle(_ key: Key, height: Int) -> Command {
    switch mode {
    case .note:
      switch key {
      case .enter:
        note = noteDraft.isEmpty ? nil : noteDraft
        mode = .rating
        status = note == nil ? "note cleared" : "note kept for this item"
      case .escape:
        noteDraft = note ?? ""
        mode = .rating
        status = "note cancelled"
      case .backspace:
        if !noteDraft.isEmpty { noteDraft.removeLast() }
      case .character(let c):
        noteDraft.append(c)
      default: break
      }
      return .none
    case .help:
      mode = item == nil ? .done : .rating
      return .none
    case .paused:
      mode = .rating
      status = "resumed"
      return .resume
    case .done:
      if case .character(let c) = key {
        if c == "q" || c == "\u{3}" { return .quit }
        if c == "u" { return .undo }
        if c == "?" { mode = .help }
      }
      return .none
    case .rating:
      break
    }
    let page = max(1, height / 2 - 4)
    switch key {
    case .character(let c):
      switch c {
      case "1", "a": return .verdict(.left, note: note)
      case "2", "b": return .verdict(.right, note: note)
      case "t": return .verdict(.tie, note: note)
      case "x": return .verdict(.bothBad, note: note)
      case "s": return .verdict(.skip, note: note)
      case "u": return .undo
      case "q", "\u{3}": return .quit
      case "?": mode = .help
      case "P":
        mode = .paused
        return .pause
      case "e":
        guard item?.context != nil else {
          status = "this prompt has no exemplars to open"
          break
        }
        contextOpen.toggle()
        scroll[Focus.prompt.rawValue] = 0
        status = contextOpen ? "exemplars open (e folds them)" : "exemplars folded"
      case "n":
        mode = .note
        noteDraft = note ?? ""
      case "j": scroll[focus.rawValue] += 1
      case "k": scroll[focus.rawValue] = max(0, scroll[focus.rawValue] - 1)
      case "h": focus = .left
      case "l": focus = .right
      case "p": focus = .prompt
      case " ": scroll[focus.rawValue] += page
      default: status = "unknown key '\(c)' - press ? for help"
      }
    case .down: scroll[focus.rawValue] += 1
    case .up: scroll[focus.rawValue] = max(0, scroll[focus.rawValue] - 1)
    case .pageDown: scroll[focus.rawValue] += page
    case .pageUp: scroll[focus.rawValue] = max(0, scroll[focus.rawValue] - page)
    case .tab: focus = Focus(rawValue: (focus.rawValue + 1) % 3)!
    case .enter, .escape, .backspace: break
    }
    return .none
  }

  /// The screen as `height` lines of exactly `width` cells.
  public mutating func render(width: Int, height: Int) -> [String] {
    let width = max(20, width)
    let height = max(8, height)
    var lines: [String] = []
    lines.append(TextWrap.fit(header, width: width))
    let footerLines = 2
    let bodyHeight = height - lines.count - footerLines
    switch mode {
    case .help:
      lines += Self.helpText.map { TextWrap.fit($0, width: width) }
    case .paused:
      lines.append(rule("", width: width))
      lines.append(TextWrap.fit(
        idle ? " Paused: no key for a while, so the clock stopped at the last key. Press any key to go on."
          : " Paused: the clock is stopped and the item is hidden. Press any key to go on.", width: width))
    case .done:
      lines.append(rule("", width: width))
      lines.append(TextWrap.fit(" All items are done - thank you. Press q to quit, u to undo the last judgment.", width: width))
    case .rating, .note:
      lines += body(width: width, height: bodyHeight)
    }
    while lines.count < height - footerLines { lines.append(String(repeating: " ", count: width)) }
    lines = Array(lines.prefix(height - footerLines))
    lines.append(rule("", width: width))
    if mode == .note {
      lines.append(TextWrap.fit(" Note: \(TerminalText.visible(noteDraft, layout: .singleLine))_   (Enter keeps it, Esc cancels)", width: width))
    } else {
      let hint = "1/a left · 2/b right · t tie · x both bad · s skip · u undo · n note · Tab/j/k scroll · P pause · q quit"
      lines.append(TextWrap.fit(" " + (status.isEmpty ? hint : "\(TerminalText.visible(status, layout: .singleLine))  ·  \(hint)"), width: width))
    }
    return lines
  }

  static let helpText = [
    "", " Which response is better? Model names are hidden and sides are randomized.", "",
    "   1 or a    left is better            2 or b    right is better",
    "   t         tie (both good)           x         both bad",
    "   s         skip this item (it comes back once, after the rest; a second skip is final)",
    "   u         undo the last judgment    n         write a note for this item (Enter keeps it, Esc cancels)",
    "   P         pause: hide the item and stop the clock (it also stops by itself after 5 idle minutes)",
    "   e         open or fold the few-shot exemplars before the question (folded at first)",
    "   Tab       move focus: prompt, left, right     h / l / p   focus left, right, prompt",
    "   j k ↑ ↓   scroll the focused pane    PgUp PgDn Space   scroll by a page",
    "   q         quit (you resume where you stopped)   ?   this help", "",
    " Press any key to go back.",
  ]

  /// The first line: set and rater, how many judged and left, the time on this item against the rater's median.
  var header: String {
    let who = TerminalText.visible(" Assay rate · \(setName) · \(rater)", layout: .singleLine)
    var parts = ["\(who) · judged \(judged)"]
    if item == nil {
      parts.append("done")
    } else if let left {
      parts.append("\(left) left" + (skippedWaiting > 0 ? " (\(skippedWaiting) skipped)" : ""))
    } else {
      parts.append("\(total) in set")
    }
    if item != nil {
      var clock = Self.clock(secondsOnItem) + (mode == .paused ? " paused" : "")
      if let medianSeconds { clock += " (median \(Self.clock(medianSeconds)))" }
      parts.append(clock)
    }
    if pass == 1 { parts.append("repeat") }
    if revisit { parts.append("skipped earlier") }
    parts.append("? help")
    return parts.joined(separator: " · ")
  }

  /// Seconds as m:ss (h:mm:ss from an hour).
  static func clock(_ seconds: Double) -> String {
    let whole = max(0, Int(seconds.rounded(.down)))
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60)
    let mmss = (s < 10 ? "\(m):0\(s)" : "\(m):\(s)")
    return h > 0 ? "\(h):" + (m < 10 ? "0" : "") + mmss : mmss
  }

  private mutating func body(width: Int, height: Int) -> [String] {
    guard let item else { return [] }
    var lines: [String] = []
    var promptLines = TextWrap.wrap(TerminalText.visible(item.prompt), width: width - 2)
    var title = "Prompt"
    if let context = item.context {
      let contextLines = TextWrap.wrap(TerminalText.visible(context), width: width - 2)
      if contextOpen {
        title = "Prompt: exemplars, then the question (e folds)"
        promptLines = contextLines + ["┄┄┄ the question ┄┄┄"] + promptLines
      } else {
        title = "Prompt: the question (\(contextLines.count) lines of exemplars before it folded: e opens)"
      }
    }
    // Open exemplars may take up to half the body; a prompt alone, a quarter.
    let promptHeight = max(2, min(promptLines.count, contextOpen ? height / 2 : height / 4))
    lines.append(paneTitle(title, lines: promptLines.count, height: promptHeight, pane: .prompt, width: width))
    lines += window(promptLines, pane: .prompt, height: promptHeight).map { " " + TextWrap.fit($0, width: width - 1) }
    let remaining = height - lines.count
    if width >= 90 {
      let inner = (width - 3) / 2
      let rightWidth = width - 3 - inner
      let left = TextWrap.wrap(leftText, width: inner - 1)
      let right = TextWrap.wrap(rightText, width: rightWidth - 1)
      let paneHeight = remaining - 1
      lines.append(
        TextWrap.fit(paneTitle("Left (1/a)", lines: left.count, height: paneHeight, pane: .left, width: inner + 1), width: inner + 1)
          + "┬" + paneTitle("Right (2/b)", lines: right.count, height: paneHeight, pane: .right, width: rightWidth + 1))
      let l = window(left, pane: .left, height: paneHeight)
      let r = window(right, pane: .right, height: paneHeight)
      for row in 0..<max(0, paneHeight) {
        let a = row < l.count ? l[row] : ""
        let b = row < r.count ? r[row] : ""
        lines.append(" " + align(a, width: inner - 1) + " │ " + align(b, width: rightWidth))
      }
    } else {
      let paneHeight = max(1, (remaining - 2) / 2)
      for (title, text, pane) in [("Left (1/a)", leftText, Focus.left), ("Right (2/b)", rightText, Focus.right)] {
        let wrapped = TextWrap.wrap(text, width: width - 2)
        lines.append(paneTitle(title, lines: wrapped.count, height: paneHeight, pane: pane, width: width))
        let shown = window(wrapped, pane: pane, height: paneHeight)
        for row in 0..<paneHeight { lines.append(" " + align(row < shown.count ? shown[row] : "", width: width - 1)) }
      }
    }
    return lines
  }

  /// The visible slice of a pane, clamping its scroll offset.
  private mutating func window(_ lines: [String], pane: Focus, height: Int) -> [String] {
    let maxOffset = max(0, lines.count - height)
    scroll[pane.rawValue] = min(scroll[pane.rawValue], maxOffset)
    let start = scroll[pane.rawValue]
    return Array(lines[start..<min(lines.count, start + max(0, height))])
  }

  private func paneTitle(_ title: String, lines: Int, height: Int, pane: Focus, width: Int) -> String {
    let marker = focus == pane ? "▶ " : ""
    let start = scroll[pane.rawValue]
    let range = lines > height ? " \(start + 1)-\(min(lines, start + height)) of \(lines)\(start + height < lines ? " ↓" : "")" : ""
    return rule("\(marker)\(title)\(range)", width: width)
  }

  private func rule(_ title: String, width: Int) -> String {
    let text = title.isEmpty ? "" : "─ \(title) "
    let used = DisplayWidth.of(text)
    return TextWrap.fit(text + String(repeating: "─", count: max(0, width - used)), width: width)
  }

  /// Pads a line to `width`, right-aligning right-to-left text.
  private func align(_ text: String, width: Int) -> String {
    guard TextWrap.isRightToLeft(text) else { return TextWrap.fit(text, width: width) }
    let used = DisplayWidth.of(text)
    return used >= width ? TextWrap.fit(text, width: width) : String(repeating: " ", count: width - used) + text
  }
}
