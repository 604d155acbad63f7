package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

func TestRealServer(t *testing.T) {
	app := newApp(t, []web.Rule{
		{Pattern: "/", Handler: &helloHandler{}},
		{Pattern: "/json", Handler: fn(func(h *web.RequestHandler) error { return h.Write(map[string]int{"n": 1}) })},
		{Pattern: "/stream", Handler: fn(func(h *web.RequestHandler) error {
			for i := range 3 {
				fmt.Fprintf(h.Writer(), "chunk%d;", i)
				h.Flush()
			}
			return nil
		})},
		{Pattern: "/entry/([^/]+)", Handler: &oneArg{}},
	}, web.Settings{})
	s := webtest.StartServer(t, app)
	for _, tt := range []struct{ path, body, ctype string }{
		{"/", "Hello, world", "text/html; charset=UTF-8"},
		{"/json", `{"n":1}`, "application/json; charset=UTF-8"},
		{"/stream", "chunk0;chunk1;chunk2;", "text/html; charset=UTF-8"},
		{"/entry/a%20b", "one:a b", "text/html; charset=UTF-8"},
	} {
		resp, body, err := s.Get(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || string(body) != tt.body || resp.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("GET %s = %d %q %q", tt.path, resp.StatusCode, body, resp.Header.Get("Content-Type"))
		}
	}
	resp, _, err := s.Get("/nope")
	if err != nil || resp.StatusCode != 404 {
		t.Errorf("GET /nope = %v, %v", resp, err)
	}
	resp, _, err = s.Get("/stream")
	if err != nil || len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("streamed response not chunked: %v %v", resp.TransferEncoding, err)
	}
}

// slowHandler blocks until its client goes away, then reports the
// context's error and its OnConnectionClose.
type slowHandler struct {
	web.RequestHandler
	web.Blocking
	Done chan string
}

func (h *slowHandler) Get() error {
	select {
	case <-h.Context().Done():
		h.Done <- "ctx: " + h.Context().Err().Error()
	case <-time.After(5 * time.Second):
		h.Done <- "timeout"
	}
	return nil
}

// asyncHandler stays open until its client goes away.
type asyncHandler struct {
	web.RequestHandler
	Closed chan string
}

func (h *asyncHandler) Get() error {
	h.Async()
	return nil
}

func (h *asyncHandler) OnConnectionClose() { h.Closed <- "closed" }

func TestClientGoesAway(t *testing.T) {
	done := make(chan string, 1)
	closed := make(chan string, 1)
	app := newApp(t, []web.Rule{
		{Pattern: "/slow", Handler: &slowHandler{Done: done}},
		{Pattern: "/async", Handler: &asyncHandler{Closed: closed}},
	}, web.Settings{})
	s := webtest.StartServer(t, app)
	for _, path := range []string{"/slow", "/async"} {
		conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path)
		time.Sleep(50 * time.Millisecond)
		conn.Close()
	}
	for what, ch := range map[string]chan string{"blocking handler": done, "async handler": closed} {
		select {
		case got := <-ch:
			if got != "ctx: context canceled" && got != "closed" {
				t.Errorf("%s: %s", what, got)
			}
		case <-time.After(3 * time.Second):
			t.Errorf("%s: not told that the client went away", what)
		}
	}
}

// sleepTime is long next to a hello request even on a loaded machine.
const sleepTime = time.Second

// blockingSleep sleeps on the worker pool: it must not hold up its loop.
type blockingSleep struct {
	web.RequestHandler
	web.Blocking
}

func (h *blockingSleep) Get() error {
	time.Sleep(sleepTime)
	return h.Write("slept")
}

func TestBlockingHandlerDoesNotBlockTheLoop(t *testing.T) {
	app := newApp(t, []web.Rule{
		{Pattern: "/sleep", Handler: &blockingSleep{}},
		{Pattern: "/", Handler: &helloHandler{}},
	}, web.Settings{})
	s := webtest.StartServer(t, app)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, body, err := s.Get("/sleep")
		if err != nil || string(body) != "slept" {
			t.Errorf("GET /sleep = %q, %v", body, err)
		}
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	_, body, err := s.Get("/")
	if err != nil || string(body) != "Hello, world" {
		t.Errorf("GET / = %q, %v", body, err)
	}
	if d := time.Since(start); d > sleepTime/2 {
		t.Errorf("an inline request waited %v behind a blocking one", d)
	}
	wg.Wait()
}

