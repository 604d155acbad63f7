//go:build !race

package httpserver

import (
	"io"
	"testing"
)

// TestServeAllocs: serving a keep-alive request over a real socket (parse,
// handler, response, write) allocates nothing, on the loop or here.
func TestServeAllocs(t *testing.T) {
	tests := []struct {
		name string
		req  string
	}{
		{"wrk hello", "GET / HTTP/1.1\r\nHost: 127.0.0.1:8888\r\n\r\n"},
		{"browser-like", "GET /path/to/page?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n" +
			"Accept: text/html,application/xhtml+xml\r\nAccept-Encoding: gzip, deflate\r\naccept-language: en-US,en;q=0.5\r\n" +
			"Cookie: a=b; c=d\r\nConnection: keep-alive\r\n\r\n"},
		{"post with body", "POST /form HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2"},
		{"pipelined pair", "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, HandlerFunc(helloHandler), Options{})
			c := dial(t, srv)
			req := []byte(tt.req)
			buf := make([]byte, 4096)
			// Learn the size of the answer, then warm up.
			c.Write(req)
			n, err := c.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "pipelined pair" && n < 2*100 {
				m, _ := io.ReadAtLeast(c, buf[n:], 1)
				n += m
			}
			size := n
			serve := func() {
				if _, err := c.Write(req); err != nil {
					t.Fatal(err)
				}
				if _, err := io.ReadFull(c, buf[:size]); err != nil {
					t.Fatal(err)
				}
			}
			for range 100 {
				serve()
			}
			if allocs := testing.AllocsPerRun(1000, serve); allocs != 0 {
				t.Fatalf("serving a request allocates %.2f times", allocs)
			}
		})
	}
}
