import AssayCore
import Testing

@Suite struct TemplateTests {
  @Test func substitutesParametersThenFields() throws {
    let rendered = try Template.render(
      "${instruction}\n\n{{question}}", params: ["instruction": "Löse: {{question}}?"], fields: ["question": "2+2"])
    #expect(rendered == "Löse: 2+2?\n\n2+2")
  }

  @Test func doesNotRescanSampleValues() throws {
    let rendered = try Template.render("Q: {{question}}", params: [:], fields: ["question": "what is {{x}} or ${y}?"])
    #expect(rendered == "Q: what is {{x}} or ${y}?")
  }

  @Test func namesTheMissingPlaceholder() {
    #expect {
      try Template.render("{{question}} {{choices}}", params: [:], fields: ["question": "q"])
    } throws: { error in
      (error as? AssayError)?.message.contains("{{choices}}") == true
    }
  }
}
