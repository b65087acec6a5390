import AssayCore
import Foundation

/// An exclusive lock on one run (or one configuration) of one database, held while an `assay run` works on it, so
/// two processes never send the same requests twice. An `flock` on a file in `.<db name>.locks/` beside the database
/// (hidden, and not named like the database's own files): the kernel drops it
/// when the holder exits in any way (kill -9 included), so a dead process never blocks a later run, and the file
/// says who holds it (pid, host, since when) for the message of the process that is refused. The descriptor is
/// close-on-exec: a server Assay launches does not inherit the lock. Locks are per machine: processes on two
/// hosts sharing the database over a network file system are only kept apart where it supports `flock`.
final class RunLock: Sendable {
  /// The lock file.
  let path: String
  private let descriptor: Int32

  private init(path: String, descriptor: Int32) {
    self.path = path
    self.descriptor = descriptor
  }

  /// Takes the lock named `name` for the database at `database`, or throws (exit 4) naming who holds it.
  static func acquire(database: String, name: String, what: String) throws(AssayError) -> RunLock {
    let url = URL(fileURLWithPath: database)
    let folder = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".locks").path
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name + ".lock"
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard descriptor >= 0 else {
      throw AssayError(.store, "cannot create the lock file \(path) for \(what): \(String(cString: strerror(errno)))",
        fix: "make the folder of --db writable")
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
      close(descriptor)
      throw AssayError(
        .store,
        "another assay process is working on \(what) in \(database) (\(holder.map { $0.isEmpty ? "holder unknown" : $0 } ?? "holder unknown")); "
          + "this process stops rather than send the same requests twice (nothing was sent or stored)",
        fix: "wait for it to finish, stop it, or use another --db; to split the work between processes, run shards (--shard I/N, each with its own --db) and `assay merge` them. "
          + "The lock is released when the process exits, even if it is killed")
    }
    var hostname = [CChar](repeating: 0, count: 256)
    gethostname(&hostname, hostname.count - 1)
    let host = String(decoding: hostname.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let note = "pid \(getpid()) on \(host) since \(ISO8601DateFormatter().string(from: Date()))\n"
    _ = ftruncate(descriptor, 0)
    _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    return RunLock(path: path, descriptor: descriptor)
  }

  deinit {
    _ = ftruncate(descriptor, 0)
    close(descriptor)
  }
}
