import CSandbox
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The processes of a slot's uid (found in /proc, killed as root), whether a path is readable by others, and the lookup of a program on PATH.
extension Sandbox {
  /// SIGKILLs every process of `uid` (stragglers that left their session, daemons), as root, until /proc shows
  /// none; used between samples when there is no pid namespace. Returns whether none is left.
  @discardableResult
  static func killAll(uid: Int32) -> Bool {
    for round in 0..<200 {
      if assay_kill_uid(uid) == EPERM { return false }
      if processes(of: uid).isEmpty { return true }
      usleep(round < 20 ? 1000 : 10_000)  // the killed are still exiting
    }
    return processes(of: uid).isEmpty
  }

  /// The live processes whose real uid is `uid`, read from /proc/<pid>/status (a process that made itself
  /// non-dumpable shows root as the owner of its /proc folder, but its Uid line is true).
  static func processes(of uid: Int32) -> [Int32] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { entry -> Int32? in
      guard let pid = Int32(entry), let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8)
      else { return nil }
      var realUID: Int32?
      var zombie = false
      for line in status.split(separator: "\n") {
        if line.hasPrefix("State:") { zombie = line.contains("Z") || line.contains("X") }
        if line.hasPrefix("Uid:") { realUID = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { Int32($0) } }
      }
      return realUID == uid && !zombie ? pid : nil
    }
  }

  /// Whether every folder on the way to `path` lets other users through (the sample users are others).
  public static func isReadableByOthers(_ path: String) -> Bool {
    var current = ""
    for component in path.split(separator: "/") {
      current += "/" + component
      var info = stat()
      guard stat(current, &info) == 0, info.st_mode & 0o001 != 0 || info.st_mode & S_IFMT != S_IFDIR else { return false }
    }
    return true
  }

  /// The absolute path of `program` on PATH, if any.
  public static func which(_ program: String) -> String? {
    if program.hasPrefix("/") { return access(program, X_OK) == 0 ? program : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(program)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}
