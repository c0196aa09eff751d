package handbook

import (
	"strings"
	"testing"
)

func TestRichTextIsolatesLatinInRightToLeftText(t *testing.T) {
	for _, c := range []struct{ text, lang, want string }{
		{"Boka på 1177.se\n<b>", "sv", "Boka på 1177.se<br>&lt;b&gt;"},
		{"احجز عبر 1177.se الآن", "ar", `احجز عبر <bdi dir="ltr">1177.se</bdi> الآن`},
		{"زنگ بزنید 010-123 45", "prs", `زنگ بزنید <bdi dir="ltr">010-123 45</bdi>`},
		{"<script>", "ar", `&lt;<bdi dir="ltr">script</bdi>&gt;`},
		{"اتصل \u202e1177\u202c", "ar", `اتصل <bdi dir="ltr">1177</bdi>`},
		{"Ring \u20681177\u2069", "sv", "Ring 1177"},
	} {
		if got := string(RichText(c.text, c.lang)); got != c.want {
			t.Errorf("RichText(%q, %s) = %q, want %q", c.text, c.lang, got, c.want)
		}
	}
}

func TestRichTitleIsOneIsolatedLineWithoutControls(t *testing.T) {
	for _, c := range []struct{ title, lang, want string }{
		{"Ring 1177\n\u202eidag", "sv", `<bdi dir="ltr">Ring 1177 idag</bdi>`},
		{"اتصل على \u202e1177\u202c الآن", "ar", `<bdi dir="rtl">اتصل على <bdi dir="ltr">1177</bdi> الآن</bdi>`},
		{"<b>", "fa", `<bdi dir="rtl">&lt;<bdi dir="ltr">b</bdi>&gt;</bdi>`},
	} {
		if got := string(RichTitle(c.title, c.lang)); got != c.want {
			t.Errorf("RichTitle(%q, %s) = %q, want %q", c.title, c.lang, got, c.want)
		}
	}
	if got := (Translation{Title: "a\u202e\r\nb"}).PlainTitle(); got != "a b" {
		t.Errorf("PlainTitle = %q", got)
	}
}

func FuzzRichTextEscapes(f *testing.F) {
	f.Add("احجز عبر 1177.se <b>", "ar")
	f.Add("x", "sv")
	f.Fuzz(func(t *testing.T, text, lang string) {
		got := string(RichText(text, lang))
		stripped := strings.NewReplacer(`<bdi dir="ltr">`, "", "</bdi>", "", "<br>", "").Replace(got)
		if strings.ContainsAny(stripped, "<>") {
			t.Fatalf("RichText(%q) leaves markup: %q", text, got)
		}
	})
}

func TestADiffKeepsAChangedNumberOneIsolate(t *testing.T) {
	d := FieldDiff{{Same, "اتصل 0771-11 "}, {Removed, "77"}, {Added, "78"}, {Same, " 00 الآن\n"}, {Added, "1177.se"}}
	want := `اتصل <bdi dir="ltr">0771-11 <del>77</del><ins>78</ins> 00</bdi> الآن<br><bdi dir="ltr"><ins>1177.se</ins></bdi>`
	if got := string(d.HTML("ar")); got != want {
		t.Errorf("FieldDiff.HTML(ar) =\n%s\nwant\n%s", got, want)
	}
	if got := string(d.HTML("sv")); got != "اتصل 0771-11 <del>77</del><ins>78</ins> 00 الآن<br><ins>1177.se</ins>" {
		t.Errorf("FieldDiff.HTML(sv) = %s", got)
	}
}

func TestUserTextTakesTheDirectionOfItsFirstLetter(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"هل زرت 1177.se؟", `<bdi dir="rtl">هل زرت <bdi dir="ltr">1177.se</bdi>؟</bdi>`},
		{"1177.se: هل زرت", `<bdi dir="ltr">1177.se: هل زرت</bdi>`},
		{"Har du fått 1177?", `<bdi dir="ltr">Har du fått 1177?</bdi>`},
		{"\u202eابحث", `<bdi dir="rtl">ابحث</bdi>`},
		{"", `<bdi dir="ltr"></bdi>`},
	} {
		if got := string(RichUserText(c.text)); got != c.want {
			t.Errorf("RichUserText(%q) = %s, want %s", c.text, got, c.want)
		}
	}
}
