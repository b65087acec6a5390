import AssayCore
import Foundation

/// A GGUF model file checked before a server is launched on it: it is a GGUF file, and its sha256 matches the
/// `FILE.sha256` beside it when there is one (`scripts/setup-model.sh` writes it).
///
/// ```swift
/// let file = try ModelFile.check("SmolLM2-135M-Instruct.Q4_1.gguf")   // file.sha256: 64 hex digits
/// ```
public struct ModelFile: Sendable, Equatable {
  /// The path as given.
  public var path: String
  /// The file's sha256 (hex).
  public var sha256: String

  /// Checks `path` and hashes it; throws naming the file and the fix.
  public static func check(_ path: String) throws(AssayError) -> ModelFile {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
      throw AssayError(
        .runtimeLaunch, "model file \(path) does not exist (from --model with --runtime llama.cpp)",
        fix: "pass the path of a .gguf file; `scripts/setup-model.sh` installs SmolLM2-135M-Instruct and prints its path")
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw AssayError(.runtimeLaunch, "cannot read the model file \(path)", fix: "check its permissions")
    }
    defer { try? handle.close() }
    let magic = (try? handle.read(upToCount: 4)) ?? Data()
    guard magic == Data("GGUF".utf8) else {
      let shown = magic.map { String(format: "%02x", $0) }.joined(separator: " ")
      throw AssayError(
        .runtimeLaunch,
        "\(path) is not a GGUF model: it starts with bytes [\(shown)], not \"GGUF\" - while starting --runtime llama.cpp",
        fix: "pass a llama.cpp .gguf model file (convert others with llama.cpp's convert_hf_to_gguf.py); `scripts/setup-model.sh` installs SmolLM2-135M-Instruct")
    }
    let digest = try ModelFileHash.sha256(path: path)
    let sidecar = path + ".sha256"
    if let text = try? String(contentsOfFile: sidecar, encoding: .utf8) {
      let expected = text.split(whereSeparator: \.isWhitespace).first.map(String.init)?.lowercased() ?? ""
      guard expected == digest else {
        throw AssayError(
          .checksumMismatch,
          "model file \(path) has sha256 \(digest), but \(sidecar) says \(expected.isEmpty ? "(nothing)" : expected): the file is damaged or was replaced - while starting --runtime llama.cpp",
          fix: "reinstall it (`scripts/setup-model.sh --force` for SmolLM2-135M-Instruct), or delete \(sidecar) if the new file is intended")
      }
    }
    return ModelFile(path: path, sha256: digest)
  }
}
