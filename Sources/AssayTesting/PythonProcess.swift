import Foundation

/// Runs the system's `python3` (standard library only) for cross-checks and fixtures.
public enum PythonProcess {
  /// The repository root, from this file's location.
  public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// A failed Python run: its exit status and standard error.
  public struct Failure: Error, CustomStringConvertible {
    /// The exit status.
    public var status: Int32
    /// What it wrote to standard error.
    public var stderr: String
    public var description: String { "python3 exited \(status): \(stderr)" }
  }

  /// Runs `python3 -c code args...` with `stdin`, returning standard output; throws when it exits non-zero.
  public static func run(_ code: String, arguments: [String] = [], stdin: String = "") throws -> String {
    try runScript(["-c", code] + arguments, stdin: stdin)
  }

  /// Runs `python3 arguments...` with `stdin`, returning standard output; throws when it exits non-zero.
  public static func runScript(_ arguments: [String], stdin: String = "") throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let folder = NSTemporaryDirectory() + "assay-python-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for name in ["in", "out", "err"] { FileManager.default.createFile(atPath: folder + "/" + name, contents: nil) }
    try Data(stdin.utf8).write(to: URL(fileURLWithPath: folder + "/in"))
    process.standardInput = FileHandle(forReadingAtPath: folder + "/in")
    process.standardOutput = FileHandle(forWritingAtPath: folder + "/out")
    process.standardError = FileHandle(forWritingAtPath: folder + "/err")
    try process.run()
    process.waitUntilExit()
    let out = (try? String(contentsOfFile: folder + "/out", encoding: .utf8)) ?? ""
    guard process.terminationStatus == 0 else {
      throw Failure(status: process.terminationStatus, stderr: (try? String(contentsOfFile: folder + "/err", encoding: .utf8)) ?? "")
    }
    return out
  }
}
