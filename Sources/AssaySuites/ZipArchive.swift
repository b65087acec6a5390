import AssayCore
import CZlib
import Foundation

/// A zip archive read in memory (stored or deflated entries, optionally ZipCrypto-encrypted), treated as hostile:
/// an entry whose name could leave an extraction folder (`../x`, `/x`, `C:x`) or that is a symbolic link makes the
/// whole archive refused; an entry is inflated no further than its declared size and a size limit (a zip bomb
/// stops there), and its CRC-32 must match. ZIP64, split archives and strong (AES) encryption are refused.
public struct ZipArchive: Sendable {
  /// One entry of the central directory.
  public struct Entry: Sendable, Equatable {
    /// The name as stored (`dataset/gpqa_main.csv`).
    public let name: String
    /// 0 stored, 8 deflated (others are refused when read).
    public let method: UInt16
    /// The general-purpose flags (bit 0: encrypted; bit 3: sizes and CRC in a data descriptor).
    public let flags: UInt16
    /// The CRC-32 of the plain bytes.
    public let crc32: UInt32
    /// Bytes stored in the archive (with the 12-byte encryption header when encrypted).
    public let compressedSize: Int
    /// Bytes once extracted, as declared.
    public let size: Int
    /// The DOS time field (its high byte is the password check of entries with a data descriptor).
    let modificationTime: UInt16
    /// Where the entry's local header starts.
    let localHeaderOffset: Int

    /// Whether the entry is ZipCrypto-encrypted.
    public var isEncrypted: Bool { flags & 1 != 0 }
    /// Whether the entry is a folder.
    public var isDirectory: Bool { name.hasSuffix("/") }
  }

  /// The archive's path, for messages.
  public let path: String
  /// Every entry, in central-directory order.
  public let entries: [Entry]
  private let bytes: [UInt8]

  /// The most bytes one entry may inflate to unless a caller says otherwise (GPQA's largest file is a few MB).
  public static let defaultSizeLimit = 256 << 20

  /// Reads the central directory; throws naming the archive when it is not a zip, is damaged, or holds an entry
  /// that could write outside an extraction folder.
  public init(data: Data, path: String) throws(AssayError) {
    self.path = path
    bytes = [UInt8](data)
    entries = try Self.centralDirectory(bytes, path: path)
  }

  /// The entry with this exact name.
  public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

  /// The plain bytes of an entry: decrypted with `password` when encrypted, inflated, its size and CRC-32 checked;
  /// refused when it declares or inflates to more than `limit` bytes.
  public func contents(of entry: Entry, password: String?, limit: Int = defaultSizeLimit) throws(AssayError) -> Data {
    let what = "entry '\(entry.name)' of \(path)"
    if entry.flags & (1 << 6) != 0 || entry.method == 99 {
      throw AssayError(.invalidData, "\(what) uses strong (AES) encryption, which Assay does not read",
        fix: "extract it with a tool that does (7-Zip), or use the archive as published")
    }
    guard entry.method == 0 || entry.method == 8 else {
      throw AssayError(.invalidData, "\(what) is compressed with method \(entry.method); Assay reads stored (0) and deflated (8) entries",
        fix: "use the archive as published, or extract it with `unzip`")
    }
    guard entry.size <= limit else {
      throw AssayError(.invalidData, "\(what) declares \(entry.size) bytes once extracted, more than the \(limit) allowed: refused (a zip bomb, or not the expected archive)",
        fix: "check that this is the archive the suite names")
    }
    // The local header: its name must be the central directory's, its data must lie before the directory.
    let start = try localDataStart(entry)
    guard start + entry.compressedSize <= bytes.count else {
      throw damaged("\(what) runs past the end of the archive")
    }
    var stored = Array(bytes[start..<(start + entry.compressedSize)])
    if entry.isEncrypted {
      guard let password else {
        throw AssayError(.invalidData, "\(what) is encrypted and no password was given",
          fix: "give the archive's password (the suite's archive.password)")
      }
      guard stored.count >= 12 else { throw damaged("\(what) is shorter than its encryption header") }
      var crypto = ZipCrypto(password: Array(password.utf8))
      crypto.decrypt(&stored)
      // The header's last byte checks the password: the CRC's high byte, or with a data descriptor the time's.
      let check = entry.flags & (1 << 3) != 0 ? UInt8(entry.modificationTime >> 8) : UInt8(entry.crc32 >> 24)
      guard stored[11] == check else {
        throw AssayError(.invalidArgument, "wrong password for \(what) (the encryption header's check byte does not match)",
          fix: "use the password the publisher gives (for GPQA, printed in the authors' README)")
      }
      stored.removeFirst(12)
    }
    let plain: [UInt8]
    if entry.method == 0 {
      guard stored.count == entry.size else {
        throw damaged("\(what) is stored uncompressed with \(stored.count) bytes, but declares \(entry.size)")
      }
      plain = stored
    } else {
      plain = try Self.inflateRaw(stored, bound: entry.size, what: what)
    }
    let crc = plain.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    guard crc == entry.crc32 else {
      throw AssayError(
        .invalidData,
        "\(what) is damaged: its CRC-32 is \(String(format: "%08x", crc)), the archive records \(String(format: "%08x", entry.crc32))"
          + (entry.isEncrypted ? " (or the password is wrong: a wrong one passes the header check once in 256 tries)" : ""),
        fix: "download the archive again")
    }
    return Data(plain)
  }

