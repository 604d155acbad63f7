package httpclient

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tornago/tornago/ioloop"
)

// runLoop runs fn on a fresh loop until done is called, or fails the test
// after limit.
func runLoop(t *testing.T, limit time.Duration, fn func(c *Client, done func())) *Client {
	t.Helper()
	loop, err := ioloop.New()
	if err != nil {
		t.Fatal(err)
	}
	defer loop.Close()
	c := New(loop, Options{})
	_, err = loop.RunSync(func() *ioloop.Future {
		fut := ioloop.NewFuture()
		fn(c, func() { fut.SetResult(nil) })
		return fut
	}, limit)
	if err != nil {
		t.Fatalf("loop: %v", err)
	}
	_, _ = loop.RunSync(func() *ioloop.Future { c.Close(); return nil }, time.Second)
	return c
}

func fetchOne(t *testing.T, req *Request) *Response {
	t.Helper()
	var resp *Response
	runLoop(t, 10*time.Second, func(c *Client, done func()) {
		c.Fetch(req, func(r *Response) { resp = r; done() })
	})
	return resp
}

func TestBasic(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Method", r.Method)
		w.Header().Set("X-Echo", r.Header.Get("X-Test"))
		w.Header().Set("X-UA", r.Header.Get("User-Agent"))
		switch r.URL.Path {
		case "/chunked":
			for i := range 3 {
				fmt.Fprintf(w, "part%d;", i)
				w.(http.Flusher).Flush()
			}
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write([]byte("compressed hello " + r.Header.Get("Accept-Encoding")))
			zw.Close()
		case "/404":
			w.WriteHeader(404)
			w.Write([]byte("nope"))
		case "/auth":
			u, p, _ := r.BasicAuth()
			w.Write([]byte(u + ":" + p))
		default:
			w.Write([]byte("hello " + r.URL.RawQuery + string(body)))
		}
	}))
	defer srv.Close()
	tests := []struct {
		name   string
		req    Request
		code   int
		body   string
		header map[string]string
		isErr  bool
	}{
		{name: "get", req: Request{URL: srv.URL + "/?a=1"}, code: 200, body: "hello a=1", header: map[string]string{"X-Method": "GET", "X-Ua": DefaultUserAgent}},
		{name: "post", req: Request{URL: srv.URL + "/", Method: "POST", Body: []byte("payload")}, code: 200, body: "hello payload", header: map[string]string{"X-Method": "POST"}},
		{name: "empty post", req: Request{URL: srv.URL + "/", Method: "POST"}, code: 200, body: "hello "},
		{name: "user agent", req: Request{URL: srv.URL + "/", UserAgent: "me/1"}, code: 200, header: map[string]string{"X-Ua": "me/1"}, body: "hello "},
		{name: "chunked", req: Request{URL: srv.URL + "/chunked"}, code: 200, body: "part0;part1;part2;"},
		{name: "gzip", req: Request{URL: srv.URL + "/gzip"}, code: 200, body: "compressed hello gzip", header: map[string]string{"X-Consumed-Content-Encoding": "gzip", "Content-Encoding": ""}},
		{name: "404 kept", req: Request{URL: srv.URL + "/404"}, code: 404, body: "nope", isErr: true},
		{name: "basic auth", req: Request{URL: srv.URL + "/auth", AuthUsername: "u", AuthPassword: "p w"}, code: 200, body: "u:p w"},
		{name: "head", req: Request{URL: srv.URL + "/", Method: "HEAD"}, code: 200, body: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.Header.Set("X-Test", "v1")
			r := fetchOne(t, &req)
			if r.Code != tt.code || string(r.Body) != tt.body {
				t.Fatalf("got %d %q (%v), want %d %q", r.Code, r.Body, r.Error, tt.code, tt.body)
			}
			if (r.Error != nil) != tt.isErr {
				t.Fatalf("error %v, want error %v", r.Error, tt.isErr)
			}
			var he *HTTPClientError
			if tt.isErr && (!errors.As(r.Error, &he) || he.Code != tt.code) {
				t.Fatalf("error %#v", r.Error)
			}
			if r.Header.Get("X-Echo") != "v1" {
				t.Errorf("X-Echo = %q", r.Header.Get("X-Echo"))
			}
			for k, v := range tt.header {
				if got := r.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestStreamingAndHeaderCallbacks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-A", "1")
		for i := range 4 {
			fmt.Fprintf(w, "c%d", i)
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	var got bytes.Buffer
	var lines []string
	r := fetchOne(t, &Request{URL: srv.URL,
		StreamingCallback: func(p []byte) { got.Write(p) },
		HeaderCallback:    func(l string) { lines = append(lines, l) }})
	if r.Error != nil || got.String() != "c0c1c2c3" || len(r.Body) != 0 {
		t.Fatalf("%v %q %q", r.Error, got.String(), r.Body)
	}
	if lines[0] != "HTTP/1.1 200 OK\r\n" || lines[len(lines)-1] != "\r\n" || !strings.Contains(strings.Join(lines, ""), "X-A: 1\r\n") {
		t.Fatalf("header lines %q", lines)
	}
}

func TestBodyProducer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s|%v|%s", r.TransferEncoding, r.ContentLength, b)
	}))
	defer srv.Close()
	producer := func(write func([]byte) *ioloop.Future) *ioloop.Future {
		done := ioloop.NewFuture()
		write([]byte("ab")).AddDoneCallback(func(*ioloop.Future) {
			write([]byte("cd")).AddDoneCallback(func(*ioloop.Future) { done.SetResult(nil) })
		})
		return done
	}
	r := fetchOne(t, &Request{URL: srv.URL, Method: "PUT", BodyProducer: producer})
	if r.Error != nil || string(r.Body) != "[chunked]|-1|abcd" {
		t.Fatalf("%v %q", r.Error, r.Body)
	}
	req := &Request{URL: srv.URL, Method: "PUT", BodyProducer: producer}
	req.Header.Set("Content-Length", "4")
	r = fetchOne(t, req)
	if r.Error != nil || string(r.Body) != "[]|4|abcd" {
		t.Fatalf("%v %q", r.Error, r.Body)
	}
}

