package httputil

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func pairs(h *Headers) [][2]string {
	var out [][2]string
	for n, v := range h.All() {
		out = append(out, [2]string{n, v})
	}
	return out
}

func TestCanonicalName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"content-type", "Content-Type"},
		{"coNtent-TYPE", "Content-Type"},
		{"Content-Type", "Content-Type"},
		{"x-xsrftoken", "X-Xsrftoken"},
		{"ETag", "Etag"},
		{"www-authenticate", "Www-Authenticate"},
		{"x--double", "X--Double"},
		{"-leading", "-Leading"},
		{"trailing-", "Trailing-"},
		{"x-1ab", "X-1ab"},
		{"", ""},
		{"\xe9t\xc9", "\xe9t\xc9"}, // non-ASCII bytes are left alone
		{"a_b", "A_b"},
	}
	for _, tt := range tests {
		if got := CanonicalName(tt.in); got != tt.want {
			t.Errorf("CanonicalName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		b := []byte(tt.in)
		CanonicalizeInPlace(b)
		if string(b) != tt.want {
			t.Errorf("CanonicalizeInPlace(%q) = %q, want %q", tt.in, b, tt.want)
		}
		if !isCanonical(tt.want) {
			t.Errorf("isCanonical(%q) = false", tt.want)
		}
	}
}

func TestCommonNamesAreCanonical(t *testing.T) {
	for _, n := range CommonNames {
		if !isCanonical(n) || !ValidName(n) {
			t.Errorf("CommonNames entry %q is not a canonical token", n)
		}
	}
}

func TestValidName(t *testing.T) {
	good := []string{"Foo", "x-y", "!#$%&'*+-.^_`|~09AZaz", "a"}
	bad := []string{"", "Foo Bar", "Foo:", " Foo", "Foo\t", "F\x00", "F\r", "F\n", "caf\xc3\xa9", "(x)", "a,b", "a/b", "a\"b", "a@b", "a[b]", "a{b}", "\x7f"}
	for _, s := range good {
		if !ValidName(s) {
			t.Errorf("ValidName(%q) = false", s)
		}
	}
	for _, s := range bad {
		if ValidName(s) {
			t.Errorf("ValidName(%q) = true", s)
		}
	}
}

func TestValidValue(t *testing.T) {
	good := []string{"", "a", "text/html; charset=UTF-8", "a  \t b", "\x80\xff", "caf\xc3\xa9", "\"quoted\"", "~"}
	bad := []string{" a", "a ", "\ta", "a\t", " ", "a\rb", "a\nb", "a\r\nb", "a\x00b", "a\x7fb", "a\x01", "\x1bx", "a\x1cb", "a\x0bb", "a\x0cb"}
	for _, s := range good {
		if !ValidValue(s) {
			t.Errorf("ValidValue(%q) = false", s)
		}
	}
	for _, s := range bad {
		if ValidValue(s) {
			t.Errorf("ValidValue(%q) = true", s)
		}
	}
}

func TestHeadersMultiValue(t *testing.T) {
	var h Headers
	h.Add("content-type", "text/html")
	h.Add("Set-Cookie", "A=B")
	h.Add("set-cookie", "C=D")
	if got := h.Get("Content-Type"); got != "text/html" {
		t.Errorf("Get = %q", got)
	}
	if got := h.Get("SET-COOKIE"); got != "A=B,C=D" {
		t.Errorf("joined Get = %q, want A=B,C=D", got)
	}
	if got := h.Values("set-cookie"); !slices.Equal(got, []string{"A=B", "C=D"}) {
		t.Errorf("Values = %q", got)
	}
	want := [][2]string{{"Content-Type", "text/html"}, {"Set-Cookie", "A=B"}, {"Set-Cookie", "C=D"}}
	if got := pairs(&h); !slices.Equal(got, want) {
		t.Errorf("All = %q, want %q", got, want)
	}
	if h.Len() != 3 || !h.Has("content-TYPE") || h.Has("Content") {
		t.Errorf("Len/Has wrong: %d", h.Len())
	}
	if got := h.Names(); !slices.Equal(got, []string{"Content-Type", "Set-Cookie"}) {
		t.Errorf("Names = %q", got)
	}
	if _, ok := h.Lookup("x-missing"); ok {
		t.Error("Lookup of a missing name reports ok")
	}
	h.Add("X-Empty", "")
	if v, ok := h.Lookup("x-empty"); !ok || v != "" {
		t.Errorf("Lookup(empty) = %q, %v", v, ok)
	}
}

func TestHeadersSetDel(t *testing.T) {
	var h Headers
	h.Add("A", "1")
	h.Add("B", "x")
	h.Add("A", "2")
	h.Add("C", "y")
	h.Set("a", "3")
	want := [][2]string{{"A", "3"}, {"B", "x"}, {"C", "y"}}
	if got := pairs(&h); !slices.Equal(got, want) {
		t.Errorf("after Set: %q, want %q", got, want)
	}
	h.Set("D", "z")
	h.Del("b")
	want = [][2]string{{"A", "3"}, {"C", "y"}, {"D", "z"}}
	if got := pairs(&h); !slices.Equal(got, want) {
		t.Errorf("after Del: %q, want %q", got, want)
	}
	h.Del("nothing")
	if h.Len() != 3 {
		t.Errorf("Del of a missing name changed Len to %d", h.Len())
	}
}

// Tornado's test_setdefault.
func TestHeadersSetDefault(t *testing.T) {
	var h Headers
	h.Set("foo", "bar")
	if got := h.SetDefault("foo", "baz"); got != "bar" {
		t.Errorf("SetDefault on a present name = %q", got)
	}
	if got := h.SetDefault("quux", "xyzzy"); got != "xyzzy" || h.Get("Quux") != "xyzzy" {
		t.Errorf("SetDefault on a missing name = %q", got)
	}
	want := [][2]string{{"Foo", "bar"}, {"Quux", "xyzzy"}}
	if got := pairs(&h); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Tornado's test_copy: a copy shares nothing with the original.
func TestHeadersClone(t *testing.T) {
	var h Headers
	h.Add("A", "1")
	h.Add("A", "2")
	h.Add("B", "c")
	c := h.Clone()
	if !slices.Equal(pairs(&c), pairs(&h)) {
		t.Fatalf("clone differs: %q vs %q", pairs(&c), pairs(&h))
	}
	c.Set("A", "changed")
	h.Add("D", "new")
	if h.Get("A") != "1,2" || c.Has("D") {
		t.Errorf("clone and original share state: %q / %q", pairs(&h), pairs(&c))
	}
	var empty Headers
	if e := empty.Clone(); e.Len() != 0 {
		t.Error("clone of empty is not empty")
	}
}

func TestHeadersCloneDetachesBuffer(t *testing.T) {
	buf := []byte("X-Name: value")
	var h Headers
	h.Add(string(buf[:6]), string(buf[8:]))
	c := h.Clone()
	for i := range buf {
		buf[i] = '!'
	}
	if c.Get("X-Name") != "value" {
		t.Errorf("clone changed with the original buffer")
	}
}

func TestHeadersResetKeepsCapacity(t *testing.T) {
	var h Headers
	for i := 0; i < 10; i++ {
		h.Add("A", "1")
	}
	c := cap(h.fields)
	h.Reset()
	if h.Len() != 0 || cap(h.fields) != c {
		t.Errorf("Reset: len %d cap %d, want 0 and %d", h.Len(), cap(h.fields), c)
	}
	if h.fields[:c][0] != (field{}) {
		t.Error("Reset keeps references to old strings")
	}
}

func TestHeadersWireForm(t *testing.T) {
	var h Headers
	h.Add("content-type", "text/plain")
	h.Add("Foo", "1")
	h.Add("foo", "2")
	if got := string(h.AppendTo([]byte("HTTP/1.1 200 OK\r\n"))); got != "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nFoo: 1\r\nFoo: 2\r\n" {
		t.Errorf("AppendTo = %q", got)
	}
	// Tornado's test_string: str() parses back to the same headers.
	back, err := ParseHeaders(h.String())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pairs(&back), pairs(&h)) {
		t.Errorf("String round trip: %q vs %q", pairs(&back), pairs(&h))
	}
}

func TestHeadersAllStopsEarly(t *testing.T) {
	var h Headers
	h.Add("A", "1")
	h.Add("B", "2")
	n := 0
	for range h.All() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("iterated %d times after break", n)
	}
}

