import AssayCore
import Foundation

/// Turns a suite variant into an `EvalTask`: reads its data files, checks their sha256, and builds samples
/// (side files, derived fields, choices, targets) and few-shot exemplars.
public struct TaskLoader: Sendable {
  /// The data root.
  public let dataRoot: DataRoot

  /// A loader over a data root.
  public init(dataRoot: DataRoot) {
    self.dataRoot = dataRoot
  }

  /// Loads one variant; throws naming the missing or damaged file and the expected sha256.
  public func load(suite: SuiteDefinition, variant: VariantSpec) throws(AssayError) -> EvalTask {
    let params = variant.templateParameters
    var used: [String: String] = [:]
    let relative = try Template.renderParams(suite.dataset.path, params: params)
    var samples = try buildSamples(suite: suite, params: params, dataPath: relative, isMain: true, used: &used)
    var needle: NeedleMaterial?
    if suite.taskType == .needle {
      (samples, needle) = try Self.needleItems(suite: suite, variant: variant, rows: samples)
    }
    var exemplars: [[String: String]] = []
    var exemplarRows: [Int]? = nil
    var preamble: String? = nil
    if let fewshot = suite.solver.fewshot {
      exemplars = fewshot.examples ?? []
      let count = try Self.fewshotCount(fewshot, variant: variant, suite: suite)
      if let path = fewshot.path {
        let shotPath = try Template.renderParams(path, params: params)
        // Exemplars from the file being evaluated: one row more, so that each item can leave its own row out.
        let sameFile = shotPath == relative && exemplars.isEmpty
        let rows: [Sample]
        if sameFile {
          rows = Array(samples.prefix(count + 1))
        } else {
          rows = Array(try buildSamples(suite: suite, params: params, dataPath: shotPath, isMain: false, used: &used)
            .prefix(count))
        }
        exemplars += rows.map { sample in
          var fields = sample.fields
          fields["target"] = sample.target
          return fields
        }
        if sameFile { exemplarRows = rows.map(\.index) }
      }
      if let textFile = fewshot.textFile {
        let path = try Template.renderParams(textFile, params: params)
        let lines = try DatasetReader.lines(of: try read(suite: suite, relative: path, url: nil, used: &used), path: path)
        let kept = fewshot.dropLinesStarting.map { prefix in lines.filter { !$0.hasPrefix(prefix) } } ?? lines
        preamble = kept.joined(separator: "\n")
      }
    }
    var judge: JudgeMaterial?
    if let spec = suite.scorer.judge {
      judge = try judgeMaterial(spec, suite: suite, params: params, used: &used)
    }
    return try EvalTask(
      suite: suite, variant: variant, samples: samples, datasetSHA256: used, exemplars: exemplars, preamble: preamble,
      judge: judge, exemplarRows: exemplarRows, needle: needle)
  }

  /// A needle suite's haystack (each row's text once, in file order) and its grid's items with empty contexts:
  /// the contexts are cut at run time, in the model's tokens (`NeedleContextBuilder`); lengths that depend on the
  /// model's window read 0 until then.
  static func needleItems(
    suite: SuiteDefinition, variant: VariantSpec, rows: [Sample]
  ) throws(AssayError) -> ([Sample], NeedleMaterial) {
    guard let spec = suite.needle else {
      throw AssayError(.invalidSuite, "suite '\(suite.id)' is a needle suite without a `needle` mapping",
        fix: "add `needle:` with haystack, lengths, depths, needle_text and question; see benchmarks/README.md")
    }
    try spec.validate(suite: suite.id)
    let params = variant.templateParameters
    var seen: Set<String> = []
    var texts: [String] = []
    for row in rows {
      let text = try Template.render(spec.haystack, params: params, fields: row.fields)
      if !text.isEmpty && seen.insert(text).inserted { texts.append(text) }
    }
    guard !texts.isEmpty else {
      throw AssayError(.invalidData, "suite '\(suite.id)', variant '\(variant.id)': the haystack is empty (no row has text for \(spec.haystack))",
        fix: "point needle.haystack at a field that holds the rows' text")
    }
    let separator = try Template.renderParams(spec.separator ?? "\n\n", params: params)
    let lengths: [Int]
    switch spec.lengths {
    case .list(let values): lengths = values.map { $0 ?? 0 }
    case .spaced(let from, let to, let count):
      lengths = to.map { try? NeedleGrid.lengths(.spaced(from: from, to: $0, count: count), window: nil, maxTokens: 0, task: suite.id) }
        .flatMap { $0 } ?? Array(repeating: 0, count: count)
    }
    let grid = NeedleGrid(spec: spec, lengths: lengths, seed: "\(suite.id)/\(variant.id)")
    var items: [Sample] = []
    for (index, item) in grid.items.enumerated() {
      items.append(try NeedlePlacement.sample(index: index, item: item, spec: spec, params: params, context: ""))
    }
    return (items, NeedleMaterial(haystack: texts.joined(separator: separator)))
  }

