import AssayCore
import AssaySuites
import AssayTesting
import Foundation
import Testing

/// `ZipArchive` on archives written by Python's standard library (`Tests/Fixtures/zip/make_zip.py`, whose
/// encrypted entries Python's own `zipfile` decrypts): the right password opens stored, deflated and
/// data-descriptor entries; a wrong password, a damaged entry, names that leave the folder, symbolic links and zip
/// bombs are refused.
@Suite struct ZipArchiveTests {
  static let text = "Record ID,Question\r\nrec1,\"Which one, \"\"this\"\"\nor that?\"\r\n" + String(repeating: "padding line\n", count: 200)

  func archive(_ entries: [[String: Any]]) throws -> (ZipArchive, String) {
    let path = TestPaths.temporaryDirectory() + "/test.zip"
    try ZipFixture.write(entries, to: path)
    return (try ZipArchive(data: try Data(contentsOf: URL(fileURLWithPath: path)), path: path), path)
  }

  func refusal(_ body: () throws -> Void) -> AssayError? {
    do {
      try body()
      return nil
    } catch let error as AssayError {
      return error
    } catch {
      Issue.record("not an AssayError: \(error)")
      return nil
    }
  }

  @Test func theRightPasswordOpensStoredDeflatedAndDescriptorEntriesAsPythonReadsThem() throws {
    let (opened, path) = try archive([
      ["name": "dataset/", "method": 0, "text": ""],
      ["name": "dataset/deflated.csv", "text": Self.text, "password": "deserted-untie-orchid"],
      ["name": "dataset/stored.csv", "text": Self.text, "password": "deserted-untie-orchid", "method": 0],
      ["name": "dataset/descriptor.csv", "text": Self.text, "password": "deserted-untie-orchid", "descriptor": true],
      ["name": "dataset/plain.csv", "text": Self.text],
    ])
    #expect(opened.entries.map(\.name) == ["dataset/", "dataset/deflated.csv", "dataset/stored.csv", "dataset/descriptor.csv", "dataset/plain.csv"])
    // Python's zipfile decrypts the same entries to the same bytes: the fixture is real ZipCrypto.
    let python = try PythonProcess.run(
      """
      import hashlib, sys, zipfile
      z = zipfile.ZipFile(sys.argv[1])
      for name in sys.argv[2:]:
          print(hashlib.sha256(z.read(name, pwd=b"deserted-untie-orchid")).hexdigest())
      """, arguments: [path, "dataset/deflated.csv", "dataset/stored.csv", "dataset/descriptor.csv", "dataset/plain.csv"])
    let expected = python.split(separator: "\n").map(String.init)
    for (name, sha) in zip(["deflated", "stored", "descriptor", "plain"], expected) {
      let entry = try #require(opened.entry(named: "dataset/\(name).csv"))
      #expect(entry.isEncrypted == (name != "plain"))
      let contents = try opened.contents(of: entry, password: "deserted-untie-orchid")
      #expect(contents == Data(Self.text.utf8), "\(name)")
      #expect(SHA256.hex(contents) == sha, "\(name)")
    }
  }

