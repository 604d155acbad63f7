package hardening

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// requestTimeout is the target's RequestTimeout in TestFaults: short, so
// the never-finishing handler is answered quickly.
const requestTimeout = time.Second

// TestFaults runs the fault cases of issue 6 against one target: resets
// mid-body and mid-response, a half-closed peer, panicking, blocking and
// never-finishing handlers. After all of them the target still serves and
// its descriptors and goroutines are back to where they started.
func TestFaults(t *testing.T) {
	tg := startTarget(t, nil, "-request-timeout", requestTimeout.String())
	base := tg.stats()

	t.Run("ResetMidBody", func(t *testing.T) {
		// Half of a 10 MB upload, then an RST (SO_LINGER 0).
		c := dial(t, tg.addr)
		fmt.Fprintf(c, "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n", 10<<20)
		writeZeros(t, c, 5<<20)
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
		expectServes(t, tg)
	})

	t.Run("ResetMidResponse", func(t *testing.T) {
		c := dial(t, tg.addr)
		fmt.Fprintf(c, "GET /big?n=%d HTTP/1.1\r\nHost: t\r\n\r\n", 64<<20)
		t0 := time.Now()
		if _, err := io.CopyN(io.Discard, c, 1<<20); err != nil {
			t.Fatalf("reading the first MiB: %v", err)
		}
		t.Logf("first MiB of a 64 MiB /big after %v", time.Since(t0))
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
		// The same with the streaming handler, whose writes are pending.
		c = dial(t, tg.addr)
		fmt.Fprintf(c, "GET /stream?n=%d HTTP/1.1\r\nHost: t\r\n\r\n", 64<<20)
		if _, err := io.CopyN(io.Discard, c, 1<<20); err != nil {
			t.Fatalf("reading the first MiB: %v", err)
		}
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
		expectServes(t, tg)
	})

	t.Run("HalfClosedPeer", func(t *testing.T) {
		c := dial(t, tg.addr)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n")
		c.(*net.TCPConn).CloseWrite()
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("no response after CloseWrite: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(body) != "ok" {
			t.Fatalf("got %d %q, want 200 \"ok\"", resp.StatusCode, body)
		}
	})

	t.Run("HandlerPanics", func(t *testing.T) {
		// The panicking request gets a 500 and its connection lives on:
		// the request pipelined behind it is served, and so is every
		// later one.
		const rounds = 300 // each logs a stack; enough to show a leak
		for i := range rounds {
			c := dial(t, tg.addr)
			io.WriteString(c, "GET /panic HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n")
			br := bufio.NewReader(c)
			for _, want := range []int{500, 200} {
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatalf("round %d: %v", i, err)
				}
				io.Copy(io.Discard, resp.Body)
				if resp.StatusCode != want || resp.Close {
					t.Fatalf("round %d: status %d close %v, want %d and the connection kept", i, resp.StatusCode, resp.Close, want)
				}
			}
			c.Close()
		}
		expectServes(t, tg)
		// The log reaches tg.stderr through a pipe and exec's copying
		// goroutine, behind the responses: wait for the tail of it.
		logged := func() int { return strings.Count(tg.stderr.String(), "panic in handler") }
		if !waitFor(5*time.Second, func() bool { return logged() >= rounds }) {
			t.Errorf("%d panics logged, want %d", logged(), rounds)
		}
	})

	t.Run("InlineHandlerBlocks", func(t *testing.T) {
		status, _, err := get(tg.addr, "/block?ms=300")
		if err != nil || status != 200 {
			t.Fatalf("/block: %d %v", status, err)
		}
		ok := waitFor(2*time.Second, func() bool {
			for line := range strings.Lines(tg.stderr.String()) {
				if strings.Contains(line, "loop blocked") && strings.Contains(line, "/block") {
					return true
				}
			}
			return false
		})
		if !ok {
			t.Fatal("the watchdog did not log the blocked loop with the route /block")
		}
	})

	t.Run("HandlerNeverFinishes", func(t *testing.T) {
		start := time.Now()
		c := dial(t, tg.addr)
		io.WriteString(c, "GET /never HTTP/1.1\r\nHost: t\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("no answer to a handler that never finishes: %v", err)
		}
		el := time.Since(start)
		if resp.StatusCode != 503 || !resp.Close {
			t.Fatalf("status %d close %v, want 503 and Connection: close", resp.StatusCode, resp.Close)
		}
		if el < requestTimeout-100*time.Millisecond || el > requestTimeout+time.Second {
			t.Errorf("503 after %v, want about %v", el, requestTimeout)
		}
		io.Copy(io.Discard, resp.Body)
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Error("connection still open after the 503")
		}
	})

	// Everything the faults opened is gone.
	if st, ok := tg.waitBaseline(base, 7*time.Second); !ok {
		t.Errorf("not back to baseline: %+v, started at %+v", st, base)
	}
	if code := tg.stop(5 * time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(ioTimeout))
	t.Cleanup(func() { c.Close() })
	return c
}

func writeZeros(t *testing.T, c net.Conn, n int) {
	t.Helper()
	buf := make([]byte, 64<<10)
	for n > 0 {
		k := min(n, len(buf))
		if _, err := c.Write(buf[:k]); err != nil {
			t.Fatalf("write: %v", err)
		}
		n -= k
	}
}

// expectServes checks the target is alive and answers a plain request.
func expectServes(t *testing.T, tg *target) {
	t.Helper()
	if !tg.alive() {
		t.Fatalf("target died: %v", tg.err)
	}
	status, body, err := get(tg.addr, "/")
	if err != nil || status != 200 || string(body) != "ok" {
		t.Fatalf("after the fault: %d %q %v", status, body, err)
	}
}
