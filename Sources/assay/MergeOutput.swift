import AssayCore
import AssayStore
import Foundation

/// Where `assay merge` writes: a temporary database beside the destination, published in one step at the end.
struct MergeOutput {
  /// The database the user named (--db).
  let destination: String
  /// The temporary database the merged run is built in.
  let temporary: String

  init(destination: String) {
    self.destination = destination
    let url = URL(fileURLWithPath: destination)
    temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).merge-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp").path
  }

  /// Refuses a destination that is one of the inputs: the same path, a symbolic link to one, or a hard link (the
  /// same file by device and inode).
  static func refuseInputs(_ inputs: [String], destination: String) throws(AssayError) {
    let resolved = URL(fileURLWithPath: destination).resolvingSymlinksInPath().standardizedFileURL.path
    var target = stat()
    let exists = stat(destination, &target) == 0
    for input in inputs {
      var info = stat()
      let same = URL(fileURLWithPath: input).resolvingSymlinksInPath().standardizedFileURL.path == resolved
        || (exists && stat(input, &info) == 0 && info.st_dev == target.st_dev && info.st_ino == target.st_ino)
      if same {
        throw AssayError(
          .invalidArgument, "--db \(destination) is the input \(input) (the same file); merging into an input would change it (nothing was written)",
          fix: "merge into a new database, e.g. --db merged.sqlite")
      }
    }
  }

  /// Publishes the merged run built in `store` (the temporary database), which is closed.
  func publish(_ store: SQLiteStore, runID: String) throws(AssayError) {
    try store.close()
    for suffix in ["-wal", "-shm"] { unlink(temporary + suffix) }
    if FileManager.default.fileExists(atPath: destination) {
      try SQLiteStore(path: destination).importRun(from: temporary, runID: runID)
      return
    }
    // A WAL left beside a deleted database would be replayed into the new one.
    for suffix in ["-wal", "-shm"] { unlink(destination + suffix) }
    // link() fails if --db appeared meanwhile (rename would replace it); rename where links are not supported.
    if link(temporary, destination) != 0 {
      let error = errno
      if error == EEXIST {
        try SQLiteStore(path: destination).importRun(from: temporary, runID: runID)
        return
      }
      guard rename(temporary, destination) == 0 else {
        throw AssayError(
          .store, "cannot move the merged database \(temporary) to \(destination): \(String(cString: strerror(errno)))",
          fix: "check that the folder of --db is writable")
      }
    }
  }

  /// Removes the temporary database (after publishing, or when the merge failed).
  func discard() {
    for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
  }
}
