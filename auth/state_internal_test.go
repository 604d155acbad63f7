package auth

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tornago/tornago/web"
)

var stateTests = []struct {
	name        string
	state       string
	token, next string
}{
	{"token alone", "2|0a0b0c0d|00112233445566778899aabbccddeeff|1700000000", "2|0a0b0c0d|00112233445566778899aabbccddeeff|1700000000", ""},
	{"token and next", "2|0a0b0c0d|0011|1700000000.L3ByaXZhdGU_eD0x", "2|0a0b0c0d|0011|1700000000", "/private?x=1"},
	{"v1 token and next", "00ff.Lw", "00ff", "/"},
	{"next not base64url", "00ff.!!", "00ff", ""},
	{"next not local", "00ff.Ly9ldmlsLmV4YW1wbGU", "00ff", ""}, // "//evil.example"
	{"next absolute", "00ff.aHR0cHM6Ly9ldmlsLmV4YW1wbGUv", "00ff", ""},
	{"empty", "", "", ""},
	{"dot only", ".", "", ""},
}

func TestParseState(t *testing.T) {
	for _, tt := range stateTests {
		token, next := parseState(tt.state)
		if token != tt.token || next != tt.next {
			t.Errorf("%s: parseState(%q) = %q, %q; want %q, %q", tt.name, tt.state, token, next, tt.token, tt.next)
		}
	}
}

func TestEncodeStateDropsForeignNext(t *testing.T) {
	for next, want := range map[string]string{
		"":                      "tok",
		"/a/b?c=d":              "tok.L2EvYj9jPWQ",
		"//evil.example":        "tok",
		"https://evil.example/": "tok",
		"/\\evil":               "tok",
		"/ok\r\nSet-Cookie: x":  "tok",
	} {
		if got := encodeState("tok", next); got != want {
			t.Errorf("encodeState(tok, %q) = %q, want %q", next, got, want)
		}
	}
}

var tokenTests = []struct {
	name string
	in   string
	raw  []byte // nil: invalid
}{
	{"v2 unmasks", "2|01020304|03030303|1700000000", []byte{2, 1, 0, 7}},
	{"v2 longer than the mask", "2|ff00ff00|ff00ff00ff|1", []byte{0, 0, 0, 0, 0}},
	{"v2 bad mask length", "2|0102|03030303|1", nil},
	{"v2 bad hex", "2|zzzzzzzz|03030303|1", nil},
	{"v2 empty token", "2|01020304||1", nil},
	{"v2 bad timestamp", "2|01020304|03030303|x", nil},
	{"v2 missing part", "2|01020304|03030303", nil},
	{"other version", "3|01020304|03030303|1", nil},
	{"v1 hex", "00ff", []byte{0, 0xff}},
	{"v1 text", "not hex", []byte("not hex")},
	{"empty", "", nil},
}

func TestDecodeXSRFToken(t *testing.T) {
	for _, tt := range tokenTests {
		raw, ok := decodeXSRFToken(tt.in)
		if ok != (tt.raw != nil) || !bytes.Equal(raw, tt.raw) {
			t.Errorf("%s: decodeXSRFToken(%q) = %x, %v; want %x", tt.name, tt.in, raw, ok, tt.raw)
		}
	}
}

// FuzzParseState checks the state's two invariants: a return page read
// back is always local (never an open redirect), and what encodeState
// writes parses back to the same token and page.
func FuzzParseState(f *testing.F) {
	for _, tt := range stateTests {
		f.Add(tt.state, "/x")
	}
	f.Fuzz(func(t *testing.T, state, next string) {
		_, got := parseState(state)
		if got != "" && !web.IsLocalURL(got) {
			t.Fatalf("parseState(%q) returns the non-local page %q", state, got)
		}
		token, _ := parseState(state)
		if strings.Contains(token, ".") {
			return // not a token encodeState is given
		}
		tok2, next2 := parseState(encodeState(token, next))
		want := next
		if !web.IsLocalURL(next) {
			want = ""
		}
		if tok2 != token || next2 != want {
			t.Fatalf("encodeState(%q, %q) parses as %q, %q", token, next, tok2, next2)
		}
	})
}

// FuzzDecodeXSRFToken checks that a v2 token decodes to as many bytes as
// its masked part holds, and that nothing panics.
func FuzzDecodeXSRFToken(f *testing.F) {
	for _, tt := range tokenTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw, ok := decodeXSRFToken(s)
		if ok && len(raw) == 0 {
			t.Fatalf("decodeXSRFToken(%q) accepts an empty token", s)
		}
		if parts := strings.Split(s, "|"); ok && len(parts) == 4 && len(raw) != len(parts[2])/2 {
			t.Fatalf("decodeXSRFToken(%q) = %d bytes from %d hex digits", s, len(raw), len(parts[2]))
		}
	})
}
