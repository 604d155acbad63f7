package httpserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bigHandler answers /big/N with N bytes.
func bigHandler(w *ResponseWriter, r *Request) {
	var n int
	fmt.Sscanf(r.Path, "/big/%d", &n)
	w.WriteString(strings.Repeat("x", n))
	w.Finish()
}

// waitDropped waits for the server to count no open connection and
// returns how long that took.
func waitDropped(t *testing.T, srv *HTTPServer, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for srv.Connections() > 0 {
		if time.Since(start) > limit {
			t.Fatalf("connection still open after %v", limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// TestSendTimeoutNonReader: a client that never reads a large response is
// dropped at SendTimeout (plus the check period), long before the idle
// timeout.
func TestSendTimeoutNonReader(t *testing.T) {
	const sendTimeout = 600 * time.Millisecond
	for _, tt := range []struct {
		name string
		req  string
	}{
		{"keep-alive", "GET /big/16777216 HTTP/1.1\r\nHost: a\r\n\r\n"},
		{"connection close", "GET /big/16777216 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, HandlerFunc(bigHandler), Options{SendTimeout: sendTimeout, IdleConnectionTimeout: 20 * time.Second})
			c := dial(t, srv)
			io.WriteString(c, tt.req)
			// The stall starts once the response is there (building
			// 16 MiB takes a while under the race detector).
			if _, err := c.Read(make([]byte, 1)); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			waitDropped(t, srv, 5*time.Second)
			el := time.Since(start)
			if el < sendTimeout-100*time.Millisecond || el > sendTimeout+timeSlack*(sendTimeout/4+300*time.Millisecond) {
				t.Fatalf("dropped after %v, want about %v", el, sendTimeout)
			}
		})
	}
}

// TestSendTimeoutTrickle: a client that keeps taking bytes, slowly, is
// not dropped: each progress restarts the send timer (nginx semantics).
// Progress is the kernel taking bytes, which it does in steps (a socket is
// writable again once a third of its send buffer is free): the socket
// buffers are made small so that a slow trickle makes steps.
func TestSendTimeoutTrickle(t *testing.T) {
	const sendTimeout = 1500 * time.Millisecond
	srv := startServer(t, HandlerFunc(bigHandler), Options{SendTimeout: sendTimeout, IdleConnectionTimeout: 20 * time.Second})
	// A small receive buffer, set before connecting (no autotuning), so
	// that the client's reading paces the server's socket.
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 64<<10) })
	}}
	c, err := d.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	// And a small send buffer on the server's side (no autotuning
	// either), so that its steps are small.
	for srv.Connections() == 0 {
		time.Sleep(time.Millisecond)
	}
	l := srv.Loops()[0]
	set := make(chan error)
	l.AddCallback(func() {
		set <- syscall.SetsockoptInt(srv.lookup(l).conns[0].s.Fd(), syscall.SOL_SOCKET, syscall.SO_SNDBUF, 64<<10)
	})
	if err := <-set; err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "GET /big/67108864 HTTP/1.1\r\nHost: a\r\n\r\n")
	buf := make([]byte, 64<<10)
	start := time.Now()
	total := 0
	for time.Since(start) < 3*sendTimeout {
		n, err := io.ReadFull(c, buf[:16<<10])
		total += n
		if err != nil {
			t.Fatalf("trickling client cut after %v and %d bytes: %v", time.Since(start), total, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if srv.Connections() != 1 {
		t.Fatalf("%d connections open, want the trickling one", srv.Connections())
	}
	// Then it stops reading: dropped at the send timeout.
	stop := time.Now()
	waitDropped(t, srv, 5*time.Second)
	if el := time.Since(stop); el < sendTimeout/2 || el > sendTimeout+timeSlack*(sendTimeout/4+500*time.Millisecond) {
		t.Fatalf("dropped %v after the client stopped reading, want about %v", el, sendTimeout)
	}
}

// TestSendTimeoutIdleAfterDrain: a client slow to take a response is not
// dropped at the idle timeout while the output is pending; once it has
// all gone, the connection waits for a next request for the idle
// timeout, then closes.
func TestSendTimeoutIdleAfterDrain(t *testing.T) {
	const idle = 400 * time.Millisecond
	srv := startServer(t, HandlerFunc(bigHandler), Options{SendTimeout: 10 * time.Second, IdleConnectionTimeout: idle})
	c := dial(t, srv)
	io.WriteString(c, "GET /big/8388608 HTTP/1.1\r\nHost: a\r\n\r\n")
	time.Sleep(3 * idle) // not reading: longer than the idle timeout
	if srv.Connections() != 1 {
		t.Fatal("a client taking a response was dropped at the idle timeout")
	}
	resp, err := readResponse(bufio.NewReader(c), "GET")
	if err != nil || len(resp.body) != 8388608 {
		t.Fatalf("response: %v", err)
	}
	// The idle wait started when the output left the server, at most
	// the time the client took to read what the kernel held.
	waitDropped(t, srv, 5*time.Second)
}
