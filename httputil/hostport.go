package httputil

import (
	"net/netip"
	"strings"
)

// ValidIP reports whether s is an IPv4 address in dotted-quad form or an
// IPv6 address (with an optional %zone), Tornado's netutil.is_valid_ip. The
// server uses it to vet X-Real-Ip and X-Forwarded-For.
//
// It is stricter than Tornado, which asks getaddrinfo and so also takes
// the shorthand forms inet_aton allows ("127.1", "0x7f.0.0.1"): an address
// a proxy wrote has the full form, and the shorthands read differently in
// different libraries.
func ValidIP(s string) bool {
	if s == "" || strings.IndexByte(s, 0) >= 0 {
		return false
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// maxPort is the largest TCP port.
const maxPort = 65535

// SplitHostPort splits "host:port" at its last colon when digits follow
// it, Tornado's split_host_and_port (the pattern ^(.+):(\d+)$). port is -1
// when there is no port, or when the digits exceed 65535 (the host is
// still split off). Brackets stay: "[::1]:80" → "[::1]", 80.
func SplitHostPort(s string) (host string, port int) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || i == len(s)-1 {
		return s, -1
	}
	port = 0
	for _, c := range []byte(s[i+1:]) {
		if c < '0' || c > '9' {
			return s, -1
		}
		if port <= maxPort {
			port = port*10 + int(c-'0')
		}
	}
	if port > maxPort {
		port = -1
	}
	return s[:i], port
}
