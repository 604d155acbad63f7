package hardening

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestGracefulShutdown sends SIGTERM while handlers that take 2 s are in
// flight and other keep-alive connections sit idle: the in-flight requests
// finish with 200 and Connection: close, idle connections are closed at
// once, new connections are refused, and the process exits 0.
func TestGracefulShutdown(t *testing.T) {
	const (
		inFlight = 5
		idle     = 5
		handler  = 2 * time.Second
	)
	tg := startTarget(t, nil)

	// Idle keep-alive connections: one request each, then nothing.
	idles := make([]net.Conn, idle)
	for i := range idles {
		c := dial(t, tg.addr)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n")
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("idle conn %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		idles[i] = c
	}

	type result struct {
		status int
		close  bool
		body   string
		err    error
	}
	results := make([]result, inFlight)
	var wg sync.WaitGroup
	started := make(chan struct{}, inFlight)
	for i := range inFlight {
		c := dial(t, tg.addr)
		wg.Go(func() {
			io.WriteString(c, "GET /slow?ms=2000 HTTP/1.1\r\nHost: t\r\n\r\n")
			started <- struct{}{}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				results[i].err = err
				return
			}
			b, err := io.ReadAll(resp.Body)
			results[i] = result{resp.StatusCode, resp.Close, string(b), err}
		})
	}
	for range inFlight {
		<-started
	}
	time.Sleep(200 * time.Millisecond) // the requests reach their handlers
	sent := time.Now()
	tg.sigterm()

	// Idle connections close promptly (EOF, well before the handlers end).
	for i, c := range idles {
		c.SetReadDeadline(time.Now().Add(handler / 2))
		if _, err := c.Read(make([]byte, 1)); err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("idle conn %d: read gave %v, want EOF (closed at shutdown)", i, err)
		}
	}
	// New connections are refused while the handlers still run.
	if !waitFor(500*time.Millisecond, func() bool {
		c, err := net.DialTimeout("tcp", tg.addr, time.Second)
		if err == nil {
			c.Close()
			return false
		}
		return errors.Is(err, syscall.ECONNREFUSED)
	}) {
		t.Error("new connections are still accepted after SIGTERM")
	}
	if since := time.Since(sent); since > handler-200*time.Millisecond {
		t.Logf("warning: checks took %v, racing the handlers", since)
	}

	wg.Wait()
	for i, r := range results {
		if r.err != nil || r.status != 200 || r.body != "slow" || !r.close {
			t.Errorf("in-flight request %d: %+v, want 200 \"slow\" with Connection: close", i, r)
		}
	}
	select {
	case <-tg.done:
	case <-time.After(5 * time.Second):
		t.Fatal("target did not exit after its requests finished")
	}
	if code := tg.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if el := time.Since(sent); el > handler+time.Second {
		t.Errorf("exit %v after SIGTERM, want about %v", el, handler)
	}
}
