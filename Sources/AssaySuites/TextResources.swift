import AssayCore
import AssayText
import Foundation

/// The files scorers read at run time besides the data (nltk's Punkt English parameters, langdetect's language
/// profiles), under the resource root: `$ASSAY_RESOURCES`, else `<data root>/resources`, where `assay data fetch`
/// puts them.
public struct TextResources: Sendable {
  /// The resource root.
  public let root: String
  /// Which rule chose it, for messages.
  public let origin: String
  /// Expected sha256 by `resources/<path>` (the suite's `sha256`); a file that differs is refused.
  public var checksums: [String: String] = [:]

  /// The resource root for a data root and the environment.
  public static func resolve(dataRoot: DataRoot, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> TextResources
  {
    if let env = environment["ASSAY_RESOURCES"], !env.isEmpty { return TextResources(root: env, origin: "ASSAY_RESOURCES") }
    return TextResources(root: dataRoot.file("resources"), origin: "the data root")
  }

  /// Resources at an explicit root.
  public init(root: String, origin: String) {
    self.root = root
    self.origin = origin
  }

  /// A language's Punkt sentence tokenizer (`punkt_tab/<language>`: english, spanish, french).
  public func punkt(language: String = "english") throws(AssayError) -> PunktSentenceTokenizer {
    let folder = "punkt_tab/\(language)"
    let parameters: PunktParameters
    do {
      parameters = try PunktParameters(
        abbrevTypes: try text("\(folder)/abbrev_types.txt"), collocations: try text("\(folder)/collocations.tab"),
        sentenceStarters: try text("\(folder)/sent_starters.txt"), orthoContext: try text("\(folder)/ortho_context.tab"))
    } catch let error as AssayError {
      throw error
    } catch let error as TextDataError {
      throw AssayError(error)
    } catch {
      throw AssayError(.invalidData, "reading nltk's Punkt parameters in \(root)/\(folder): \(error)", fix: fix)
    }
    return PunktSentenceTokenizer(parameters: parameters)
  }

  /// langdetect's detector over its 55 language profiles (`langdetect/profiles`, `langdetect/messages.properties`).
  public func languageDetector() throws(AssayError) -> LanguageDetector {
    let folder = root + "/langdetect/profiles"
    guard let codes = try? FileManager.default.contentsOfDirectory(atPath: folder), !codes.isEmpty else {
      throw AssayError(.missingData, "langdetect's language profiles are not in \(folder) (resource root from \(origin))", fix: fix)
    }
    var profiles: [(code: String, json: String)] = []
    for code in codes.sorted() where !code.hasPrefix(".") {
      profiles.append((code, try text("langdetect/profiles/\(code)")))
    }
    do {
      return try LanguageDetector(profiles: profiles, messages: try text("langdetect/messages.properties"))
    } catch let error as AssayError {
      throw error
    } catch let error as TextDataError {
      throw AssayError(error)
    } catch {
      throw AssayError(.invalidData, "reading langdetect's profiles in \(folder): \(error)", fix: fix)
    }
  }

  /// The resource path of mecab-ipadic 2.7.0-20070801's sources (Debian's orig tarball, what janome 0.5.1 compiles).
  public static let ipadicArchive = "ipadic/mecab-ipadic_2.7.0-20070801+main.orig.tar.gz"

  /// janome's system dictionary, built from the mecab-ipadic archive under the resource root (sha256-checked when
  /// the suite pins it).
  public func janomeDictionary() throws(AssayError) -> JanomeDictionary {
    let path = root + "/" + Self.ipadicArchive
    guard let archive = FileManager.default.contents(atPath: path) else {
      throw AssayError(
        .missingData, "\(path) is missing (resource root from \(origin)): M-IFEval's Japanese checkers need janome's IPADIC",
        fix: "run `assay data fetch --suite m-ifeval`, or point ASSAY_RESOURCES at a folder with \(Self.ipadicArchive)")
    }
    if let expected = checksums["resources/" + Self.ipadicArchive], SHA256.hex(archive) != expected {
      throw AssayError(
        .checksumMismatch, "\(path) does not have the sha256 the suite expects (\(expected)): tokens would differ",
        fix: "delete it and run `assay data fetch --suite m-ifeval`")
    }
    let files = try TarArchive.files(in: try Gzip.decompress(archive, path: path), path: path)
    func file(_ name: String) throws(AssayError) -> Data {
      guard let data = files["mecab-ipadic-2.7.0-20070801/" + name] else {
        throw AssayError(.invalidData, "\(path) has no mecab-ipadic-2.7.0-20070801/\(name)", fix: "delete it and run `assay data fetch --suite m-ifeval`")
      }
      return data
    }
    var csvData: [(name: String, data: Data)] = []
    for name in JanomeDictionary.csvOrder { csvData.append((name, try file(name))) }
    let (matrix, charData, unkData) = (try file("matrix.def"), try file("char.def"), try file("unk.def"))
    // The sources are EUC-JP (decoded here, through the C library's iconv); JanomeDictionary takes their text.
    var csv: [String: String] = [:]
    for (name, data) in csvData { csv[name] = try EUCJP.decode(data, name: name) }
    let charDef = try EUCJP.decode(charData, name: "char.def")
    let unkDef = try EUCJP.decode(unkData, name: "unk.def")
    do throws(TextDataError) {
      return try JanomeDictionary(csv: csv, matrix: matrix, charDef: charDef, unkDef: unkDef)
    } catch {
      throw AssayError(error)
    }
  }

  private var fix: String {
    "run `assay data fetch --suite ifeval` (it puts them under <data root>/resources), or point ASSAY_RESOURCES at a folder with punkt_tab/ and langdetect/"
  }

  private func text(_ relative: String) throws(AssayError) -> String {
    let path = root + "/" + relative
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AssayError(.missingData, "\(path) is missing (resource root from \(origin))", fix: fix)
    }
    if let expected = checksums["resources/" + relative], SHA256.hex(data) != expected {
      throw AssayError(
        .checksumMismatch, "\(path) does not have the sha256 the suite expects (\(expected)): verdicts would differ",
        fix: "delete it and run `assay data fetch --suite ifeval`")
    }
    return String(decoding: data, as: UTF8.self)
  }
}

extension AssayError {
  /// A text tool's data error as the harness reports it: the same code, message and fix.
  init(_ error: TextDataError) {
    self.init(error.code == .missingData ? .missingData : .invalidData, error.message, fix: error.fix)
  }
}
