import AssayCore
import CZlib
import Foundation

/// Decompresses gzip data with zlib (HumanEval and HumanEval-X ship as `.jsonl.gz`).
public enum Gzip {
  /// Whether the bytes start with the gzip magic number.
  public static func isGzip(_ data: Data) -> Bool { data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b }

  /// The decompressed bytes; throws naming the file when the stream is damaged.
  public static func decompress(_ data: Data, path: String) throws(AssayError) -> Data {
    var stream = z_stream()
    // 16 + MAX_WBITS: expect a gzip header.
    guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw AssayError(.io, "cannot start zlib for \(path)")
    }
    defer { inflateEnd(&stream) }
    var output = Data()
    let chunk = 1 << 16
    var buffer = [UInt8](repeating: 0, count: chunk)
    var input = [UInt8](data)
    var status: Int32 = Z_OK
    input.withUnsafeMutableBufferPointer { inputPointer in
      stream.next_in = inputPointer.baseAddress
      stream.avail_in = uInt(inputPointer.count)
      repeat {
        buffer.withUnsafeMutableBufferPointer { out in
          stream.next_out = out.baseAddress
          stream.avail_out = uInt(chunk)
          status = inflate(&stream, Z_NO_FLUSH)
          output.append(out.baseAddress!, count: chunk - Int(stream.avail_out))
        }
        // Concatenated gzip members: start the next one.
        if status == Z_STREAM_END && stream.avail_in > 0 {
          inflateReset(&stream)
          status = Z_OK
        }
      } while status == Z_OK
    }
    guard status == Z_STREAM_END else {
      throw AssayError(.invalidData, "\(path) is not a complete gzip stream (zlib status \(status))", fix: "re-download the file")
    }
    return output
  }
}

