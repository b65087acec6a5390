import AssayToolUse
import Testing

/// BFCL's prompted-answer decoding on hand-made texts: what Python's `ast` gives, and the hostile cases.
@Suite struct BFCLDecoderTests {
  func decode(_ text: String, _ format: BFCLDecoder.Format = .python) throws -> String {
    PyRepr.repr(try BFCLDecoder.decode(text, format: format))
  }

  @Test func pythonCallsDecodeToNamesAndKeywordValues() throws {
    #expect(try decode("[get_weather(city='Paris', days=3)]") == "[{'get_weather': {'city': 'Paris', 'days': 3}}]")
    #expect(try decode("math.factorial(n=5)") == "[{'math.factorial': {'n': 5}}]")
    #expect(try decode("[f(a=1.5, b=True, c=None, d=[1, 'x'], e={'k': (1, 2)})]")
      == "[{'f': {'a': 1.5, 'b': True, 'c': None, 'd': [1, 'x'], 'e': {'k': (1, 2)}}}]")
    // Positional arguments are dropped, names become strings, a call without keywords its source text.
    #expect(try decode("[f(1, a=x, b=g(2, 'y'), c=-3, d=2**10 - 1)]")
      == "[{'f': {'a': 'x', 'b': \"g(2, 'y')\", 'c': -3, 'd': 1023}}]")
    // BFCL negates whatever the unary operator: `+5` becomes -5.
    #expect(try decode("[f(a=+5)]") == "[{'f': {'a': -5}}]")
    // A call in a value is kept as its text, never run (BFCL unparses it too).
    #expect(try decode("[f(a=__import__('os').system('rm -rf /'))]") == #"[{'f': {'a': "__import__('os').system('rm -rf /')"}}]"#)
    #expect(try decode("```\n[f(a=1)]\n```") == "[{'f': {'a': 1}}]")
    #expect(try decode("[]") == "[]")
  }

  @Test func textsPythonRefusesDoNotDecode() {
    for text in [
      "I cannot help with that.", "[f(a=1), ]]", "[f(a=1, a=2)]", "[f(a=1, 2)]", "```python\n[f(a=1)]\n```",
      "[f(a=math.pi)]", "[f(a=x + 1)]", "[f(a=1 + __import__('os').system('echo pwned'))]", "[f(a=f'{x}')]",
      "[f(a=1)] extra", "[1, 2]", "{'name': 'f', 'arguments': {}}",
    ] {
      #expect(throws: BFCLDecoder.DecodeError.self, "\(text)") { try BFCLDecoder.decode(text, format: .python) }
    }
  }

  @Test func javaArgumentsArriveAsTheWalkersText() throws {
    #expect(try decode(#"[Foo.bar(x="a b", n=new int[]{1, 2}, l=new ArrayList<>(Arrays.asList(1, 2)), d=3.0f)]"#, .java)
      == #"[{'Foo.bar': {'x': 'a b', 'n': 'new int[]{1,2}', 'l': 'new ArrayList<>(Arrays.asList(1, 2))', 'd': '3.0f'}}]"#)
    #expect(throws: BFCLDecoder.DecodeError.self) { try BFCLDecoder.decode("[f(a=1, a=2)]", format: .java) }
  }

  @Test func javaScriptArgumentsArriveAsSourceText() throws {
    #expect(try decode("[sort(list=[3, 1], asc=true, name='x')]", .javascript)
      == "[{'sort': {'list': '[3, 1]', 'asc': 'true', 'name': 'x'}}]")
  }

  @Test func pythonReprMatchesPython() {
    #expect(PyRepr.repr(.str("it's")) == "\"it's\"")
    #expect(PyRepr.repr(.str("a'b\"c\n")) == #"'a\'b"c\n'"#)
    #expect(PyRepr.float(1e16) == "1e+16")
    #expect(PyRepr.float(1e15) == "1000000000000000.0")
    #expect(PyRepr.float(0.0001) == "0.0001")
    #expect(PyRepr.float(0.00001) == "1e-05")
    #expect(PyRepr.float(9007199254740992) == "9007199254740992.0")
    #expect(PyRepr.float(-2.5) == "-2.5")
  }
}
