import Foundation
import Testing

/// `--runtime llama.cpp` refuses bad model files before anything is stored, and names the fix; prompts longer than
/// the window are reported as such.
@Suite(.serialized) struct LocalRuntimeBadInputTests {
  static func run(_ model: String, _ extra: [String] = [], in dir: String) throws -> CLI.Result {
    try CLI.run(
      ["run", "--runtime", "llama.cpp", "--model", model, "--suite", "mgsm", "--variant", "de", "--limit", "2",
       "--db", dir + "/assay.sqlite"] + extra, in: dir)
  }

  @Test func aFileThatIsNotAGGUFModelIsRefusedBeforeAnythingIsStored() throws {
    let dir = CLI.temporaryDirectory()
    let fake = dir + "/weights.gguf"
    try Data("PK\u{3}\u{4} a zip, not a model".utf8).write(to: URL(fileURLWithPath: fake))
    let result = try Self.run(fake, in: dir)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("is not a GGUF model"), "\(result.stderr)")
    #expect(result.stderr.contains("setup-model.sh"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/assay.sqlite"))
  }

  @Test func aGGUFHeaderWithoutAModelFailsWithTheServersReason() throws {
    let dir = CLI.temporaryDirectory()
    let fake = dir + "/truncated.gguf"
    // The real file's first 64 KiB: a GGUF header whose tensors are missing.
    let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: CLI.models + "/tiny-llama3-random.gguf"))
    let bytes = try head.read(upToCount: 65_536) ?? Data()
    try bytes.write(to: URL(fileURLWithPath: fake))
    let result = try Self.run(fake, in: dir)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("could not be loaded as a GGUF model"), "\(result.stderr)")
  }

  @Test func aModelWhoseSha256DoesNotMatchItsRecordIsRefused() throws {
    let dir = CLI.temporaryDirectory()
    let copy = dir + "/tiny.gguf"
    try FileManager.default.copyItem(atPath: CLI.models + "/tiny-llama3-random.gguf", toPath: copy)
    try Data((String(repeating: "0", count: 64) + "\n").utf8).write(to: URL(fileURLWithPath: copy + ".sha256"))
    let result = try Self.run(copy, in: dir)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("has sha256"), "\(result.stderr)")
    #expect(result.stderr.contains("damaged or was replaced"))
    #expect(result.stderr.contains("setup-model.sh --force"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/assay.sqlite"))
  }

  @Test func promptsLongerThanTheWindowAreReportedWithTheFix() throws {
    let dir = CLI.temporaryDirectory()
    let result = try Self.run(CLI.models + "/tiny-llama3-random.gguf", ["--ctx-size", "64"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("do not fit the model's context window"), "\(result.stdout)")
    #expect(result.stdout.contains("maximum context length is 64 tokens"))
    #expect(result.stdout.contains("raise --ctx-size"))
  }
}
