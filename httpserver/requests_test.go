package httpserver

import (
	"strings"
	"testing"
)

// requestTests are single requests on a fresh connection: either refused
// (status, Connection: close, then closed) or answered by echo (want).
var requestTests = []struct {
	name   string
	raw    string
	status int    // 200: accepted
	want   string // echo's body for accepted requests
}{
	// Accepted.
	{"simple GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 200, "GET / 0 "},
	{"query kept", "GET /p?a=1&b HTTP/1.1\r\nHost: a\r\n\r\n", 200, "GET /p?a=1&b 0 "},
	{"bare LF line endings", "GET / HTTP/1.1\nHost: a\n\n", 200, "GET / 0 "},
	{"one leading CRLF ignored", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 200, "GET / 0 "},
	{"content-length body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", 200, "POST / 3 abc"},
	{"leading zeros in content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 003\r\n\r\nabc", 200, "POST / 3 abc"},
	{"identical content-length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc", 200, "POST / 3 abc"},
	{"identical content-length fields", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 200, "POST / 3 abc"},
	{"zero content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 200, "POST / 0 "},
	{"chunked body", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 200, "POST / 5 abcde"},
	{"chunked upper-case", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 200, "POST / 3 abc"},
	{"chunk extension", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0;z\r\n\r\n", 200, "POST / 3 abc"},
	{"chunk extension after space", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 ;x\r\nabc\r\n0\r\n\r\n", 200, "POST / 3 abc"},
	{"hex chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", 200, "POST / 10 0123456789"},
	{"chunked trailer", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-Sum: 1\r\n\r\n", 200, "POST / 1 x"},
	{"header value trimmed", "GET / HTTP/1.1\r\nHost:   a \t\r\n\r\n", 200, "GET / 0 "},
	{"empty header value", "GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\n\r\n", 200, "GET / 0 "},
	{"obs-text in value", "GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n", 200, "GET / 0 "},
	{"http/1.0 without host", "GET / HTTP/1.0\r\n\r\n", 200, "GET / 0 "},
	{"unknown method is a token", "FOO / HTTP/1.1\r\nHost: a\r\n\r\n", 200, "FOO / 0 "},
	{"absolute-form target", "GET http://a/p?q HTTP/1.1\r\nHost: a\r\n\r\n", 200, "GET http://a/p?q 0 "},
	{"asterisk-form with OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 200, "OPTIONS * 0 "},
	{"host with port", "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", 200, "GET / 0 "},
	{"host IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", 200, "GET / 0 "},
	{"empty host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 200, "GET / 0 "},
	{"percent-encoded target", "GET /a%2Fb?c=%e9 HTTP/1.1\r\nHost: a\r\n\r\n", 200, "GET /a%2Fb?c=%e9 0 "},
	{"host reg-name with sub-delims", "GET / HTTP/1.1\r\nHost: a,b!c$d&e'f(g)h*i+j;k=l\r\n\r\n", 200, "GET / 0 "},
	{"chunk size with leading zeros", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n000000000000000000003\r\nabc\r\n0\r\n\r\n", 200, "POST / 3 abc"},
	{"lower-case names", "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 1\r\n\r\nx", 200, "POST / 1 x"},

	// Request line.
	{"empty line twice before request", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"no version", "GET /\r\nHost: a\r\n\r\n", 400, ""},
	{"two spaces", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"trailing space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, ""},
	{"tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 400, ""},
	{"HTTP/1.2 served as 1.1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 200, "GET / 0 "},
	{"HTTP/1.2 without host", "GET / HTTP/1.2\r\n\r\n", 400, ""},
	{"HTTP/1.10", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, ""},
	{"bad percent-encoding", "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"lone percent", "GET /a% HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"one hex digit after percent", "GET /a?b=%4 HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"bare CR as blank line", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", 400, ""},
	{"lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"HTTP/0.9 style", "GET /\r\n\r\n", 400, ""},
	{"method with illegal char", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"method with slash", "GET/ / HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"control in target", "GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"non-ASCII in target", "GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"relative target", "GET p HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"asterisk with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"NUL in request line", "GET /\x00 HTTP/1.1\r\nHost: a\r\n\r\n", 400, ""},
	{"bare CR in request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", 400, ""},

	// Header fields.
	{"obs-fold continuation line", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n", 400, ""},
	{"obs-fold with tab", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\t2\r\n\r\n", 400, ""},
	{"space before colon", "GET / HTTP/1.1\r\nHost: a\r\nX : 1\r\n\r\n", 400, ""},
	{"space in name", "GET / HTTP/1.1\r\nHost: a\r\nX Y: 1\r\n\r\n", 400, ""},
	{"no colon", "GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n", 400, ""},
	{"empty name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", 400, ""},
	{"NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", 400, ""},
	{"bare CR in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400, ""},
	{"DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n", 400, ""},
	{"non-ASCII in name", "GET / HTTP/1.1\r\nHost: a\r\nX\xc3\xa9: 1\r\n\r\n", 400, ""},
	{"missing host in 1.1", "GET / HTTP/1.1\r\n\r\n", 400, ""},
	{"two host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, ""},
	{"two host fields in 1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400, ""},
	{"hash in host", "GET / HTTP/1.1\r\nHost: a#b\r\n\r\n", 400, ""},
	{"question mark in host", "GET / HTTP/1.1\r\nHost: a?b\r\n\r\n", 400, ""},
	{"space in host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, ""},
	{"slash in host", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, ""},
	{"at in host", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, ""},

	// Framing.
	{"content-length and transfer-encoding together", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, ""},
	{"transfer-encoding then content-length", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400, ""},
	{"differing content-length fields", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400, ""},
	{"differing content-length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\nabcd", 400, ""},
	{"plus sign in content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc", 400, ""},
	{"negative content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -3\r\n\r\nabc", 400, ""},
	{"hex content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x3\r\n\r\nabc", 400, ""},
	{"empty content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400, ""},
	{"content-length with inner space", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400, ""},
	{"content-length empty list item", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3,\r\n\r\nabc", 400, ""},
	{"transfer-encoding gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400, ""},
	{"transfer-encoding list", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400, ""},
	{"transfer-encoding chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, ""},
	{"transfer-encoding identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 400, ""},
	{"transfer-encoding in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, ""},
	{"bad hex chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400, ""},
	{"negative chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n", 400, ""},
	{"empty chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nabc\r\n0\r\n\r\n", 400, ""},
	{"0x chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n", 400, ""},
	{"chunk size 16 significant digits", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0001000000000000000\r\nabc\r\n0\r\n\r\n", 400, ""},
	{"chunk size overflow", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000003\r\nabc\r\n0\r\n\r\n", 400, ""},
	{"bare LF after chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400, ""},
	{"bare LF after chunk data", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n", 400, ""},
	{"chunk data longer than size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", 400, ""},
	{"space inside chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1 2\r\nabc\r\n0\r\n\r\n", 400, ""},
	{"control in chunk extension", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;\x01\r\nabc\r\n0\r\n\r\n", 400, ""},
	{"bad trailer", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX Y: 1\r\n\r\n", 400, ""},
	{"trailer with bare LF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\n\r\n", 400, ""},

	// Limits.
	{"content-length over body limit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n", 413, ""},
	{"huge content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413, ""},
	{"chunked over body limit", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n" + strings.Repeat("x", 1025) + "\r\n0\r\n\r\n", 413, ""},
	{"chunked total over body limit", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n" + strings.Repeat("x", 512) + "\r\n201\r\n" + strings.Repeat("x", 513) + "\r\n0\r\n\r\n", 413, ""},
	{"head over header limit", "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("x", 4096) + "\r\n\r\n", 431, ""},
	{"request line over header limit", "GET /" + strings.Repeat("x", 4096) + " HTTP/1.1\r\nHost: a\r\n\r\n", 431, ""},
	{"head exactly at the limit", "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("x", 4096-32) + "\r\n\r\n", 200, "GET / 0 "},
	{"head one byte over the limit", "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("x", 4097-32) + "\r\n\r\n", 431, ""},
	{"100 fields accepted", "GET / HTTP/1.1\r\n" + strings.Repeat("X: 1\r\n", 99) + "Host: a\r\n\r\n", 200, "GET / 0 "},
	{"body exactly at the limit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1024\r\n\r\n" + strings.Repeat("x", 1024), 200, "POST / 1024 " + strings.Repeat("x", 1024)},
	{"too many fields", "GET / HTTP/1.1\r\nHost: a\r\n" + strings.Repeat("X: 1\r\n", 100) + "\r\n", 431, ""},
}

func TestRequests(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{MaxBodySize: 1024, MaxHeaderSize: 4096})
	for _, tt := range requestTests {
		t.Run(tt.name, func(t *testing.T) {
			method := "GET"
			if strings.HasPrefix(strings.TrimLeft(tt.raw, "\r\n"), "HEAD") {
				method = "HEAD"
			}
			resp, br, _ := roundTrip(t, srv, tt.raw, method)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (body %q)", resp.StatusCode, tt.status, resp.body)
			}
			if tt.status != 200 {
				if !resp.Close {
					t.Errorf("refusal without Connection: close: %v", resp.Header)
				}
				expectClosed(t, br)
				return
			}
			if resp.body != tt.want {
				t.Errorf("body %q, want %q", resp.body, tt.want)
			}
		})
	}
}
