import AssayCore
import AssayTesting
import Foundation
import Testing

/// Six YAML-only suites, one per kind of task issue #17 names, with small data files of their own in the real
/// layouts (SQuAD v1.1 JSON, JSQuAD JSON lines, KorQuAD's SQuAD JSON, an NLI TSV, an STS CSV, ARC JSON lines, two
/// few-shot files), written into a temporary folder with their sha256; and the check that a run's report scores
/// the stored responses as `scripts/user-suite-kinds-reference.py` (the references' rules in plain Python) does.
struct UserSuiteKinds {
  /// The folder that holds `suites/` and `data/`.
  let root: String
  var suites: String { root + "/suites" }
  var data: String { root + "/data" }

  /// Suite id, the reference's kind for it, its data file per variant (nil: the suite's only variant).
  static let kinds: [(suite: String, kind: String, files: [String: String])] = [
    ("kinds-squad", "squad", ["": "kinds-squad.json"]),
    ("kinds-jsquad", "jsquad", ["": "kinds-jsquad.jsonl"]),
    ("kinds-korquad", "korquad", ["": "kinds-korquad.json"]),
    ("kinds-nli", "nli", ["": "kinds-nli.tsv"]),
    ("kinds-sts", "sts", ["": "kinds-sts.csv"]),
    ("kinds-fewshot", "fewshot", ["capitals": "kinds-capitals.jsonl", "rivers": "kinds-rivers.jsonl"]),
    ("kinds-arc", "arc", ["": "kinds-arc.jsonl"]),
  ]
  /// Each few-shot variant's exemplar count (its `fewshot_count`).
  static let fewshotCounts = ["capitals": 2, "rivers": 1]
  /// Every variant of every suite.
  static let variantCount = 8
  static var suiteList: String { kinds.map(\.suite).joined(separator: ",") }

  /// Writes the data files and the suites.
  static func write() throws -> UserSuiteKinds {
    let kinds = UserSuiteKinds(root: CLI.temporaryDirectory())
    try FileManager.default.createDirectory(atPath: kinds.suites, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: kinds.data, withIntermediateDirectories: true)
    var sha: [String: String] = [:]
    for (name, text) in try dataFiles() {
      try text.write(toFile: kinds.data + "/" + name, atomically: true, encoding: .utf8)
      sha[name] = SHA256.hex(Data(text.utf8))
    }
    for (name, yaml) in suiteFiles(sha: sha) {
      try yaml.write(toFile: kinds.suites + "/" + name + ".yaml", atomically: true, encoding: .utf8)
    }
    return kinds
  }

  static func json(_ object: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
  }

  static func squadFile(title: String, context: String, questions: [(String, [String])]) throws -> String {
    let qas: [[String: Any]] = questions.enumerated().map { index, item in
      ["id": "\(title)-\(index)", "question": item.0,
       "answers": item.1.map { ["text": $0, "answer_start": max(0, context.distance(from: context.startIndex,
         to: context.range(of: $0)?.lowerBound ?? context.startIndex))] }]
    }
    return try json(["version": "1.1", "data": [["title": title, "paragraphs": [["context": context, "qas": qas]]]]])
  }

