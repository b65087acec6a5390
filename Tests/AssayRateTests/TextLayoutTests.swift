import AssayRate
import Testing

@Suite struct TextLayoutTests {
  @Test(arguments: [
    ("abc", 3), ("中文", 4), ("ภาษาไทย", 7), ("ที่นี่", 2), ("हिन्दी", 5), ("ｆｕｌｌ", 8), ("مرحبا", 5), ("e\u{301}", 1), ("👍🏽", 2),
  ])
  func displayWidths(text: String, width: Int) {
    #expect(DisplayWidth.of(text) == width)
  }

  @Test func wrapsAtSpacesAndInsideCJK() {
    #expect(TextWrap.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
    #expect(TextWrap.wrap("这是一个很长的中文句子", width: 8) == ["这是一个", "很长的中", "文句子"])
    #expect(TextWrap.wrap("a\n\nb", width: 5) == ["a", "", "b"])
  }

  @Test func everyWrappedLineFitsItsWidth() {
    let text = "ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำ 中文没有空格 and English words मराठी भाषा"
    for width in [5, 8, 13, 21] {
      for line in TextWrap.wrap(text, width: width) { #expect(DisplayWidth.of(line) <= width, "\(line)") }
    }
  }

  @Test func fitPadsToExactWidth() {
    #expect(DisplayWidth.of(TextWrap.fit("中文", width: 7)) == 7)
    #expect(DisplayWidth.of(TextWrap.fit("中文中文", width: 5)) == 4 + 1)
  }

  @Test func detectsRightToLeft() {
    #expect(TextWrap.isRightToLeft("  مرحبا بالعالم"))
    #expect(TextWrap.isRightToLeft("שלום"))
    #expect(!TextWrap.isRightToLeft("hello مرحبا"))
  }
}
