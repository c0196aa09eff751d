package richtext

import (
	"strings"
	"testing"
)

func TestTextIsolatesLatinInRightToLeftText(t *testing.T) {
	for _, c := range []struct{ text, lang, want string }{
		{"Boka på 1177.se\n<b>", "sv", "Boka på 1177.se<br>&lt;b&gt;"},
		{"احجز عبر 1177.se الآن", "ar", `احجز عبر <bdi dir="ltr">1177.se</bdi> الآن`},
		{"زنگ بزنید 010-123 45", "prs", `زنگ بزنید <bdi dir="ltr">010-123 45</bdi>`},
		{"<script>", "ar", `&lt;<bdi dir="ltr">script</bdi>&gt;`},
		{"اتصل \u202e1177\u202c", "ar", `اتصل <bdi dir="ltr">1177</bdi>`},
		{"Ring \u20681177\u2069", "sv", "Ring 1177"},
		// Punctuation after a number or an address ends the sentence, in
		// its direction, not inside the isolate.
		{"اتصل على 1177.", "ar", `اتصل على <bdi dir="ltr">1177</bdi>.`},
		{"زوروا 1177.se.", "ar", `زوروا <bdi dir="ltr">1177.se</bdi>.`},
		{"ورشة العمل 1: المساعدة", "ar", `ورشة العمل <bdi dir="ltr">1</bdi>: المساعدة`},
		{"اتصل على 010-123 45 67-", "ar", `اتصل على <bdi dir="ltr">010-123 45 67</bdi>-`},
		{"www.1177.se/", "ar", `<bdi dir="ltr">www.1177.se</bdi>/`},
		{"x", "ar", `<bdi dir="ltr">x</bdi>`},
	} {
		if got := string(Text(c.text, c.lang)); got != c.want {
			t.Errorf("Text(%q, %s) = %q, want %q", c.text, c.lang, got, c.want)
		}
	}
}

func TestTitleIsOneIsolatedLineWithoutControls(t *testing.T) {
	for _, c := range []struct{ title, lang, want string }{
		{"Ring 1177\n\u202eidag", "sv", `<bdi dir="ltr">Ring 1177 idag</bdi>`},
		{"اتصل على \u202e1177\u202c الآن", "ar", `<bdi dir="rtl">اتصل على <bdi dir="ltr">1177</bdi> الآن</bdi>`},
		{"<b>", "fa", `<bdi dir="rtl">&lt;<bdi dir="ltr">b</bdi>&gt;</bdi>`},
	} {
		if got := string(Title(c.title, c.lang)); got != c.want {
			t.Errorf("Title(%q, %s) = %q, want %q", c.title, c.lang, got, c.want)
		}
	}
	if got := Line("a\u202e\r\nb"); got != "a b" {
		t.Errorf("Line = %q", got)
	}
}

func FuzzTextEscapes(f *testing.F) {
	f.Add("احجز عبر 1177.se <b>", "ar")
	f.Add("x", "sv")
	f.Fuzz(func(t *testing.T, text, lang string) {
		got := string(Text(text, lang))
		stripped := strings.NewReplacer(`<bdi dir="ltr">`, "", "</bdi>", "", "<br>", "").Replace(got)
		if strings.ContainsAny(stripped, "<>") {
			t.Fatalf("Text(%q) leaves markup: %q", text, got)
		}
	})
}
