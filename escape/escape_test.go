package escape_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/tornago/tornago/escape"
)

func TestXHTMLEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<foo>", "&lt;foo&gt;"},
		{`<>&"'`, "&lt;&gt;&amp;&quot;&#x27;"},
		{"&amp;", "&amp;amp;"},
		{"<\u00e9>", "&lt;\u00e9&gt;"},
		{"plain text", "plain text"},
		{"", ""},
		{"\xff<\xfe", "\xff&lt;\xfe"}, // invalid UTF-8 passes through
	}
	for _, tc := range tests {
		if got := escape.XHTMLEscape(tc.in); got != tc.want {
			t.Errorf("XHTMLEscape(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := string(escape.AppendXHTMLEscape([]byte("x"), tc.in)); got != "x"+tc.want {
			t.Errorf("AppendXHTMLEscape(%q) = %q, want %q", tc.in, got, "x"+tc.want)
		}
		if got := escape.XHTMLUnescape(tc.want); got != tc.in {
			t.Errorf("XHTMLUnescape(%q) = %q, want %q", tc.want, got, tc.in)
		}
	}
}

// Outputs of Python 3.11's html.unescape, which Tornado 6.5's
// xhtml_unescape is; the first rows are Tornado's test_xhtml_unescape_numeric.
func TestXHTMLUnescape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"decimal", "foo&#32;bar", "foo bar"},
		{"hex", "foo&#x20;bar", "foo bar"},
		{"upper hex marker", "foo&#X20;bar", "foo bar"},
		{"hex letters", "foo&#xabc;bar", "foo\u0abcbar"},
		{"not hex digits kept", "foo&#xyz;bar", "foo&#xyz;bar"},
		{"no digits kept", "foo&#;bar", "foo&#;bar"},
		{"hex without digits kept", "foo&#x;bar", "foo&#x;bar"},
		{"the usual five and friends", "&amp;&lt;&gt;&quot;&#39;&#x27;&apos;&nbsp;&#65;&#x41;&#X41;", "&<>\"'''\u00a0AAA"},
		{"unknown name kept", "&bogus;", "&bogus;"},
		{"legacy names without semicolon", "&amp &copy x", "& \u00a9 x"},
		{"zero is replacement char", "&#0;", "\ufffd"},
		{"past U+10FFFF", "&#x110000;", "\ufffd"},
		{"huge number", "&#9999999999999999999999999;", "\ufffd"},
		{"surrogate", "&#xD800;", "\ufffd"},
		{"C1 as windows-1252", "&#128;&#150;", "\u20ac\u2013"},
		{"C1 undefined in windows-1252", "&#x81;", "\u0081"},
		{"forbidden control dropped", "&#1;a", "a"},
		{"DEL dropped", "&#x7f;", ""},
		{"noncharacter dropped", "&#xFFFE;&#x10FFFF;", ""},
		{"carriage return", "&#13;", "\r"},
		{"decimal without semicolon", "&#65", "A"},
		{"lt without semicolon", "&lt", "<"},
		{"upper-case name", "&LT;", "<"},
		{"longest legacy prefix", "&ampxyz;", "&xyz;"},
		{"prefix of longer name", "&notit;", "\u00acit;"},
		{"full longer name", "&notin;", "\u2209"},
		{"legacy prefix before digits", "&copy2020", "\u00a92020"},
		{"two-letter prefix", "&ltb", "<b"},
		{"longest name", "&CounterClockwiseContourIntegral;x", "\u2233x"},
		{"two code point entity", "&NotEqualTilde;", "\u2242\u0338"},
		{"lone ampersand", "& x &; &a &", "& x &; &a &"},
		{"only one level", "&amp;amp;", "&amp;"},
	}
	for _, tc := range tests {
		if got := escape.XHTMLUnescape(tc.in); got != tc.want {
			t.Errorf("%s: XHTMLUnescape(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestURLEscape(t *testing.T) {
	tests := []struct{ in, plus, path string }{
		{"a b/c?d=e&f+g~\u00e9", "a+b%2Fc%3Fd%3De%26f%2Bg~%C3%A9", "a%20b/c%3Fd%3De%26f%2Bg~%C3%A9"},
		{"+ #%", "%2B+%23%25", "%2B%20%23%25"}, // test_url_escape_quote_plus
		{"\u00e9", "%C3%A9", "%C3%A9"},         // test_url_escape_unicode
		{"\xe9", "%E9", "%E9"},                 // bytes pass through as they are
		{"safe_.-~AZaz09", "safe_.-~AZaz09", "safe_.-~AZaz09"},
		{"", "", ""},
	}
	for _, tc := range tests {
		if got := escape.URLEscape(tc.in, true); got != tc.plus {
			t.Errorf("URLEscape(%q, true) = %q, want %q", tc.in, got, tc.plus)
		}
		if got := escape.URLEscape(tc.in, false); got != tc.path {
			t.Errorf("URLEscape(%q, false) = %q, want %q", tc.in, got, tc.path)
		}
	}
}

// Outputs of Tornado's url_unescape with plus=True and plus=False.
func TestURLUnescape(t *testing.T) {
	tests := []struct{ in, plus, path string }{
		{"a+b%20c%2Fd", "a b c/d", "a+b c/d"},
		{"%2B+%23%25", "+ #%", "++#%"},
		{"%2B%20%23%25", "+ #%", "+ #%"},
		{"%C3%A9", "\u00e9", "\u00e9"},
		{"%c3%a9", "\u00e9", "\u00e9"},
		{"%zz%4", "%zz%4", "%zz%4"},
		{"100%", "100%", "100%"},
		{"%%41", "%A", "%A"},
		{"%E2%82", "\ufffd", "\ufffd"},             // truncated sequence: one replacement
		{"%ff%fe", "\ufffd\ufffd", "\ufffd\ufffd"}, // two invalid bytes: two
		{"%E2%82%C2%AC", "\ufffd\u00ac", "\ufffd\u00ac"},
		{"plain", "plain", "plain"},
	}
	for _, tc := range tests {
		if got := escape.URLUnescape(tc.in, true); got != tc.plus {
			t.Errorf("URLUnescape(%q, true) = %q, want %q", tc.in, got, tc.plus)
		}
		if got := escape.URLUnescape(tc.in, false); got != tc.path {
			t.Errorf("URLUnescape(%q, false) = %q, want %q", tc.in, got, tc.path)
		}
	}
	if got := string(escape.URLUnescapeBytes("%C3%A9+%E9", true)); got != "\u00e9 \xe9" {
		t.Errorf("URLUnescapeBytes = %q", got)
	}
}

type point struct {
	X int    `json:"x"`
	Y string `json:"y,omitempty"`
}

// Outputs of Tornado's json_encode on the Python equivalents.
func TestJSONEncode(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"non-ascii escaped", "\u00e9", `"\u00e9"`},
		{"separators with spaces", map[string]any{"a": []any{1, 2.0, nil, true}}, `{"a": [1, 2.0, null, true]}`},
		{"script end tag", "</script>", `"<\/script>"`},
		{"html chars kept", "<b>&amp;", `"<b>&amp;"`},
		{"DEL, control, line separator, astral", "\x7f\x01\u2028\U0001F600", `"\u007f\u0001\u2028\ud83d\ude00"`},
		{"short escapes", "\"\\\n\r\t\b\f/", `"\"\\\n\r\t\b\f/"`},
		{"float exponent from 1e16", 1e16, "1e+16"},
		{"float positional below 1e16", 1e15, "1000000000000000.0"},
		{"small float positional", 0.0001, "0.0001"},
		{"small float exponent", 0.00001, "1e-05"},
		{"negative zero", math.Copysign(0, -1), "-0.0"},
		{"large exponent", 1.5e300, "1.5e+300"},
		{"nan", math.NaN(), "NaN"},
		{"infinity", math.Inf(-1), "-Infinity"},
		{"shortest repr", 1.0 / 3, "0.3333333333333333"},
		{"float32 shortest", float32(0.1), "0.1"},
		{"ints", []int64{-1, math.MaxInt64}, "[-1, 9223372036854775807]"},
		{"nil", nil, "null"},
		{"nil slice", []string(nil), "null"},
		{"empty", map[string]int{}, "{}"},
		{"sorted keys", map[string]int{"b": 2, "a": 1}, `{"a": 1, "b": 2}`},
		{"int keys", map[int]bool{10: true, 9: false}, `{"10": true, "9": false}`},
		{"struct via tags", point{X: 1, Y: "\u00e9</"}, `{"x": 1, "y": "\u00e9<\/"}`},
		{"pointer to struct", &point{X: 2}, `{"x": 2}`},
		{"bytes as base64", []byte("hi"), `"aGk="`},
		{"json.Number raw", []any{json.Number("1.50"), json.Number("")}, "[1.50, 0]"},
		{"raw message re-laid out", json.RawMessage(`{"a":[1,"\u00e9"]}`), `{"a": [1, "\u00e9"]}`},
	}
	for _, tc := range tests {
		got, err := escape.JSONEncode(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%s: JSONEncode(%#v) = %s, %v; want %s", tc.name, tc.in, got, err, tc.want)
		}
	}
}

func TestJSONEncodeErrors(t *testing.T) {
	if _, err := escape.JSONEncode(json.Number("true")); err == nil {
		t.Error("JSONEncode(bad json.Number) succeeded")
	}
	if _, err := escape.JSONEncode(func() {}); err == nil {
		t.Error("JSONEncode(func) succeeded")
	}
	cycle := []any{nil}
	cycle[0] = cycle
	if _, err := escape.JSONEncode(cycle); !errors.Is(err, escape.ErrJSONDepth) {
		t.Errorf("JSONEncode(cycle) error = %v, want ErrJSONDepth", err)
	}
}

func TestJSONDecode(t *testing.T) {
	var v any
	if err := escape.JSONDecode([]byte(`"\u00e9"`), &v); err != nil || v != "\u00e9" {
		t.Errorf("JSONDecode escaped = %v, %v", v, err)
	}
	if err := escape.JSONDecode([]byte("\"\u00e9\""), &v); err != nil || v != "\u00e9" {
		t.Errorf("JSONDecode raw utf-8 = %v, %v", v, err)
	}
	s, _ := escape.JSONEncode("\u00e9")
	if err := escape.JSONDecode([]byte(s), &v); err != nil || v != "\u00e9" {
		t.Errorf("round trip = %v, %v", v, err)
	}
	if err := escape.JSONDecode([]byte("{"), &v); err == nil || !strings.HasPrefix(err.Error(), "escape: ") {
		t.Errorf("JSONDecode bad input error = %v", err)
	}
}

func TestSqueeze(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sequences     of    whitespace   chars", "sequences of whitespace chars"},
		{" \t a  \x00b\x1fc \u3000", "a b c"},
		{"\u00a0x\u00a0", "x"},
		{"", ""},
		{"   ", ""},
	}
	for _, tc := range tests {
		if got := escape.Squeeze(tc.in); got != tc.want {
			t.Errorf("Squeeze(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
