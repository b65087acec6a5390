import AssayCore

/// Which isolation layers a sandbox has on this machine; anything missing is said in `warnings`, never silently.
///
/// - `filesystem`: bubblewrap mounts only /usr, /etc (and the /bin, /lib symlinks), /proc, /dev, an empty /tmp and
///   /dev/shm, the toolchain folders a language names (read-only) and the sample's own folder; the namespace's root
///   and /dev are read-only, so the sample's folder, /tmp and /dev/shm are the only writable places; the home
///   folder and the rest of the host are not there at all.
/// - `network`: a new network namespace (bubblewrap's, or `unshare(CLONE_NEWNET)` when running as root without
///   it): only a loopback device of its own, so 127.0.0.1 of the host is unreachable.
/// - `pidNamespace`: the sample sees only its own processes and cannot signal the harness; when its first process
///   ends, the kernel kills the rest.
/// - `separateUser`: when the harness runs as root, each worker slot runs samples as its own unprivileged uid
///   (a block of uids drawn at random per sandbox, one per slot), which makes RLIMIT_NPROC bite (root ignores it), keeps samples of different slots from
///   signalling each other, and lets stragglers be found and killed by uid. Without bubblewrap, root also gives
///   every command private, empty /tmp, /var/tmp, /dev/shm and /run/lock (mount and IPC namespaces).
public struct SandboxIsolation: Sendable, Equatable, Codable {
  /// Bubblewrap's mount namespace is in use.
  public var filesystem: Bool
  /// A private network namespace is in use.
  public var network: Bool
  /// A private pid namespace is in use.
  public var pidNamespace: Bool
  /// Samples run under an unprivileged uid of their own.
  public var separateUser: Bool
  /// What is missing and what that means, one sentence each.
  public var warnings: [String]

  /// A description of the layers.
  public init(filesystem: Bool, network: Bool, pidNamespace: Bool, separateUser: Bool, warnings: [String]) {
    self.filesystem = filesystem
    self.network = network
    self.pidNamespace = pidNamespace
    self.separateUser = separateUser
    self.warnings = warnings
  }

  /// Whether everything a sample starts can be killed before the next one runs: a pid namespace, or a uid of its
  /// own that root can kill. Without either, a sample's daemon outlives it and can change later samples' verdicts.
  public var contained: Bool { pidNamespace || separateUser }

  /// Refuses code execution without containment unless the user passed `--allow-unisolated-code`.
  public func requireContainment(allowUnisolated: Bool) throws(AssayError) {
    if contained || allowUnisolated { return }
    throw AssayError(
      .runtimeLaunch,
      "cannot run code safely here: without a pid namespace (bubblewrap) or root (a uid per slot), a sample runs as "
        + "you, can outlive its timeout as a daemon, rewrite later samples' programs and forge their verdicts, "
        + "and can leave files in /tmp, /var/tmp and /dev/shm; pass --allow-unisolated-code to run anyway",
      fix: "install Debian's `bubblewrap` and allow user namespaces, or run as root")
  }

  /// One line for logs and reports: `filesystem+network+pid+user` or what is missing.
  public var summary: String {
    let layers = [(filesystem, "filesystem"), (network, "network"), (pidNamespace, "pid"), (separateUser, "user")]
    let on = layers.filter(\.0).map(\.1)
    let off = layers.filter { !$0.0 }.map(\.1)
    return off.isEmpty ? on.joined(separator: "+") : "\(on.joined(separator: "+")) (no \(off.joined(separator: ", ")))"
  }
}
