import AssayCore
import Foundation
import Yams

/// A named set of suites whose configurations reproduce a published table (`--preset llama3.1-instruct`).
public struct Preset: Codable, Sendable, Equatable {
  /// The preset id (`llama3.1-instruct`).
  public var id: String
  /// One line on what it reproduces.
  public var description: String
  /// The reference model rows are compared with by default (`Llama 3.1 8B Instruct`).
  public var referenceModel: String?
  /// The prompt mode the published numbers used (`chat` for instruct models, `completion` for base models).
  public var promptMode: PromptMode?
  /// The suites, each with the reference rows it reproduces.
  public var suites: [Entry]

  /// One suite of a preset.
  public struct Entry: Codable, Sendable, Equatable {
    /// Suite id.
    public var suite: String
    /// Variant ids (default: all).
    public var variants: [String]?
    /// The published benchmark row(s) this entry reproduces (`benchmark` in results/reference).
    public var reproduces: [String]
    /// How the configuration matches the published one, and where it does not.
    public var note: String?
  }

  enum CodingKeys: String, CodingKey {
    case id, description, referenceModel = "reference_model", promptMode = "prompt_mode", suites
  }

  /// Reads every `*.yaml` preset in a folder.
  public static func loadAll(directory: String) throws(AssayError) -> [String: Preset] {
    var presets: [String: Preset] = [:]
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    for name in names {
      let path = (directory as NSString).appendingPathComponent(name)
      let preset: Preset
      do {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let node = try BoundedYAML.compose(text, path: path, kind: "preset file") else {
          throw AssayError(.invalidSuite, "preset file \(path) is empty", fix: "see benchmarks/README.md, section Presets")
        }
        preset = try YAMLDecoder().decode(Preset.self, from: node)
      } catch let error as AssayError {
        throw error
      } catch {
        throw AssayError(.invalidSuite, "preset file \(path) cannot be read: \(error)", fix: "see benchmarks/README.md, section Presets")
      }
      presets[preset.id] = preset
    }
    return presets
  }

  /// Checks that every suite and variant exists in the catalog; throws naming the first that does not.
  public func validate(against catalog: SuiteCatalog) throws(AssayError) {
    for entry in suites {
      let suite = try catalog.suite(named: entry.suite)
      _ = try catalog.variants(of: suite, selected: entry.variants)
    }
  }
}
