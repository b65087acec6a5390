/// How CodeGeeX's HumanEval-X evaluation turns a problem and a completion into one test program per language
/// (its `process_humaneval_test`): the same concatenation order and the same helper imports, so a completion
/// passes here exactly when it passes there.
enum HumanEvalXProgram {
  /// Imports CodeGeeX puts before every Python program.
  static let pythonImports = [
    "import math", "import re", "import sys", "import copy", "import datetime", "import itertools",
    "import collections", "import heapq", "import statistics", "import functools", "import hashlib",
    "import numpy", "import numpy as np", "import string", "from typing import *", "from collections import *",
  ]
  /// Go packages CodeGeeX imports when the completion uses them and the test setup does not.
  static let goPackages = ["math", "strings", "fmt", "strconv", "time", "bytes", "regexp", "sort", "math/rand", "crypto/md5"]
  /// Includes CodeGeeX adds to C++ programs whose prompt lacks them.
  static let cppIncludes = [
    "#include<stdlib.h>", "#include<algorithm>", "#include<math.h>", "#include<stdio.h>", "#include<vector>",
    "#include<string>", "#include<climits>", "#include<cstring>", "#include<iostream>",
  ]

  /// The program for `completion` of a HumanEval-X row in `language`.
  static func program(language: CodeLanguage, fields: [String: String], completion: String) -> String {
    let prompt = fields["prompt"] ?? ""
    let test = fields["test"] ?? ""
    switch language {
    case .python:
      // The body only: everything up to the first line that is not indented.
      var kept: [Substring] = []
      for line in completion.split(separator: "\n", omittingEmptySubsequences: false) {
        if let first = line.first, !line.allSatisfy(\.isWhitespace), first != " " && first != "\t" { break }
        kept.append(line)
      }
      return pythonImports.joined(separator: "\n") + "\n" + prompt + kept.joined(separator: "\n") + "\n" + test + "\n"
    case .cpp:
      let setup = cppIncludes.filter { !prompt.contains($0) }.map { $0 + "\n" }.joined()
      return setup + "\n" + prompt + completion + "\n" + test
    case .java, .js:
      return prompt + completion + "\n" + test
    case .go:
      let trimmedPrompt = prompt.replacingOccurrences(of: fields["import"] ?? "\u{0}", with: "")
      let setup = fields["test_setup"] ?? ""
      let others = goPackages.filter { package in
        !setup.contains(package) && completion.contains((package.split(separator: "/").last.map(String.init) ?? package) + ".")
      }
      if others.isEmpty { return setup + "\n" + trimmedPrompt + completion + "\n" + test }
      let imports = "import (\n" + others.map { "\"\($0)\"\n" }.joined(separator: "    ") + ")"
      return setup + "\n" + imports + "\n" + trimmedPrompt + completion + "\n" + test
    case .rust:
      return "\nfn main(){ \n } \n" + (fields["declaration"] ?? "") + prompt + completion + test
    }
  }
}

extension CodeToolchain {
  /// The HumanEval-X program for a completion (see `HumanEvalXProgram`).
  static func humanEvalXProgram(language: CodeLanguage, fields: [String: String], completion: String) -> String {
    HumanEvalXProgram.program(language: language, fields: fields, completion: completion)
  }
}
