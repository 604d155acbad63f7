package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
)

// closeWatcher streams its body and reports, on its channels, the client
// going away (OnConnectionClose) and its Context ending.
type closeWatcher struct {
	web.RequestHandler
	Hold     bool // DataReceived holds each piece for 300 ms (a slow disk)
	Got      chan struct{}
	Closed   chan struct{}
	CtxEnded chan struct{}
	got      bool
}

func (h *closeWatcher) Prepare() error {
	ctx := h.Context()
	ended := h.CtxEnded
	go func() {
		<-ctx.Done()
		if ctx.Err() == context.Canceled {
			close(ended)
		}
	}()
	return nil
}

func (h *closeWatcher) DataReceived(chunk []byte) *ioloop.Future {
	if !h.got {
		h.got = true
		close(h.Got)
	}
	if !h.Hold {
		return nil
	}
	f := ioloop.NewFuture()
	go func() {
		time.Sleep(300 * time.Millisecond)
		h.RunOnLoop(func() { f.SetResult(nil) })
	}()
	return f
}

func (h *closeWatcher) OnConnectionClose() { close(h.Closed) }

func (h *closeWatcher) Post() error { return h.Write("done") }

// TestStreamClientGoesAway: a client that leaves in the middle of a
// streamed body is noticed, with no later request on the loop: the
// handler's OnConnectionClose runs and its Context is cancelled, whether
// the server was reading the body or waiting on DataReceived's Future.
func TestStreamClientGoesAway(t *testing.T) {
	for _, hold := range []bool{false, true} {
		name := "reading"
		if hold {
			name = "waiting on the Future"
		}
		t.Run(name, func(t *testing.T) {
			h := &closeWatcher{Hold: hold, Got: make(chan struct{}), Closed: make(chan struct{}), CtxEnded: make(chan struct{})}
			app := newApp(t, []web.Rule{{Pattern: "/up", Handler: h}}, web.Settings{})
			addr := listen(t, app, httpserver.Options{})
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(c, post("/up", length(strings.Repeat("x", 1000)), strings.Repeat("x", 10)))
			select {
			case <-h.Got:
			case <-time.After(5 * time.Second):
				t.Fatal("no piece of the body reached DataReceived")
			}
			c.Close()
			for what, ch := range map[string]chan struct{}{"OnConnectionClose": h.Closed, "Context cancelled": h.CtxEnded} {
				select {
				case <-ch:
				case <-time.After(5 * time.Second):
					t.Errorf("%s: not within 5 s of the client leaving mid-body", what)
				}
			}
		})
	}
}

// tickingUpload streams its body while a goroutine of its own, started in
// Prepare, posts to the loop with RunOnLoop until the verb method (a
// progress report, an upload to elsewhere running beside the body).
type tickingUpload struct {
	web.RequestHandler
	stop  chan struct{}
	done  chan struct{}
	ticks atomic.Int64
	got   int
}

func (h *tickingUpload) Prepare() error {
	h.stop, h.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(h.done)
		for {
			select {
			case <-h.stop:
				return
			default:
			}
			h.RunOnLoop(func() { h.ticks.Add(1) })
			time.Sleep(50 * time.Microsecond)
		}
	}()
	return nil
}

func (h *tickingUpload) DataReceived(chunk []byte) error {
	h.got += len(chunk)
	return nil
}

func (h *tickingUpload) Post() error {
	time.Sleep(2 * time.Millisecond) // let the goroutine post once more
	close(h.stop)
	<-h.done // no RunOnLoop after the response
	return h.Write(fmt.Sprint(h.got))
}

// TestStreamRunOnLoopFromGoroutine: RunOnLoop is safe from any goroutine
// while the body streams and when the response moves to the server's
// writer (run with -race).
func TestStreamRunOnLoopFromGoroutine(t *testing.T) {
	app := newApp(t, []web.Rule{{Pattern: "/up", Handler: &tickingUpload{}}}, web.Settings{})
	addr := listen(t, app, httpserver.Options{})
	body := strings.Repeat("z", 200<<10)
	for range 5 {
		if status, got := rawResponse(t, addr, post("/up", length(body), body)); status != 200 || got != fmt.Sprint(len(body)) {
			t.Fatalf("= %d %q", status, got)
		}
	}
}