var parseHeadersTests = []struct {
	name string
	raw  string
	want [][2]string // nil with err
	err  bool
}{
	{"crlf lines", "Content-Type: text/html\r\nContent-Length: 42\r\n", [][2]string{{"Content-Type", "text/html"}, {"Content-Length", "42"}}, false},
	{"bare lf accepted", "A: 1\nB: 2\n", [][2]string{{"A", "1"}, {"B", "2"}}, false},
	{"no final newline", "A: 1", [][2]string{{"A", "1"}}, false},
	{"empty lines skipped", "\r\nA: 1\r\n\r\n\nB: 2", [][2]string{{"A", "1"}, {"B", "2"}}, false},
	{"empty input", "", nil, false},
	{"value trimmed of SP and HTAB only", "A: \t x y \t\r\n", [][2]string{{"A", "x y"}}, false},
	{"no space after colon", "A:1", [][2]string{{"A", "1"}}, false},
	{"empty value", "A:\r\nB: \r\n", [][2]string{{"A", ""}, {"B", ""}}, false},
	{"colon in value", "Host: example.com:8080", [][2]string{{"Host", "example.com:8080"}}, false},
	{"names canonicalised", "x-FOO: 1", [][2]string{{"X-Foo", "1"}}, false},
	// Tornado's test_multi_line: obs-fold continuations.
	{"obs-fold continuation", "Foo: bar\r\n baz\r\nAsdf: qwer\r\n\tzxcv\r\nFoo: even\r\n     more\r\n     lines\r\n",
		[][2]string{{"Foo", "bar baz"}, {"Asdf", "qwer zxcv"}, {"Foo", "even more lines"}}, false},
	// Tornado's test_malformed_continuation.
	{"continuation first", " Foo: bar", nil, true},
	{"continuation with control", "A: b\r\n c\x00d", nil, true},
	{"no colon", "Foo bar\r\n", nil, true},
	{"space before colon", "Foo : bar\r\n", nil, true},
	{"space in name", "Foo Bar: x\r\n", nil, true},
	{"empty name", ": x\r\n", nil, true},
	{"non-ascii name", "Caf\xc3\xa9: x\r\n", nil, true},
	// Tornado's test_optional_cr says a lone CR is data; since 6.5 it is
	// a forbidden control in a value, and so here.
	{"bare CR in value", "CR: cr\rMore: more\r\n", nil, true},
	{"CR CR LF", "A: b\r\r\n", nil, true},
	{"NUL in value", "A: b\x00c\r\n", nil, true},
	{"DEL in value", "A: b\x7fc\r\n", nil, true},
	{"vertical tab in value", "A: b\x0bc\r\n", nil, true},
	{"form feed in value", "A: b\x0cc\r\n", nil, true},
	{"escape in value", "Cookie: foo=\x1bbar", nil, true},
	{"file separator in value", "Cookie: foo=\x1cbar", nil, true},
	// Tornado's test_unicode_newlines: NEL, LS and PS (latin-1 or UTF-8)
	// are data, not line ends.
	{"latin1 NEL is data", "Cookie: foo=\x85bar", [][2]string{{"Cookie", "foo=\x85bar"}}, false},
	{"utf8 NEL is data", "Cookie: foo=\xc2\x85bar", [][2]string{{"Cookie", "foo=\xc2\x85bar"}}, false},
	{"utf8 LS is data", "Cookie: foo=\xe2\x80\xa8bar", [][2]string{{"Cookie", "foo=\xe2\x80\xa8bar"}}, false},
	{"utf8 PS is data", "Cookie: foo=\xe2\x80\xa9bar", [][2]string{{"Cookie", "foo=\xe2\x80\xa9bar"}}, false},
	// Tornado's test_unicode_whitespace: NBSP is not trimmed.
	{"nbsp not trimmed", "A: \xa0x\xa0", [][2]string{{"A", "\xa0x\xa0"}}, false},
	{"utf8 nbsp not trimmed", "A: \xc2\xa0x", [][2]string{{"A", "\xc2\xa0x"}}, false},
}

