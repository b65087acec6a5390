import Foundation

/// Starts the built `assay-mock-server` for a test and waits for the line that names its address.
public enum MockServerLaunch {
  /// Why the mock server did not come up.
  public struct Failure: Error, CustomStringConvertible {
    /// What happened and what the server printed.
    public var description: String

    /// A failure with its message.
    public init(description: String) { self.description = description }
  }

  /// Runs `executable` with `arguments` and returns the running process and its base URL (ending in `/v1`).
  ///
  /// ```swift
  /// let (process, baseURL) = try MockServerLaunch.start(executable: path, arguments: ["--port", "0"])
  /// ```
  public static func start(executable: String, arguments: [String]) throws -> (process: Process, baseURL: String) {
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      throw Failure(description: "\(executable) is missing - while starting the mock server; build it first: swift build --build-tests")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    var text = ""
    let deadline = Date().addingTimeInterval(20)
    while !text.contains("\n"), Date() < deadline {
      let data = pipe.fileHandleForReading.availableData
      if data.isEmpty { break }
      text += String(decoding: data, as: UTF8.self)
    }
    guard let range = text.range(of: "listening on ") else {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      throw Failure(description: "assay-mock-server did not say where it listens (it printed '\(text)') - while starting it for a test")
    }
    return (process, String(text[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines))
  }
}
