import AssayCore
import Foundation

/// Go for HumanEval-X: the tests import `github.com/stretchr/testify/assert`, which Debian ships as GOPATH source
/// (`golang-github-stretchr-testify-dev` under /usr/share/gocode). Once per Go version: a GOPATH copy with testify
/// and its dependencies installed, and a build cache seeded by compiling one test that imports every package
/// CodeGeeX adds. Each sample copies the seed cache (Go wants a writable one), builds its test binary with
/// `go test -c` in GOPATH mode (the compile step) and runs it (the timed step).
enum GoToolchain {
  static func prepare(shared: String, sandbox: Sandbox, limits: SandboxLimits) throws(AssayError) -> CodeToolchain {
    let go = try CodeToolchain.find(["ASSAY_GO", "/usr/bin/go", "/usr/local/go/bin/go"], package: "golang-go")
    let goroot = try ToolchainCache.build(
      [go, "env", "GOROOT"], in: "/", environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "GOENV": "off"],
      step: "go env GOROOT"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let version = try ToolchainCache.build(
      [go, "version"], in: "/", environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "GOENV": "off"],
      step: "go version")
    let folder = try ToolchainCache.folder() + "/go-\(SHA256.hex(version).prefix(12))"
    if !FileManager.default.fileExists(atPath: folder + "/gocache-seed/README") {
      try build(into: folder, go: go, goroot: goroot)
    }
    var runLimits = limits
    runLimits.addressSpaceBytes = 16 << 30  // the Go runtime and linker reserve large virtual ranges
    return CodeToolchain(
      language: .go, sourceName: "main_test.go",
      compile: [goroot + "/bin/go", "test", "-c", "-o", "test.bin", "main_test.go"], run: ["./test.bin"],
      environment: [
        "PATH": goroot + "/bin:/usr/bin:/bin", "GOPATH": folder + "/gopath", "GO111MODULE": "off",
        "GOCACHE": "{dir}/.gocache", "GOTMPDIR": "{dir}", "GOENV": "off", "GOFLAGS": "", "GOTOOLCHAIN": "local",
      ],
      readOnly: (goroot.hasPrefix("/usr/") ? [] : [goroot]) + [folder], limits: runLimits, supervisorPath: "",
      seedCache: folder + "/gocache-seed")
  }

  private static func build(into folder: String, go: String, goroot: String) throws(AssayError) {
    guard FileManager.default.fileExists(atPath: "/usr/share/gocode/src/github.com/stretchr/testify/assert") else {
      throw AssayError(
        .runtimeLaunch, "Go's testify is not installed (/usr/share/gocode/src/github.com/stretchr/testify is missing)",
        fix: "apt-get install golang-github-stretchr-testify-dev")
    }
    // Built in place: Go's cache keys include the GOPATH folder, so a cache seeded elsewhere would miss.
    let staging = folder
    try? FileManager.default.removeItem(atPath: staging)
    try FileManager.default.createDirectoryIfNeeded(staging + "/gopath")
    try FileManager.default.createDirectoryIfNeeded(staging + "/seed")
    _ = try ToolchainCache.build(
      ["/bin/cp", "-r", "/usr/share/gocode/src", staging + "/gopath/src"], in: "/", environment: [:],
      step: "copying Debian's Go sources")
    let environment = [
      "PATH": goroot + "/bin:/usr/bin:/bin", "HOME": staging + "/seed", "GOPATH": staging + "/gopath",
      "GO111MODULE": "off", "GOENV": "off", "TMPDIR": staging + "/seed", "GOFLAGS": "", "GOTOOLCHAIN": "local",
    ]
    var installEnvironment = environment
    installEnvironment["GOCACHE"] = staging + "/install-cache"
    _ = try ToolchainCache.build(
      [go, "install", "github.com/stretchr/testify/assert"], in: staging + "/seed", environment: installEnvironment,
      step: "go install github.com/stretchr/testify/assert (GOPATH mode)")
    let imports = HumanEvalXProgram.goPackages.map { "    \"\($0)\"" }.joined(separator: "\n")
    try CodeToolchain.write(
      """
      package main

      import (
          "testing"
          "github.com/stretchr/testify/assert"
      \(imports)
      )

      var _ = []interface{}{math.Abs, strings.ToUpper, fmt.Sprint, strconv.Itoa, time.Now, bytes.Equal,
          regexp.MustCompile, sort.Ints, rand.Intn, md5.Sum}

      func TestSeed(t *testing.T) {
          assert.New(t).Equal(1, 1)
      }

      """, to: staging + "/seed/main_test.go")
    var seedEnvironment = environment
    seedEnvironment["GOCACHE"] = staging + "/gocache-seed"
    _ = try ToolchainCache.build(
      [go, "test", "-count=1", "main_test.go"], in: staging + "/seed", environment: seedEnvironment,
      step: "seeding the Go build cache")
    try? FileManager.default.removeItem(atPath: staging + "/seed")
    try? FileManager.default.removeItem(atPath: staging + "/install-cache")
    ToolchainCache.makeReadable(staging)
    // Written last: its presence says the folder is complete.
    try CodeToolchain.write("Go build cache seeded by Assay for HumanEval-X samples\n", to: staging + "/gocache-seed/README")
  }
}
