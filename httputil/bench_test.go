package httputil

import (
	"net/url"
	"testing"
	"time"
)

func BenchmarkHeadersRequestCycle(b *testing.B) {
	var h Headers
	b.ReportAllocs()
	for b.Loop() {
		h.Add("Host", "example.com")
		h.Add("User-Agent", "wrk")
		h.Add("Accept", "*/*")
		h.Add("Connection", "keep-alive")
		_ = h.Get("Connection")
		_ = h.Get("Content-Length")
		_ = h.Has("Transfer-Encoding")
		h.Reset()
	}
}

func BenchmarkParseRequestLine(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseRequestLine("GET /plaintext?x=1 HTTP/1.1")
	}
}

func BenchmarkAppendTimestamp(b *testing.B) {
	buf := make([]byte, 0, 32)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendTimestamp(buf[:0], now)
	}
}

func BenchmarkParseMultipart(b *testing.B) {
	body := []byte(multipartBody(20, "; filename=\"a.txt\""))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := ParseBodyArguments("multipart/form-data; boundary=b", body, url.Values{}, map[string][]*File{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCookie(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = ParseCookie(`_xsrf=2|abc|def|123; user="2|1:0|10:1700000000|4:user|8:Ym9i|abcdef"; theme=dark`)
	}
}
