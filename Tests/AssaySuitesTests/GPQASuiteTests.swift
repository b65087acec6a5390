import AssayCore
import AssaySuites
import AssayTesting
import Foundation
import Testing

/// The shipped `gpqa` suite on synthetic files in the official CSV layout: quoted cells read whole, options shown in
/// the order the documented Python rule gives (checked against Python itself), the correct letter spread over A-D,
/// the order independent of the other rows; a file with other columns, an unpinned file and a changed one refused;
/// the archive extracted, pinned, and a different archive refused without writing anything.
@Suite struct GPQASuiteTests {
  static let suitePath = TestPaths.repository + "/benchmarks/gpqa/gpqa.yaml"

  func suite() throws -> SuiteDefinition { try SuiteFile.load(path: Self.suitePath) }

  /// A data root with `gpqa/gpqa_<set>.csv` holding `text`, pinned in gpqa/SHA256SUMS unless `pin` is false.
  func dataRoot(_ text: String, set: String = "main", pin: Bool = true) throws -> DataRoot {
    let root = TestPaths.temporaryDirectory()
    try FileManager.default.createDirectory(atPath: root + "/gpqa", withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/gpqa/gpqa_\(set).csv"))
    if pin {
      try "\(SHA256.hex(Data(text.utf8)))  gpqa_\(set).csv\n".write(toFile: root + "/gpqa/SHA256SUMS", atomically: true, encoding: .utf8)
    }
    return DataRoot(path: root, origin: "test")
  }

  func load(_ root: DataRoot, variant: String = "main") throws -> EvalTask {
    let suite = try suite()
    return try TaskLoader(dataRoot: root).load(suite: suite, variant: try #require(suite.variants.first { $0.id == variant }))
  }

  /// Python's order for each seed: `random.Random(int.from_bytes(sha256(seed), "big")).sample(range(n), n)`.
  static func pythonOrders(_ seeds: [String], count: Int) throws -> [[Int]] {
    let out = try PythonProcess.run(
      """
      import hashlib, json, random, sys
      seeds = json.load(sys.stdin)
      n = int(sys.argv[1])
      print(json.dumps([random.Random(int.from_bytes(hashlib.sha256(s.encode("utf-8")).digest(), "big")).sample(range(n), n) for s in seeds]))
      """, arguments: [String(count)], stdin: String(decoding: try JSONSerialization.data(withJSONObject: seeds), as: UTF8.self))
    return try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[Int]]
  }

  @Test func quotedCellsAreReadWholeAndThePromptIsMetasWithTheShuffledOptions() throws {
    let records = (0..<3).map { GPQAFixture.record($0) }
    let task = try load(try dataRoot(GPQAFixture.csv(records)))
    #expect(task.samples.count == 3)
    let first = task.samples[0]
    #expect(first.fields["Question"] == records[0]["Question"], "the question keeps its quotes, comma and newline")
    #expect(first.fields["Explanation"] == "Because.\r\nIt is made up.", "a CRLF inside a quoted cell is kept")
    #expect(first.fields["Incorrect Answer 2"] == "wrong answer 0-2, with a comma")
    let order = try Self.pythonOrders(["recSYN00000"], count: 4)[0]
    let options = ["Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3"].map { records[0][$0]! }
    #expect(first.choices == order.map { options[$0] })
    let letter = ["A", "B", "C", "D"][order.firstIndex(of: 0)!]
    #expect(first.target == letter)
    let block = order.enumerated().map { "\(["A", "B", "C", "D"][$0.offset]). \(options[$0.element])" }.joined(separator: "\n")
    let request = try task.request(for: first, options: GenerationOptions(model: "m"))
    #expect(request.maxTokens == 2048 && request.temperature == 0)
    guard case .chat(let messages) = request.prompt else { Issue.record("not a chat prompt"); return }
    #expect(messages.map(\.role) == ["user"])
    #expect(messages[0].content == """
      Given the following question and four candidate answers (A, B, C and D), choose the best answer.

      Question: \(records[0]["Question"]!)
      \(block)

      Your response should end with "The best answer is [the_answer_letter]" where the [the_answer_letter] is one of A, B, C or D.

      Let's think step by step.
      """)
  }

  @Test func everyItemsOrderIsPythonsAndTheCorrectLetterIsSpreadOverAToD() throws {
    let records = (0..<400).map { GPQAFixture.record($0) }
    let task = try load(try dataRoot(GPQAFixture.csv(records)))
    let orders = try Self.pythonOrders(records.map { $0["Record ID"]! }, count: 4)
    var letters: [String: Int] = [:]
    for (sample, order) in zip(task.samples, orders) {
      let record = records[sample.index]
      let options = ["Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3"].map { record[$0]! }
      #expect(sample.choices == order.map { options[$0] }, "record \(sample.index)")
      #expect(sample.correct == [order.firstIndex(of: 0)!])
      #expect(sample.target == sample.fields["answer_letter"])
      letters[sample.target, default: 0] += 1
    }
    // 400 items, 100 expected per letter (binomial sd 8.7): each letter between 70 and 130.
    #expect(letters.keys.sorted() == ["A", "B", "C", "D"])
    for (letter, count) in letters { #expect((70...130).contains(count), "\(letter): \(count) of 400") }
  }

  @Test func theOrderDependsOnTheItemAloneNotOnTheOtherRows() throws {
    let records = (0..<30).map { GPQAFixture.record($0) }
    let all = try load(try dataRoot(GPQAFixture.csv(records)))
    // The same items reversed, and a subset as --limit or another release of the file would give.
    let other = try load(try dataRoot(GPQAFixture.csv(Array(records.reversed().prefix(7)))))
    let byID = Dictionary(uniqueKeysWithValues: all.samples.map { ($0.fields["Record ID"]!, $0) })
    for sample in other.samples {
      let same = try #require(byID[sample.fields["Record ID"]!])
      #expect(sample.choices == same.choices && sample.target == same.target)
    }
  }

  @Test func withoutARecordIDTheQuestionSeedsTheOrder() throws {
    var records = (0..<20).map { GPQAFixture.record($0) }
    records[3]["Record ID"] = "  "
    // A file without the Record ID column at all, and a blank Record ID in the official layout.
    let noColumn = try load(try dataRoot(GPQAFixture.csv(records, columns: GPQAFixture.columns.filter { $0 != "Record ID" })))
    let blank = try load(try dataRoot(GPQAFixture.csv(records)))
    let byQuestion = try Self.pythonOrders(records.map { $0["Question"]! }, count: 4)
    for sample in noColumn.samples {
      #expect(sample.target == ["A", "B", "C", "D"][byQuestion[sample.index].firstIndex(of: 0)!])
    }
    #expect(blank.samples[3].choices == noColumn.samples[3].choices)
    let others = zip(blank.samples, noColumn.samples).filter { $0.0.index != 3 }
    #expect(others.contains { $0.0.choices != $0.1.choices }, "rows with a Record ID are seeded by it, not by the question")
  }

  @Test func aFileWithOtherColumnsIsRefusedNamingWhatIsMissingAndWhatIsThere() throws {
    let text = "Question,Answer,Distractor\r\n\"What?\",\"This\",\"That\"\r\n"
    let root = try dataRoot(text)
    #expect {
      try load(root)
    } throws: { error in
      guard let error = error as? AssayError else { return false }
      return error.code == .invalidData && error.message.contains(root.file("gpqa/gpqa_main.csv"))
        && error.message.contains("'Correct Answer', 'Incorrect Answer 1', 'Incorrect Answer 2', 'Incorrect Answer 3'")
        && error.message.contains("the file's columns are: 'Question', 'Answer', 'Distractor'")
        && error.fix?.contains("assay data fetch --suite gpqa --from dataset.zip") == true
    }
  }

  @Test func aCutOffFileIsRefusedAtTheOpenQuote() throws {
    let full = GPQAFixture.csv((0..<3).map { GPQAFixture.record($0) })
    let cut = String(full.prefix(full.count - 40))
    #expect {
      try load(try dataRoot(cut))
    } throws: { error in
      guard let error = error as? AssayError else { return false }
      return error.code == .invalidData && error.message.contains("is never closed")
    }
  }

  @Test func anUnpinnedCopyIsRefusedWithItsSha256AndAChangedOneAfterPinning() throws {
    let text = GPQAFixture.csv((0..<5).map { GPQAFixture.record($0) })
    let sha = SHA256.hex(Data(text.utf8))
    let unpinned = try dataRoot(text, pin: false)
    #expect {
      try load(unpinned)
    } throws: { error in
      guard let error = error as? AssayError else { return false }
      return error.message.contains("is not pinned") && error.message.contains(sha)
        && error.fix?.contains("`\(sha)  gpqa_main.csv`") == true
    }
    // Pinned, it loads; once changed, it is refused with both checksums.
    let pinned = try dataRoot(text)
    let task = try load(pinned)
    #expect(task.datasetSHA256 == ["gpqa/gpqa_main.csv": sha])
    let changed = text.replacingOccurrences(of: "right answer 1", with: "right answer one")
    try Data(changed.utf8).write(to: URL(fileURLWithPath: pinned.file("gpqa/gpqa_main.csv")))
    #expect {
      try load(pinned)
    } throws: { error in
      guard let error = error as? AssayError else { return false }
      return error.code == .checksumMismatch && error.message.contains(sha)
        && error.message.contains(SHA256.hex(Data(changed.utf8)))
    }
  }

  @Test func anAbsentCopyIsMissingDataThatSaysHowToGetIt() throws {
    let root = DataRoot(path: TestPaths.temporaryDirectory(), origin: "test")
    #expect {
      try load(root)
    } throws: { error in
      guard let error = error as? AssayError else { return false }
      return error.code == .missingData && error.message.contains("Assay ships no copy")
        && error.fix?.contains("assay data fetch --suite gpqa --from dataset.zip") == true
    }
  }

  /// The three CSVs in a password-protected zip laid out as the official one (dataset/gpqa_*.csv).
  static func officialLikeZip(main: String, password: String = "deserted-untie-orchid", at path: String) throws -> String {
    let folder = (path as NSString).deletingLastPathComponent
    var entries: [[String: Any]] = [["name": "dataset/", "method": 0, "text": ""]]
    for (set, text) in [("main", main), ("diamond", GPQAFixture.csv([GPQAFixture.record(900)])),
                        ("extended", GPQAFixture.csv([GPQAFixture.record(901)]))] {
      let file = folder + "/\(set)-\(UUID().uuidString).csv"
      try Data(text.utf8).write(to: URL(fileURLWithPath: file))
      entries.append(["name": "dataset/gpqa_\(set).csv", "file": file, "password": password, "descriptor": set == "diamond"])
    }
    return try ZipFixture.write(entries, to: path)
  }

  @Test func theArchiveIsExtractedAndPinnedAndAnotherOneIsRefusedWithoutWriting() throws {
    let folder = TestPaths.temporaryDirectory()
    let main = GPQAFixture.csv((0..<10).map { GPQAFixture.record($0) })
    let zip = try Self.officialLikeZip(main: main, at: folder + "/dataset.zip")
    let root = DataRoot(path: TestPaths.temporaryDirectory(), origin: "test")
    let suite = try suite()
    let first = try ArchiveExtractor.extract(
      suite: suite, archive: try Data(contentsOf: URL(fileURLWithPath: zip)), archivePath: zip, dataRoot: root)
    #expect(first.map(\.path) == ["gpqa/gpqa_diamond.csv", "gpqa/gpqa_extended.csv", "gpqa/gpqa_main.csv"])
    #expect(first.allSatisfy { $0.written && $0.newlyPinned })
    #expect(FileManager.default.contents(atPath: root.file("gpqa/gpqa_main.csv")) == Data(main.utf8))
    let sums = try String(contentsOfFile: root.file("gpqa/SHA256SUMS"), encoding: .utf8)
    #expect(sums.contains("\(SHA256.hex(Data(main.utf8)))  gpqa_main.csv\n"))
    #expect(try load(root).samples.count == 10)
    // The same archive again changes nothing.
    let again = try ArchiveExtractor.extract(
      suite: suite, archive: try Data(contentsOf: URL(fileURLWithPath: zip)), archivePath: zip, dataRoot: root)
    #expect(again.allSatisfy { !$0.written && !$0.newlyPinned })
    // An archive with other data is refused, and nothing is written.
    let other = try Self.officialLikeZip(main: main.replacingOccurrences(of: "right answer 3", with: "right answer three"),
      at: folder + "/other.zip")
    let before = try String(contentsOfFile: root.file("gpqa/gpqa_main.csv"), encoding: .utf8)
    #expect {
      try ArchiveExtractor.extract(
        suite: suite, archive: try Data(contentsOf: URL(fileURLWithPath: other)), archivePath: other, dataRoot: root)
    } throws: { error in
      (error as? AssayError)?.code == .checksumMismatch && (error as? AssayError)?.message.contains("gpqa/gpqa_main.csv") == true
    }
    #expect(try String(contentsOfFile: root.file("gpqa/gpqa_main.csv"), encoding: .utf8) == before)
  }
}
