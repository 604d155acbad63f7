package conformance

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
)

// Short timeouts for the slow-client tests, so that each runs in about a
// second; the defaults (60 s, 60 s, 75 s) are the same code with other
// numbers.
const (
	shortHeaderTimeout = 600 * time.Millisecond
	shortBodyTimeout   = 400 * time.Millisecond
)

// faultServer starts a tornago server with short timeouts; panics on
// "/panic" and counts the requests its handler sees.
func faultServer(t *testing.T, served *atomic.Int64) string {
	t.Helper()
	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		served.Add(1)
		if r.Path == "/panic" {
			panic("conformance: deliberate panic")
		}
		tornagoEcho(w, r)
	}), httpserver.Options{Logger: quiet, HeaderTimeout: shortHeaderTimeout, BodyTimeout: shortBodyTimeout})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Addr().String()
}

// alive checks that addr still serves a fresh connection.
func alive(t *testing.T, addr string) {
	t.Helper()
	o, err := exchange(addr, get("/alive"), false, 1, nil)
	if err != nil || !ok("GET /alive 0").matches(o) {
		t.Fatalf("server not serving after the fault: %v %v", o, err)
	}
}

// readUntilClosed reads c until EOF or an error, returning the bytes and
// how long it took.
func readUntilClosed(c net.Conn) (string, time.Duration, error) {
	start := time.Now()
	b, err := io.ReadAll(c)
	return string(b), time.Since(start), err
}

// TestSlowlorisHeaderDeadline trickles a head one byte every 100 ms: the
// header timeout runs from the first byte and is not reset by each byte
// (reliability anchors §3.1), so the server closes (408) near
// shortHeaderTimeout, long before the head would be complete.
func TestSlowlorisHeaderDeadline(t *testing.T) {
	var served atomic.Int64
	addr := faultServer(t, &served)
	c, err := dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	go func() {
		raw := "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + strings.Repeat("s", 100) + "\r\n\r\n"
		for i := 0; i < len(raw); i++ {
			if _, err := c.Write([]byte{raw[i]}); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	out, _, err := readUntilClosed(c)
	took := time.Since(start)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("slowloris connection still open after %v", took)
	}
	if took < shortHeaderTimeout/2 || took > 3*shortHeaderTimeout {
		t.Errorf("closed after %v, want about %v", took, shortHeaderTimeout)
	}
	if out != "" && !strings.HasPrefix(out, "HTTP/1.1 408") {
		t.Errorf("answer %q, want a 408 or nothing", out)
	}
	if served.Load() != 0 {
		t.Errorf("handler ran %d times", served.Load())
	}
	alive(t, addr)
}

// TestBodyStall sends a head announcing 10 bytes, 3 of them, and stalls:
// the body timeout closes the connection and the handler never runs.
func TestBodyStall(t *testing.T) {
	var served atomic.Int64
	addr := faultServer(t, &served)
	c, err := dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, post("Content-Length: 10\r\n", "abc"))
	out, took, err := readUntilClosed(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("stalled body never timed out")
	}
	if took > 4*shortBodyTimeout {
		t.Errorf("closed after %v, want about %v", took, shortBodyTimeout)
	}
	if out != "" && !strings.HasPrefix(out, "HTTP/1.1 408") {
		t.Errorf("answer %q, want a 408 or nothing", out)
	}
	if served.Load() != 0 {
		t.Errorf("handler saw a truncated body (%d calls)", served.Load())
	}
	alive(t, addr)
}

// TestResetMidBody sends half a body and resets the connection (SO_LINGER
// 0): the handler never sees a truncated body, and the server goes on.
func TestResetMidBody(t *testing.T) {
	var served atomic.Int64
	addr := faultServer(t, &served)
	for range 20 {
		c, err := dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, post("Content-Length: 100000\r\n", strings.Repeat("x", 50000)))
		c.SetLinger(0)
		c.Close()
	}
	time.Sleep(50 * time.Millisecond)
	if served.Load() != 0 {
		t.Errorf("handler ran %d times on reset bodies", served.Load())
	}
	alive(t, addr)
}

// TestResetMidResponse asks for many pipelined responses and resets the
// connection without reading them (EPIPE/ECONNRESET on the server's
// writes); the server goes on.
func TestResetMidResponse(t *testing.T) {
	var served atomic.Int64
	addr := faultServer(t, &served)
	for range 10 {
		c, err := dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, strings.Repeat(get("/r"), 500))
		time.Sleep(5 * time.Millisecond)
		c.SetLinger(0)
		c.Close()
	}
	alive(t, addr)
}

// TestHalfClosedPeer sends a request and shuts down its write side at
// once: the server still answers it, then closes.
func TestHalfClosedPeer(t *testing.T) {
	var served atomic.Int64
	addr := faultServer(t, &served)
	c, err := dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(exchangeTimeout))
	io.WriteString(c, get("/half")+get("/half2"))
	c.CloseWrite()
	br := bufio.NewReader(c)
	for _, want := range []string{"GET\n/half\n", "GET\n/half2\n"} {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("no response to a half-closed peer: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.HasPrefix(string(b), want) {
			t.Fatalf("got %d %q, want 200 %q", resp.StatusCode, b, want)
		}
	}
	if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
		t.Errorf("after the responses: %q %v, want EOF", rest, err)
	}
}

// TestHandlerPanic: a panicking handler gives its request a 500, and the
// connection lives on (as in Tornado: the body was read whole before the
// handler ran, so the framing is intact): the request pipelined behind it
// is served, and so is the probe after both.
func TestHandlerPanic(t *testing.T) {
	var served atomic.Int64
	addr := faultServer(t, &served)
	for range 50 {
		o, err := exchange(addr, get("/panic")+get("/after"), false, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !(expect{statuses: []int{500, 200}, echo: []string{"", "GET /after 0"}}).matches(o) {
			t.Fatalf("panic: got %v, want 500 then the next request served, connection open", o)
		}
	}
	alive(t, addr)
}
