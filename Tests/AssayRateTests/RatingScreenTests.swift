import AssayCore
import AssayRate
import Testing

@Suite struct RatingScreenTests {
  func screen(aOnLeft: Bool = false) -> RatingScreen {
    var screen = RatingScreen(setName: "s", rater: "r", total: 3)
    screen.show(
      PairItem(index: 0, key: "k", prompt: "Why?", modelA: "A", responseA: "answer from A", modelB: "B", responseB: "answer from B"),
      pass: 0, aOnLeft: aOnLeft)
    return screen
  }

  @Test func keysMapToVerdictsInScreenTerms() {
    var s = screen()
    #expect(s.handle(.character("1"), height: 30) == .verdict(.left, note: nil))
    #expect(s.handle(.character("b"), height: 30) == .verdict(.right, note: nil))
    #expect(s.handle(.character("t"), height: 30) == .verdict(.tie, note: nil))
    #expect(s.handle(.character("x"), height: 30) == .verdict(.bothBad, note: nil))
    #expect(s.handle(.character("s"), height: 30) == .verdict(.skip, note: nil))
    #expect(s.handle(.character("u"), height: 30) == .undo)
    #expect(s.handle(.character("q"), height: 30) == .quit)
    #expect(s.leftText == "answer from B")  // B is on the left
  }

  @Test func aNoteTravelsWithTheVerdict() {
    var s = screen()
    _ = s.handle(.character("n"), height: 30)
    for c in "too long" { _ = s.handle(.character(c), height: 30) }
    _ = s.handle(.backspace, height: 30)
    _ = s.handle(.enter, height: 30)
    #expect(s.handle(.character("2"), height: 30) == .verdict(.right, note: "too lon"))
  }

  @Test func helpOverlayAndUnknownKeys() {
    var s = screen()
    _ = s.handle(.character("?"), height: 30)
    #expect(s.mode == .help)
    #expect(s.handle(.character("1"), height: 30) == .none)  // any key closes help, and does not rate
    #expect(s.mode == .rating)
    _ = s.handle(.character("z"), height: 30)
    #expect(s.status.contains("unknown key"))
  }

  @Test(arguments: [(140, 40), (100, 24), (60, 30), (30, 10)])
  func everyRenderedLineHasTheTerminalsWidth(width: Int, height: Int) {
    var s = screen()
    s.item?.responseA = String(repeating: "中文回答 ", count: 60)
    s.item?.responseB = String(repeating: "คำตอบภาษาไทย ", count: 60)
    let lines = s.render(width: width, height: height)
    #expect(lines.count == max(8, height))
    for line in lines { #expect(DisplayWidth.of(line) == max(20, width), "\(line)") }
  }

  @Test func scrollingIsClampedToTheText() {
    var s = screen()
    for _ in 0..<50 { _ = s.handle(.down, height: 30) }
    _ = s.render(width: 120, height: 30)
    #expect(s.scroll[RatingScreen.Focus.left.rawValue] == 0)  // one short line: nothing to scroll
  }

  @Test(arguments: [(140, 40), (60, 30)])
  func responsesCannotDriveTheTerminal(width: Int, height: Int) {
    var s = RatingScreen(setName: "set\u{1B}]0;t\u{7}", rater: "r\u{9B}2J", total: 1)
    s.show(
      PairItem(
        index: 0, key: "k", prompt: "Q\u{1B}[2J\u{202E}?", modelA: "A", responseA: "\u{1B}]2;pwned\u{7}\u{1B}[2J\u{1B}[H fake",
        modelB: "B", responseB: "x\u{9B}H\u{7F}\u{0}\u{1B}]52;c;Zm9v\u{7}\ty"),
      pass: 0, aOnLeft: true)
    let lines = s.render(width: width, height: height)
    for line in lines {
      #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E }, "\(line)")
      #expect(DisplayWidth.of(line) == width, "\(line)")
    }
    let shown = lines.joined(separator: "\n")
    #expect(shown.contains("␛]2;pwned␇␛[2J␛[H fake"))
    #expect(shown.contains("x\\u{9B}H␡␀␛]52;c;Zm9v␇"))
    #expect(shown.contains("Q␛[2J\\u{202E}?"))
    #expect(shown.contains("set␛]0;t␇ · r\\u{9B}2J"))
  }
}

@Suite struct RatingScreenProgressTests {
  func screen() -> RatingScreen { RatingScreenTests().screen(aOnLeft: true) }

