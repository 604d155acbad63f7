package web

import (
	"net/url"
	"strings"
	"testing"
)

var localTests = []struct {
	name, next string
	ok         bool
}{
	{"root", "/", true},
	{"path", "/compose", true},
	{"path with query", "/compose?id=3", true},
	{"path with fragment", "/entry/a#comments", true},
	{"percent-encoded", "/entry/caf%C3%A9", true},
	{"encoded slashes stay a path", "/%2F%2Fevil.com", true},
	{"colon after the first slash", "/a:b", true},
	{"unicode path", "/entry/café", true},
	{"empty", "", false},
	{"relative", "compose", false},
	{"dot relative", "./compose", false},
	{"protocol-relative", "//evil.com", false},
	{"protocol-relative with path", "//evil.com/compose", false},
	{"triple slash", "///evil.com", false},
	{"slash backslash", "/\\evil.com", false},
	{"backslash later", "/a\\b", false},
	{"backslash first", "\\\\evil.com", false},
	{"absolute http", "http://evil.com/", false},
	{"absolute https", "https://evil.com", false},
	{"javascript", "javascript:alert(1)", false},
	{"data", "data:text/html,x", false},
	{"scheme-relative trick", "http:/evil.com", false},
	{"tab between slashes", "/\t/evil.com", false},
	{"newline between slashes", "/\n/evil.com", false},
	{"carriage return", "/a\rb", false},
	{"NUL", "/a\x00", false},
	{"DEL", "/a\x7f", false},
	{"C1 control", "/a\u0085", false},
	{"space", "/a b", false},
	{"leading space", " /compose", false},
	{"invalid UTF-8", "/a\xff", false},
}

// TestIsLocalURL: local paths pass; anything a browser could read as
// another site, or that is not a plain path, does not.
func TestIsLocalURL(t *testing.T) {
	for _, tc := range localTests {
		if got := IsLocalURL(tc.next); got != tc.ok {
			t.Errorf("%s: IsLocalURL(%q) = %v, want %v", tc.name, tc.next, got, tc.ok)
		}
	}
}

// browserNormalise does to a Location value what browsers do before
// resolving it: drop tabs and newlines, read "\" as "/", trim leading
// spaces and controls.
func browserNormalise(s string) string {
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(s)
	return strings.TrimLeft(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
}

// FuzzIsLocalURL: whatever IsLocalURL accepts stays on this site, read as
// Go's URL parser or a browser reads it.
func FuzzIsLocalURL(f *testing.F) {
	for _, tc := range localTests {
		f.Add(tc.next)
	}
	base, _ := url.Parse("https://blog.example/entry/a")
	f.Fuzz(func(t *testing.T, next string) {
		if !IsLocalURL(next) {
			return
		}
		// An accepted value stays on this site, read either way.
		for _, s := range []string{next, browserNormalise(next)} {
			if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
				t.Fatalf("IsLocalURL(%q) but it reads as %q", next, s)
			}
			u, err := base.Parse(s)
			if err != nil {
				continue // not sent anywhere else either
			}
			if u.Scheme != "https" || u.Host != "blog.example" {
				t.Fatalf("IsLocalURL(%q) but it resolves to %s", next, u)
			}
		}
	})
}
