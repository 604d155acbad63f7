package httpserver

import (
	"net/netip"
	"testing"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
	"golang.org/x/sys/unix"
)

// benchConn makes a connection over a socketpair on a loop that is not
// running, so that the benchmark can drive handleData itself. A goroutine
// drains the peer.
func benchConn(b *testing.B, h Handler) *conn {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		b.Fatal(err)
	}
	unix.SetNonblock(fds[0], true)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			if n, err := unix.Read(fds[1], buf); n <= 0 || err != nil {
				return
			}
		}
	}()
	l, err := ioloop.New(ioloop.WithWatchdog(0))
	if err != nil {
		b.Fatal(err)
	}
	srv := New(h, Options{Logger: quietLogger})
	st := iostream.New(l, fds[0])
	streamHandler{srv}.HandleStream(st, netip.AddrPort{})
	c := srv.lookup(l).conns[0]
	b.Cleanup(func() {
		st.Close()
		unix.Close(fds[1])
		l.Close()
	})
	return c
}

// BenchmarkServe measures the server's work for one keep-alive request:
// parse, handler, response, and the write(2) that sends it.
func BenchmarkServe(b *testing.B) {
	for _, bm := range []struct {
		name string
		req  string
	}{
		{"wrk", "GET / HTTP/1.1\r\nHost: 127.0.0.1:8888\r\n\r\n"},
		{"browser", "GET /path/to/page?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n" +
			"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.5\r\n" +
			"Cookie: session=abcdef0123456789; theme=dark\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			c := benchConn(b, HandlerFunc(helloHandler))
			req := []byte(bm.req)
			data := make([]byte, len(req))
			b.SetBytes(int64(len(req)))
			b.ReportAllocs()
			for b.Loop() {
				copy(data, req)
				if n := c.HandleData(data); n != len(data) {
					b.Fatalf("consumed %d of %d", n, len(data))
				}
			}
		})
	}
}

// BenchmarkParseHead measures the head parser alone.
func BenchmarkParseHead(b *testing.B) {
	req := []byte("GET /path/to/page?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n" +
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.5\r\n" +
		"Cookie: session=abcdef0123456789; theme=dark\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n")
	var r Request
	var h headInfo
	b.SetBytes(int64(len(req)))
	b.ReportAllocs()
	for b.Loop() {
		r.reset()
		if n, _, err := parseHead(req, &r, &h, DefaultMaxHeaderSize); n != len(req) || err != nil {
			b.Fatal(n, err)
		}
	}
}
