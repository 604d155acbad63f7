package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/tornago/tornago/web"
)

// testRaw is a raw XSRF token for the state tests.
var testRaw = []byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}

// macOf spells the state's MAC as the spec says, independently of
// stateMAC: base64url(HMAC-SHA256(raw token, label + "|" + next)).
func macOf(raw []byte, next string) string {
	m := hmac.New(sha256.New, raw)
	m.Write([]byte("tornago/auth OAuth2 state|" + next))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

var (
	macAlone = macOf(testRaw, "")
	macNext  = macOf(testRaw, "/private?x=1")
)

var stateTests = []struct {
	name  string
	state string
	next  string
	ok    bool
}{
	{"mac alone", macAlone, "", true},
	{"mac and next", macNext + ".L3ByaXZhdGU_eD0x", "/private?x=1", true},
	{"next not base64url", macAlone + ".!!", "", false},
	{"next padded", macAlone + ".Lw==", "", false},
	{"next not local", macAlone + ".Ly9ldmlsLmV4YW1wbGU", "", false}, // "//evil.example"
	{"next absolute", macAlone + ".aHR0cHM6Ly9ldmlsLmV4YW1wbGUv", "", false},
	{"next empty", macAlone + ".", "", false},
	{"two dots", macNext + ".L3ByaXZhdGU_eD0x.Lw", "", false},
	{"mac short", macAlone[:40], "", false},
	{"mac long", macAlone + "AA", "", false},
	{"mac not canonical", macAlone[:42] + "f", "", false}, // nonzero unused bits
	{"an XSRF token", "2|0a0b0c0d|00112233445566778899aabbccddeeff|1700000000", "", false},
	{"empty", "", "", false},
	{"dot only", ".", "", false},
}

func TestParseState(t *testing.T) {
	for _, tt := range stateTests {
		mac, next, ok := parseState(tt.state)
		if ok != tt.ok || next != tt.next || ok && len(mac) != sha256.Size {
			t.Errorf("%s: parseState(%q) = %x, %q, %v; want %q, %v", tt.name, tt.state, mac, next, ok, tt.next, tt.ok)
		}
	}
}

func TestEncodeStateDropsForeignNext(t *testing.T) {
	for next, want := range map[string]string{
		"":                      macAlone,
		"/private?x=1":          macNext + ".L3ByaXZhdGU_eD0x",
		"//evil.example":        macAlone,
		"https://evil.example/": macAlone,
		"/\\evil":               macAlone,
		"/ok\r\nSet-Cookie: x":  macAlone,
	} {
		if got := encodeState(testRaw, next); got != want {
			t.Errorf("encodeState(raw, %q) = %q, want %q", next, got, want)
		}
	}
}

// TestStateBindsTokenAndNext: the state depends on the token and on next,
// and holds neither the token nor anything it can be read back from.
func TestStateBindsTokenAndNext(t *testing.T) {
	other := bytes.Clone(testRaw)
	other[0] ^= 1
	a, b, c := encodeState(testRaw, "/a"), encodeState(other, "/a"), encodeState(testRaw, "/b")
	if a == b || a[:43] == c[:43] {
		t.Errorf("states %q, %q, %q: the MAC ignores the token or next", a, b, c)
	}
	for _, st := range []string{a, encodeState(testRaw, "")} {
		dec, _ := base64.RawURLEncoding.DecodeString(strings.Split(st, ".")[0])
		if strings.Contains(st, hex.EncodeToString(testRaw)) || bytes.Contains(dec, testRaw) {
			t.Errorf("state %q carries the raw token", st)
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

// FuzzParseState checks the state's invariants: a return page read back
// is always local (never an open redirect), a state that parses is spelt
// exactly as encodeState spells its parts (one state per MAC and page),
// and what encodeState writes parses back to the MAC of its token and the
// page it kept.
func FuzzParseState(f *testing.F) {
	for _, tt := range stateTests {
		f.Add(tt.state, testRaw, "/x")
	}
	f.Fuzz(func(t *testing.T, state string, raw []byte, next string) {
		mac, got, ok := parseState(state)
		if ok {
			if got != "" && !web.IsLocalURL(got) {
				t.Fatalf("parseState(%q) returns the non-local page %q", state, got)
			}
			again := stateEncoding.EncodeToString(mac)
			if got != "" {
				again += "." + stateEncoding.EncodeToString([]byte(got))
			}
			if again != state {
				t.Fatalf("parseState(%q) accepts another spelling of %q", state, again)
			}
		}
		want := next
		if !web.IsLocalURL(next) {
			want = ""
		}
		mac, got, ok = parseState(encodeState(raw, next))
		if !ok || got != want || !hmac.Equal(mac, stateMAC(raw, want)) {
			t.Fatalf("encodeState(%x, %q) parses as %x, %q, %v", raw, next, mac, got, ok)
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
