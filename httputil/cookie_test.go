package httputil

import (
	"maps"
	"strings"
	"testing"
	"time"
)

var cookieTests = []struct {
	name   string
	header string
	want   map[string]string
}{
	// Tornado's test_python_cookies (from Python's own cookie tests).
	{"two cookies", "chips=ahoy; vienna=finger", map[string]string{"chips": "ahoy", "vienna": "finger"}},
	{"semicolons split even inside quotes", `keebler="E=mc2; L=\"Loves\"; fudge=\012;"`,
		map[string]string{"keebler": `"E=mc2`, "L": `\"Loves\"`, "fudge": `\012`, "": `"`}},
	{"equals sign in unquoted value", "keebler=E=mc2", map[string]string{"keebler": "E=mc2"}},
	{"colon in name", "key:term=value:term", map[string]string{"key:term": "value:term"}},
	{"brackets", "a=b; c=[; d=r; f=h", map[string]string{"a": "b", "c": "[", "d": "r", "f": "h"}},
	// Tornado's test_cookie_edgecases.
	{"attribute-like names are cookies", "a=b; Domain=example.com", map[string]string{"a": "b", "Domain": "example.com"}},
	{"last duplicate wins", "a=b; h=i; a=c", map[string]string{"a": "c", "h": "i"}},
	// Tornado's test_invalid_cookies.
	{"piece without equals has empty name", "abc=def; unnamed; django_language=en", map[string]string{"abc": "def", "": "unnamed", "django_language": "en"}},
	{"lone quote is an unnamed value", `a=b; "; c=d`, map[string]string{"a": "b", "": `"`, "c": "d"}},
	{"spaces in names and values", "a b c=d e = f; gh=i", map[string]string{"a b c": "d e = f", "gh": "i"}},
	{"forbidden characters kept", `a   b,c<>@:/[]?{}=d  "  =e,f g`, map[string]string{"a   b,c<>@:/[]?{}": `d  "  =e,f g`}},
	{"utf-8 value", "saint=Andr\xc3\xa9 Bessette", map[string]string{"saint": "Andr\xc3\xa9 Bessette"}},
	{"whitespace like document.cookie", "  =  b  ;  ;  =  ;   c  =  ;  ", map[string]string{"": "b", "c": ""}},
	// Tornado's test_unquote (from Python's test_http_cookies).
	{"escaped quote", `a="b=\""`, map[string]string{"a": `b="`}},
	{"escaped backslash", `a="b=\\"`, map[string]string{"a": `b=\`}},
	{"escaped equals", `a="b=\="`, map[string]string{"a": "b=="}},
	{"escaped n is n", `a="b=\n"`, map[string]string{"a": "b=n"}},
	{"octal quote", `a="b=\042"`, map[string]string{"a": `b="`}},
	{"octal backslash", `a="b=\134"`, map[string]string{"a": `b=\`}},
	{"octal 377 is byte ff", `a="b=\377"`, map[string]string{"a": "b=\xff"}},
	{"octal 400 is not octal", `a="b=\400"`, map[string]string{"a": "b=400"}},
	{"two digits are not octal", `a="b=\42"`, map[string]string{"a": "b=42"}},
	{"escaped backslash then digits", `a="b=\\042"`, map[string]string{"a": `b=\042`}},
	{"escaped backslash then 134", `a="b=\\134"`, map[string]string{"a": `b=\134`}},
	{"escaped backslash then escaped quote", `a="b=\\\""`, map[string]string{"a": `b=\"`}},
	{"escaped backslash then octal quote", `a="b=\\\042"`, map[string]string{"a": `b=\"`}},
	{"octal backslash then escaped quote", `a="b=\134\""`, map[string]string{"a": `b=\"`}},
	{"octal backslash then octal quote", `a="b=\134\042"`, map[string]string{"a": `b=\"`}},
	// Our own edges.
	{"empty header", "", map[string]string{}},
	{"only separators", ";;; ;", map[string]string{}},
	{"trailing backslash in quotes", `a="x\"`, map[string]string{"a": `x\`}},
	{"backslash newline kept", "a=\"x\\\ny\"", map[string]string{"a": "x\\\ny"}},
	{"quotes not at both ends", `a="x`, map[string]string{"a": `"x`}},
	{"single quote char", `a="`, map[string]string{"a": `"`}},
	{"empty quoted", `a=""`, map[string]string{"a": ""}},
	{"octal semicolon", `a="\073"`, map[string]string{"a": ";"}},
	{"nbsp not trimmed", "a=\xa0x\xa0", map[string]string{"a": "\xa0x\xa0"}},
	{"tabs trimmed", "\ta\t=\tb\t", map[string]string{"a": "b"}},
}

func TestParseCookie(t *testing.T) {
	for _, tt := range cookieTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseCookie(tt.header); !maps.Equal(got, tt.want) {
				t.Errorf("ParseCookie(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

// Tornado's test_unquote_large: unquoting is linear (CVE-2024-52804).
func TestParseCookieLinear(t *testing.T) {
	const n = 100000
	for _, enc := range []string{`\\`, `\134`} {
		start := time.Now()
		v := ParseCookie(`a="b=` + strings.Repeat(enc, n) + `"`)["a"]
		if d := time.Since(start); d > time.Second {
			t.Errorf("unquoting %d escapes took %v", n, d)
		}
		if len(v) != n+2 || v[:3] != `b=\` || v[len(v)-3:] != `\\\` {
			t.Errorf("unquoted to %d bytes", len(v))
		}
	}
	start := time.Now()
	ParseCookie(strings.Repeat(`a="x;`, 200000))
	if d := time.Since(start); d > time.Second {
		t.Errorf("many pieces took %v", d)
	}
}
