package httputil

import (
	"errors"
	"testing"
)

var requestLineTests = []struct {
	name string
	raw  string
	want RequestLine // zero: rejected
}{
	{"simple get", "GET /foo HTTP/1.1", RequestLine{"GET", "/foo", "HTTP/1.1"}},
	{"http/1.0", "POST /a?b=c HTTP/1.0", RequestLine{"POST", "/a?b=c", "HTTP/1.0"}},
	{"asterisk form", "OPTIONS * HTTP/1.1", RequestLine{"OPTIONS", "*", "HTTP/1.1"}},
	{"absolute form", "GET http://example.com/x HTTP/1.1", RequestLine{"GET", "http://example.com/x", "HTTP/1.1"}},
	{"authority form", "CONNECT example.com:443 HTTP/1.1", RequestLine{"CONNECT", "example.com:443", "HTTP/1.1"}},
	{"extension method", "PURGE /x HTTP/1.1", RequestLine{"PURGE", "/x", "HTTP/1.1"}},
	{"lower-case method is a token", "get / HTTP/1.1", RequestLine{"get", "/", "HTTP/1.1"}},
	{"percent and punctuation in target", "GET /%7E!$&'()*+,;=:@-._~?%20 HTTP/1.1", RequestLine{"GET", "/%7E!$&'()*+,;=:@-._~?%20", "HTTP/1.1"}},

	{"empty", "", RequestLine{}},
	{"only method", "GET", RequestLine{}},
	{"http/0.9 form", "GET /", RequestLine{}},
	{"two spaces", "GET  / HTTP/1.1", RequestLine{}},
	{"trailing space", "GET / HTTP/1.1 ", RequestLine{}},
	{"leading space", " GET / HTTP/1.1", RequestLine{}},
	{"tab separator", "GET\t/ HTTP/1.1", RequestLine{}},
	{"space in target", "GET /a b HTTP/1.1", RequestLine{}},
	{"empty target", "GET  HTTP/1.1", RequestLine{}},
	{"empty method", " / HTTP/1.1", RequestLine{}},
	{"method with slash", "GE/T / HTTP/1.1", RequestLine{}},
	{"method with colon", "GET: / HTTP/1.1", RequestLine{}},
	{"method non-ascii", "G\xc3\x89T / HTTP/1.1", RequestLine{}},
	{"NUL in target", "GET /\x00 HTTP/1.1", RequestLine{}},
	{"DEL in target", "GET /\x7f HTTP/1.1", RequestLine{}},
	{"obs-text in target", "GET /caf\xc3\xa9 HTTP/1.1", RequestLine{}},
	{"CR in line", "GET / HTTP/1.1\r", RequestLine{}},
	{"http/2.0", "GET / HTTP/2.0", RequestLine{}},
	{"http/1.2", "GET / HTTP/1.2", RequestLine{}},
	{"http/1.10", "GET / HTTP/1.10", RequestLine{}},
	{"lower-case version", "GET / http/1.1", RequestLine{}},
	{"version without minor", "GET / HTTP/1", RequestLine{}},
	{"no version", "GET / ", RequestLine{}},
	{"https version", "GET / HTTPS/1.1", RequestLine{}},
	{"extra part", "GET / HTTP/1.1 x", RequestLine{}},
}

func TestParseRequestLine(t *testing.T) {
	for _, tt := range requestLineTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRequestLine(tt.raw)
			if tt.want == (RequestLine{}) {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("ParseRequestLine(%q) = %+v, %v; want *InputError", tt.raw, got, err)
				}
				if got != (RequestLine{}) {
					t.Errorf("fields set on error: %+v", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseRequestLine(%q) = %+v, %v; want %+v", tt.raw, got, err, tt.want)
			}
		})
	}
}
