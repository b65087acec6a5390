import AssayCore
import Foundation

/// The regular files of a tar archive (ustar or GNU, as `tar` writes them), by path: enough to read a dictionary
/// source tarball without unpacking it to disk.
public enum TarArchive {
  /// Every regular file's bytes by its path in the archive; `path` names the archive in errors.
  public static func files(in data: Data, path: String) throws(AssayError) -> [String: Data] {
    var result: Result<[String: Data], AssayError> = .success([:])
    data.withUnsafeBytes { raw in
      do throws(AssayError) {
        result = .success(try files(in: raw.bindMemory(to: UInt8.self), path: path))
      } catch {
        result = .failure(error)
      }
    }
    return try result.get()
  }

  private static func files(in bytes: UnsafeBufferPointer<UInt8>, path: String) throws(AssayError) -> [String: Data] {
    var files: [String: Data] = [:]
    var offset = 0
    var longName: String?
    func field(_ start: Int, _ length: Int) -> String {
      let slice = bytes[(offset + start)..<(offset + start + length)]
      let end = slice.firstIndex(of: 0) ?? slice.endIndex
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[(offset + start)..<end]), as: UTF8.self)
    }
    while offset + 512 <= bytes.count {
      if bytes[offset..<(offset + 512)].allSatisfy({ $0 == 0 }) { break }
      let sizeText = field(124, 12).trimmingCharacters(in: .whitespaces)
      guard let size = Int(sizeText, radix: 8) else {
        throw AssayError(.invalidData, "\(path): a tar header at byte \(offset) has no readable size", fix: "fetch the archive again")
      }
      let type = bytes[offset + 156]
      var name = field(0, 100)
      let prefix = field(345, 155)
      if !prefix.isEmpty && bytes[offset + 257..<offset + 262].elementsEqual("ustar".utf8) { name = prefix + "/" + name }
      if let long = longName {
        name = long
        longName = nil
      }
      let start = offset + 512
      guard start + size <= bytes.count else {
        throw AssayError(.invalidData, "\(path): \(name) runs past the end of the archive", fix: "fetch the archive again")
      }
      if type == UInt8(ascii: "L") {
        let end = bytes[start..<(start + size)].firstIndex(of: 0) ?? (start + size)
        longName = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
      } else if type == UInt8(ascii: "0") || type == 0 {
        files[name] = Data(UnsafeBufferPointer(rebasing: bytes[start..<(start + size)]))
      }
      offset = start + (size + 511) / 512 * 512
    }
    return files
  }
}
