import AssayCore
import Foundation

/// Rust for HumanEval-X: the programs `use rand`, `regex` and `md5`. CodeGeeX pins rand 0.4; Debian ships rand
/// 0.8, regex and md5 as crate sources (`librust-rand-dev`, `librust-regex-dev`, `librust-md5-dev` under
/// /usr/share/cargo/registry), so they are built offline once per rustc version with cargo (a `directory`
/// source) together with a small crate named `rand` that offers rand 0.4's API on top of rand 0.8. Each sample
/// is then one `rustc --test` with `--extern` to those rlibs.
enum RustToolchain {
  static func prepare(shared: String, sandbox: Sandbox, limits: SandboxLimits) throws(AssayError) -> CodeToolchain {
    let proxy = try CodeToolchain.find(["ASSAY_RUSTC", "/usr/bin/rustc"] + (Sandbox.which("rustc").map { [$0] } ?? []),
      package: "rustc")
    // rustup's `rustc` is a proxy that needs the home folder; use the real compiler in its sysroot.
    let sysroot = try ToolchainCache.build(
      [proxy, "--print", "sysroot"], in: "/", environment: hostEnvironment(), step: "rustc --print sysroot")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let rustc = sysroot + "/bin/rustc"
    guard Sandbox.isReadableByOthers(sysroot) else {
      throw AssayError(
        .runtimeLaunch,
        "the Rust toolchain at \(sysroot) is not readable by the sandbox's sample users (it is under a private home folder)",
        fix: "apt-get install rustc cargo (Debian's toolchain in /usr), or set ASSAY_RUSTC to a rustc others can read")
    }
    let cargo = FileManager.default.isExecutableFile(atPath: sysroot + "/bin/cargo")
      ? sysroot + "/bin/cargo" : try CodeToolchain.find(["ASSAY_CARGO", "/usr/bin/cargo"], package: "cargo")
    let version = try ToolchainCache.build([rustc, "--version"], in: "/", environment: [:], step: "rustc --version")
    let key = String(SHA256.hex(version).prefix(12))
    let folder = try ToolchainCache.folder() + "/rust-\(key)"
    let externs = ["rand", "regex", "md5"].map { "\(folder)/extern/lib\($0).rlib" }
    if !externs.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) {
      try build(into: folder, rustc: rustc, cargo: cargo)
    }
    var arguments = [
      rustc, "--edition", "2021", "--test", "-C", "opt-level=0", "-C", "debuginfo=0", "-A", "warnings", "-o", "test",
      "main.rs", "-L", "dependency=\(folder)/deps",
    ]
    for (name, path) in zip(["rand", "regex", "md5"], externs) { arguments += ["--extern", "\(name)=\(path)"] }
    var runLimits = limits
    runLimits.addressSpaceBytes = 8 << 30
    return CodeToolchain(
      language: .rust, sourceName: "main.rs", compile: arguments, run: ["./test", "--test-threads=1"],
      environment: ["PATH": "\(sysroot)/bin:/usr/bin:/bin"],
      readOnly: (sysroot == "/usr" || sysroot.hasPrefix("/usr/") ? [] : [sysroot]) + [folder], limits: runLimits, supervisorPath: "",
      seedCache: nil)
  }

  private static func hostEnvironment() -> [String: String] {
    ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "CARGO_HOME"].contains($0.key) }
  }

  private static func build(into folder: String, rustc: String, cargo: String) throws(AssayError) {
    let project = folder + ".build-\(getpid())"
    try? FileManager.default.removeItem(atPath: project)
    for path in [project + "/src", project + "/rand04/src", project + "/.cargo"] {
      try FileManager.default.createDirectoryIfNeeded(path)
    }
    try CodeToolchain.write("", to: project + "/src/lib.rs")
    try CodeToolchain.write(rand04, to: project + "/rand04/src/lib.rs")
    try CodeToolchain.write(
      """
      [package]
      name = "assay-humaneval-deps"
      version = "0.1.0"
      edition = "2021"
      [dependencies]
      rand = { package = "assay-rand04-compat", path = "rand04" }
      regex = "1"
      md5 = "0.7"
      [profile.dev]
      debug = 0

      """, to: project + "/Cargo.toml")
    try CodeToolchain.write(
      """
      [package]
      name = "assay-rand04-compat"
      version = "0.4.6"
      edition = "2021"
      [lib]
      name = "rand"
      path = "src/lib.rs"
      [dependencies]
      rand08 = { package = "rand", version = "0.8" }

      """, to: project + "/rand04/Cargo.toml")
    try CodeToolchain.write(
      """
      [source.crates-io]
      replace-with = "debian"
      [source.debian]
      directory = "/usr/share/cargo/registry"
      [net]
      offline = true

      """, to: project + "/.cargo/config.toml")
    guard FileManager.default.fileExists(atPath: "/usr/share/cargo/registry") else {
      throw AssayError(
        .runtimeLaunch, "the Rust crates rand, regex and md5 are not installed (/usr/share/cargo/registry is missing)",
        fix: "apt-get install librust-rand-dev librust-regex-dev librust-regex+default-dev librust-md5-dev (or scripts/setup-toolchains.sh)")
    }
    let output = try ToolchainCache.build(
      [cargo, "build", "--offline", "--message-format=json"], in: project,
      environment: [
        "PATH": ((rustc as NSString).deletingLastPathComponent) + ":/usr/bin:/bin", "HOME": project,
        "CARGO_HOME": project + "/.cargo-home", "RUSTC": rustc,
      ], step: "building the Rust crates rand, regex and md5 offline from /usr/share/cargo/registry")
    let staging = folder + ".staging-\(getpid())"
    try? FileManager.default.removeItem(atPath: staging)
    try FileManager.default.createDirectoryIfNeeded(staging + "/deps")
    try FileManager.default.createDirectoryIfNeeded(staging + "/extern")
    for line in output.split(separator: "\n") where line.hasPrefix("{") {
      guard let message = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        message["reason"] as? String == "compiler-artifact",
        let files = message["filenames"] as? [String],
        let target = message["target"] as? [String: Any], let name = target["name"] as? String,
        let package = message["package_id"] as? String
      else { continue }
      for file in files where file.hasSuffix(".rlib") && !package.contains("assay-humaneval-deps") {
        let base = (file as NSString).lastPathComponent
        try? FileManager.default.copyItem(atPath: file, toPath: staging + "/deps/" + base)
        let isExtern = (name == "rand" && package.contains("rand04")) || name == "regex" || name == "md5"
        if isExtern { try? FileManager.default.copyItem(atPath: file, toPath: staging + "/extern/lib\(name).rlib") }
      }
    }
    for name in ["rand", "regex", "md5"] where !FileManager.default.fileExists(atPath: staging + "/extern/lib\(name).rlib") {
      throw AssayError(.runtimeLaunch, "building the Rust crates produced no \(name) library",
        fix: "apt-get install librust-rand-dev librust-regex-dev librust-regex+default-dev librust-md5-dev (or scripts/setup-toolchains.sh)")
    }
    ToolchainCache.makeReadable(staging)
    try? FileManager.default.removeItem(atPath: folder)
    do {
      try FileManager.default.moveItem(atPath: staging, toPath: folder)
    } catch {
      throw AssayError(.io, "cannot move the built Rust crates into \(folder): \(error.localizedDescription)")
    }
    try? FileManager.default.removeItem(atPath: project)
  }

  /// rand 0.4's API (`thread_rng`, `Rng::gen_range(low, high)`, `gen`, `choose`, `shuffle`, `random`) on rand 0.8.
  static let rand04 = """
    //! rand 0.4's API, which HumanEval-X's Rust programs were written against, on top of rand 0.8.
    use rand08::distributions::uniform::SampleUniform;
    use rand08::distributions::{Distribution, Standard};
    use rand08::RngCore;

    pub trait Rng {
        #[doc(hidden)]
        fn core_rng(&mut self) -> &mut dyn RngCore;
        fn next_u32(&mut self) -> u32 { self.core_rng().next_u32() }
        fn next_u64(&mut self) -> u64 { self.core_rng().next_u64() }
        fn fill_bytes(&mut self, dest: &mut [u8]) { self.core_rng().fill_bytes(dest) }
        fn gen<T>(&mut self) -> T where Standard: Distribution<T>, Self: Sized {
            Standard.sample(&mut Borrowed(self.core_rng()))
        }
        /// Uniform in [low, high), as in rand 0.4; panics when low >= high.
        fn gen_range<T: PartialOrd + SampleUniform>(&mut self, low: T, high: T) -> T where Self: Sized {
            assert!(low < high, "Rng.gen_range called with low >= high");
            rand08::Rng::gen_range(&mut Borrowed(self.core_rng()), low..high)
        }
        fn gen_weighted_bool(&mut self, n: u32) -> bool where Self: Sized { n <= 1 || self.gen_range(0, n) == 0 }
        fn choose<'a, T>(&mut self, values: &'a [T]) -> Option<&'a T> where Self: Sized {
            if values.is_empty() { None } else { Some(&values[self.gen_range(0, values.len())]) }
        }
        fn choose_mut<'a, T>(&mut self, values: &'a mut [T]) -> Option<&'a mut T> where Self: Sized {
            if values.is_empty() { None } else { let i = self.gen_range(0, values.len()); Some(&mut values[i]) }
        }
        fn shuffle<T>(&mut self, values: &mut [T]) where Self: Sized {
            let mut i = values.len();
            while i >= 2 { i -= 1; let j = self.gen_range(0, i + 1); values.swap(i, j); }
        }
    }

    struct Borrowed<'a>(&'a mut dyn RngCore);
    impl<'a> RngCore for Borrowed<'a> {
        fn next_u32(&mut self) -> u32 { self.0.next_u32() }
        fn next_u64(&mut self) -> u64 { self.0.next_u64() }
        fn fill_bytes(&mut self, dest: &mut [u8]) { self.0.fill_bytes(dest) }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand08::Error> { self.0.try_fill_bytes(dest) }
    }

    #[derive(Clone, Debug)]
    pub struct ThreadRng(rand08::rngs::ThreadRng);
    impl Rng for ThreadRng { fn core_rng(&mut self) -> &mut dyn RngCore { &mut self.0 } }

    pub fn thread_rng() -> ThreadRng { ThreadRng(rand08::thread_rng()) }

    pub fn random<T>() -> T where Standard: Distribution<T> { thread_rng().gen() }

    """
}