func TestParseHeaders(t *testing.T) {
	for _, tt := range parseHeadersTests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseHeaders(tt.raw)
			if tt.err {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("err = %v, want *InputError (headers %q)", err, pairs(&h))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := pairs(&h); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseHeadersJoinsFolded(t *testing.T) {
	h, err := ParseHeaders("Foo: bar\r\n baz\r\nFoo: even\r\n more\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Get("foo"); got != "bar baz,even more" {
		t.Errorf("Get = %q", got)
	}
}

func TestParseIntoDoesNotFoldIntoEarlierFields(t *testing.T) {
	var h Headers
	h.Add("A", "1")
	if err := h.ParseInto(" continued"); err == nil {
		t.Error("continuation extended a field from before ParseInto")
	}
}

func TestErrorMessagesAreBounded(t *testing.T) {
	_, err := ParseHeaders(strings.Repeat("x", 10000) + "\r\n")
	if err == nil || len(err.Error()) > 200 || strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("error %q", err)
	}
	_, err = ParseHeaders("Bad\x00\nName: x")
	if err == nil || strings.ContainsRune(err.Error(), 0) {
		t.Errorf("error %q", err)
	}
}

func TestCheckField(t *testing.T) {
	if err := CheckField("X-Ok", "fine"); err != nil {
		t.Error(err)
	}
	for _, f := range [][2]string{{"Bad Name", "x"}, {"X", "a\r\nInjected: 1"}, {"", "x"}} {
		var ie *InputError
		if err := CheckField(f[0], f[1]); !errors.As(err, &ie) {
			t.Errorf("CheckField(%q, %q) = %v", f[0], f[1], err)
		}
	}
}

func TestParseHeadersFoldingLinear(t *testing.T) {
	text := "A: x\r\n" + strings.Repeat(" y\r\n", 200000) + "B: z\r\n"
	start := time.Now()
	h, err := ParseHeaders(text)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("200,000 continuation lines took %v", d)
	}
	if v := h.Get("A"); len(v) != 1+2*200000 || h.Get("B") != "z" {
		t.Errorf("folded value has %d bytes", len(v))
	}
}

// Tornado's test_linear_performance for add.
func TestHeadersAddLinear(t *testing.T) {
	var h Headers
	start := time.Now()
	for i := 0; i < 100000; i++ {
		h.Add("X-Foo", "bar")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("100,000 adds took %v", d)
	}
}