func TestReadUntilClose(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				buf := make([]byte, 4096)
				conn.Read(buf)
				conn.Write([]byte("HTTP/1.0 200 OK\r\nX-A: b\r\n\r\nuntil "))
				time.Sleep(10 * time.Millisecond)
				conn.Write([]byte("close"))
				conn.Close()
			}()
		}
	}()
	r := fetchOne(t, &Request{URL: "http://" + ln.Addr().String() + "/"})
	if r.Error != nil || string(r.Body) != "until close" || r.Header.Get("X-A") != "b" {
		t.Fatalf("%v %q", r.Error, r.Body)
	}
}

func TestRedirects(t *testing.T) {
	var other *httptest.Server
	var seen sync.Map
	other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store("other", r.Method+"|"+r.Header.Get("Authorization")+"|"+r.Header.Get("Cookie")+"|"+r.Header.Get("X-Keep"))
		w.Write([]byte("other"))
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		switch {
		case r.URL.Path == "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/r/"):
			var n, code int
			fmt.Sscanf(r.URL.Path, "/r/%d/%d", &code, &n)
			if n == 0 {
				fmt.Fprintf(w, "%s|%s|%s|%s", r.Method, b, r.Header.Get("Authorization"), r.Header.Get("Cookie"))
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/r/%d/%d", code, n-1), code)
		case r.URL.Path == "/away":
			http.Redirect(w, r, other.URL+"/x", http.StatusTemporaryRedirect)
		}
	}))
	defer srv.Close()
	cases := []struct {
		name  string
		req   Request
		code  int
		body  string
		final string
	}{
		{"302 to GET", Request{URL: srv.URL + "/r/302/2", Method: "POST", Body: []byte("b")}, 200, "GET|||", "/r/302/0"},
		{"303 to GET", Request{URL: srv.URL + "/r/303/1", Method: "POST", Body: []byte("b")}, 200, "GET|||", "/r/303/0"},
		{"301 to GET", Request{URL: srv.URL + "/r/301/1", Method: "POST", Body: []byte("b")}, 200, "GET|||", "/r/301/0"},
		{"307 keeps", Request{URL: srv.URL + "/r/307/2", Method: "POST", Body: []byte("b")}, 200, "POST|b||", "/r/307/0"},
		{"308 keeps", Request{URL: srv.URL + "/r/308/1", Method: "PUT", Body: []byte("b")}, 200, "PUT|b||", "/r/308/0"},
		{"five ok", Request{URL: srv.URL + "/r/302/5"}, 200, "GET|||", "/r/302/0"},
		{"six too many", Request{URL: srv.URL + "/r/302/6"}, 302, "", "/r/302/1"},
		{"limit 1", Request{URL: srv.URL + "/r/302/2", MaxRedirects: 1}, 302, "", "/r/302/1"},
		{"no follow", Request{URL: srv.URL + "/r/302/2", NoFollowRedirects: true}, 302, "", "/r/302/2"},
		{"loop", Request{URL: srv.URL + "/loop"}, 302, "", "/loop"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			r := fetchOne(t, &req)
			if r.Code != tt.code || (tt.body != "" && string(r.Body) != tt.body) || r.EffectiveURL != srv.URL+tt.final {
				t.Fatalf("got %d %q %s (%v)", r.Code, r.Body, r.EffectiveURL, r.Error)
			}
			if (tt.code != 200) != (r.Error != nil) {
				t.Fatalf("error %v", r.Error)
			}
		})
	}
	t.Run("same origin keeps credentials", func(t *testing.T) {
		req := &Request{URL: srv.URL + "/r/302/1"}
		req.Header.Set("Authorization", "Bearer x")
		req.Header.Set("Cookie", "a=b")
		r := fetchOne(t, req)
		if string(r.Body) != "GET||Bearer x|a=b" {
			t.Fatalf("%q", r.Body)
		}
	})
	t.Run("cross origin drops credentials", func(t *testing.T) {
		req := &Request{URL: srv.URL + "/away", AuthUsername: "u", AuthPassword: "p"}
		req.Header.Set("Cookie", "a=b")
		req.Header.Set("X-Keep", "k")
		r := fetchOne(t, req)
		v, _ := seen.Load("other")
		if r.Error != nil || string(r.Body) != "other" || v != "GET|||k" || r.EffectiveURL != other.URL+"/x" {
			t.Fatalf("%v %q %v", r.Error, r.Body, v)
		}
	})
}