  static func dataFiles() throws -> [String: String] {
    var files: [String: String] = [:]
    // Several golds per question (SQuAD v1.1 dev has up to five); the mock answers "Let me think step by step. ..."
    files["kinds-squad.json"] = try squadFile(
      title: "Steps",
      context: "Let me think step by step. The answer is 42. Ada Lovelace wrote the first program; the answer came later.",
      questions: [
        ("How does one think?", ["step by step", "Step by step.", "think step by step"]),
        ("What is the answer?", ["The answer is 42", "42"]),
        ("Who wrote the first program?", ["Ada Lovelace", "Lovelace"]),
        ("What came later?", ["the answer", "an answer"]),
        ("What may one do?", ["think", "Let me think"]),
      ])
    // JSQuAD's row layout: answers as {text: [...], answer_start: [...]}.
    let jsquad: [(String, String, [String])] = [
      ("東京スカイツリーは墨田区にある。", "墨田区にある電波塔は何か。", ["東京スカイツリー", "スカイツリー"]),
      ("答えは 42 です。Step by step で考える。", "どう考えるか。", ["Step by step", "step"]),
      ("平成元年は1989年である。", "平成元年は西暦何年か。", ["1989年", "1989"]),
      ("The answer is 42。", "答えは何か。", ["The answer is 42。", "answer"]),
    ]
    files["kinds-jsquad.jsonl"] = try jsquad.enumerated().map { index, row in
      try json(["id": "a1RR\(index)", "title": "テスト", "context": row.0, "question": row.1, "is_impossible": false,
        "answers": ["text": row.2, "answer_start": row.2.map { _ in 0 }]])
    }.joined(separator: "\n") + "\n"
    // KorQuAD 1.0 is SQuAD v1.1's layout.
    files["kinds-korquad.json"] = try squadFile(
      title: "한글",
      context: "세종대왕은 《훈민정음》을 만들었다. Let me think step by step. (주)삼성전자 는 회사이다.",
      questions: [
        ("세종대왕이 만든 것은?", ["《훈민정음》", "훈민정음"]),
        ("어떻게 생각하나?", ["step by step", "Let me think"]),
        ("회사 이름은?", ["(주)삼성전자", "삼성 전자"]),
        ("누가 만들었나?", ["세종대왕"]),
      ])
    files["kinds-nli.tsv"] = """
      premise\thypothesis\tlabel
      A man is playing a guitar.\tA man plays music.\tentailment
      A man is playing a guitar.\tA woman is sleeping.\tcontradiction
      Two dogs run in a park.\tThe dogs are brothers.\tneutral
      A child eats an apple.\tA child eats fruit.\tentailment
      A child eats an apple.\tNobody is eating.\tcontradiction
      The sky is grey.\tIt will rain.\tneutral
      A cat sits on a mat.\tAn animal sits.\tentailment
      Snow covers the road.\tThe road is dry.\tcontradiction
      A band plays tonight.\tThe concert is sold out.\tneutral

      """.replacingOccurrences(of: "\n\n", with: "\n")
    files["kinds-sts.csv"] = """
      sentence1,sentence2,score
      A man is playing a guitar.,A man plays the guitar.,4.8
      A woman is slicing an onion.,A man is riding a horse.,0.2
      "Dogs bark, loudly.","A dog barks, loud.",3.75
      The cat sleeps.,A cat is sleeping.,4.6
      Stocks fell today.,"Markets dropped, sharply.",2.5
      A child reads.,Rain falls in Paris.,0
      Two men fight.,Two men are fighting.,5
      The plane lands.,A bird flies.,1.2

      """.replacingOccurrences(of: "\n\n", with: "\n")
    files["kinds-capitals.jsonl"] = try [
      ("What is the capital of France?", "Paris"), ("What is the capital of Japan?", "Tokyo"),
      ("What is the capital of Kenya?", "Nairobi"), ("What is the capital of Peru?", "Lima"),
    ].map { try json(["question": $0.0, "answer": $0.1]) }.joined(separator: "\n") + "\n"
    files["kinds-rivers.jsonl"] = try [
      ("Which river flows through Cairo?", "the Nile"), ("Which river flows through Vienna?", "the Danube"),
      ("Which river flows through Paris?", "the Seine"),
    ].map { try json(["question": $0.0, "answer": $0.1]) }.joined(separator: "\n") + "\n"
    // ARC's layout: question.choices as [{label, text}], labels A-E or 1-4, answerKey naming a label.
    let arc: [(String, [(String, String)], String)] = [
      ("Which gas do plants take in?", [("A", "oxygen"), ("B", "carbon dioxide"), ("C", "helium"), ("D", "neon")], "B"),
      ("Which is a mammal?", [("1", "shark"), ("2", "trout"), ("3", "whale"), ("4", "eel")], "3"),
      ("What melts ice?", [("A", "heat"), ("B", "cold"), ("C", "dark")], "A"),
      ("Which planet is largest?", [("A", "Mars"), ("B", "Venus"), ("C", "Earth"), ("D", "Mercury"), ("E", "Jupiter")], "E"),
    ]
    files["kinds-arc.jsonl"] = try arc.enumerated().map { index, row in
      try json(["id": "Mercury_\(index)", "answerKey": row.2,
        "question": ["stem": row.0, "choices": row.1.map { ["label": $0.0, "text": $0.1] }]])
    }.joined(separator: "\n") + "\n"
    return files
  }

