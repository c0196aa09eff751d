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
