package httpserver

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tornago/tornago/ioloop"
)

// TestAsyncHandlerDoesNotBlockOthers: a handler that hands a 1 s sleep
// to RunInExecutor and finishes in the done callback does not delay a
// request on another connection of the same loop. The check is on the
// order of completions, not on timing.
func TestAsyncHandlerDoesNotBlockOthers(t *testing.T) {
	started := make(chan struct{}, 1)
	var slowDone atomic.Bool
	events := make(chan string, 8)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		switch r.Path {
		case "/slow":
			started <- struct{}{}
			f := r.Loop().RunInExecutor(func() (any, error) {
				time.Sleep(time.Second)
				return "slept", nil
			})
			f.AddDoneCallback(func(f *ioloop.Future) {
				v, _ := f.Result()
				// The request was detached: its strings are still good.
				w.WriteString(v.(string) + " " + r.URI + " " + r.Header.Get("X-Tag") + " " + string(r.Body))
				slowDone.Store(true)
				events <- "slow"
				w.Finish()
			})
		default:
			events <- "fast " + r.Path
			w.WriteString("fast " + r.Path)
			w.Finish()
		}
	})
	srv := startServer(t, h, Options{})
	if n := len(srv.Loops()); n != 1 {
		t.Fatalf("%d loops, want 1", n)
	}
	a := dial(t, srv)
	// The slow request and a pipelined one behind it, in one write.
	io.WriteString(a, "POST /slow?q=1 HTTP/1.1\r\nHost: a\r\nX-Tag: tag\r\nContent-Length: 4\r\n\r\nbody"+
		"GET /after HTTP/1.1\r\nHost: a\r\n\r\n")
	<-started

	b := dial(t, srv)
	io.WriteString(b, "GET /other HTTP/1.1\r\nHost: a\r\n\r\n")
	resp, err := readResponse(bufio.NewReader(b), "GET")
	if err != nil || resp.body != "fast /other" {
		t.Fatalf("other connection: %v %v", resp, err)
	}
	if slowDone.Load() {
		t.Fatal("the other connection was answered only after the slow handler finished")
	}

	br := bufio.NewReader(a)
	resp, err = readResponse(br, "POST")
	if err != nil || resp.body != "slept /slow?q=1 tag body" {
		t.Fatalf("slow response: %v %v", resp, err)
	}
	resp, err = readResponse(br, "GET")
	if err != nil || resp.body != "fast /after" {
		t.Fatalf("pipelined response: %v %v", resp, err)
	}
	var order []string
	for len(order) < 3 {
		order = append(order, <-events)
	}
	if got := strings.Join(order, ","); got != "fast /other,slow,fast /after" {
		t.Fatalf("completion order %s", got)
	}
}

// TestAsyncFinishFromGoroutine: a handler finishes from another
// goroutine through the loop, after a Flush.
func TestAsyncFinishFromGoroutine(t *testing.T) {
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		w.WriteString("a")
		w.Flush(nil)
		go func() {
			time.Sleep(20 * time.Millisecond)
			w.Loop().AddCallback(func() {
				w.WriteString("b")
				w.Finish()
			})
		}()
	})
	srv := startServer(t, h, Options{})
	resp, _, _ := roundTrip(t, srv, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	if resp.body != "ab" {
		t.Fatalf("body %q", resp.body)
	}
}

