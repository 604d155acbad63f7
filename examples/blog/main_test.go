package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write
// while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startupTimeout bounds run's start: the SQLite schema and a listening
// socket.
const startupTimeout = 20 * time.Second

var listening = regexp.MustCompile(`blog on http://[^ ]*:(\d+)`)

// TestRun starts the real program on a free port with -xheaders and an
// empty data directory, and checks the wiring: embedded templates and
// static files, the generated secret, the proxy's client address in the
// access log, and a clean stop.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-port", "0", "-address", "127.0.0.1", "-data", t.TempDir(), "-xheaders"}, &log)
	}()
	var port string
	for deadline := time.Now().Add(startupTimeout); port == ""; time.Sleep(20 * time.Millisecond) {
		if m := listening.FindStringSubmatch(log.String()); m != nil {
			port = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("run returned %v before listening:\n%s", err, log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not listening after %v:\n%s", startupTimeout, log.String())
		}
	}
	base := "http://127.0.0.1:" + port
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string, header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, _ := get("/", "X-Real-Ip", "203.0.113.9"); resp.StatusCode != 302 || resp.Header.Get("Location") != "/compose" {
		t.Fatalf("GET / = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := get("/auth/create"); resp.StatusCode != 200 || !regexp.MustCompile(`href="/static/blog.css\?v=[0-9a-f]+"`).MatchString(body) {
		t.Fatalf("GET /auth/create = %d:\n%s", resp.StatusCode, body)
	}
	if resp, body := get("/static/blog.css"); resp.StatusCode != 200 || len(body) == 0 {
		t.Fatalf("GET /static/blog.css = %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(shutdownTimeout + 5*time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
	if !regexp.MustCompile(`302 GET / \(203\.0\.113\.9\)`).MatchString(log.String()) {
		t.Fatalf("-xheaders: the access log lacks the proxy's client address:\n%s", log.String())
	}
}
