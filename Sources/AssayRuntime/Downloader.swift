import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Downloads data files over HTTP(S) into a folder: resumes a partial `.part` file with a `Range` request, checks
/// the sha256, and only then moves the file into place (a damaged download never replaces a good file).
public final class Downloader: Sendable {
  /// What happened to one file.
  public enum Outcome: Sendable, Equatable {
    /// Already present with the right checksum.
    case present
    /// Downloaded (bytes received in this attempt; whether a partial file was resumed).
    case downloaded(bytes: Int64, resumed: Bool)
    /// Not obtained, with the reason.
    case failed(String)
  }

  private let http: HTTPClient
  private let timeout: Double

  /// A downloader; call `shutdown()` when done.
  public init(timeout: Double = 600) {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: .seconds(15))
    configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
    http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    self.timeout = timeout
  }

  /// Closes the HTTP client.
  public func shutdown() async {
    try? await http.shutdown()
  }

  /// Fetches `url` into `destination` unless it is already there with `sha256`; `progress` gets (received, total).
  /// With no known sha256 (nil: a file whose publisher prints none), a complete file already in place counts as
  /// present and a download is moved into place unchecked: the caller checks what it can.
  public func fetch(
    url: String, destination: String, sha256 expected: String?,
    progress: @Sendable (Int64, Int64?) -> Void = { _, _ in }
  ) async -> Outcome {
    let manager = FileManager.default
    if let expected {
      if let data = manager.contents(atPath: destination), SHA256.hex(data) == expected { return .present }
    } else if manager.fileExists(atPath: destination) {
      return .present
    }
    let part = destination + ".part"
    do {
      try manager.createDirectory(
        atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    } catch {
      return .failed("cannot create the folder for \(destination): \(error.localizedDescription)")
    }
    var offset: Int64 = 0
    if let attributes = try? manager.attributesOfItem(atPath: part), let size = attributes[.size] as? NSNumber {
      offset = size.int64Value
    } else {
      manager.createFile(atPath: part, contents: nil)
    }
    var request = HTTPClientRequest(url: url)
    if offset > 0 { request.headers.add(name: "Range", value: "bytes=\(offset)-") }
    var received: Int64 = 0
    var resumed = false
    do {
      let response = try await http.execute(request, timeout: .seconds(Int64(timeout)))
      let status = response.status.code
      guard status == 200 || status == 206 || (status == 416 && offset > 0) else {
        return .failed("HTTP \(status) from \(url)")
      }
      guard let handle = FileHandle(forWritingAtPath: part) else { return .failed("cannot write \(part)") }
      defer { try? handle.close() }
      if status == 206 {
        resumed = true
        try handle.seekToEnd()
      } else if status == 200 {
        // The server ignored the range: start over.
        try handle.truncate(atOffset: 0)
        offset = 0
      }
      let total = response.headers.first(name: "Content-Length").flatMap(Int64.init).map { $0 + offset }
      if status != 416 {
        for try await buffer in response.body {
          try handle.write(contentsOf: Data(buffer.readableBytesView))
          received += Int64(buffer.readableBytes)
          progress(offset + received, total)
        }
      }
    } catch {
      // Keep the partial file: the next attempt resumes it.
      return .failed("download of \(url) broke off after \(offset + received) bytes (\(error)); run the command again to resume")
    }
    guard let data = manager.contents(atPath: part) else { return .failed("cannot read back \(part)") }
    let actual = SHA256.hex(data)
    if let expected, actual != expected {
      try? manager.removeItem(atPath: part)
      return .failed("\(url) has sha256 \(actual), expected \(expected); the partial file was deleted (wrong version or damaged mirror)")
    }
    do {
      if manager.fileExists(atPath: destination) { try manager.removeItem(atPath: destination) }
      try manager.moveItem(atPath: part, toPath: destination)
    } catch {
      return .failed("cannot move \(part) to \(destination): \(error.localizedDescription)")
    }
    return .downloaded(bytes: received, resumed: resumed)
  }
}