func TestConnectRefused(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	r := fetchOne(t, &Request{URL: "http://" + addr + "/"})
	var he *HTTPClientError
	if r.Code != 599 || !errors.As(r.Error, &he) || he.Code != 599 || !strings.Contains(r.Error.Error(), "refused") {
		t.Fatalf("%d %v", r.Code, r.Error)
	}
}

func TestRequestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	r := fetchOne(t, &Request{URL: srv.URL, RequestTimeout: 100 * time.Millisecond})
	if r.Code != 599 || !errors.Is(r.Error, errRequestTimeout) || time.Since(start) > 2*time.Second {
		t.Fatalf("%d %v after %v", r.Code, r.Error, time.Since(start))
	}
}

func TestConnectTimeout(t *testing.T) {
	// A listener with a full backlog that never accepts: Linux drops the
	// further SYNs, so connect(2) stays in progress.
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(fd)
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*unix.SockaddrInet4).Port)
	full := false
	for range 8 {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			full = true
			break
		}
		defer c.Close()
	}
	if !full {
		t.Skip("backlog never filled")
	}
	start := time.Now()
	r := fetchOne(t, &Request{URL: "http://" + addr + "/", ConnectTimeout: 100 * time.Millisecond})
	if r.Code != 599 || !errors.Is(r.Error, errConnectTimeout) || time.Since(start) > 2*time.Second {
		t.Fatalf("%d %v", r.Code, r.Error)
	}
}