// TestCloseCallback: a client that goes away while its handler is
// pending is reported through SetCloseCallback, and Finish then fails.
func TestCloseCallback(t *testing.T) {
	closed := make(chan error, 1)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		w.SetCloseCallback(func() {
			w.Loop().AddCallback(func() { closed <- w.Finish() })
		})
	})
	srv := startServer(t, h, Options{})
	c := dial(t, srv)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	time.Sleep(20 * time.Millisecond)
	c.Close()
	select {
	case err := <-closed:
		if err != ErrConnectionClosed {
			t.Fatalf("Finish after close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("close callback not called")
	}
}

// TestHandlerPanic: a panicking handler gets a 500, the loop lives on.
func TestHandlerPanic(t *testing.T) {
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		switch r.Path {
		case "/panic":
			w.Header().Set("X-Dropped", "1") // not in the 500
			w.WriteString("dropped")
			panic("boom")
		case "/flushed":
			w.WriteString("partial")
			w.Flush(nil)
			panic("boom")
		}
		echo(w, r)
	})
	srv := startServer(t, h, Options{})

	// Before the head is out: a 500 and the connection lives on, for the
	// requests pipelined behind it too (a body read whole before the
	// handler ran does not upset the framing).
	c := dial(t, srv)
	io.WriteString(c, "GET /panic HTTP/1.1\r\nHost: a\r\n\r\n"+
		"POST /panic HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"+
		"GET /ok HTTP/1.1\r\nHost: a\r\n\r\n")
	br := bufio.NewReader(c)
	for i, want := range []int{500, 500, 200} {
		resp, err := readResponse(br, "GET")
		if err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
		if resp.StatusCode != want || resp.Close || resp.Header.Get("X-Dropped") != "" || strings.Contains(resp.body, "dropped") {
			t.Fatalf("response %d: %d close %v %v %q, want %d kept alive, without what the handler wrote", i, resp.StatusCode, resp.Close, resp.Header, resp.body, want)
		}
		if want == 200 && resp.body != "GET /ok 0 " {
			t.Fatalf("after the panics: %q", resp.body)
		}
	}

	// After the head is out: the response can't be finished, so the
	// connection is cut rather than left with broken framing.
	c = dial(t, srv)
	io.WriteString(c, "GET /flushed HTTP/1.1\r\nHost: a\r\n\r\nGET /ok HTTP/1.1\r\nHost: a\r\n\r\n")
	b, _ := io.ReadAll(c)
	if !strings.HasPrefix(string(b), "HTTP/1.1 200 ") || strings.Contains(string(b), "GET /ok") {
		t.Fatalf("panic after the head: got %q, want the partial response and a close", b)
	}
}

// TestHandlerPanicRetiresExchange: what a panicking handler leaves behind
// (here its w, kept in a variable) is never handed to the next request on
// the connection: writing to it fails, and the next response is its own.
func TestHandlerPanicRetiresExchange(t *testing.T) {
	var stale *ResponseWriter // touched on the loop only
	staleErrs := make(chan [2]error, 1)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		switch r.Path {
		case "/panic":
			stale = w
			panic("boom")
		case "/flushed":
			stale = w
			w.WriteString("partial")
			w.Flush(nil)
			panic("boom")
		case "/detached":
			w.Detach()
			panic("boom")
		case "/after":
			_, werr := stale.WriteString("stale")
			staleErrs <- [2]error{werr, stale.Finish()}
		}
		echo(w, r)
	})
	srv := startServer(t, h, Options{})
	c := dial(t, srv)
	io.WriteString(c, "GET /panic HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
	br := bufio.NewReader(c)
	for i, want := range []string{"", "GET /after 0 "} {
		resp, err := readResponse(br, "GET")
		if err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
		if want != "" && (resp.StatusCode != 200 || resp.body != want) {
			t.Fatalf("response %d: %d %q, want 200 %q", i, resp.StatusCode, resp.body, want)
		}
	}
	if errs := <-staleErrs; errs[0] != ErrFinished || errs[1] != ErrFinished {
		t.Fatalf("writing to the panicked request's w: %v, %v; want ErrFinished", errs[0], errs[1])
	}

	// A panic after the head: the connection is cut, and the exchange is
	// not reused by the next connection either.
	c = dial(t, srv)
	io.WriteString(c, "GET /flushed HTTP/1.1\r\nHost: a\r\n\r\n")
	io.ReadAll(c)
	resp, _, _ := roundTrip(t, srv, "GET /after HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	if resp.StatusCode != 200 || resp.body != "GET /after 0 " {
		t.Fatalf("after a panic past the head: %d %q", resp.StatusCode, resp.body)
	}
	if errs := <-staleErrs; errs[0] != ErrFinished || errs[1] != ErrFinished {
		t.Fatalf("writing to the cut request's w: %v, %v; want ErrFinished", errs[0], errs[1])
	}

	// A panic after Detach: the stream nobody owns any more is closed,
	// not left open until the client gives up.
	c = dial(t, srv)
	io.WriteString(c, "GET /detached HTTP/1.1\r\nHost: a\r\n\r\n")
	if b, err := io.ReadAll(c); err != nil || len(b) != 0 {
		t.Fatalf("after a panic past Detach: read %q, %v; want a clean close", b, err)
	}
}