  /// Rows of `fewshot.path` per prompt: the variant's `fewshot_count` parameter, else `fewshot.count`, else 5.
  static func fewshotCount(_ fewshot: FewShotSpec, variant: VariantSpec, suite: SuiteDefinition) throws(AssayError) -> Int {
    guard let text = variant.params["fewshot_count"] else { return fewshot.count ?? 5 }
    guard let count = Int(text), count >= 0 else {
      throw AssayError(
        .invalidSuite, "suite '\(suite.id)', variant '\(variant.id)': fewshot_count '\(text)' is not a whole number",
        fix: "set fewshot_count to the number of exemplars for this variant, e.g. \"3\"")
    }
    return count
  }

  /// Every data file a variant reads, with its download URL when the suite gives one (for `assay data fetch`).
  public static func dataFiles(suite: SuiteDefinition, variant: VariantSpec) throws(AssayError) -> [(path: String, url: String?)] {
    let params = variant.templateParameters
    func render(_ template: String?) throws(AssayError) -> String? {
      guard let template else { return nil }
      return try Template.renderParams(template, params: params)
    }
    var files: [(path: String, url: String?)] = []
    func add(_ path: String?, _ url: String?) {
      guard let path, !files.contains(where: { $0.path == path }) else { return }
      files.append((path, url))
    }
    add(try render(suite.dataset.path), try render(suite.dataset.url))
    for line in suite.dataset.lines ?? [] { add(try render(line.path), try render(line.url)) }
    for choice in suite.dataset.choices ?? [] { add(try render(choice.file), nil) }
    add(try render(suite.solver.fewshot?.path), nil)
    add(try render(suite.solver.fewshot?.textFile), nil)
    add(try render(suite.scorer.judge?.prompts), try render(suite.scorer.judge?.promptsURL))
    add(try render(suite.scorer.judge?.references), try render(suite.scorer.judge?.referencesURL))
    add(try render(suite.scorer.judge?.baseline), try render(suite.scorer.judge?.baselineURL))
    return files
  }

