package httputil

import "testing"

func TestValidIP(t *testing.T) {
	good := []string{"127.0.0.1", "4.4.4.4", "::1", "2620:0:1cfe:face:b00c::3", "fe80::1%eth0", "::ffff:1.2.3.4"}
	bad := []string{"", "www.google.com", "localhost", "4.4.4.4<", " 127.0.0.1", "127.0.0.1 ", "127.0.0.1\x00", "127.1", "1.2.3.256", "0x7f.0.0.1", "[::1]", "::1:", "1.2.3.4:80"}
	for _, s := range good {
		if !ValidIP(s) {
			t.Errorf("ValidIP(%q) = false", s)
		}
	}
	for _, s := range bad {
		if ValidIP(s) {
			t.Errorf("ValidIP(%q) = true", s)
		}
	}
}

func TestSplitHostPort(t *testing.T) {
	tests := []struct {
		in   string
		host string
		port int
	}{
		{"example.com", "example.com", -1},
		{"example.com:8080", "example.com", 8080},
		{"example.com:0", "example.com", 0},
		{"example.com:", "example.com:", -1},
		{"example.com:8a", "example.com:8a", -1},
		{"example.com:99999", "example.com", -1},
		{"example.com:0000080", "example.com", 80},
		{"[::1]:80", "[::1]", 80},
		{"[::1]", "[::1]", -1},
		{"::1", ":", 1}, // Tornado's pattern reads a bare IPv6 address so
		{":80", ":80", -1},
		{"a:b:80", "a:b", 80},
		{"", "", -1},
	}
	for _, tt := range tests {
		host, port := SplitHostPort(tt.in)
		if host != tt.host || port != tt.port {
			t.Errorf("SplitHostPort(%q) = %q, %d; want %q, %d", tt.in, host, port, tt.host, tt.port)
		}
	}
}