func TestMaxClientsQueue(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		w.Write([]byte(r.URL.Path))
	}))
	defer srv.Close()
	var order []string
	loop, _ := ioloop.New()
	defer loop.Close()
	c := New(loop, Options{MaxClients: 2})
	_, err := loop.RunSync(func() *ioloop.Future {
		fut := ioloop.NewFuture()
		n := 0
		for i := range 6 {
			c.Fetch(&Request{URL: fmt.Sprintf("%s/%d", srv.URL, i)}, func(r *Response) {
				order = append(order, string(r.Body))
				if n++; n == 6 {
					fut.SetResult(nil)
				}
			})
		}
		if c.active != 2 || len(c.queue) != 4 {
			t.Errorf("active %d queued %d", c.active, len(c.queue))
		}
		return fut
	}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if peak.Load() > 2 {
		t.Fatalf("peak %d concurrent requests", peak.Load())
	}
	// Two at a time, FIFO: the first two finish before the last two start.
	got := strings.Join(order, ",")
	if !strings.HasSuffix(got, "/4,/5") && !strings.HasSuffix(got, "/5,/4") {
		t.Fatalf("order %s", got)
	}
	if !strings.HasPrefix(got, "/0,/1") && !strings.HasPrefix(got, "/1,/0") {
		t.Fatalf("order %s", got)
	}
}

func TestQueueTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	var errs []error
	loop, _ := ioloop.New()
	defer loop.Close()
	c := New(loop, Options{MaxClients: 1})
	loop.RunSync(func() *ioloop.Future {
		fut := ioloop.NewFuture()
		c.Fetch(&Request{URL: srv.URL, RequestTimeout: 300 * time.Millisecond}, func(r *Response) {
			errs = append(errs, r.Error)
			fut.SetResult(nil)
		})
		c.Fetch(&Request{URL: srv.URL, RequestTimeout: 50 * time.Millisecond}, func(r *Response) { errs = append(errs, r.Error) })
		return fut
	}, 5*time.Second)
	if len(errs) != 2 || !errors.Is(errs[0], errQueueTimeout) || !errors.Is(errs[1], errRequestTimeout) {
		t.Fatalf("%v", errs)
	}
}

func TestKeepAlive(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := runLoop(t, 10*time.Second, func(c *Client, done func()) {
		var next func(i int)
		next = func(i int) {
			if i == 10 {
				if c.idleCount() != 1 {
					t.Errorf("idle %d", c.idleCount())
				}
				done()
				return
			}
			c.Fetch(&Request{URL: srv.URL}, func(r *Response) {
				if r.Error != nil {
					t.Error(r.Error)
				}
				next(i + 1)
			})
		}
		next(0)
	})
	if conns.Load() != 1 || c.connects != 1 {
		t.Fatalf("server saw %d connections, client opened %d", conns.Load(), c.connects)
	}
}

func TestKeepAliveServerClosed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	runLoop(t, 10*time.Second, func(c *Client, done func()) {
		c.Fetch(&Request{URL: srv.URL}, func(r *Response) {
			srv.CloseClientConnections()
			c.loop.CallLater(50*time.Millisecond, func() {
				c.Fetch(&Request{URL: srv.URL}, func(r *Response) {
					if r.Error != nil || string(r.Body) != "ok" {
						t.Errorf("%v %q", r.Error, r.Body)
					}
					done()
				})
			})
		})
	})
}

func TestIdleTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	loop, _ := ioloop.New()
	defer loop.Close()
	c := New(loop, Options{IdleTimeout: 50 * time.Millisecond})
	loop.RunSync(func() *ioloop.Future {
		fut := ioloop.NewFuture()
		c.Fetch(&Request{URL: srv.URL}, func(r *Response) {
			if c.idleCount() != 1 {
				t.Errorf("idle %d", c.idleCount())
			}
			loop.CallLater(200*time.Millisecond, func() { fut.SetResult(nil) })
		})
		return fut
	}, 5*time.Second)
	if c.idleCount() != 0 {
		t.Fatalf("idle %d after timeout", c.idleCount())
	}
}

