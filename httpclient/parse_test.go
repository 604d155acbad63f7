package httpclient

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseStatusLine(t *testing.T) {
	tests := []struct {
		in     string
		code   int
		reason string
		ok     bool
	}{
		{"HTTP/1.1 200 OK", 200, "OK", true},
		{"HTTP/1.0 404 Not Found", 404, "Not Found", true},
		{"HTTP/1.1 204", 204, "", true},
		{"HTTP/1.1 204 ", 204, "", true},
		{"HTTP/2 200 OK", 0, "", false},
		{"HTTP/1.1 20 OK", 0, "", false},
		{"HTTP/1.1 +20 OK", 0, "", false},
		{"HTTP/1.1 099 x", 0, "", false},
		{"garbage", 0, "", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		_, code, reason, ok := parseStatusLine(tt.in)
		if code != tt.code || reason != tt.reason || ok != tt.ok {
			t.Errorf("%q: %d %q %v", tt.in, code, reason, ok)
		}
	}
}

func TestParseChunkSize(t *testing.T) {
	tests := []struct {
		in string
		n  int64
		ok bool
	}{
		{"0\r\n", 0, true},
		{"1a\r\n", 26, true},
		{"FF;ext=1\r\n", 255, true},
		{"10 ; x\r\n", 16, true},
		{"-1\r\n", 0, false},
		{"+1\r\n", 0, false},
		{"0x10\r\n", 0, false},
		{"\r\n", 0, false},
		{"fffffffffffffffff\r\n", 0, false},
		{"80000000\r\n", 0, false},
	}
	for _, tt := range tests {
		n, ok := parseChunkSize([]byte(tt.in))
		if n != tt.n || ok != tt.ok {
			t.Errorf("%q: %d %v", tt.in, n, ok)
		}
	}
}

func FuzzParseStatusLine(f *testing.F) {
	for _, s := range []string{"HTTP/1.1 200 OK", "HTTP/1.0 999 x y", "HTTP/1.1 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		v, code, reason, ok := parseStatusLine(line)
		if !ok {
			return
		}
		if code < 100 || code > 999 || !strings.HasPrefix(line, v+" "+strconv.Itoa(code)) || !strings.HasSuffix(line, reason) {
			t.Fatalf("%q → %q %d %q", line, v, code, reason)
		}
	})
}

func FuzzParseChunkSize(f *testing.F) {
	for _, s := range []string{"0\r\n", "1a;x\r\n", "ffffffff\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		n, ok := parseChunkSize(line)
		if ok && (n < 0 || n > maxChunkSize) {
			t.Fatalf("%q → %d", line, n)
		}
	})
}