  private func damaged(_ what: String) -> AssayError {
    AssayError(.invalidData, "\(path) is damaged: \(what)", fix: "download the archive again")
  }

  private func localDataStart(_ entry: Entry) throws(AssayError) -> Int {
    let offset = entry.localHeaderOffset
    guard offset + 30 <= bytes.count, Self.u32(bytes, offset) == 0x0403_4B50 else {
      throw damaged("no local header for entry '\(entry.name)' at byte \(offset)")
    }
    let nameLength = Int(Self.u16(bytes, offset + 26))
    let extraLength = Int(Self.u16(bytes, offset + 28))
    let nameStart = offset + 30
    guard nameStart + nameLength + extraLength <= bytes.count else { throw damaged("entry '\(entry.name)' runs past the end") }
    let localName = String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
    guard localName == entry.name else {
      throw AssayError(.invalidData, "\(path): entry '\(entry.name)' is named '\(localName)' in its local header: refused",
        fix: "use the archive as published")
    }
    return nameStart + nameLength + extraLength
  }

  /// Raw deflate into at most `bound` bytes, in 64 KiB steps: output past the bound is refused as soon as it
  /// appears, so memory stays within the bound plus one step.
  static func inflateRaw(_ input: [UInt8], bound: Int, what: String) throws(AssayError) -> [UInt8] {
    var stream = z_stream()
    guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw AssayError(.io, "cannot start zlib for \(what)")
    }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    output.reserveCapacity(min(bound, 1 << 24))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var input = input
    var status: Int32 = Z_OK
    input.withUnsafeMutableBufferPointer { inputPointer in
      stream.next_in = inputPointer.baseAddress
      stream.avail_in = uInt(inputPointer.count)
      repeat {
        chunk.withUnsafeMutableBufferPointer { out in
          stream.next_out = out.baseAddress
          stream.avail_out = uInt(out.count)
          status = inflate(&stream, Z_NO_FLUSH)
          output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
        }
      } while status == Z_OK && output.count <= bound
    }
    if output.count > bound {
      throw AssayError(
        .invalidData,
        "\(what) inflates to more than the \(bound) bytes it declares: refused (a zip bomb, or a damaged archive)",
        fix: "use the archive as published")
    }
    guard status == Z_STREAM_END else {
      throw AssayError(.invalidData, "\(what) is not a complete deflate stream (zlib status \(status)): the archive is damaged",
        fix: "download the archive again")
    }
    guard output.count == bound else {
      throw AssayError(.invalidData, "\(what) inflates to \(output.count) bytes but declares \(bound): the archive is damaged",
        fix: "download the archive again")
    }
    return output
  }

  static func u16(_ bytes: [UInt8], _ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }

  static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
  }

  /// Why a name must not be extracted (it could write outside the extraction folder), or nil when it is safe.
  public static func unsafeNameReason(_ name: String) -> String? {
    if name.isEmpty { return "an empty name" }
    if name.unicodeScalars.contains(where: { $0.value == 0 }) { return "a NUL byte in the name" }
    if name.hasPrefix("/") || name.hasPrefix("\\") { return "an absolute path" }
    if name.wholeMatch(of: /[A-Za-z]:.*/) != nil { return "a drive letter" }
    if name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..") { return "a '..' component" }
    return nil
  }

  private static func centralDirectory(_ bytes: [UInt8], path: String) throws(AssayError) -> [Entry] {
    func notZip(_ why: String) -> AssayError {
      AssayError(.invalidData, "\(path) is not a readable zip archive: \(why)",
        fix: "download the archive again (an HTML error page saved under the zip's name looks like this)")
    }
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535, at the end.
    guard bytes.count >= 22 else { throw notZip("too short") }
    var eocd = -1
    var offset = bytes.count - 22
    let lowest = max(0, bytes.count - 22 - 65_535)
    while offset >= lowest {
      if bytes[offset] == 0x50 && u32(bytes, offset) == 0x0605_4B50 { eocd = offset; break }
      offset -= 1
    }
    guard eocd >= 0 else { throw notZip("no end-of-central-directory record") }
    let disk = u16(bytes, eocd + 4)
    let directoryDisk = u16(bytes, eocd + 6)
    let count = Int(u16(bytes, eocd + 10))
    let directorySize = Int(u32(bytes, eocd + 12))
    let directoryOffset = Int(u32(bytes, eocd + 16))
    if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
      throw AssayError(.invalidData, "\(path) is a ZIP64 archive, which Assay does not read",
        fix: "extract it with `unzip` and place the files by hand")
    }
    guard disk == 0 && directoryDisk == 0 else {
      throw AssayError(.invalidData, "\(path) is one part of a split archive", fix: "join the parts first")
    }
    guard directoryOffset + directorySize <= eocd else { throw notZip("the central directory lies past its end record") }
    var entries: [Entry] = []
    var names: Set<String> = []
    var cursor = directoryOffset
    for _ in 0..<count {
      guard cursor + 46 <= eocd, u32(bytes, cursor) == 0x0201_4B50 else {
        throw notZip("a damaged central directory entry at byte \(cursor)")
      }
      let madeBy = u16(bytes, cursor + 4)
      let flags = u16(bytes, cursor + 8)
      let method = u16(bytes, cursor + 10)
      let time = u16(bytes, cursor + 12)
      let crc = u32(bytes, cursor + 16)
      let compressed = u32(bytes, cursor + 20)
      let size = u32(bytes, cursor + 24)
      let nameLength = Int(u16(bytes, cursor + 28))
      let extraLength = Int(u16(bytes, cursor + 30))
      let commentLength = Int(u16(bytes, cursor + 32))
      let external = u32(bytes, cursor + 38)
      let local = u32(bytes, cursor + 42)
      let end = cursor + 46 + nameLength + extraLength + commentLength
      guard end <= eocd else { throw notZip("a central directory entry runs past the directory") }
      let nameBytes = bytes[(cursor + 46)..<(cursor + 46 + nameLength)]
      let name = String(decoding: nameBytes, as: UTF8.self)
      if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
        throw AssayError(.invalidData, "\(path): entry '\(name)' uses ZIP64 sizes, which Assay does not read",
          fix: "extract it with `unzip` and place the files by hand")
      }
      if nameBytes.contains(0) {
        throw AssayError(.invalidData, "\(path): an entry name holds a NUL byte: refused", fix: "use the archive as published")
      }
      if let reason = unsafeNameReason(name) {
        throw AssayError(
          .invalidData, "\(path): entry '\(name)' has \(reason), so extracting it could write outside the data folder: the archive is refused",
          fix: "use the archive as published")
      }
      // Unix-made entries keep the file mode in the high 16 bits of the external attributes.
      if madeBy >> 8 == 3 && (external >> 16) & 0o170000 == 0o120000 {
        throw AssayError(
          .invalidData, "\(path): entry '\(name)' is a symbolic link, which could point outside the data folder: the archive is refused",
          fix: "use the archive as published")
      }
      guard names.insert(name).inserted else {
        throw AssayError(.invalidData, "\(path): entry '\(name)' appears twice: refused", fix: "use the archive as published")
      }
      guard Int(local) < directoryOffset else { throw notZip("entry '\(name)' starts inside the central directory") }
      entries.append(
        Entry(
          name: name, method: method, flags: flags, crc32: crc, compressedSize: Int(compressed), size: Int(size),
          modificationTime: time, localHeaderOffset: Int(local)))
      cursor = end
    }
    return entries
  }
}
