import AssayCore
import Foundation
import Yams

/// Reads one suite file, with errors that name the file, the line and the key.
public enum SuiteFile {
  /// Keys allowed in each nested mapping, for "did you mean" on typos (which Codable would silently ignore).
  static let knownKeys: [String: Set<String>] = [
    "": SuiteDefinition.knownKeys,
    "dataset": DatasetSpec.knownKeys,
    "dataset.choices[]": ChoiceSource.knownKeys,
    "dataset.shuffle": ChoiceShuffle.knownKeys,
    "archive": ArchiveSpec.knownKeys,
    "dataset.lines[]": ["path", "field", "url"],
    "resources[]": ["path", "url"],
    "dataset.derive.*": ["from", "regex", "map", "case"],
    "solver": SolverSpec.knownKeys,
    "solver.fewshot": FewShotSpec.knownKeys,
    "solver.prompt": ["template"],
    "solver.generate": ["max_tokens", "temperature", "top_p", "stop", "samples"],
    "scorer": ScorerSpec.knownKeys,
    "scorer.execute": ExecuteSpec.knownKeys,
    "scorer.judge": JudgeSpec.knownKeys,
    "scorer.safety": SafetySpec.knownKeys,
    "scorer.extract[]": NamedPipeline.knownKeys,
    "needle": NeedleSpec.knownKeys,
  ]

