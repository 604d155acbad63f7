package web_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

// lateCalls is what the lateRunner handlers of one test share: a gate per
// request, which lets its goroutine call RunOnLoop, and the count of the
// functions that ran on the loop.
type lateCalls struct {
	mu    sync.Mutex
	gates []chan struct{}
	ran   chan struct{}
}

// lateRunner finishes its response, then leaves a goroutine behind that
// calls RunOnLoop once its gate opens: by then the connection serves
// another request.
type lateRunner struct {
	web.RequestHandler
	Calls *lateCalls
}

func (h *lateRunner) Get() error {
	if err := h.Write("ok"); err != nil {
		return err
	}
	if err := h.Finish(); err != nil {
		return err
	}
	gate := make(chan struct{})
	h.Calls.mu.Lock()
	h.Calls.gates = append(h.Calls.gates, gate)
	h.Calls.mu.Unlock()
	ran := h.Calls.ran
	go func() {
		<-gate
		h.RunOnLoop(func() { ran <- struct{}{} })
	}()
	return nil
}

// TestRunOnLoopAfterFinish: a goroutine that calls RunOnLoop after its
// response finished, while the same keep-alive connection serves the next
// request (whose writer the server reuses), reaches the loop and races
// with nothing (run with -race).
func TestRunOnLoopAfterFinish(t *testing.T) {
	const requests = 20
	calls := &lateCalls{ran: make(chan struct{}, requests)}
	app := newApp(t, []web.Rule{{Pattern: "/late", Handler: &lateRunner{Calls: calls}}}, web.Settings{})
	addr := listen(t, app, httpserver.Options{})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	open := func(i int) {
		calls.mu.Lock()
		defer calls.mu.Unlock()
		close(calls.gates[i])
	}
	for i := range requests {
		if _, err := io.WriteString(c, "GET /late HTTP/1.1\r\nHost: a\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(body) != "ok" {
			t.Fatalf("request %d = %d %q", i, resp.StatusCode, body)
		}
		if i > 0 {
			open(i - 1) // its connection has served request i since
		}
	}
	open(requests - 1)
	for i := range requests {
		select {
		case <-calls.ran:
		case <-time.After(5 * time.Second):
			t.Fatalf("%d of %d functions posted after Finish ran on the loop", i, requests)
		}
	}
}
