import AssayCore
import Foundation
import Testing

@Suite struct NeedleTests {
  @Test func recallFindsValuesWrittenAsPeopleWriteNumbers() {
    #expect(NeedleGrader.recall(answer: "It is 4829173.", values: ["4829173"]) == 1)
    #expect(NeedleGrader.recall(answer: "It is 4,829,173.", values: ["4829173"]) == 1)
    #expect(NeedleGrader.recall(answer: "It is 4 829 173", values: ["4829173"]) == 1)
    #expect(NeedleGrader.recall(answer: "الرقم هو ٤٨٢٩١٧٣", values: ["4829173"]) == 1)
    #expect(NeedleGrader.recall(answer: "संख्या ४८२९१७३ है।", values: ["4829173"]) == 1)
    #expect(NeedleGrader.recall(answer: "คือ ๔๘๒๙๑๗๓", values: ["4829173"]) == 1)
    #expect(NeedleGrader.recall(answer: "是４８２９１７３。", values: ["4829173"]) == 1)
    // Part of a longer number, or a prefix of it, is not the value.
    #expect(NeedleGrader.recall(answer: "48291731", values: ["4829173"]) == 0)
    #expect(NeedleGrader.recall(answer: "482917", values: ["4829173"]) == 0)
    // Two numbers side by side stay two numbers, and the chain does not hide them.
    #expect(NeedleGrader.recall(answer: "5550450 7923227", values: ["5550450", "7923227"]) == 1)
    #expect(NeedleGrader.recall(answer: "box 417: 5550450 and 1111111", values: ["5550450", "7923227"]) == 0.5)
    #expect(NeedleGrader.recall(answer: "", values: ["5550450"]) == 0)
  }

  @Test func lengthsResolveTheWindowAndRefuseWhatDoesNotFit() throws {
    #expect(try NeedleGrid.lengths(.list([1024, nil]), window: 8192, maxTokens: 256, task: "t") == [1024, 7936])
    let spaced = try NeedleGrid.lengths(.spaced(from: 2000, to: nil, count: 4), window: 8192, maxTokens: 256, task: "t")
    #expect(spaced == [2000, 3979, 5957, 7936])
    // Meta's grid: ten lengths from 2,000 to 131,072 less the answer.
    let meta = try NeedleGrid.lengths(.spaced(from: 2000, to: nil, count: 10), window: 131_072 + 256, maxTokens: 256, task: "t")
    #expect(meta.count == 10 && meta.first == 2000 && meta.last == 131_072)
    do {
      _ = try NeedleGrid.lengths(.list([9000]), window: 8192, maxTokens: 256, task: "needle/en")
      Issue.record("a length beyond the window was accepted")
    } catch {
      #expect(error.message.contains("window of 8192 tokens"))
      #expect(error.message.contains("needle/en"))
      #expect(error.fix?.contains("7936") == true)
    }
    // 8,000 tokens fit an 8,192 window, but not with 256 for the answer.
    #expect(throws: AssayError.self) { try NeedleGrid.lengths(.list([8000]), window: 8192, maxTokens: 256, task: "t") }
    do {
      _ = try NeedleGrid.lengths(.list([nil]), window: nil, maxTokens: 256, task: "t")
      Issue.record("`window` without a window was accepted")
    } catch {
      #expect(error.fix?.contains("--context-window") == true)
    }
    // Explicit lengths need no window.
    #expect(try NeedleGrid.lengths(.list([1000]), window: nil, maxTokens: 256, task: "t") == [1000])
  }

  @Test func lengthFlagsParse() throws {
    #expect(try NeedleLengths.parse("1k,2k,8000,window") == .list([1024, 2048, 8000, nil]))
    #expect(try NeedleLengths.parse("2000..window/10") == .spaced(from: 2000, to: nil, count: 10))
    #expect(try NeedleLengths.parse("1k..8k/4") == .spaced(from: 1024, to: 8192, count: 4))
    for bad in ["", "abc", "10", "2000..window", "4k..2k/3", "-5"] {
      #expect(throws: AssayError.self, "\(bad)") { try NeedleLengths.parse(bad) }
    }
  }

  @Test func gridIsSeededPerCellAndSpreadsTheNeedles() throws {
    var spec = SuiteFixtureLoader.spec()
    spec.needles = 4
    spec.asked = 2
    spec.depths = [0, 50, 100]
    let grid = NeedleGrid(spec: spec, lengths: [1000, 2000], seed: "multi-needle/en")
    #expect(grid.items.count == 6)
    #expect(grid == NeedleGrid(spec: spec, lengths: [1000, 2000], seed: "multi-needle/en"))
    #expect(grid.items.map(\.values) != NeedleGrid(spec: spec, lengths: [1000, 2000], seed: "multi-needle/de").items.map(\.values))
    // Item index = length position * depths + depth position.
    #expect(grid.items[4].length == 2000 && grid.items[4].depth == 50)
    #expect(grid.items[1].needles.map(\.depth) == [50, 62.5, 75, 87.5])
    for item in grid.items {
      #expect(item.asked.count == 2 && Set(item.asked).count == 2)
      #expect(Set(item.needles.map(\.value)).count == 4 && item.needles.allSatisfy { $0.value.count == 7 && $0.key.count == 3 })
    }
    // The keys and values do not depend on the lengths (they are drawn per cell).
    #expect(NeedleGrid(spec: spec, lengths: [0, 0], seed: "multi-needle/en").items.map(\.values) == grid.items.map(\.values))
  }

  @Test func needlesGoAfterASentenceEnd() {
    let context = "One sentence here. Another sentence follows. A third one ends it."
    let middle = NeedlePlacement.insert(["NEEDLE."], depths: [50], into: context, joiner: " ")
    #expect(middle == "One sentence here. NEEDLE. Another sentence follows. A third one ends it.")
    #expect(NeedlePlacement.insert(["NEEDLE."], depths: [0], into: context, joiner: " ").hasPrefix("NEEDLE. One"))
    #expect(NeedlePlacement.insert(["NEEDLE."], depths: [100], into: context, joiner: " ").hasSuffix("ends it. NEEDLE."))
    let two = NeedlePlacement.insert(["FIRST.", "SECOND."], depths: [100, 100], into: context, joiner: " ")
    #expect(two.hasSuffix("FIRST. SECOND."))
    // Chinese: no spaces, the needle follows the full stop.
    let chinese = NeedlePlacement.insert(["针。"], depths: [50], into: "第一句话。第二句话。第三句话。", joiner: "")
    #expect(chinese == "第一句话。针。第二句话。第三句话。" || chinese == "第一句话。第二句话。针。第三句话。")
  }

  @Test func specValidationNamesTheProblem() throws {
    var spec = SuiteFixtureLoader.spec()
    spec.asked = 3
    spec.needles = 2
    #expect(throws: AssayError.self) { try spec.validate(suite: "x") }
    spec.asked = 1
    spec.depths = [120]
    #expect(throws: AssayError.self) { try spec.validate(suite: "x") }
  }
}

/// A needle spec as the shipped suites write it.
enum SuiteFixtureLoader {
  static func spec() -> NeedleSpec {
    NeedleSpec(
      haystack: "{{passage}}", lengths: .spaced(from: 2000, to: nil, count: 10), depths: [0, 50, 100], needles: 1, asked: 1,
      needleText: "The special magic number for box {{key}} is {{value}}.",
      question: "What is the special magic number for box {{key}}?")
  }
}
