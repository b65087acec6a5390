import AssayCore
import Testing

/// Identities are hashed from encodings that cannot silently be empty.
@Suite struct CanonicalJSONTests {
  struct Options: Encodable {
    var model: String
    var temperature: Double?
  }

  @Test(arguments: [Double.nan, .infinity, -.infinity])
  func aNonFiniteNumberCannotBeHashed(value: Double) {
    let options = Options(model: "m", temperature: value)
    #expect(CanonicalJSON.string(options) == "", "the storage encoding of a bad value is empty, hence never hashed")
    #expect(throws: AssayError.self) { try CanonicalJSON.hashable(options, what: "the run configuration") }
    do {
      _ = try CanonicalJSON.hashable(options, what: "the run configuration")
    } catch {
      #expect(error.message.contains("the run configuration") && error.message.contains("temperature"), "\(error.message)")
    }
  }

  @Test func aFiniteValueHashesAsItsCanonicalJSON() throws {
    let options = Options(model: "m", temperature: 0.5)
    #expect(try CanonicalJSON.hashableString(options, what: "x") == #"{"model":"m","temperature":0.5}"#)
    #expect(try CanonicalJSON.hashableString(options, what: "x") == CanonicalJSON.string(options))
  }
}
