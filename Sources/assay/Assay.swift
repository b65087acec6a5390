import ArgumentParser
import AssayCore
import Foundation

/// The `assay` command: evaluate models on benchmark suites and report with confidence intervals.
@main
struct Assay: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "assay",
    abstract: "Evaluate LLMs on multilingual benchmark suites, reproducibly.",
    discussion: """
      Quick start (launches llama.cpp on a GGUF file, runs German MGSM on 10 problems, prints the report):
        assay run --runtime llama.cpp --model ../shared/models/tiny-llama3-random.gguf --suite mgsm --variant de --limit 10

      Against a server you already run (vLLM, llama.cpp, Ollama, TGI, SGLang):
        assay run --base-url http://127.0.0.1:8000/v1 --model meta-llama/Llama-3.1-8B-Instruct --suite gsm8k

      Results go to results/assay.sqlite; running the same command again resumes without re-sending completed requests. Data is read from --data-dir, $ASSAY_DATA, or ~/.local/share/assay/datasets.
      """,
    version: AssayVersion.current,
    subcommands: [
      RunCommand.self, ReportCommand.self, CompareCommand.self, DashboardCommand.self, ExportCommand.self,
      PairsCommand.self, RateCommand.self, RatingsCommand.self, ScoreCommand.self, SuitesCommand.self,
      ValidateCommand.self, PresetsCommand.self, DataCommand.self, PasskCommand.self, MetricCommand.self,
      MergeCommand.self, LaunchCommand.self,
    ]
  )

  static func main() async {
    // A parent may have spawned us with signals blocked (threads of Swift programs block them); unblock the ones
    // the run's teardown relies on.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let error as AssayError {
      // Messages quote servers, files and model output: their control characters are shown, not obeyed.
      Output.error("error: \(error.message)\n")
      if let fix = error.fix { Output.error("fix: \(fix)\n") }
      Foundation.exit(error.exitCode)
    } catch let error as CocoaError {
      // A file that cannot be read or written (a full disk, a missing folder): exit 2 as other I/O errors, never 1,
      // which `compare --fail-if-regression` uses for a regression.
      Output.error("error: \(error.localizedDescription)\n")
      Foundation.exit(2)
    } catch {
      // ArgumentParser's usage errors (a misspelt flag, a failed `validate()`) exit 64; the README promises 2 for
      // bad input, which scripts and CI gates rely on.
      if exitCode(for: error).rawValue == 64 {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}

extension AssayError {
  /// 2: bad input (flags, suites, data); 3: the model server; 4: the database; 130: interrupted.
  var exitCode: Int32 {
    switch code {
    case .invalidSuite, .unknownSuite, .missingData, .invalidData, .checksumMismatch, .invalidArgument, .io: return 2
    case .unreachableServer, .unknownModel, .serverError, .runtimeLaunch: return 3
    case .store: return 4
    case .interrupted: return 130
    }
  }
}
