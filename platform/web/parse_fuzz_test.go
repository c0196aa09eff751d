package web

import (
	"strings"
	"testing"
)

func TestLocalPathKeepsRedirectsOnThisSite(t *testing.T) {
	for in, want := range map[string]string{
		"/account": "/account", "/orgs/4?x=1": "/orgs/4?x=1", "": "/", "https://evil.example": "/",
		"//evil.example": "/", "/\\evil.example": "/", "/ok\r\nSet-Cookie: x": "/", "javascript:alert(1)": "/",
	} {
		if got := LocalPath(in); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\\x", "http://x", "/a?b#c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := LocalPath(s)
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
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