  /// Parses and validates the suite at `path`.
  public static func load(path: String) throws(AssayError) -> SuiteDefinition {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw AssayError(.io, "cannot read suite file \(path): \(error.localizedDescription)")
    }
    return try parse(text, path: path)
  }

  /// Parses and validates suite YAML; `path` is used in messages.
  ///
  /// ```swift
  /// let yaml = """
  ///   format: 1
  ///   id: capitals
  ///   ...
  ///   """
  /// do {
  ///   let suite = try SuiteFile.parse(yaml, path: "my-suites/capitals.yaml")
  ///   print(suite.id, suite.variants.map(\.id))
  /// } catch {
  ///   print(error.message)  // names the file, the line and the fix
  /// }
  /// ```
  public static func parse(_ text: String, path: String) throws(AssayError) -> SuiteDefinition {
    // Bounded: a size limit, and aliases may not expand the document past a node limit (a "billion laughs" file
    // would otherwise hang every command that reads the folder).
    guard let node = try BoundedYAML.compose(text, path: path, kind: "suite file") else {
      throw AssayError(.invalidSuite, "suite file \(path) is empty", fix: "see benchmarks/README.md for the format")
    }
    try checkKeys(node, path: path, keyPath: "")
    let suite: SuiteDefinition
    do {
      suite = try YAMLDecoder().decode(SuiteDefinition.self, from: node)
    } catch let error as DecodingError {
      throw AssayError(
        .invalidSuite, "suite file \(path): \(describe(error, node: node))",
        fix: "see benchmarks/README.md for the suite format")
    } catch {
      throw AssayError(.invalidSuite, "suite file \(path): \(error)")
    }
    try validate(suite, path: path, node: node)
    // Every number must encode (no nan or inf, e.g. `1e400`): the suite's content hash identifies runs.
    _ = try CanonicalJSON.hashable(suite, what: "suite file \(path)")
    return suite
  }

  private static func checkKeys(_ node: Node, path: String, keyPath: String) throws(AssayError) {
    if let sequence = node.sequence {
      for item in sequence { try checkKeys(item, path: path, keyPath: keyPath + "[]") }
      return
    }
    guard let mapping = node.mapping else { return }
    guard let allowed = knownKeys[keyPath] else {
      // Free-form maps (derive, filter, sha256) whose values have a fixed shape.
      if knownKeys[keyPath + ".*"] != nil {
        for (_, value) in mapping { try checkKeys(value, path: path, keyPath: keyPath + ".*") }
      }
      return
    }
    for (key, value) in mapping {
      guard let name = key.string else { continue }
      if !allowed.contains(name) {
        let line = key.mark.map { ", line \($0.line)" } ?? ""
        let where_ = keyPath.isEmpty ? "at the top level" : "in '\(keyPath)'"
        let close = Suggest.closest(to: name, among: Array(allowed))
        let hint = close.isEmpty ? "" : " Did you mean '\(close[0])'?"
        throw AssayError(
          .invalidSuite, "suite file \(path)\(line): unknown key '\(name)' \(where_).\(hint)",
          fix: "use one of: \(allowed.sorted().joined(separator: ", "))")
      }
      try checkKeys(value, path: path, keyPath: keyPath.isEmpty ? name : "\(keyPath).\(name)")
    }
  }

  private static func validate(_ suite: SuiteDefinition, path: String, node: Node) throws(AssayError) {
    func fail(_ message: String, fix: String) throws(AssayError) -> Never {
      throw AssayError(.invalidSuite, "suite file \(path): \(message)", fix: fix)
    }
    if suite.format != 1 { try fail("format \(suite.format) is not supported", fix: "set `format: 1`") }
    if suite.variants.isEmpty { try fail("no variants", fix: "add at least one entry under `variants:`") }
    let generate = suite.solver.generate
    for problem in [
      GenerationLimits.problem(maxTokens: generate.maxTokens, name: "solver.generate.max_tokens"),
      GenerationLimits.problem(temperature: generate.temperature, name: "solver.generate.temperature"),
      generate.topP.flatMap { GenerationLimits.problem(topP: $0, name: "solver.generate.top_p") },
      generate.samples.flatMap { GenerationLimits.problem(count: $0, in: GenerationLimits.samples, name: "solver.generate.samples") },
    ].compactMap({ $0 }) {
      try fail(problem, fix: "correct the value in the suite file")
    }
    let ids = suite.variants.map(\.id)
    if Set(ids).count != ids.count { try fail("variant ids repeat: \(ids)", fix: "give every variant its own id") }
    if suite.dataset.format == .tsv && (suite.dataset.columns ?? []).isEmpty && suite.dataset.header != true {
      try fail("a tsv dataset needs `columns` (or `header: true`)", fix: "list the column names under dataset.columns")
    }
    if let transform = suite.dataset.transform, !RowTransform.names.contains(transform) {
      try fail("unknown dataset.transform '\(transform)'", fix: "use one of: \(RowTransform.names.joined(separator: ", "))")
    }
    for source in suite.dataset.choices ?? [] {
      let given = [source.template, source.json, source.split, source.file].compactMap { $0 }.count
      if given != 1 {
        try fail("each entry of dataset.choices has exactly one of template, json, split, file",
          fix: "split the entry in two, or remove the extra key")
      }
    }
    for source in suite.dataset.choices ?? [] where (source.key != nil || source.labelKey != nil) && source.json == nil {
      try fail("`key` and `label_key` belong to a `json` choice source", fix: "add `json:` to the entry, or remove them")
    }
    if suite.dataset.answerFormat == .label && !(suite.dataset.choices ?? []).contains(where: { $0.labelKey != nil }) {
      try fail("answer_format: label needs a `json` choice source with `label_key`",
        fix: "add e.g. `label_key: label` to the choices entry, or use answer_format index, letter or text")
    }
    if let shuffle = suite.dataset.shuffle {
      if (suite.dataset.choices ?? []).isEmpty {
        try fail("dataset.shuffle needs dataset.choices (it orders their options)",
          fix: "remove shuffle, or list where the options come from under dataset.choices")
      }
      if shuffle.seed.isEmpty {
        try fail("dataset.shuffle.seed is empty", fix: "give a template over a field every row has, e.g. seed: \"{{id}}\"")
      }
    }
    if let archive = suite.archive {
      if !(archive.url.hasPrefix("https://") || archive.url.hasPrefix("http://")) {
        try fail("archive.url '\(archive.url)' is not an http(s) URL", fix: "give where the archive is published")
      }
      if archive.files.isEmpty {
        try fail("archive.files is empty", fix: "map each entry of the archive to its path under the data root")
      }
      for (entry, destination) in archive.files.sorted(by: { $0.key < $1.key }) {
        for (what, name) in [("entry", entry), ("path", destination)] {
          if let reason = ZipArchive.unsafeNameReason(name) {
            try fail("archive.files: the \(what) '\(name)' has \(reason)",
              fix: "use a relative path without '..' components")
          }
        }
      }
      let destinations = archive.files.values.sorted()
      if let repeated = zip(destinations, destinations.dropFirst()).first(where: { $0.0 == $0.1 }) {
        try fail("archive.files writes '\(repeated.0)' from two entries", fix: "map each entry to its own path")
      }
    }
    if let checksums = suite.localChecksums {
      if let reason = ZipArchive.unsafeNameReason(checksums) {
        try fail("local_checksums '\(checksums)' has \(reason)", fix: "give a path relative to the data root, e.g. gpqa/SHA256SUMS")
      }
      let folder = (checksums as NSString).deletingLastPathComponent
      for destination in (suite.archive?.files.values).map(Array.init) ?? [] where !folder.isEmpty && !destination.hasPrefix(folder + "/") {
        try fail("archive.files writes '\(destination)', outside the folder of local_checksums (\(checksums)), so it could not be pinned",
          fix: "put the checksum file in a folder that holds every extracted file")
      }
    }
    if suite.taskType == .needle {
      guard let spec = suite.needle else {
        try fail("a needle suite needs a `needle` mapping (haystack, lengths, depths, needle_text, question)",
          fix: "see benchmarks/needle/needle.yaml")
      }
      do { try spec.validate(suite: suite.id) } catch { try fail(error.message, fix: error.fix ?? "") }
    } else if suite.needle != nil {
      try fail("`needle` belongs to a needle suite (task_type: needle)", fix: "remove it, or set task_type: needle")
    }
    if suite.taskType == .rankChoices && (suite.dataset.choices ?? []).isEmpty {
      try fail("a rank_choices suite needs dataset.choices", fix: "list where the options come from under dataset.choices")
    }
    if suite.dataset.target == nil && suite.dataset.targets == nil && (suite.dataset.choices ?? []).isEmpty {
      try fail("dataset.target is missing", fix: "set dataset.target to a template of the expected answer, e.g. \"{{answer}}\"")
    }
    if let fewshot = suite.solver.fewshot {
      if fewshot.examples == nil && fewshot.path == nil && fewshot.textFile == nil {
        try fail("solver.fewshot has no exemplars", fix: "give `examples`, `path` (a data file) or `text_file`")
      }
      if fewshot.template == nil && fewshot.answer == nil && (fewshot.examples != nil || fewshot.path != nil) {
        try fail("solver.fewshot needs `template` (whole exemplar) or `answer` (with the prompt template as question)",
          fix: "add e.g. `answer: \" {{answer_letter}}\"`")
      }
    }
    for variant in suite.variants {
      do {
        _ = try Scorer(spec: suite.scorer, params: variant.templateParameters, taskType: suite.taskType)
        _ = try Template.renderParams(suite.dataset.path, params: variant.templateParameters)
        var templates = [suite.solver.prompt.template] + [suite.dataset.target, suite.dataset.targets].compactMap { $0 }
          + (suite.solver.generate.stop ?? [])
        templates += [
          suite.solver.fewshot?.template, suite.solver.fewshot?.separator, suite.solver.system,
          suite.solver.fewshot?.path, suite.solver.fewshot?.textFile, suite.solver.fewshot?.prompt,
          suite.solver.fewshot?.answer, suite.solver.fewshot?.header, suite.solver.continuation, suite.dataset.answer, suite.dataset.url,
        ].compactMap { $0 }
        templates += (suite.dataset.lines ?? []).map(\.path) + (suite.dataset.filter ?? [:]).values
        templates += suite.dataset.shuffle?.seed ?? []
        for template in templates { _ = try Template.renderParams(template, params: variant.templateParameters) }
      } catch {
        // Name the line: the quoted value the error is about ('exacto', 'macro-F1'), else the scorer's own line.
        let quoted = error.message.firstMatch(of: /'([^']+)'/).map { String($0.1) }
        let mark = quoted.flatMap { Self.mark(ofScalar: $0, in: node.mapping?["scorer"]) } ?? node.mapping?["scorer"]?.mark
        let line = mark.map { "line \($0.line): " } ?? ""
        try fail("\(line)variant '\(variant.id)': \(error.message)", fix: error.fix ?? "see benchmarks/README.md")
      }
    }
  }

  /// Where a scalar with this text first appears below `node` (depth first), for errors about a value.
  static func mark(ofScalar text: String, in node: Node?) -> Mark? {
    guard let node else { return nil }
    if let scalar = node.scalar { return scalar.string == text ? node.mark : nil }
    if let sequence = node.sequence {
      for item in sequence { if let found = mark(ofScalar: text, in: item) { return found } }
    }
    if let mapping = node.mapping {
      for (_, value) in mapping { if let found = mark(ofScalar: text, in: value) { return found } }
    }
    return nil
  }

  /// The valid values of the suite file's enumerated keys, for "use one of" in decoding errors.
  static let enumeratedValues: [String: [String]] = [
    "task_type": TaskType.allCases.map(\.rawValue),
    "dataset.format": DatasetFormat.allCases.map(\.rawValue),
    "solver.mode": PromptMode.allCases.map(\.rawValue),
  ]

  private static func describe(_ error: DecodingError, node: Node) -> String {
    func pathText(_ path: [any CodingKey]) -> String {
      path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
    }
    func line(_ path: [any CodingKey]) -> String {
      Self.node(at: path, in: node)?.mark.map { "line \($0.line): " } ?? ""
    }
    switch error {
    case .keyNotFound(let key, let context):
      let full = context.codingPath + [key]
      return "\(line(context.codingPath))missing key '\(pathText(full))'"
    case .typeMismatch(let type, let context):
      let keys = context.codingPath.map(\.stringValue)
      if keys.first == "variants" && keys.count == 3 {
        // A nested value under a variant (`fewshot: {...}`): variants hold only strings.
        return "\(line(context.codingPath))'\(pathText(context.codingPath))' is not a string: a variant holds its "
          + "id, language and template parameters (strings, used as `${name}` in the suite's templates); settings such as "
          + "fewshot go under solver, where a parameter can pick the variant's file, e.g. `path: \"${fewshot_file}\"`"
      }
      return "\(line(context.codingPath))'\(pathText(context.codingPath))' should be \(typeName(type)): \(context.debugDescription)"
    case .valueNotFound(let type, let context):
      return "\(line(context.codingPath))'\(pathText(context.codingPath))' is empty; expected \(typeName(type))"
    case .dataCorrupted(let context):
      let key = pathText(context.codingPath)
      if let valid = enumeratedValues[key] {
        let given = Self.node(at: context.codingPath, in: node)?.scalar?.string
        return "\(line(context.codingPath))unknown \(key)\(given.map { " '\($0)'" } ?? ""); use one of: "
          + valid.joined(separator: ", ")
      }
      return "\(line(context.codingPath))'\(key)': \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }

  /// The node a decoding error's coding path points at (mapping keys and sequence indices), if the document has it.
  private static func node(at path: [any CodingKey], in root: Node) -> Node? {
    var current: Node? = root
    for key in path {
      if let index = key.intValue { current = current?.sequence.flatMap { index < $0.count ? $0[index] : nil } }
      else { current = current?.mapping?[key.stringValue] }
    }
    return current
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type: return "an integer"
    case is Double.Type: return "a number"
    case is String.Type: return "a string"
    case is Bool.Type: return "true or false"
    default: return "\(type)"
    }
  }
}