  @Test func infoZipsEncryptedArchiveOpensWhenZipIsInstalled() throws {
    // An extra check on an archive made by another program, where Info-ZIP's `zip` is present (it is not needed
    // elsewhere: the fixture above writes the same layout).
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") else { return }
    let folder = TestPaths.temporaryDirectory()
    try FileManager.default.createDirectory(atPath: folder + "/dataset", withIntermediateDirectories: true)
    try Self.text.write(toFile: folder + "/dataset/gpqa_main.csv", atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
    process.arguments = ["-q", "-r", "-P", "pass word", "info.zip", "dataset"]
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let zip = try ZipArchive(data: try Data(contentsOf: URL(fileURLWithPath: folder + "/info.zip")), path: "info.zip")
    let entry = try #require(zip.entry(named: "dataset/gpqa_main.csv"))
    #expect(entry.isEncrypted)
    #expect(try zip.contents(of: entry, password: "pass word") == Data(Self.text.utf8))
  }

  @Test func aWrongPasswordIsRefusedClearly() throws {
    let (zip, _) = try archive([["name": "dataset/gpqa_main.csv", "text": Self.text, "password": "deserted-untie-orchid"]])
    let entry = try #require(zip.entry(named: "dataset/gpqa_main.csv"))
    let error = try #require(refusal { _ = try zip.contents(of: entry, password: "deserted-untie-orchids") })
    #expect(error.message.contains("wrong password for entry 'dataset/gpqa_main.csv'"))
    let none = try #require(refusal { _ = try zip.contents(of: entry, password: nil) })
    #expect(none.message.contains("is encrypted and no password was given"))
  }

  @Test func aDamagedEntryIsRefusedByItsCRC() throws {
    // The recorded CRC's low byte is off: the password check (its high byte) passes, the content check does not.
    let (zip, _) = try archive([
      ["name": "a.csv", "text": Self.text, "password": "pw", "crc_xor": 1],
      ["name": "b.csv", "text": Self.text, "crc_xor": 0x80],
    ])
    for name in ["a.csv", "b.csv"] {
      let entry = try #require(zip.entry(named: name))
      let error = try #require(refusal { _ = try zip.contents(of: entry, password: "pw") })
      #expect(error.message.contains("is damaged: its CRC-32 is"), "\(name): \(error.message)")
    }
  }

  @Test(arguments: ["../x.csv", "dataset/../../x.csv", "/etc/x.csv", "..\\x.csv", "C:x.csv", "dataset\\..\\..\\x"])
  func aNameThatLeavesTheFolderRefusesTheArchive(name: String) throws {
    let error = try #require(refusal {
      _ = try archive([["name": "dataset/gpqa_main.csv", "text": "ok"], ["name": name, "text": "evil"]])
    })
    #expect(error.message.contains("entry '\(name)'") && error.message.contains("the archive is refused"), "\(error.message)")
  }

  @Test func aSymbolicLinkEntryRefusesTheArchive() throws {
    let error = try #require(refusal {
      _ = try archive([["name": "dataset/gpqa_main.csv", "text": "/etc/passwd", "method": 0, "symlink": true]])
    })
    #expect(error.message.contains("is a symbolic link"))
  }

  @Test func zipBombsAreBounded() throws {
    // Declares 1,000 bytes, inflates to 20 MB of zeros: stopped once past the declared size.
    let (liar, _) = try archive([["name": "bomb", "zeros": 20_000_000, "declared_size": 1_000, "password": "pw"]])
    let lie = try #require(refusal { _ = try liar.contents(of: liar.entries[0], password: "pw") })
    #expect(lie.message.contains("inflates to more than the 1000 bytes it declares"))
    // Declares its true 5 MB, above a 1 MB limit: refused before inflating.
    let (big, _) = try archive([["name": "big", "zeros": 5_000_000]])
    let limited = try #require(refusal { _ = try big.contents(of: big.entries[0], password: nil, limit: 1_000_000) })
    #expect(limited.message.contains("declares 5000000 bytes once extracted, more than the 1000000 allowed"))
    #expect(try big.contents(of: big.entries[0], password: nil, limit: 5_000_000).count == 5_000_000)
    // Declares 3 GB: above the default limit.
    let (huge, _) = try archive([["name": "huge", "text": "tiny", "declared_size": 3_000_000_000]])
    let error = try #require(refusal { _ = try huge.contents(of: huge.entries[0], password: nil) })
    #expect(error.message.contains("declares 3000000000 bytes"))
  }

  @Test func whatIsNotAZipIsRefused() throws {
    let html = Data("<html><body>Not Found</body></html>".utf8)
    let error = try #require(refusal { _ = try ZipArchive(data: html, path: "dataset.zip") })
    #expect(error.message.contains("dataset.zip is not a readable zip archive"))
    let (_, path) = try archive([["name": "a.csv", "text": Self.text]])
    let whole = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(refusal { _ = try ZipArchive(data: whole.prefix(whole.count - 10), path: "cut.zip") } != nil, "a cut-off archive")
  }
}
