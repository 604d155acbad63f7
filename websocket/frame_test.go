package websocket

import (
	"bytes"
	"errors"
	"testing"
)

func TestReadFrame(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		max     int
		rsv1    bool
		n       int
		op      byte
		fin     bool
		payload string
		code    int // expected close code of the error, 0: none
	}{
		{"empty", nil, 100, false, 0, 0, false, "", 0},
		{"one byte", []byte{0x81}, 100, false, 0, 0, false, "", 0},
		{"unmasked text", []byte{0x81, 0x02, 'h', 'i'}, 100, false, 4, opText, true, "hi", 0},
		{"partial payload", []byte{0x81, 0x03, 'h', 'i'}, 100, false, 0, 0, false, "", 0},
		{"masked text (RFC 5.7)", []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, 100, false, 11, opText, true, "Hello", 0},
		{"partial mask key", []byte{0x81, 0x85, 0x37, 0xfa}, 100, false, 0, 0, false, "", 0},
		{"fragment", []byte{0x01, 0x03, 'H', 'e', 'l'}, 100, false, 5, opText, false, "Hel", 0},
		{"continuation", []byte{0x80, 0x02, 'l', 'o'}, 100, false, 4, opContinuation, true, "lo", 0},
		{"ping", []byte{0x89, 0x05, 'H', 'e', 'l', 'l', 'o'}, 100, false, 7, opPing, true, "Hello", 0},
		{"16-bit length", append([]byte{0x82, 126, 0x01, 0x00}, make([]byte, 256)...), 1000, false, 260, opBinary, true, string(make([]byte, 256)), 0},
		{"16-bit partial", []byte{0x82, 126, 0x01}, 1000, false, 0, 0, false, "", 0},
		{"64-bit length", append([]byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}, make([]byte, 65536)...), 1 << 20, false, 65546, opBinary, true, string(make([]byte, 65536)), 0},
		{"64-bit top bit", []byte{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0}, 1 << 20, false, 0, 0, false, "", 1002},
		{"too big", []byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}, 1000, false, 0, 0, false, "", 1009},
		{"rsv1 not negotiated", []byte{0xc1, 0x00}, 100, false, 0, 0, false, "", 1002},
		{"rsv1 negotiated", []byte{0xc1, 0x00}, 100, true, 2, opText, true, "", 0},
		{"rsv1 on ping", []byte{0xc9, 0x00}, 100, true, 0, 0, false, "", 1002},
		{"rsv2", []byte{0xa1, 0x00}, 100, false, 0, 0, false, "", 1002},
		{"rsv3", []byte{0x91, 0x00}, 100, false, 0, 0, false, "", 1002},
		{"opcode 3", []byte{0x83, 0x00}, 100, false, 0, 0, false, "", 1002},
		{"opcode 0xB", []byte{0x8b, 0x00}, 100, false, 0, 0, false, "", 1002},
		{"fragmented close", []byte{0x08, 0x00}, 100, false, 0, 0, false, "", 1002},
		{"ping 126", []byte{0x89, 126, 0, 126}, 1000, false, 0, 0, false, "", 1002},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, n, err := readFrame(bytes.Clone(tt.in), tt.max, tt.rsv1)
			if tt.code != 0 {
				var ce *CloseError
				if !errors.As(err, &ce) || ce.Code != tt.code {
					t.Fatalf("err %v, want close %d", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.n {
				t.Fatalf("n %d, want %d", n, tt.n)
			}
			if n == 0 {
				return
			}
			if f.opcode != tt.op || f.fin != tt.fin || string(f.payload) != tt.payload {
				t.Fatalf("got op %d fin %v %q", f.opcode, f.fin, f.payload)
			}
		})
	}
}

func TestAppendFrameRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, 125, 126, 65535, 65536, 100000} {
		for _, masked := range []bool{false, true} {
			p := bytes.Repeat([]byte{0xab, 0x01, 0x7f}, size/3+1)[:size]
			b := appendFrame(nil, opBinary, true, false, p, masked, [4]byte{9, 8, 7, 6})
			f, n, err := readFrame(b, 1<<20, false)
			if err != nil || n != len(b) || !bytes.Equal(f.payload, p) || f.masked != masked {
				t.Fatalf("size %d masked %v: n %d err %v", size, masked, n, err)
			}
		}
	}
}

func TestMaskBytesOffsets(t *testing.T) {
	key := [4]byte{1, 2, 3, 4}
	src := bytes.Repeat([]byte("abcdefghij"), 10)
	want := bytes.Clone(src)
	for i := range want {
		want[i] ^= key[i&3]
	}
	for split := 0; split < len(src); split += 7 {
		got := bytes.Clone(src)
		pos := maskBytes(key, 0, got[:split])
		maskBytes(key, pos, got[split:])
		if !bytes.Equal(got, want) {
			t.Fatalf("split %d", split)
		}
	}
}

func TestDeflateRoundTrip(t *testing.T) {
	msg := bytes.Repeat([]byte("hello websocket "), 1000)
	z, err := deflateMessage(nil, msg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(z) >= len(msg)/10 {
		t.Fatalf("compressed to %d", len(z))
	}
	out, err := inflateMessage(nil, z, len(msg))
	if err != nil || !bytes.Equal(out, msg) {
		t.Fatalf("inflate: %v", err)
	}
	if _, err := inflateMessage(nil, z, len(msg)-1); err != errTooBig {
		t.Fatalf("limit: %v", err)
	}
	if _, err := inflateMessage(nil, []byte{0xff, 0xff, 0xff}, 100); err == nil {
		t.Fatal("garbage inflated")
	}
}

func TestServerDeflateResponse(t *testing.T) {
	const on = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
	tests := []struct{ offer, want string }{
		{"", ""},
		{"permessage-deflate", on},
		{"permessage-deflate; client_max_window_bits", on},
		{"permessage-deflate; server_max_window_bits=10", ""},
		{"permessage-deflate; server_max_window_bits=10, permessage-deflate", on},
		{"permessage-deflate; server_max_window_bits=15", on},
		{"x-webkit-deflate-frame", ""},
		{"permessage-deflate; unknown=1", ""},
	}
	for _, tt := range tests {
		if got := serverDeflateResponse(tt.offer); got != tt.want {
			t.Errorf("%q: got %q", tt.offer, got)
		}
	}
}

func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, true)
	f.Add([]byte{0x82, 126, 0x00, 0x02, 1, 2}, false)
	f.Add([]byte{0x82, 127, 0, 0, 0, 0, 0, 0, 0, 1, 9}, false)
	f.Add([]byte{0xc9, 0x00}, true)
	f.Fuzz(func(t *testing.T, data []byte, rsv1 bool) {
		in := bytes.Clone(data)
		fr, n, err := readFrame(in, 1<<16, rsv1)
		if err != nil || n == 0 {
			return
		}
		if n > len(data) || len(fr.payload) > 1<<16 {
			t.Fatalf("n %d of %d", n, len(data))
		}
		// Re-encoding gives a frame that parses to the same thing.
		var key [4]byte
		if fr.masked {
			copy(key[:], data[n-len(fr.payload)-4:])
		}
		b := appendFrame(nil, fr.opcode, fr.fin, fr.rsv1, fr.payload, fr.masked, key)
		fr2, n2, err := readFrame(b, 1<<16, rsv1)
		if err != nil || n2 != len(b) || !bytes.Equal(fr2.payload, fr.payload) || fr2.opcode != fr.opcode || fr2.fin != fr.fin {
			t.Fatalf("round trip: %v", err)
		}
	})
}