// TestRequestTimeout: a handler that never finishes is answered 503 at
// RequestTimeout; its later Finish fails.
func TestRequestTimeout(t *testing.T) {
	late := make(chan error, 1)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		w.SetCloseCallback(func() {
			w.Loop().AddCallback(func() { late <- w.Finish() })
		})
	})
	srv := startServer(t, h, Options{RequestTimeout: 100 * time.Millisecond})
	resp, br, _ := roundTrip(t, srv, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	if resp.StatusCode != 503 || !resp.Close {
		t.Fatalf("status %d", resp.StatusCode)
	}
	expectClosed(t, br)
	if err := <-late; err != ErrConnectionClosed {
		t.Fatalf("late Finish: %v", err)
	}
}

// TestContentLengthMismatch: finishing with less than the declared
// Content-Length fails and cuts the connection instead of sending a
// response with broken framing.
func TestContentLengthMismatch(t *testing.T) {
	errc := make(chan error, 2)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		w.Header().Set("Content-Length", "10")
		w.WriteString("abc")
		errc <- w.Finish()
		errc <- w.Finish()
	})
	srv := startServer(t, h, Options{})
	c := dial(t, srv)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	if b, _ := io.ReadAll(c); len(b) != 0 {
		t.Fatalf("got %q", b)
	}
	if err := <-errc; err != ErrContentLength {
		t.Fatalf("Finish: %v", err)
	}
	if err := <-errc; err != ErrFinished {
		t.Fatalf("second Finish: %v", err)
	}
}

// TestRequestValidAfterFinish: r and w stay readable after Finish until
// the handler returns (the web layer logs after finishing).
func TestRequestValidAfterFinish(t *testing.T) {
	got := make(chan string, 4)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		if r.Path == "/async" {
			w.Loop().AddCallback(func() {
				w.Finish()
				got <- r.Method + " " + r.URI + " " + r.RemoteIP + " " + fmt.Sprint(w.Status(), w.Finished())
			})
			return
		}
		w.SetStatus(201, "")
		w.Finish()
		got <- r.Method + " " + r.URI + " " + r.RemoteIP + " " + fmt.Sprint(w.Status(), w.Finished())
	})
	srv := startServer(t, h, Options{})
	c := dial(t, srv)
	io.WriteString(c, "GET /sync HTTP/1.1\r\nHost: a\r\n\r\nGET /async HTTP/1.1\r\nHost: a\r\n\r\nGET /sync2 HTTP/1.1\r\nHost: a\r\n\r\n")
	br := bufio.NewReader(c)
	for range 3 {
		if _, err := readResponse(br, "GET"); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"GET /sync 127.0.0.1 201 true", "GET /async 127.0.0.1 200 true", "GET /sync2 127.0.0.1 201 true"}
	for _, w := range want {
		if g := <-got; g != w {
			t.Fatalf("after Finish: %q, want %q", g, w)
		}
	}
}

// TestDetach: a handler takes the connection over (as a WebSocket
// handshake does); bytes the client sent right after the request reach
// the new owner.
func TestDetach(t *testing.T) {
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		if r.Path != "/upgrade" {
			echo(w, r)
			return
		}
		s, err := w.Detach()
		if err != nil {
			t.Error(err)
			return
		}
		s.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"), nil)
		var echoLine func(line []byte, err error)
		echoLine = func(line []byte, err error) {
			if err != nil {
				s.Close()
				return
			}
			s.Write(append([]byte("echo: "), line...), nil)
			s.ReadUntil([]byte("\n"), 1024, echoLine)
		}
		s.ReadUntil([]byte("\n"), 1024, echoLine)
	})
	srv := startServer(t, h, Options{})
	c := dial(t, srv)
	// A pipelined request first, then the upgrade with a line right behind.
	io.WriteString(c, "GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /upgrade HTTP/1.1\r\nHost: a\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nhello\n")
	br := bufio.NewReader(c)
	if resp, err := readResponse(br, "GET"); err != nil || resp.body != "GET /first 0 " {
		t.Fatalf("first: %v %v", resp, err)
	}
	if head := readRawHead(t, br); !strings.HasPrefix(head, "HTTP/1.1 101 ") {
		t.Fatalf("upgrade head %q", head)
	}
	for _, line := range []string{"hello\n", "world\n"} {
		if line != "hello\n" {
			io.WriteString(c, line)
		}
		got, err := br.ReadString('\n')
		if err != nil || got != "echo: "+line {
			t.Fatalf("got %q %v", got, err)
		}
	}
	if n := srv.Connections(); n != 0 {
		t.Fatalf("detached connection still counted: %d", n)
	}
}
