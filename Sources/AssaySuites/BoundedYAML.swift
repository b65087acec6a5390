import AssayCore
import Foundation
import Yams

/// Composes suite and preset YAML within fixed bounds: the file's size, and the number of nodes once aliases are
/// expanded. An alias is a reference, so a kilobyte of nested aliases ("billion laughs") composes instantly but
/// stands for 10^9 nodes, and every reader that walks the tree (key checks, decoding) would hang on it.
public enum BoundedYAML {
  /// The largest suite or preset file read, in bytes (the largest shipped suite is about 55 KB).
  public static let maxBytes = 4 << 20
  /// The most nodes a document may expand to, aliases counted as often as they are used (a shipped suite has a few
  /// thousand).
  public static let maxNodes = 1_000_000

  /// The document's root node (nil when empty), or an error naming `path` when the text is too large, is not YAML,
  /// or expands past `maxNodes`. `kind` names the file in messages ("suite file", "preset file").
  public static func compose(_ text: String, path: String, kind: String) throws(AssayError) -> Node? {
    let size = text.utf8.count
    guard size <= maxBytes else {
      throw AssayError(
        .invalidSuite, "\(kind) \(path) is \(size) bytes; the limit is \(maxBytes)",
        fix: "suite and preset files describe data, they do not hold it: keep the data in dataset files")
    }
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw AssayError(
        .invalidSuite, "\(kind) \(path) is not valid YAML: \((error as? YamlError)?.description ?? "\(error)")",
        fix: "correct the YAML at the line shown (check indentation and quoting)")
    }
    if let node {
      let count = nodeCount(node, limit: maxNodes)
      if count > maxNodes {
        throw AssayError(
          .invalidSuite,
          "\(kind) \(path) expands to more than \(maxNodes) YAML nodes (its aliases, *name, repeat anchored parts); refusing to read it",
          fix: "write the repeated parts out, or remove the nested aliases (shipped suites use none)")
      }
    }
    return node
  }

  /// The number of nodes in the expanded tree, counting stopped as soon as it passes `limit` (so the work is
  /// bounded by the limit, not by the expansion).
  public static func nodeCount(_ root: Node, limit: Int) -> Int {
    var count = 0
    var stack = [root]
    while let node = stack.popLast() {
      count += 1
      if count > limit { return count }
      switch node {
      case .scalar, .alias: break
      case .sequence(let sequence): stack.append(contentsOf: sequence)
      case .mapping(let mapping):
        for (key, value) in mapping {
          stack.append(key)
          stack.append(value)
        }
      }
      if stack.count > limit { return limit + 1 }
    }
    return count
  }
}
