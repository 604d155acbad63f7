package web

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httputil"
)

// FuzzCookieValue: a value SetCookie accepts is read back unchanged by the
// cookie parser (Python's quoting and unquoting agree).
func FuzzCookieValue(f *testing.F) {
	for _, s := range []string{"asdf", "a=b", "a;b", `a"b`, `a\b`, "é", "\xe9", "a,b", "", "{x}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		hdr, err := formatCookie("n", value, CookieOptions{}, time.Unix(0, 0))
		if err != nil {
			return
		}
		pair, _, _ := strings.Cut(hdr, "; Path=/")
		got, ok := httputil.ParseCookie(pair)["n"]
		if !ok || got != value {
			t.Fatalf("value %q set as %q reads back as %q (%v)", value, hdr, got, ok)
		}
	})
}

// FuzzXSRFToken: decoding never panics, and a token masked for the
// response decodes to the raw token it was made from.
func FuzzXSRFToken(f *testing.F) {
	f.Add("2|deadbeef|00112233445566778899aabbccddeeff|1300000000", []byte("0123456789abcdef"), []byte{1, 2, 3, 4})
	f.Add("3|", []byte("x"), []byte{0, 0, 0, 0})
	f.Add("deadbeef", []byte{}, []byte{9, 9, 9, 9})
	f.Fuzz(func(t *testing.T, s string, raw, mask []byte) {
		decodeXSRFToken(s)
		if len(mask) != 4 || len(raw) == 0 {
			return
		}
		tok := "2|" + hexString(mask) + "|" + hexString(xorMask(mask, raw)) + "|7"
		got, ts, ok := decodeXSRFToken(tok)
		if !ok || string(got) != string(raw) || ts != 7 {
			t.Fatalf("token %q decodes to %x %d %v; want %x", tok, got, ts, ok, raw)
		}
	})
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

// FuzzStaticPath: a path cleanStaticPath accepts names a file inside the
// root (a valid fs.FS name: no "..", not absolute); one it refuses is a 403.
func FuzzStaticPath(f *testing.F) {
	for _, s := range []string{"robots.txt", "../x", "a/../../x", "a/../b", "/etc/passwd", "..\\x", "a\x00b", ".", "", "a//b/./c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name, err := cleanStaticPath(p)
		if err != nil {
			if s, _ := statusOf(err); s != 403 {
				t.Fatalf("%q refused with %v", p, err)
			}
			return
		}
		if !fs.ValidPath(name) {
			t.Fatalf("%q maps to %q, not a name inside the root", p, name)
		}
	})
}

// FuzzEtagMatches: never panics; "*" matches anything; a tag matches
// itself, weak or strong.
func FuzzEtagMatches(f *testing.F) {
	f.Add(`"xyzzy"`, `W/"xyzzy1", "xyzzy"`)
	f.Add(`"a"`, `*`)
	f.Fuzz(func(t *testing.T, etag, inm string) {
		etagMatches(etag, inm)
		if !etagMatches(etag, "*") {
			t.Fatal(`"*" does not match`)
		}
		if !strings.Contains(etag, `"`) && !etagMatches(`"`+etag+`"`, `W/"`+etag+`"`) {
			t.Fatalf("%q does not match itself weakly", etag)
		}
	})
}

// FuzzReverseURL: for a reversible pattern, the URL built from plain
// arguments is matched by the pattern and gives the arguments back.
func FuzzReverseURL(f *testing.F) {
	f.Add(`/entry/([^/]+)`, "hello world")
	f.Add(`/api\.v1/(\d+)/(?P<name>[a-z]+)`, "42")
	f.Add(`/a/(.*)/b`, "x/y")
	f.Fuzz(func(t *testing.T, pattern, arg string) {
		if len(pattern) > 64 {
			return
		}
		rt, err := compileRule(Rule{Pattern: pattern, Handler: &ErrorHandler{}})
		if err != nil || rt.reverse.err != nil {
			return
		}
		args := make([]any, rt.ngroups)
		want := make([]string, rt.ngroups)
		for i := range args {
			args[i], want[i] = arg, arg
		}
		u, err := rt.reverse.url(args)
		if err != nil {
			t.Fatalf("reversing %q: %v", pattern, err)
		}
		ok, got, err := rt.match(u)
		if !ok || err != nil {
			return // the argument does not fit the group's regexp
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %q matched with %d groups", pattern, u, len(got))
		}
	})
}