  @Test func theTopLineTellsWhatIsLeftAndTheTime() {
    var s = screen()
    s.judged = 12
    s.left = 9
    s.skippedWaiting = 2
    s.secondsOnItem = 75.9
    s.medianSeconds = 3725
    let top = s.render(width: 160, height: 20)[0]
    #expect(top.contains("judged 12 · 9 left (2 skipped) · 1:15 (median 1:02:05)"), "\(top)")
    s.show(s.item, pass: 0, aOnLeft: true, revisit: true)
    #expect(s.secondsOnItem == 0, "a new showing starts its clock at zero")
    #expect(s.render(width: 160, height: 20)[0].contains("skipped earlier"))
  }

  @Test func pauseHidesTheItemAndAnyKeyResumesWithoutRating() {
    var s = screen()
    #expect(s.handle(.character("P"), height: 30) == .pause)
    #expect(s.mode == .paused)
    let shown = s.render(width: 120, height: 30).joined(separator: "\n")
    #expect(!shown.contains("answer from A") && !shown.contains("Why?"), "\(shown)")
    #expect(shown.contains("Paused"))
    #expect(s.render(width: 120, height: 30)[0].contains("paused"))
    #expect(s.handle(.character("1"), height: 30) == .resume, "the key that resumes does not rate")
    #expect(s.mode == .rating)
    #expect(s.render(width: 120, height: 30).joined().contains("answer from A"))
  }

  @Test func helpNamesTheNewKeys() {
    var s = screen()
    _ = s.handle(.character("?"), height: 30)
    let help = s.render(width: 140, height: 30).joined(separator: "\n")
    #expect(help.contains("P         pause") && help.contains("comes back once"))
  }
}

@Suite struct FewShotFoldingTests {
  let shots = (1...12).map { "Q: What is \($0) + \($0)?\nA: \($0 * 2)" }.joined(separator: "\n\n")

  @Test func theQuestionIsSplitFromItsExemplars() {
    let question = "Q: What is 7 * 6?\nA:"
    let folded = PairItem.fold(shots + "\n\n" + question, question: question)
    #expect(folded.question == question && folded.context == shots)
    #expect(PairItem.fold(question, question: question) == (nil, question), "nothing before the question")
    #expect(PairItem.fold("other text", question: question) == (nil, "other text"), "not its suffix: whole")
    #expect(PairItem.fold("x\n\n", question: "\n\n") == (nil, "x\n\n"), "a blank question folds nothing")
  }

  @Test func theQuestionShowsFirstAndEOpensTheExemplars() {
    let question = "Q: What is 7 * 6?\nA:"
    var s = RatingScreen(setName: "s", rater: "r", total: 1)
    s.show(
      PairItem(index: 0, key: "k", prompt: question, modelA: "A", responseA: "42", modelB: "B", responseB: "41", context: shots),
      pass: 0, aOnLeft: true)
    let folded = s.render(width: 120, height: 30).joined(separator: "\n")
    #expect(folded.contains("What is 7 * 6?") && !folded.contains("What is 1 + 1?"), "\(folded)")
    #expect(folded.contains("35 lines of exemplars before it folded: e opens"), "\(folded)")
    #expect(s.handle(.character("e"), height: 30) == .none, "opening is not a verdict")
    let open = s.render(width: 120, height: 30).joined(separator: "\n")
    #expect(open.contains("What is 1 + 1?") && open.contains("exemplars, then the question"), "\(open)")
    _ = s.handle(.character("e"), height: 30)
    #expect(!s.render(width: 120, height: 30).joined().contains("What is 1 + 1?"))
    s.show(s.item, pass: 0, aOnLeft: true)
    #expect(!s.contextOpen, "each item starts folded")
  }
}