func TestConcurrent1000(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.URL.Path))
	}))
	defer srv.Close()
	const n = 1000
	loop, _ := ioloop.New()
	defer loop.Close()
	c := New(loop, Options{MaxClients: n})
	ok := 0
	start := time.Now()
	_, err := loop.RunSync(func() *ioloop.Future {
		fut := ioloop.NewFuture()
		left := n
		for i := range n {
			want := fmt.Sprintf("/%d", i)
			c.Fetch(&Request{URL: srv.URL + want}, func(r *Response) {
				if r.Error == nil && string(r.Body) == want {
					ok++
				} else if ok < 3 {
					t.Log(r.Error)
				}
				if left--; left == 0 {
					fut.SetResult(nil)
				}
			})
		}
		return fut
	}, 30*time.Second)
	loop.RunSync(func() *ioloop.Future { c.Close(); return nil }, time.Second)
	if err != nil || ok != n {
		t.Fatalf("%d/%d ok, %v", ok, n, err)
	}
	t.Logf("%d fetches in %v", n, time.Since(start))
}

func TestBlockingFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.WriteHeader(500)
		}
		w.Write([]byte("blocking"))
	}))
	defer srv.Close()
	r, err := Fetch(srv.URL)
	if err != nil || string(r.Body) != "blocking" {
		t.Fatalf("%v %v", r, err)
	}
	r, err = Fetch(&Request{URL: srv.URL + "/bad"})
	if err == nil || r.Code != 500 || string(r.Body) != "blocking" {
		t.Fatalf("%v %v", r, err)
	}
	if _, err := Fetch(42); err == nil {
		t.Fatal("Fetch(42) succeeded")
	}
	r, err = Fetch("ftp://x/")
	if err == nil || r.Code != 599 {
		t.Fatalf("%v %v", r, err)
	}
}

func TestHTTPS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "tls %s %s", r.Method, b)
	}))
	var conns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	cfg := srv.Client().Transport.(*http.Transport).TLSClientConfig
	runLoop(t, 10*time.Second, func(c *Client, done func()) {
		c.Fetch(&Request{URL: srv.URL, TLSConfig: cfg}, func(r *Response) {
			if r.Error != nil || string(r.Body) != "tls GET " {
				t.Errorf("%v %q", r.Error, r.Body)
			}
			c.Fetch(&Request{URL: srv.URL, Method: "POST", Body: []byte("x"), TLSConfig: cfg}, func(r *Response) {
				if r.Error != nil || string(r.Body) != "tls POST x" {
					t.Errorf("%v %q", r.Error, r.Body)
				}
				done()
			})
		})
	})
	if conns.Load() != 1 {
		t.Errorf("%d TLS connections, want 1 (kept alive)", conns.Load())
	}
	// Without the test CA the certificate does not verify: 599.
	r := fetchOne(t, &Request{URL: srv.URL})
	if r.Code != 599 || !strings.Contains(r.Error.Error(), "certificate") {
		t.Fatalf("%d %v", r.Code, r.Error)
	}
}

// idleCount returns the idle connections kept.
func (c *Client) idleCount() int {
	n := 0
	for _, l := range c.idle {
		n += len(l)
	}
	return n
}

