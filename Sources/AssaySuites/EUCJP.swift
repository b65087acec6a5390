import AssayCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// EUC-JP to text through the C library's iconv (Foundation on Linux has no EUC-JP decoder); mecab-ipadic's source
/// files are EUC-JP.
enum EUCJP {
  /// The text of EUC-JP bytes; `name` says which file failed.
  static func decode(_ data: Data, name: String) throws(AssayError) -> String {
    let converter = iconv_open("UTF-8", "EUC-JP")
    guard converter != iconv_t(bitPattern: -1) else {
      throw AssayError(.invalidData, "decoding \(name): the C library's iconv has no EUC-JP converter", fix: "install the C library's gconv modules (Debian: libc6)")
    }
    defer { iconv_close(converter) }
    var input = [UInt8](data)
    var output = [UInt8](repeating: 0, count: data.count * 2 + 16)
    var written = -1
    input.withUnsafeMutableBufferPointer { inputBuffer in
      output.withUnsafeMutableBufferPointer { outputBuffer in
        guard let inputBase = inputBuffer.baseAddress, let outputBase = outputBuffer.baseAddress else {
          written = 0
          return
        }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBase).assumingMemoryBound(to: CChar.self)
        var inLeft = inputBuffer.count
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBase).assumingMemoryBound(to: CChar.self)
        var outLeft = outputBuffer.count
        if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 && inLeft == 0 {
          written = outputBuffer.count - outLeft
        }
      }
    }
    guard written >= 0 else {
      throw AssayError(.invalidData, "decoding \(name): it is not valid EUC-JP", fix: "fetch the dictionary again")
    }
    return String(decoding: output[0..<written], as: UTF8.self)
  }
}
