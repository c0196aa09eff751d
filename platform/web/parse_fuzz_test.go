package web

import (
	"net/url"
	"strings"
	"testing"
)

func TestLocalPathKeepsRedirectsOnThisSite(t *testing.T) {
	for in, want := range map[string]string{
		"/account": "/account", "/orgs/4?x=1": "/orgs/4?x=1", "": "/", "https://evil.example": "/",
		"//evil.example": "/", "/\\evil.example": "/", "/ok\r\nSet-Cookie: x": "/", "javascript:alert(1)": "/", "/\t/evil.example": "/", "/a\\b": "/",
	} {
		if got := LocalPath(in); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\\x", "http://x", "/a?b#c", "/\t/evil.example", "/\n/x", "/a\\..\\\\x"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://megafon.test/p/")
	f.Fuzz(func(t *testing.T, s string) {
		p := LocalPath(s)
		// Read it as a browser would: tabs and line breaks dropped, a
		// backslash taken for a slash, resolved against this site.
		seen := strings.ReplaceAll(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(p), "\\", "/")
		u, err := url.Parse(seen)
		if !strings.HasPrefix(p, "/") || (err == nil && base.ResolveReference(u).Host != "megafon.test") {
			t.Fatalf("LocalPath(%q) = %q leads off the site", s, p)
		}
	})
}

func FuzzParseLocalTime(f *testing.F) {
	for _, s := range []string{"2021-03-01T09:00", "2021-03-01", "2021-02-30T25:61", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseLocalTime(s)
		if err == nil && tm.IsZero() {
			t.Fatalf("ParseLocalTime(%q) gave a zero time without an error", s)
		}
	})
}
