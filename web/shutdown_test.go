package web_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/tornago/tornago/web"
)

// TestShutdownKeepsInFlightContextUntilDeadline: a request running when
// Shutdown starts finishes with its context live (a graceful shutdown, as a
// rolling restart behind nginx needs), and Shutdown returns once it has.
func TestShutdownKeepsInFlightContextUntilDeadline(t *testing.T) {
	running, release := make(chan struct{}), make(chan struct{})
	app := newApp(t, []web.Rule{{Pattern: "/", Blocking: true, Handler: fn(func(h *web.RequestHandler) error {
		close(running)
		<-release
		if err := h.Context().Err(); err != nil {
			return h.Write("context: " + err.Error())
		}
		return h.Write("done")
	})}}, web.Settings{})
	srv, err := app.Listen(0, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + srv.Addr().String() + "/")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{resp.StatusCode, string(b), err}
	}()
	select {
	case <-running:
	case <-time.After(10 * time.Second):
		t.Fatal("handler never ran")
	}
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- app.Shutdown(ctx)
	}()
	time.Sleep(100 * time.Millisecond) // Shutdown is under way
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned before the request in flight finished: %v", err)
	default:
	}
	close(release)
	r := <-got
	if r.err != nil || r.status != 200 || r.body != "done" {
		t.Fatalf("in-flight request: status %d, body %q, err %v; want 200 done", r.status, r.body, r.err)
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}