// rawServer answers every request on a connection with resp, then closes
// the connection if closeAfter.
func rawServer(t *testing.T, resp string, closeAfter bool) (addr string, conns *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns = new(atomic.Int32)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer conn.Close()
				buf := make([]byte, 4096)
				for {
					if _, err := conn.Read(buf); err != nil {
						return
					}
					conn.Write([]byte(resp))
					if closeAfter {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String(), conns
}

func TestStreamingUntilClose(t *testing.T) {
	addr, _ := rawServer(t, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nstreamed body", true)
	var got []byte
	r := fetchOne(t, &Request{URL: "http://" + addr + "/", StreamingCallback: func(p []byte) { got = append(got, p...) }})
	if r.Error != nil || string(got) != "streamed body" {
		t.Fatalf("%v %q", r.Error, got)
	}
}

func TestReusedConnectionClosedRetries(t *testing.T) {
	// The server closes after each response without saying so; the second
	// fetch, sent at once on the pooled connection, must retry on a new one.
	addr, conns := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true)
	runLoop(t, 10*time.Second, func(c *Client, done func()) {
		c.Fetch(&Request{URL: "http://" + addr + "/"}, func(r *Response) {
			if r.Error != nil {
				t.Error(r.Error)
			}
			time.Sleep(20 * time.Millisecond) // let the close arrive unseen
			c.Fetch(&Request{URL: "http://" + addr + "/"}, func(r *Response) {
				if r.Error != nil || string(r.Body) != "ok" {
					t.Errorf("%v %q", r.Error, r.Body)
				}
				done()
			})
		})
	})
	if conns.Load() != 2 {
		t.Fatalf("%d connections", conns.Load())
	}
}

func TestMalformedResponses(t *testing.T) {
	tests := []struct{ name, resp string }{
		{"bad status", "HTTP/2 200 OK\r\n\r\n"},
		{"bad header", "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n"},
		{"bad length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"},
		{"conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
		{"bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
		{"short body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"},
		{"bad gzip", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, _ := rawServer(t, tt.resp, true)
			r := fetchOne(t, &Request{URL: "http://" + addr + "/"})
			if r.Code != 599 || r.Error == nil {
				t.Fatalf("%d %v", r.Code, r.Error)
			}
		})
	}
}

func TestResolver(t *testing.T) {
	old := lookupNetIP
	defer func() { lookupNetIP = old }()
	lookupNetIP = func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		switch host {
		case "test.example":
			return []netip.Addr{netip.MustParseAddr("::ffff:127.0.0.1")}, nil
		case "empty.example":
			return nil, nil
		}
		return nil, errors.New("no such host")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.Host)) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	r := fetchOne(t, &Request{URL: "http://test.example:" + port + "/"})
	if r.Error != nil || string(r.Body) != "test.example:"+port {
		t.Fatalf("%v %q", r.Error, r.Body)
	}
	for _, host := range []string{"nx.example", "empty.example"} {
		r = fetchOne(t, &Request{URL: "http://" + host + "/"})
		if r.Code != 599 || !strings.Contains(r.Error.Error(), "resolving") {
			t.Fatalf("%s: %d %v", host, r.Code, r.Error)
		}
	}
}

func TestClientClose(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		u, p, _ := r.BasicAuth()
		w.Write([]byte(u + ":" + p))
	}))
	defer srv.Close()
	var got []string
	loop, _ := ioloop.New()
	defer loop.Close()
	c := New(loop, Options{MaxClients: 1})
	loop.RunSync(func() *ioloop.Future {
		fut := ioloop.NewFuture()
		u := strings.Replace(srv.URL, "http://", "http://me:secret@", 1)
		c.Fetch(&Request{URL: u}, func(r *Response) {
			got = append(got, fmt.Sprint(r.Code, string(r.Body)))
			fut.SetResult(nil)
		})
		c.Fetch(&Request{URL: srv.URL}, func(r *Response) {
			got = append(got, fmt.Sprint(r.Code, errors.Is(r.Error, ErrClosed)))
		})
		c.Close()
		close(release)
		c.Fetch(&Request{URL: srv.URL}, func(r *Response) {
			got = append(got, fmt.Sprint(r.Code, errors.Is(r.Error, ErrClosed)))
		})
		return fut
	}, 5*time.Second)
	if strings.Join(got, ",") != "599 true,599 true,200me:secret" {
		t.Fatalf("%q", got)
	}
	if c.idleCount() != 0 {
		t.Fatal("closed client kept a connection")
	}
}