  func read(
    suite: SuiteDefinition, relative: String, url: String?, used: inout [String: String]
  ) throws(AssayError) -> Data {
    let path = dataRoot.file(relative)
    let published = suite.sha256[relative]
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Self.missing(suite: suite, relative: relative, path: path, dataRoot: dataRoot, expected: published, url: url)
    }
    if used[relative] != nil { return data }  // already verified for this variant
    let actual = SHA256.hex(data)
    if published == nil, let pins = try LocalChecksums.of(suite, dataRoot: dataRoot), pins.covers(relative) {
      // The user's own copy: checked against the sha256 pinned when it was fetched.
      try pins.verify(relative, sha256: actual, suite: suite)
      used[relative] = actual
      return data
    }
    guard let expected = published else {
      throw AssayError(
        .invalidSuite, "suite '\(suite.id)' lists no sha256 for '\(relative)'",
        fix: "add `\(relative): \(actual)` under `sha256:` in the suite file after checking the file's origin")
    }
    guard actual == expected else {
      throw AssayError(
        .checksumMismatch,
        "dataset file \(path) has sha256 \(actual), but suite '\(suite.id)' expects \(expected)",
        fix: "the file is damaged or a different version; replace it with the original"
          + (url.map { " from \($0)" } ?? "") + " (`assay data fetch --suite \(suite.id)` does)")
    }
    used[relative] = actual
    return data
  }

  private func buildSamples(
    suite: SuiteDefinition, params: [String: String], dataPath relative: String, isMain: Bool,
    used: inout [String: String]
  ) throws(AssayError) -> [Sample] {
    let spec = suite.dataset
    let path = dataRoot.file(relative)
    let url = try spec.url.map { (template: String) throws(AssayError) -> String in try Template.renderParams(template, params: params) }
    let data = try read(suite: suite, relative: relative, url: url, used: &used)
    var rows = try DatasetReader.rows(
      from: data, format: spec.format, columns: spec.columns, path: path, header: spec.header, records: spec.records)
    try Self.checkColumns(rows: rows, data: data, suite: suite, params: params, path: path)
    // Side files are aligned with the main file only, not with a few-shot file read the same way.
    if isMain {
      for lineFile in spec.lines ?? [] {
        let sidePath = try Template.renderParams(lineFile.path, params: params)
        let lines = try DatasetReader.lines(
          of: try read(suite: suite, relative: sidePath, url: nil, used: &used), path: sidePath)
        guard lines.count == rows.count else {
          throw AssayError(
            .invalidData, "\(sidePath) has \(lines.count) lines but \(relative) has \(rows.count) rows; they must be line-aligned",
            fix: "re-download both files (the versions do not match)")
        }
        for index in rows.indices { rows[index][lineFile.field] = lines[index] }
      }
    }
    if let filter = spec.filter, !filter.isEmpty {
      var wanted: [String: String] = [:]
      for (field, value) in filter { wanted[field] = try Template.renderParams(value, params: params) }
      rows = rows.filter { row in wanted.allSatisfy { row[$0.key] == $0.value } }
    }
    if let exclude = spec.exclude, !exclude.isEmpty {
      var unwanted: [String: String] = [:]
      for (field, value) in exclude { unwanted[field] = try Template.renderParams(value, params: params) }
      rows = rows.filter { row in !unwanted.contains { row[$0.key] == $0.value } }
    }
    var fileChoices: [String: [String]] = [:]
    for source in spec.choices ?? [] {
      if let file = source.file {
        let choicePath = try Template.renderParams(file, params: params)
        fileChoices[file] = try DatasetReader.lines(
          of: try read(suite: suite, relative: choicePath, url: nil, used: &used), path: choicePath
        ).filter { !$0.isEmpty }
      }
    }
    var samples: [Sample] = []
    samples.reserveCapacity(rows.count)
    for (index, original) in rows.enumerated() {
      do {
        samples.append(try sample(index: index, row: original, spec: spec, params: params, fileChoices: fileChoices))
      } catch {
        throw AssayError(error.code, "dataset file \(path), record \(index + 1): \(error.message)", fix: error.fix)
      }
    }
    return samples
  }

  private func sample(
    index: Int, row original: [String: String], spec: DatasetSpec, params: [String: String],
    fileChoices: [String: [String]]
  ) throws(AssayError) -> Sample {
    var row = original
    for field in spec.dropFields ?? [] { row[field] = nil }
    if let transform = spec.transform { row = try RowTransform.apply(transform, to: row) }
    for (name, derive) in (spec.derive ?? [:]).sorted(by: { $0.key < $1.key }) {
      row[name] = try RowTransform.derive(derive, row: row, params: params)
    }
    var choices: [String] = []
    var labels: [String?] = []
    var correct: [Int] = []
    for source in spec.choices ?? [] {
      let start = choices.count
      defer { labels += Array(repeating: nil, count: choices.count - labels.count) }
      if let template = source.template {
        choices.append(try Template.render(template, params: params, fields: row))
      } else if let json = source.json {
        let text = try Template.render(json, params: params, fields: row)
        guard let array = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [Any] else {
          throw AssayError(.invalidData, "row \(index): choices '\(json)' is not a JSON array: \(text.prefix(80))",
            fix: "point `json:` at a field that holds a JSON array of strings (or of objects, with `key:`)")
        }
        if let key = source.key {
          for element in array {
            guard let object = element as? [String: Any], let value = object[key] else {
              throw AssayError(
                .invalidData, "row \(index): an element of choices '\(json)' has no key '\(key)': \(Self.jsonText(element).prefix(80))",
                fix: "set `key:` to the key that holds each option's text")
            }
            choices.append(Self.plainText(value))
            labels.append(source.labelKey.flatMap { object[$0] }.map(Self.plainText))
          }
        } else {
          choices += array.map { ($0 as? String) ?? "\($0)" }
        }
      } else if let split = source.split {
        let text = try Template.render(split, params: params, fields: row)
        let separator = source.by ?? ";"
        choices += text.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
          .filter { !$0.isEmpty }
      } else if let file = source.file {
        choices += fileChoices[file] ?? []
      }
      if source.correct == true { correct += Array(start..<choices.count) }
    }
    if !choices.isEmpty {
      if let answerTemplate = spec.answer {
        let answer = try Template.render(answerTemplate, params: params, fields: row)
          .trimmingCharacters(in: .whitespacesAndNewlines)
        let format = spec.answerFormat ?? .index
        var positions: [Int] = []
        switch format {
        case .index: positions = Int(answer).map { [$0] } ?? []
        case .index1: positions = Int(answer).map { [$0 - 1] } ?? []
        case .letter: positions = (0..<choices.count).filter { Sample.letter($0) == answer.uppercased() }
        case .text: positions = choices.firstIndex(of: answer).map { [$0] } ?? []
        case .label: positions = labels.firstIndex(of: answer).map { [$0] } ?? []
        case .letters:
          let letters = Set(answer.unicodeScalars.filter { ("A"..."Z").contains($0) }.map { String($0) })
          positions = (0..<choices.count).filter { letters.contains(Sample.letter($0)) }
        }
        guard !positions.isEmpty, positions.allSatisfy({ choices.indices.contains($0) }) else {
          throw AssayError(.invalidData,
            "answer '\(answer)' (\(format.rawValue)) does not name one of the \(choices.count) choices",
            fix: "check dataset.answer and dataset.answer_format, or leave such rows out with dataset.exclude")
        }
        correct = positions
      }
      guard !correct.isEmpty else {
        throw AssayError(.invalidSuite, "a multiple-choice item has no correct choice",
          fix: "set dataset.answer, or mark a choice source `correct: true`")
      }
      if let shuffle = spec.shuffle {
        guard let seed = try shuffle.seedText(params: params, fields: row) else {
          throw AssayError(
            .invalidData,
            "no seed for dataset.shuffle: every template of \(shuffle.seed) names a missing field or renders blank",
            fix: "add a seed template over a field every row has (an id, or the question text)")
        }
        let order = ChoiceShuffle.order(count: choices.count, seed: seed)
        choices = order.map { choices[$0] }
        labels = order.map { labels[$0] }
        correct = correct.compactMap { order.firstIndex(of: $0) }.sorted()
      }
      let format = spec.choiceFormat ?? "{{letter}}. {{choice}}"
      var block: [String] = []
      for (position, choice) in choices.enumerated() {
        block.append(try Template.render(format, params: params, fields: Sample.choiceFields(row, choice: choice, position: position)))
      }
      row["choices_block"] = block.joined(separator: try Template.renderParams(spec.choiceSeparator ?? "\n", params: params))
      row["letters"] = (0..<choices.count).map(Sample.letter).joined(separator: ", ")
      row["answer_letter"] = Sample.letter(correct[0])
      row["answer_text"] = choices[correct[0]]
    }
    let golds = try spec.targets.map { template throws(AssayError) in
      try Self.golds(Template.render(template, params: params, fields: row), template: template, index: index)
    }
    var target: String
    if let template = spec.target {
      target = try Template.render(template, params: params, fields: row)
    } else if let golds {
      target = golds[0]
    } else if !choices.isEmpty {
      target = row["answer_letter"]!
    } else {
      throw AssayError(.invalidSuite, "the suite has neither dataset.target nor choices",
        fix: "set dataset.target to a template of the expected answer")
    }
    if let marker = spec.targetAfterLast, let range = target.range(of: marker, options: .backwards) {
      target = String(target[range.upperBound...])
    }
    return Sample(
      index: index, fields: row, target: target.trimmingCharacters(in: .whitespacesAndNewlines), choices: choices,
      correct: correct, golds: golds?.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
  }

  /// The error for a data file that is not there: where it was looked for, and how to get it (`assay data fetch`,
  /// from the suite's archive with `--from` when the data is the user's own copy).
  static func missing(
    suite: SuiteDefinition, relative: String, path: String, dataRoot: DataRoot, expected: String?, url: String?
  ) -> AssayError {
    let archiveName = suite.archive.map { ($0.url as NSString).lastPathComponent }
    var fix = "run `assay data fetch --suite \(suite.id)`"
    if let archive = suite.archive, let archiveName, suite.archive?.files.values.contains(relative) == true {
      fix += " (it downloads \(archive.url) and extracts \(relative)); where that site cannot be reached, download "
        + "\(archiveName) by hand and run `assay data fetch --suite \(suite.id) --from \(archiveName)`"
    }
    fix += "; or point --data-dir or ASSAY_DATA at a folder that contains \(relative)" + (url.map { " (upstream: \($0))" } ?? "")
    let whose = suite.dataIsUsersCopy ? " (Assay ships no copy of this data: it reads yours)" : ""
    return AssayError(
      .missingData,
      "dataset file '\(relative)' for suite '\(suite.id)' is missing\(whose): looked for \(path) (data root from \(dataRoot.origin))"
        + (expected.map { "; expected sha256 \($0)" } ?? ""),
      fix: fix)
  }

  /// The row fields a suite reads from each record of its dataset file (its choices, answer, targets, derived
  /// fields' sources, filter, prompt and system message), less those Assay computes or adds; nil when a row
  /// transform may add any field.
  static func fieldsRead(suite: SuiteDefinition, params: [String: String]) throws(AssayError) -> Set<String>? {
    let spec = suite.dataset
    guard spec.transform == nil else { return nil }
    var templates: [String] = [suite.solver.prompt.template]
    templates += [spec.answer, spec.target, spec.targets, suite.solver.system].compactMap { $0 }
    for source in spec.choices ?? [] { templates += [source.template, source.json, source.split].compactMap { $0 } }
    templates += (spec.derive ?? [:]).values.map(\.from)
    var fields = Set(spec.filter?.keys.map { $0 } ?? [])
    for template in templates {
      fields.formUnion(Template.fieldNames(in: try Template.renderParams(template, params: params)))
    }
    let computed: Set<String> = ["choices_block", "letters", "answer_letter", "answer_text", "choice", "letter", "index"]
    fields.subtract(computed)
    fields.subtract((spec.derive ?? [:]).keys)
    fields.subtract((spec.lines ?? []).map(\.field))
    return fields
  }

  /// Refuses a delimited file (csv, qtsv, tsv) whose columns lack fields the suite reads, naming them and the
  /// columns the file has: a file of another layout (another release, the wrong file) fails here, not at its
  /// first template.
  static func checkColumns(
    rows: [[String: String]], data: Data, suite: SuiteDefinition, params: [String: String], path: String
  ) throws(AssayError) {
    let spec = suite.dataset
    guard [.csv, .qtsv, .tsv].contains(spec.format), let first = rows.first,
      let wanted = try fieldsRead(suite: suite, params: params)
    else { return }
    let missing = wanted.subtracting(first.keys).sorted()
    guard !missing.isEmpty else { return }
    let found = DatasetReader.header(of: data, format: spec.format, columns: spec.columns, header: spec.header)
      ?? first.keys.sorted()
    var fix = "the file is not in the layout suite '\(suite.id)' reads (or not the file it names); replace it with the original"
    if let archive = suite.archive {
      fix += ": `assay data fetch --suite \(suite.id) --from \((archive.url as NSString).lastPathComponent)` extracts the "
        + "published files (\(archive.url))"
    } else if let url = spec.url {
      fix += " from \(url)"
    }
    throw AssayError(
      .invalidData,
      "dataset file \(path) has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")), which suite '\(suite.id)' "
        + "reads; the file's columns are: \(found.map { "'\($0)'" }.joined(separator: ", "))",
      fix: fix)
  }

  /// A JSON value as option text: a string as is, anything else as JSON.
  static func plainText(_ value: Any) -> String { (value as? String) ?? jsonText(value) }

  static func jsonText(_ value: Any) -> String {
    guard JSONSerialization.isValidJSONObject([value]),
      let data = try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes, .sortedKeys])
    else { return "\(value)" }
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
  }

  /// `dataset.targets` rendered for one row: a JSON array of strings (a single string is one answer).
  static func golds(_ text: String, template: String, index: Int) throws(AssayError) -> [String] {
    let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    let golds: [String]
    if let list = parsed as? [Any] {
      golds = list.map { ($0 as? String) ?? "\($0)" }
    } else if parsed == nil || parsed is String {
      golds = [(parsed as? String) ?? text]
    } else {
      golds = []
    }
    guard !golds.isEmpty else {
      throw AssayError(
        .invalidData, "row \(index): dataset.targets '\(template)' gave \(text.isEmpty ? "nothing" : "'\(text.prefix(80))'"), not a list of answers",
        fix: "point dataset.targets at a field holding a JSON array of strings, or leave rows without an answer out "
          + "with dataset.exclude")
    }
    return golds
  }
}
