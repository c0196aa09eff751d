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
	} {
		if got := string(RichText(c.text, c.lang)); got != c.want {
			t.Errorf("RichText(%q, %s) = %q, want %q", c.text, c.lang, got, c.want)
		}
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
