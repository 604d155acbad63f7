package escape_test

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tornago/tornago/escape"
)

func FuzzXHTMLEscape(f *testing.F) {
	for _, s := range []string{"", "<foo>", `<>&"'`, "&amp;", "caf\u00e9", "\xff<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		esc := escape.XHTMLEscape(s)
		if strings.ContainsAny(esc, `<>"'`) {
			t.Fatalf("XHTMLEscape(%q) = %q keeps a special character", s, esc)
		}
		if got := string(escape.AppendXHTMLEscape(nil, s)); got != esc {
			t.Fatalf("AppendXHTMLEscape(%q) = %q, XHTMLEscape = %q", s, got, esc)
		}
		if utf8.ValidString(s) {
			if back := escape.XHTMLUnescape(esc); back != s {
				t.Fatalf("XHTMLUnescape(XHTMLEscape(%q)) = %q", s, back)
			}
		}
	})
}

func FuzzXHTMLUnescape(f *testing.F) {
	for _, s := range []string{"&amp;", "&#x41;", "&#0;", "&ampxyz;", "&#99999999999;", "&CounterClockwiseContourIntegral;", "&\xff;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := escape.XHTMLUnescape(s)
		if !strings.Contains(s, "&") && out != s {
			t.Fatalf("XHTMLUnescape(%q) = %q changed text without references", s, out)
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("XHTMLUnescape(%q) = %q is not UTF-8", s, out)
		}
	})
}

func FuzzURLEscape(f *testing.F) {
	for _, s := range []string{"", "a b/c?d=e&f+g~\u00e9", "+ #%", "\xe9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, plus := range []bool{true, false} {
			esc := escape.URLEscape(s, plus)
			for i := 0; i < len(esc); i++ {
				c := esc[i]
				if c >= utf8.RuneSelf || strings.IndexByte(" \"#&<>?=", c) >= 0 {
					t.Fatalf("URLEscape(%q, %v) = %q keeps %q", s, plus, esc, c)
				}
			}
			if back := escape.URLUnescapeBytes(esc, plus); !bytes.Equal(back, []byte(s)) {
				t.Fatalf("URLUnescapeBytes(URLEscape(%q, %v)) = %q", s, plus, back)
			}
			if utf8.ValidString(s) {
				if back := escape.URLUnescape(esc, plus); back != s {
					t.Fatalf("URLUnescape(URLEscape(%q, %v)) = %q", s, plus, back)
				}
			}
		}
	})
}

func FuzzURLUnescape(f *testing.F) {
	for _, s := range []string{"a+b%20c", "%zz%4", "%E2%82", "%ff", "100%", "\xd3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := escape.URLUnescape(s, true)
		if !utf8.ValidString(out) {
			t.Fatalf("URLUnescape(%q) = %q is not UTF-8", s, out)
		}
		// Where net/url accepts the input and the result is text, both agree.
		if std, err := url.QueryUnescape(s); err == nil && utf8.ValidString(std) && std != out {
			t.Fatalf("URLUnescape(%q) = %q, net/url says %q", s, out, std)
		}
	})
}

func FuzzJSONEncode(f *testing.F) {
	for _, s := range []string{"", "</script>", "\u00e9\U0001F600", "\x00\x7f", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc, err := escape.JSONEncode(s)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(enc); i++ {
			if enc[i] < 0x20 || enc[i] >= 0x7f {
				t.Fatalf("JSONEncode(%q) = %q is not printable ASCII", s, enc)
			}
		}
		if strings.Contains(enc, "</") {
			t.Fatalf("JSONEncode(%q) = %q contains </", s, enc)
		}
		var back string
		if err := escape.JSONDecode([]byte(enc), &back); err != nil {
			t.Fatalf("JSONDecode(%q): %v", enc, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("JSONDecode(JSONEncode(%q)) = %q", s, back)
		}
	})
}

func FuzzSqueeze(f *testing.F) {
	for _, s := range []string{"  a \t b  ", "\x00\x01", "\u3000x\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := escape.Squeeze(s)
		if strings.Contains(out, "  ") || strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") {
			t.Fatalf("Squeeze(%q) = %q leaves extra spaces", s, out)
		}
		for i := 0; i < len(out); i++ {
			if out[i] < ' ' {
				t.Fatalf("Squeeze(%q) = %q leaves a control character", s, out)
			}
		}
	})
}

// linkTag matches the tags Linkify writes without options.
var linkTag = regexp.MustCompile(`<a href="[^"<>]*">|</a>`)

func FuzzLinkify(f *testing.F) {
	for _, tc := range linkifyTests {
		f.Add(tc.in)
	}
	f.Add(`javascript:alert(1) <script>x</script> http://a.b/"onclick="x`)
	f.Add("a-b-c:d www.x.y http:/// ftp://x \u27a1 http://x/(a)&amp;b")
	f.Add("http:/00") // one slash is a link too, as in Tornado
	f.Fuzz(func(t *testing.T, s string) {
		out := escape.Linkify(s)
		// Removing the link tags must leave exactly the escaped input (plus
		// nothing else): no '<' of the input survives, no text is lost.
		hrefs := linkTag.FindAllString(out, -1)
		if bare := linkTag.ReplaceAllString(out, ""); bare != escape.XHTMLEscape(s) {
			t.Fatalf("Linkify(%q) = %q: text outside tags %q differs from the escaped input", s, out, bare)
		}
		for _, h := range hrefs {
			if h != "</a>" && !strings.HasPrefix(h, `<a href="http:`) && !strings.HasPrefix(h, `<a href="https:`) {
				t.Fatalf("Linkify(%q) = %q links a scheme outside http and https", s, out)
			}
		}
		short := escape.Linkify(s, escape.LinkifyOptions{Shorten: true, ExtraParams: `rel="nofollow"`})
		if strings.Count(short, "<") != 2*strings.Count(short, "</a>") {
			t.Fatalf("Linkify(%q, shorten) = %q has stray '<'", s, short)
		}
	})
}
