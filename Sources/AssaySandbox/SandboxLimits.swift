/// The resources one sandboxed command may use; every limit applies to the command and all its children.
public struct SandboxLimits: Sendable, Equatable {
  /// Wall-clock seconds before the whole process group (or pid namespace) is killed.
  public var wallSeconds: Double
  /// CPU seconds (RLIMIT_CPU; the kernel sends SIGXCPU, then SIGKILL).
  public var cpuSeconds: Int
  /// Address space in bytes (RLIMIT_AS); a memory bomb gets allocation failures instead of the host's memory.
  public var addressSpaceBytes: UInt64
  /// Largest file the command may write (RLIMIT_FSIZE): a bound on the disk (or tmpfs memory) a sample can fill,
  /// the one limit on writing; printed output is not a file and has none.
  public var fileSizeBytes: UInt64
  /// Open file descriptors (RLIMIT_NOFILE).
  public var openFiles: Int
  /// Processes and threads of the sandbox's user (RLIMIT_NPROC; see `SandboxIsolation.separateUser`).
  public var processes: Int
  /// Bytes kept from the start of each of stdout and stderr (and 64 KiB from the end); output beyond is read and
  /// dropped, never the program's failure.
  public var outputBytes: Int

  /// Limits with defaults fit for running one HumanEval-sized program.
  public init(
    wallSeconds: Double = 10, cpuSeconds: Int = 10, addressSpaceBytes: UInt64 = 4 << 30,
    fileSizeBytes: UInt64 = 64 << 20, openFiles: Int = 256, processes: Int = 256, outputBytes: Int = 1 << 20
  ) {
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
    self.addressSpaceBytes = addressSpaceBytes
    self.fileSizeBytes = fileSizeBytes
    self.openFiles = openFiles
    self.processes = processes
    self.outputBytes = outputBytes
  }
}