func TestPipelinedBlockingKeepsOrder(t *testing.T) {
	app := newApp(t, []web.Rule{
		{Pattern: "/sleep", Handler: &blockingSleep{}},
		{Pattern: "/", Handler: &helloHandler{}},
	}, web.Settings{})
	s := webtest.StartServer(t, app)
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "GET /sleep HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(conn)
	for _, want := range []string{"slept", "Hello, world"} {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if string(body) != want {
			t.Errorf("pipelined response %q; want %q", body, want)
		}
	}
}

func TestNetHTTPBridge(t *testing.T) {
	app := newApp(t, []web.Rule{
		{Pattern: "/", Handler: &helloHandler{}},
		{Pattern: "/echo/(.*)", Handler: fn(func(h *web.RequestHandler) error {
			v, _ := h.GetArgument("v", "")
			h.SetCookie("c", "1")
			return h.Write(h.PathArgs()[0] + ":" + v + ":" + h.Request.Protocol)
		})},
		{Pattern: "/sleep", Handler: &blockingSleep{}},
		{Pattern: "/stream", Handler: fn(func(h *web.RequestHandler) error {
			h.Write("a")
			h.Flush()
			return h.Write("b")
		})},
	}, web.Settings{})
	srv := httptest.NewServer(app)
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := get("/"); resp.StatusCode != 200 || body != "Hello, world" || resp.Header.Get("Etag") == "" {
		t.Errorf("bridge GET / = %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if resp, body := get("/echo/a%20b?v=x"); body != "a b:x:http" || resp.Header.Get("Set-Cookie") != "c=1; Path=/" {
		t.Errorf("bridge echo = %q %v", body, resp.Header)
	}
	if _, body := get("/sleep"); body != "slept" {
		t.Errorf("bridge blocking = %q", body)
	}
	if _, body := get("/stream"); body != "ab" {
		t.Errorf("bridge stream = %q", body)
	}
	if resp, _ := get("/missing"); resp.StatusCode != 404 {
		t.Errorf("bridge 404 = %d", resp.StatusCode)
	}
	r, _ := http.NewRequest("POST", srv.URL+"/echo/p", strings.NewReader("v=posted"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "p:posted:http" {
		t.Errorf("bridge POST = %q", b)
	}
}

func TestFallbackHandler(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/fallback/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-From", "net/http")
		w.WriteHeader(201)
		fmt.Fprintf(w, "hello %s %s", r.Method, r.URL.Query().Get("q"))
	})
	mux.HandleFunc("/fallback/sniff", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html><body>x</body></html>")
	})
	mux.HandleFunc("/fallback/body", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		w.Write(b)
	})
	c := client(t, []web.Rule{{Pattern: "/fallback/.*", Handler: web.Fallback(mux)}}, web.Settings{XSRFCookies: true})
	r := c.Get("/fallback/hello?q=x")
	if r.Status != 201 || r.Text() != "hello GET x" || r.Get("X-From") != "net/http" {
		t.Errorf("fallback = %d %q %s", r.Status, r.Text(), r.Header.String())
	}
	if ct := c.Get("/fallback/sniff").Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("sniffed Content-Type %q", ct)
	}
	expect(t, "fallback POST body (no XSRF check)", c.Fetch("POST", "/fallback/body", []byte("data")), 200, "data")
	expectStatus(t, "fallback 404", c.Get("/fallback/none"), 404)
}

func TestContextCancelledOnShutdownAndTimeout(t *testing.T) {
	errs := make(chan error, 2)
	app := newApp(t, []web.Rule{{Pattern: "/", Handler: fn(func(h *web.RequestHandler) error {
		h.Async()
		ctx := h.Context()
		go func() {
			<-ctx.Done()
			errs <- ctx.Err()
			h.RunOnLoop(func() { h.Finish() })
		}()
		return nil
	})}}, web.Settings{RequestTimeout: 50 * time.Millisecond})
	c := webtest.NewClient(t, app)
	expectStatus(t, "timed-out request", c.Get("/"), 200)
	if err := <-errs; err != context.DeadlineExceeded {
		t.Errorf("request context: %v", err)
	}
	app2 := newApp(t, []web.Rule{{Pattern: "/", Handler: fn(func(h *web.RequestHandler) error {
		h.Async()
		ctx := h.Context()
		go func() {
			<-ctx.Done()
			errs <- ctx.Err()
			h.RunOnLoop(func() { h.Finish() })
		}()
		return nil
	})}}, web.Settings{})
	c2 := webtest.NewClient(t, app2)
	go func() {
		time.Sleep(50 * time.Millisecond)
		app2.Shutdown(context.Background())
	}()
	expectStatus(t, "request during shutdown", c2.Get("/"), 200)
	if err := <-errs; err != context.Canceled {
		t.Errorf("request context at shutdown: %v", err)
	}
}
