package httpserver

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// TestConnSize guards the cost of an idle connection: the conn struct is
// the server's part of it (the stream and the loop's fd slot are the
// rest; no closures).
func TestConnSize(t *testing.T) {
	if n := unsafe.Sizeof(conn{}); n > 96 {
		t.Fatalf("conn is %d bytes, want at most 96", n)
	}
}

// TestIdleConnHoldsNothing: between requests a connection keeps no
// exchange (request, response, buffers): they went back to the loop.
func TestIdleConnHoldsNothing(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{})
	resp, _, _ := roundTrip(t, srv, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", "POST")
	if resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode)
	}
	l := srv.Loops()[0]
	done := make(chan string)
	l.AddCallback(func() {
		lc := srv.lookup(l)
		var b strings.Builder
		for _, c := range lc.conns {
			if c.ex != nil || c.state != stIdle {
				fmt.Fprintf(&b, "conn in state %d holds exchange %v; ", c.state, c.ex != nil)
			}
		}
		if len(lc.conns) != 1 {
			fmt.Fprintf(&b, "%d conns", len(lc.conns))
		}
		done <- b.String()
	})
	if msg := <-done; msg != "" {
		t.Fatal(msg)
	}
}