  static func suiteFiles(sha: [String: String]) -> [String: String] {
    func head(_ id: String, _ description: String, _ files: [String]) -> String {
      """
      format: 1
      id: \(id)
      family: kinds
      description: "\(description)"
      license: CC0-1.0
      citation: "none (a test's own data)"
      task_type: generate
      sha256: { \(files.map { "\($0): \(sha[$0]!)" }.joined(separator: ", ")) }

      """
    }
    var suites: [String: String] = [:]
    suites["kinds-squad"] = head("kinds-squad", "Extractive QA with several golds, SQuAD v1.1 EM and F1 best over them", ["kinds-squad.json"]) + #"""
      dataset: { path: kinds-squad.json, format: squad, targets: "{{answers}}" }
      variants: [ { id: en, language: en } ]
      solver:
        prompt: { template: "{{context}}\n\nQuestion: {{question}}\nAnswer with a span of the text." }
        generate: { max_tokens: 32, temperature: 0 }
      scorer:
        extract: [ { name: answer, steps: [ { take: first } ] } ]
        metrics: [exact_match, f1]
        primary: f1
      """#
    suites["kinds-jsquad"] = head("kinds-jsquad", "Japanese extractive QA, JGLUE's JSQuAD exact match and character F1", ["kinds-jsquad.jsonl"]) + #"""
      dataset: { path: kinds-jsquad.jsonl, format: jsonl, targets: "{{answers.text}}" }
      variants: [ { id: ja, language: ja } ]
      solver:
        prompt: { template: "{{context}}\n質問: {{question}}\n答え:" }
        generate: { max_tokens: 32, temperature: 0 }
      scorer:
        extract: [ { name: answer, steps: [ { take: first } ] } ]
        metrics: [exact_match_jsquad, char_f1_jsquad]
        primary: char_f1_jsquad
      """#
    suites["kinds-korquad"] = head("kinds-korquad", "Korean extractive QA, KorQuAD 1.0's character F1", ["kinds-korquad.json"]) + #"""
      dataset: { path: kinds-korquad.json, format: squad, targets: "{{answers}}" }
      variants: [ { id: ko, language: ko } ]
      solver:
        prompt: { template: "{{context}}\n질문: {{question}}\n답:" }
        generate: { max_tokens: 32, temperature: 0 }
      scorer:
        extract: [ { name: answer, steps: [ { take: first } ] } ]
        normalize: [korquad]
        metrics: [char_f1]
        primary: char_f1
      """#
    // A numeric answer counts as the label its last digit names (9 stays a label of its own): the mock server
    // answers with numbers, and this spreads its answers over the labels.
    suites["kinds-nli"] = head("kinds-nli", "Natural language inference, labels as words: macro and weighted F1, MCC", ["kinds-nli.tsv"]) + #"""
      dataset: { path: kinds-nli.tsv, format: tsv, header: true, target: "{{label}}" }
      variants: [ { id: en, language: en } ]
      solver:
        prompt: { template: "Premise: {{premise}}\nHypothesis: {{hypothesis}}\nAnswer entailment, neutral or contradiction." }
        generate: { max_tokens: 16, temperature: 0 }
      scorer:
        extract:
          - name: label
            steps:
              - { findall: '\b(entailment|neutral|contradiction|\d+)\b' }
              - { take: last }
              - { sub: ['^\d*[0369]$', 'entailment'] }
              - { sub: ['^\d*[147]$', 'neutral'] }
              - { sub: ['^\d*[258]$', 'contradiction'] }
        normalize: [trim, lowercase]
        metrics: [macro_f1, weighted_f1, mcc]
        primary: macro_f1
      """#
    suites["kinds-sts"] = head("kinds-sts", "Sentence similarity 0-5: Pearson and Spearman correlation", ["kinds-sts.csv"]) + #"""
      dataset: { path: kinds-sts.csv, format: csv, target: "{{score}}" }
      variants: [ { id: en, language: en } ]
      solver:
        prompt: { template: "How similar are these sentences, from 0 (unrelated) to 5 (same meaning)?\nA: {{sentence1}}\nB: {{sentence2}}\nAnswer with a number." }
        generate: { max_tokens: 16, temperature: 0 }
      scorer:
        extract: [ { name: score, steps: [ { findall: '[0-9]{1,3}(?:\.[0-9]{1,2})?' }, { take: first } ] } ]
        normalize: [trim]
        metrics: [pearson, spearman]
        primary: pearson
      """#
    suites["kinds-fewshot"] = head("kinds-fewshot", "Short answers, few-shot from the evaluated file (each variant its own file, count and format)", ["kinds-capitals.jsonl", "kinds-rivers.jsonl"]) + #"""
      dataset: { path: "${file}", format: jsonl, target: "{{answer}}" }
      variants:
        - { id: capitals, language: en, file: kinds-capitals.jsonl, fewshot_count: "2", q: "Q: ", a: "A:" }
        - { id: rivers, language: en, file: kinds-rivers.jsonl, fewshot_count: "1", q: "Question: ", a: "Answer:" }
      solver:
        fewshot:
          path: "${file}"
          count: 5
          template: "${q}{{question}}\n${a} {{answer}}"
        prompt: { template: "${q}{{question}}\n${a}" }
        generate: { max_tokens: 16, temperature: 0 }
      scorer:
        extract: [ { name: answer, steps: [ { take: first } ] } ]
        metrics: [exact_match, f1]
        primary: f1
      """#
    suites["kinds-arc"] = head("kinds-arc", "Science questions whose options are an array of {label, text} objects", ["kinds-arc.jsonl"]) + #"""
      dataset:
        path: kinds-arc.jsonl
        format: jsonl
        choices: [ { json: "{{question.choices}}", key: text, label_key: label } ]
        answer: "{{answerKey}}"
        answer_format: label
      variants: [ { id: en, language: en } ]
      solver:
        prompt: { template: "Question: {{question.stem}}\n{{choices_block}}\nAnswer with the letter." }
        generate: { max_tokens: 16, temperature: 0 }
      scorer:
        extract: [ { name: letter, steps: [ { findall: '\b([A-E])\b' }, { take: last } ] } ]
        normalize: [trim]
        match: exact
        primary: letter
      """#
    return suites
  }

  /// The stored samples of the latest run in `db` (`assay report --samples`), one JSON object each.
  func samples(db: String) throws -> [[String: Any]] {
    let result = try CLI.run(["report", "--db", db, "--samples"], in: root)
    #expect(result.status == 0, "\(result.stderr)")
    return try result.stdout.split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
  }

  /// Runs the reference script on the stored responses: its output per task ("suite/variant").
  func reference(samples: [[String: Any]]) throws -> [String: [String: Any]] {
    var tasks: [[String: Any]] = []
    for (suite, kind, files) in Self.kinds {
      for (variant, file) in files {
        let task = variant.isEmpty ? nil : suite + "/" + variant
        let mine = samples.filter { sample in
          let id = sample["task"] as? String ?? ""
          return task.map { id == $0 } ?? (id == suite || id.hasPrefix(suite + "/"))
        }
        guard !mine.isEmpty else { continue }
        var entry: [String: Any] = [
          "kind": kind, "task": mine[0]["task"] as! String, "data": data + "/" + file,
          "samples": mine.map { ["sample": $0["sample"] as! Int, "response": $0["response"] as? String ?? ""] },
        ]
        if let count = Self.fewshotCounts[variant] { entry["count"] = count }
        tasks.append(entry)
      }
    }
    let out = try PythonProcess.runScript(
      [PythonProcess.repository + "/scripts/user-suite-kinds-reference.py"], stdin: try Self.json(["tasks": tasks]))
    let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
    return object["tasks"] as! [String: [String: Any]]
  }

  /// Checks a run's JSON report against the reference's numbers for every task, and the stored answers against the
  /// reference's extraction; returns the tasks that were checked.
  @discardableResult
  func expectReportMatchesReference(report json: String, db: String, expectedSamples: Int? = nil) throws -> [String] {
    let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    var rows: [String: [String: Any]] = [:]
    for suite in report["suites"] as? [[String: Any]] ?? [] {
      let total = suite["total"] as! [String: Any]
      rows[total["label"] as! String] = total
      for variant in suite["variants"] as? [[String: Any]] ?? [] { rows[variant["label"] as! String] = variant }
    }
    let samples = try samples(db: db)
    if let expectedSamples { #expect(samples.count == expectedSamples, "stored samples") }
    #expect(samples.allSatisfy { $0["status"] as? String == "scored" }, "every sample scored: \(samples.map { $0["status"] ?? "" })")
    let reference = try reference(samples: samples)
    for (task, expected) in reference.sorted(by: { $0.key < $1.key }) {
      let suite = String(task.split(separator: "/")[0])
      let row = rows[task] ?? rows[suite]
      let metrics = row?["metrics"] as? [String: [String: Any]] ?? [:]
      let wanted = expected["metrics"] as! [String: Double]
      #expect(!wanted.isEmpty, "\(task): the reference computed nothing")
      for (name, value) in wanted.sorted(by: { $0.key < $1.key }) {
        let got = metrics[name]?["mean"] as? Double
        #expect(got != nil && abs(got! - value) < 1e-9, "\(task) \(name): report \(String(describing: got)), reference \(value)")
      }
      // The answers the suites' extraction steps give, as Python's `re` gives them (QA takes the whole response).
      if ["kinds-nli", "kinds-sts", "kinds-arc"].contains(suite) {
        let answers = expected["answers"] as! [String: Any]
        for sample in samples where sample["task"] as? String == task {
          let index = sample["sample"] as! Int
          let stored = (sample["answers"] as? [String: String] ?? [:]).values.first
          let python = answers[String(index)] as? String
          #expect(stored == python, "\(task) #\(index): stored answer \(String(describing: stored)), Python's \(String(describing: python))")
        }
      }
      // Few-shot: the exemplars are the first `count` rows of the evaluated file, the item's own row left out.
      if let exemplars = expected["exemplars"] as? [String: [Int]] {
        let variant = String(task.split(separator: "/")[1])
        let file = Self.kinds.first { $0.suite == suite }!.files[variant]!
        let rows = try String(contentsOfFile: data + "/" + file, encoding: .utf8).split(separator: "\n").map {
          try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: String]
        }
        let (q, a) = variant == "capitals" ? ("Q: ", "A:") : ("Question: ", "Answer:")
        for sample in samples where sample["task"] as? String == task {
          let index = sample["sample"] as! Int
          // The stored prompt is the chat messages as JSON: one user turn with the exemplars and the question.
          let messages = (try? JSONSerialization.jsonObject(with: Data((sample["prompt"] as? String ?? "").utf8))) as? [[String: String]]
          let shots = (exemplars[String(index)] ?? []).map { q + rows[$0]["question"]! + "\n" + a + " " + rows[$0]["answer"]! }
          let wanted = (shots + [q + rows[index]["question"]! + "\n" + a]).joined(separator: "\n\n")
          #expect(messages?.count == 1 && messages?.first?["content"] == wanted,
            "\(task) #\(index): the prompt is not the exemplars of rows \(exemplars[String(index)] ?? []) and the item:\n\(String(describing: messages))")
        }
      }
    }
    return reference.keys.sorted()
  }
}
