package main

import (
	"bytes"
	"strings"
	"testing"
)

var frameTests = []struct {
	name    string
	raw     string
	n       int    // bytes taken; 0: incomplete (or an error)
	op      byte   // when n > 0
	payload string // when n > 0
	err     string // substring of the error; "": none
}{
	{"empty input is incomplete", "", 0, 0, "", ""},
	{"one byte is incomplete", "\x81", 0, 0, "", ""},
	{"short text frame", "\x81\x05hello", 7, opText, "hello", ""},
	{"text frame followed by more", "\x81\x02hi\x81", 4, opText, "hi", ""},
	{"payload not all here", "\x81\x05hel", 0, 0, "", ""},
	{"16-bit length", "\x82\x7e\x00\x7e" + strings.Repeat("x", 126), 130, opBinary, strings.Repeat("x", 126), ""},
	{"16-bit length header cut", "\x82\x7e\x00", 0, 0, "", ""},
	{"64-bit length", "\x82\x7f\x00\x00\x00\x00\x00\x00\x00\x03abc", 13, opBinary, "abc", ""},
	{"64-bit length header cut", "\x82\x7f\x00\x00", 0, 0, "", ""},
	{"close frame with code", "\x88\x02\x03\xe8", 4, opClose, "\x03\xe8", ""},
	{"masked server frame", "\x81\x85abcd12345", 0, 0, "", "masked"},
	{"reserved bit 2", "\xa1\x00", 0, 0, "", "reserved"},
	{"reserved bit 3", "\x91\x00", 0, 0, "", "reserved"},
	{"control frame over 125 bytes", "\x89\x7e\x00\x7e", 0, 0, "", "control frame"},
	{"fragmented control frame", "\x09\x00", 0, 0, "", "control frame"},
	{"frame over the size limit", "\x82\x7f\x00\x00\x00\x00\x00\x20\x00\x00", 0, 0, "", "limit"},
	{"64-bit length with the top bit set", "\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00", 0, 0, "", "limit"},
}

func TestParseFrame(t *testing.T) {
	for _, tt := range frameTests {
		f, n, err := parseFrame([]byte(tt.raw))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if n != tt.n {
			t.Errorf("%s: took %d bytes, want %d", tt.name, n, tt.n)
			continue
		}
		if n > 0 && (f.op != tt.op || string(f.payload) != tt.payload || !f.fin) {
			t.Errorf("%s: op 0x%x fin %v payload %q, want op 0x%x payload %q", tt.name, f.op, f.fin, f.payload, tt.op, tt.payload)
		}
	}
}

// unmask turns a client frame (as appendFrame writes it) into the server
// frame with the same payload.
func unmask(t *testing.T, b []byte) []byte {
	t.Helper()
	if b[1]&0x80 == 0 {
		t.Fatal("client frame not masked")
	}
	head := 2
	switch b[1] & 0x7f {
	case 126:
		head = 4
	case 127:
		head = 10
	}
	key := b[head : head+4]
	out := append([]byte{b[0], b[1] &^ 0x80}, b[2:head]...)
	for i, c := range b[head+4:] {
		out = append(out, c^key[i&3])
	}
	return out
}

func TestAppendFrameRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, 125, 126, 0xffff, 0x10000} {
		payload := bytes.Repeat([]byte{'a', 'b', 'c'}, size/3+1)[:size]
		for _, compressed := range []bool{false, true} {
			raw := appendFrame(nil, opText, payload, compressed, [4]byte{1, 2, 3, 4})
			f, n, err := parseFrame(unmask(t, raw))
			if err != nil || n != len(raw)-4 {
				t.Fatalf("size %d: n %d err %v", size, n, err)
			}
			if !bytes.Equal(f.payload, payload) || f.rsv1 != compressed || f.op != opText || !f.fin {
				t.Errorf("size %d compressed %v: got op %x rsv1 %v %d bytes", size, compressed, f.op, f.rsv1, len(f.payload))
			}
		}
	}
}

// FuzzParseFrame checks parseFrame's framing: a frame it takes lies within
// the input, parses the same alone, and one byte less is incomplete, not
// an error.
func FuzzParseFrame(f *testing.F) {
	for _, tt := range frameTests {
		f.Add([]byte(tt.raw))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := parseFrame(b)
		if err != nil || n == 0 {
			return
		}
		if n > len(b) || len(fr.payload) > n {
			t.Fatalf("took %d of %d bytes, payload %d", n, len(b), len(fr.payload))
		}
		again, n2, err := parseFrame(b[:n])
		if err != nil || n2 != n || !bytes.Equal(again.payload, fr.payload) || again.op != fr.op {
			t.Fatalf("the frame alone parses differently: %d %v", n2, err)
		}
		if _, n3, err := parseFrame(b[:n-1]); n3 != 0 || err != nil {
			t.Fatalf("one byte short: took %d, error %v", n3, err)
		}
	})
}

func TestCodecRoundTrip(t *testing.T) {
	z := newCodec()
	for _, msg := range []string{"", "a", strings.Repeat("compress me ", 100)} {
		c, err := z.compress([]byte(msg))
		if err != nil {
			t.Fatal(err)
		}
		c = bytes.Clone(c)
		d, err := z.decompress(c, 1<<20)
		if err != nil || string(d) != msg {
			t.Errorf("%.20q: got %.20q, %v", msg, d, err)
		}
		if len(msg) > 100 {
			if _, err := z.decompress(c, 100); err == nil {
				t.Errorf("%.20q: inflated past the limit without an error", msg)
			}
		}
	}
	if _, err := z.decompress([]byte{0xff, 0xff, 0xff}, 100); err == nil {
		t.Error("garbage inflated without an error")
	}
}

func TestFillPayload(t *testing.T) {
	p := make([]byte, 32)
	fillPayload(p, 12345)
	if want := "abcdefghijkl00000000000000012345"; string(p) != want {
		t.Errorf("got %q, want %q", p, want)
	}
	q := make([]byte, 32)
	fillPayload(q, 12346)
	if bytes.Equal(p, q) {
		t.Error("two sequence numbers gave one message")
	}
}
