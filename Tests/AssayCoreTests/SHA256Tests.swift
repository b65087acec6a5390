import AssayCore
import Testing

@Suite struct SHA256Tests {
  @Test func matchesTheFIPSTestVectors() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func incrementalUpdatesEqualOneShot() {
    let text = String(repeating: "Grundschulmathematik ১২৩ ", count: 50)
    var hasher = SHA256()
    for chunk in text.utf8.chunked(into: 7) { hasher.update(chunk) }
    #expect(hasher.finalizeHex() == SHA256.hex(text))
  }
}

extension Collection {
  func chunked(into size: Int) -> [SubSequence] {
    stride(from: 0, to: count, by: size).map { offset in
      let start = index(startIndex, offsetBy: offset)
      return self[start..<(index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex)]
    }
  }
}
